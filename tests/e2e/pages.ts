/** The pages of the built site, read from the sitemap the build wrote (dist/sitemap-0.xml). */
import { readFileSync } from 'node:fs';

export function builtPages(): string[] {
  const xml = readFileSync('dist/sitemap-0.xml', 'utf8');
  const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  const base = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');
  return urls.map((p) => (p.startsWith(base) ? p.slice(base.length) : p.replace(/^\//, '')));
}
