/**
 * How every lab looks, in light and dark mode, at 375 px and 1280 px:
 * - a screenshot compared with the committed baseline (tests/e2e/labs-look.spec.ts-snapshots/),
 *   with a tolerance, so a layout regression fails CI. Baselines come from Debian's chromium (what
 *   CI runs); after an intended change, regenerate them with `npm run screenshots:update`;
 * - no control (button, field, select, checkbox, radio, slider, summary, button-styled link) is
 *   smaller than 24 × 24 px (WCAG 2.2, 2.5.8 target size);
 * - no text in the lab is below WCAG AA contrast (axe's color-contrast rule), and the border that
 *   outlines a button or field has at least 3:1 against the lab's background (WCAG 1.4.11).
 * One page load per lab, theme and width covers all three.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { LAB_PLACES, islandOf, labRootOf } from './lab-places';

const CONTROLS = 'button, input:not([type=hidden]), select, textarea, summary, a.lab-button, .lab-segments label';

for (const place of LAB_PLACES) {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [375, 1280]) {
      test(`${place.name}, ${scheme}, ${width} px`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.setViewportSize({ width, height: 900 });
        await page.goto(place.path);
        const root = page.locator(labRootOf(place)).first();
        await root.scrollIntoViewIfNeeded();
        await page.waitForFunction((sel) => !document.querySelector(`${sel}[ssr]`), islandOf(place));
        await page.waitForLoadState('networkidle');
        // Hydrated labs that load data settle on their first complete render; fonts must be in.
        await page.evaluate(() => document.fonts.ready);

        const small = await root.evaluate((el, sel) => {
          const out: string[] = [];
          for (const c of el.querySelectorAll<HTMLElement>(sel)) {
            const r = c.getBoundingClientRect();
            const style = getComputedStyle(c);
            if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
            // A radio or checkbox drawn invisibly over its label (segmented control) takes the label's size.
            if (Number(style.opacity) === 0 && c.parentElement) continue;
            if (r.width < 24 || r.height < 24) out.push(`${c.tagName.toLowerCase()}${c.getAttribute('type') ? `[${c.getAttribute('type')}]` : ''} "${(c.textContent || c.getAttribute('aria-label') || c.getAttribute('name') || '').trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
          }
          return out;
        }, CONTROLS);
        expect(small, 'controls smaller than 24×24 px').toEqual([]);

        const faint = await root.evaluate((el) => {
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
          const lum = ([r, g, b]: number[]) => {
            const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const ratio = (a: number[], b: number[]) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
          // The colour behind the lab: its own, or the first ancestor's that is not transparent.
          let bgEl: Element | null = el;
          let bg = 'rgb(255, 255, 255)';
          for (; bgEl; bgEl = bgEl.parentElement) {
            const c = getComputedStyle(bgEl).backgroundColor;
            if (!/^rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') {
              bg = c;
              break;
            }
          }
          const back = rgb(bg).slice(0, 3);
          const out: string[] = [];
          for (const c of el.querySelectorAll<HTMLElement>('button, select, textarea, input:not([type=checkbox], [type=radio], [type=range], [type=file], [type=hidden]), .lab-segments')) {
            const s = getComputedStyle(c);
            if (c.getBoundingClientRect().width === 0 || parseFloat(s.borderTopWidth) === 0 || s.borderTopStyle === 'none') continue;
            const r = ratio(rgb(s.borderTopColor), back);
            if (r < 3) out.push(`${c.tagName.toLowerCase()} "${(c.textContent || '').trim().slice(0, 30)}" border ${s.borderTopColor} on ${bg}: ${r.toFixed(2)}:1`);
          }
          return out;
        });
        expect(faint, 'control outlines below 3:1').toEqual([]);

        const axe = await new AxeBuilder({ page }).include(labRootOf(place)).withRules(['color-contrast']).analyze();
        expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? v.help}`)), 'text below WCAG AA contrast').toEqual([]);

        await expect(root).toHaveScreenshot(`${place.name}-${scheme}-${width}.png`, {
          maxDiffPixelRatio: 0.01,
          animations: 'disabled',
          // What differs between machines: the browser's thread count and adapter name.
          mask: [page.getByTestId('inference-caps').locator('p')],
          stylePath: 'tests/e2e/screenshot.css',
        });
      });
    }
  }
}
