// The site's Content-Security-Policy: pages may talk to their own origin only (plus blob: and
// data: URLs made in the page), so no lab can send an image anywhere, whatever its code does.
//
// One policy for every page, in three places:
// - `dist/_headers` (Netlify, Cloudflare Pages), with frame-ancestors;
// - a <meta http-equiv> in every built page, for hosts that cannot set headers (a meta policy
//   cannot carry frame-ancestors, browsers ignore it there);
// - the dev server (`npm start`) and `astro preview` send it as a header (astro.config.mjs).
// Inline scripts (Astro's island loader, Starlight's theme script) are allowed by their sha256
// hashes, collected from the built pages; `'wasm-unsafe-eval'` lets onnxruntime-web and pagefind
// compile WebAssembly; workers come from the site or from blob: URLs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Directives without the script hashes. */
export const DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // React and NiiVue set style attributes; styles cannot send data anywhere the other directives allow.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'media-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'", 'blob:', 'data:'],
  'worker-src': ["'self'", 'blob:'],
  'frame-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
  // Course sites are embedded in learning platforms (Moodle, Canvas, …): any HTTPS page may frame
  // the site; a host that knows its platform can narrow this to that origin.
  'frame-ancestors': ["'self'", 'https:'],
};

/** The policy text; `meta` drops frame-ancestors, `dev` allows any inline script (the dev server injects changing ones). */
export function policy(scriptHashes = [], { meta = false, dev = false } = {}) {
  return Object.entries(DIRECTIVES)
    .filter(([name]) => !(meta && name === 'frame-ancestors'))
    .map(([name, values]) => {
      const extra = name === 'script-src' ? (dev ? ["'unsafe-inline'"] : [...scriptHashes].sort().map((h) => `'${h}'`)) : [];
      return [name, ...values, ...extra].join(' ');
    })
    .join('; ');
}

/** sha256 sources of every inline <script> (no src attribute) in an HTML page. */
export function inlineScriptHashes(html) {
  const out = new Set();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]) || m[2] === '') continue;
    out.add(`sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}`);
  }
  return out;
}

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

const META = /<meta http-equiv="content-security-policy"[^>]*>/i;

/**
 * After the build: hashes every inline script of every page, puts the meta policy at the top of
 * each page's <head> and appends the header policy to dist/_headers. Returns the header policy.
 */
export function applyCsp(dist) {
  const files = htmlFiles(dist);
  const hashes = new Set();
  for (const f of files) for (const h of inlineScriptHashes(readFileSync(f, 'utf8'))) hashes.add(h);
  const meta = `<meta http-equiv="content-security-policy" content="${policy(hashes, { meta: true })}">`;
  for (const f of files) {
    const html = readFileSync(f, 'utf8').replace(META, '');
    // Right after <meta charset> (or <head>): before any script, so it governs all of them.
    const at = /<meta charset="[^"]*"\s*\/?>/i.exec(html) ?? /<head[^>]*>/i.exec(html);
    if (!at) continue;
    const i = at.index + at[0].length;
    writeFileSync(f, html.slice(0, i) + meta + html.slice(i));
  }
  const header = policy(hashes);
  const headersPath = join(dist, '_headers');
  const lines = (existsSync(headersPath) ? readFileSync(headersPath, 'utf8') : '/*\n').split('\n').filter((l) => !/^\s*Content-Security-Policy:/.test(l));
  const star = lines.findIndex((l) => l.trim() === '/*');
  lines.splice(star + 1, 0, `  Content-Security-Policy: ${header}`);
  writeFileSync(headersPath, lines.join('\n'));
  return header;
}

/** The header policy of the last build (read back from dist/_headers), or null before a build. */
export function builtPolicy(dist) {
  const p = join(dist, '_headers');
  if (!existsSync(p)) return null;
  return /^\s*Content-Security-Policy:\s*(.+)$/m.exec(readFileSync(p, 'utf8'))?.[1] ?? null;
}
