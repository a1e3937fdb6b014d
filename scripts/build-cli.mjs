// Bundles the bratslab CLI into one plain-JavaScript file that runs on Node >= 20.
// Run directly: writes dist-cli/bratslab.mjs. Imported (astro.config.mjs): `buildCli(outfile)`
// writes the bundle where the built site serves it, with its sha256 beside it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

/** Bundles the CLI to `outfile`; with `checksum`, also writes `<outfile>.sha256` in sha256sum's format. */
export async function buildCli(outfile, { checksum = false } = {}) {
  await build({
    absWorkingDir: fileURLToPath(root),
    entryPoints: ['labs/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: false,
    legalComments: 'none',
    define: { __BRATSLAB_VERSION__: JSON.stringify(pkg.version) },
    // Bundled CommonJS dependencies (commander) may call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __bl_createRequire } from 'node:module'; const require = __bl_createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  if (checksum) {
    const hex = createHash('sha256').update(readFileSync(outfile)).digest('hex');
    writeFileSync(`${outfile}.sha256`, `${hex}  ${basename(outfile)}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli('dist-cli/bratslab.mjs');
}
