import { readdirSync } from 'node:fs';
import { test, expect, visit } from './fixtures';

const LESSONS = readdirSync('src/content/weeks/week-06')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => f.replace(/\.mdx$/, ''));

/** Relative luminance of a CSS rgb() colour (WCAG 2.x). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('every lesson figure has a text alternative, renders, fits 375 px and is readable in both themes', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 375, height: 800 });
  let seen = 0;
  for (const lesson of LESSONS) {
    for (const theme of ['light', 'dark']) {
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await visit(page, `weeks/week-06/${lesson}/`);
      const figures = page.locator('figure.bl-figure');
      const n = await figures.count();
      expect(n, `${lesson} has a figure`).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < n; i++) {
        const fig = figures.nth(i);
        const svg = fig.locator('svg[role="img"]');
        const alt = (await svg.getAttribute('aria-label')) ?? '';
        expect(alt.length, `${lesson}: figure ${i} text alternative`).toBeGreaterThan(40);
        await expect(fig.locator('figcaption')).not.toBeEmpty();
        await fig.scrollIntoViewIfNeeded();
        const box = await svg.boundingBox();
        expect(box && box.width > 200 && box.height > 50, `${lesson}: figure ${i} is drawn`).toBe(true);
        expect(box!.x + box!.width, `${lesson}: figure ${i} fits 375 px`).toBeLessThanOrEqual(375);
        // Text drawn in the theme's colours, with contrast against the page background.
        const [fill, bg, fontPx] = await svg.evaluate((el) => {
          const t = el.querySelector('text:not(.fig-muted)')!;
          const scale = el.getBoundingClientRect().width / (el as unknown as SVGSVGElement).viewBox.baseVal.width;
          return [getComputedStyle(t).fill, getComputedStyle(document.body).backgroundColor, Number(t.getAttribute('font-size')) * scale];
        });
        expect(contrast(fill, bg), `${lesson} (${theme}): text ${fill} on ${bg}`).toBeGreaterThanOrEqual(4.5);
        expect(fontPx, `${lesson}: text size at 375 px`).toBeGreaterThanOrEqual(10);
        seen++;
        // FIGURE_SHOTS=1 saves each figure as rendered, for a look by eye.
        if (process.env.FIGURE_SHOTS) await fig.screenshot({ path: `test-results/figures/${lesson}-${i}-${theme}.png` });
      }
    }
  }
  expect(seen).toBeGreaterThanOrEqual(28);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll).toBeLessThanOrEqual(375);
});
