// Pictures of every lab for docs/ (the before/after record of a design change): light at 1280 px
// and dark at 375 px, as JPEG to keep the repository small. Needs the built site served:
//   npx astro build && npx astro preview --ignore-lock --port 4321 &
//   node scripts/lab-screenshots.mjs docs/screenshots/after [http://127.0.0.1:4321/]
// The regression suite (tests/e2e/labs-visual.spec.ts) takes its own PNGs; these are for people.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from './browser-path.mjs';
import { LAB_PLACES, islandOf, labRootOf } from '../tests/e2e/lab-places.ts';

const [outDir, base = 'http://127.0.0.1:4321/'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node scripts/lab-screenshots.mjs OUT_DIR [BASE_URL]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
for (const [scheme, width] of [['light', 1280], ['dark', 375]]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
  for (const place of LAB_PLACES) {
    await page.goto(new URL(place.path, base).href);
    const island = page.locator(labRootOf(place)).first();
    await island.scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => !document.querySelector(`${sel}[ssr]`), islandOf(place));
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    const file = join(outDir, `${place.name}-${scheme}-${width}.jpg`);
    await island.screenshot({ path: file, type: 'jpeg', quality: 70, animations: 'disabled' });
    console.log(file);
  }
  await page.close();
}
await browser.close();
