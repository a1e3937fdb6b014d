/**
 * Link check over the built site (run after `astro build`, e.g. through scripts/e2e-one.sh): every
 * internal link, stylesheet, script and image in dist/**.html must resolve to a built file, and
 * every #fragment to an id on the target page. Honours BASE_PATH, as the build does.
 * It reads files only; the browser fixture is not needed, but `test` still comes from ./fixtures.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures';

const DIST = resolve(fileURLToPath(new URL('../../dist', import.meta.url)));
const BASE = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');
const ORIGIN = 'http://site.invalid';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? htmlFiles(p) : name.endsWith('.html') ? [p] : [];
  });
}

/** The page's own URL path under the base, e.g. dist/weeks/a/index.html → /base/weeks/a/. */
function pageUrl(file: string): string {
  const rel = relative(DIST, file).split('\\').join('/');
  return BASE + rel.replace(/(^|\/)index\.html$/, '$1');
}

/** The built file a site path points to, or null when nothing is there. */
function targetFile(pathname: string): string | null {
  if (!pathname.startsWith(BASE)) return null;
  const rel = decodeURIComponent(pathname.slice(BASE.length));
  const candidates = rel === '' || rel.endsWith('/') ? [join(DIST, rel, 'index.html')] : [join(DIST, rel), join(DIST, rel, 'index.html'), join(DIST, `${rel}.html`)];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

const idCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idCache.get(file);
  if (!ids) {
    const html = readFileSync(file, 'utf8');
    ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]));
    idCache.set(file, ids);
  }
  return ids;
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

test('every internal link in dist/ resolves, fragments included', () => {
  expect(existsSync(DIST), 'dist/ is missing: run `npx astro build` first').toBe(true);
  const pages = htmlFiles(DIST);
  expect(pages.length).toBeGreaterThan(10);
  const broken: string[] = [];
  let checked = 0;
  for (const file of pages) {
    const html = readFileSync(file, 'utf8');
    const here = new URL(pageUrl(file), ORIGIN);
    const refs = [
      ...[...html.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((m) => ({ kind: 'link', url: m[1] })),
      ...[...html.matchAll(/<link\b[^>]*?\shref="([^"]*)"/g)].map((m) => ({ kind: 'asset', url: m[1] })),
      ...[...html.matchAll(/<(?:script|img|source)\b[^>]*?\ssrc="([^"]*)"/g)].map((m) => ({ kind: 'asset', url: m[1] })),
    ];
    for (const ref of refs) {
      const raw = decode(ref.url.trim());
      if (!raw || /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(raw)) continue; // other schemes and hosts are external
      const url = new URL(raw, here);
      if (url.origin !== ORIGIN) continue;
      checked++;
      const where = `${relative(DIST, file)}: ${ref.url}`;
      const target = targetFile(url.pathname);
      if (!target) {
        broken.push(`${where} (no page or file at ${url.pathname})`);
        continue;
      }
      const frag = decodeURIComponent(url.hash.slice(1));
      if (ref.kind === 'link' && frag && target.endsWith('.html') && !idsOf(target).has(frag)) {
        broken.push(`${where} (no id "${frag}" on ${url.pathname})`);
      }
    }
  }
  expect(checked, 'internal references found').toBeGreaterThan(100);
  expect(broken, `${broken.length} broken internal links`).toEqual([]);
});
