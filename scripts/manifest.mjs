// Writes public/data/MANIFEST.json: every data file with its bytes, sha256, source and licence.
// Each folder under public/data/ carries a SOURCE.json ({ "source": "...", "licence": "...",
// "reproduce": "command" }) that applies to the files below it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = 'public/data';

export function buildManifest(root = ROOT) {
  const files = [];
  const walk = (dir, source) => {
    const here = join(dir, 'SOURCE.json');
    const src = existsSync(here) ? JSON.parse(readFileSync(here, 'utf8')) : source;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, src);
      else if (name !== 'SOURCE.json' && name !== 'MANIFEST.json') {
        if (!src) throw new Error(`${p}: no SOURCE.json above it says where it comes from`);
        const bytes = readFileSync(p);
        files.push({
          path: relative(root, p).split('\\').join('/'),
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          source: src.source,
          licence: src.licence,
          ...(src.reproduce ? { reproduce: src.reproduce } : {}),
        });
      }
    }
  };
  walk(root, null);
  return { schemaVersion: 1, totalBytes: files.reduce((a, f) => a + f.bytes, 0), files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = buildManifest();
  writeFileSync(join(ROOT, 'MANIFEST.json'), JSON.stringify(m, null, 2) + '\n');
  console.log(`MANIFEST.json: ${m.files.length} files, ${(m.totalBytes / 1e6).toFixed(2)} MB`);
}
