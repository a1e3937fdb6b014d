import AxeBuilder from '@axe-core/playwright';
import { test, expect, visit } from './fixtures';
import { builtPages } from './pages';

const pages = builtPages();

test('the sitemap lists the home page, the labs page and all 15 lessons', () => {
  expect(pages).toContain('');
  expect(pages).toContain('labs/');
  expect(pages.filter((p) => p.startsWith('weeks/week-06/'))).toHaveLength(15);
});

for (const path of pages) {
  test(`page /${path} renders without console errors and passes axe`, async ({ page }) => {
    await visit(page, path);
    await expect(page.locator('h1').first()).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
  });
}

test('the week sidebar lists the lessons in teaching order', async ({ page }) => {
  await visit(page, 'weeks/week-06/01-week-at-a-glance/');
  const hrefs = await page.locator('nav.sidebar a[href*="/weeks/week-06/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  const numbers = hrefs.map((h) => Number(/\/(\d\d)-/.exec(h)![1]));
  expect(numbers).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
});

test('dark mode switches and survives a reload', async ({ page }) => {
  await visit(page, '');
  await page.locator('starlight-theme-select select').first().selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.locator('starlight-theme-select select').first().selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('search finds a lesson through pagefind', async ({ page }) => {
  await visit(page, '');
  await page.locator('site-search button[data-open-modal]').first().click();
  await page.locator('site-search input[type="search"], #starlight__search input').first().fill('channel suffix');
  await expect(page.locator('.pagefind-ui__result-link').first()).toBeVisible();
  const titles = await page.locator('.pagefind-ui__result-link').allTextContents();
  expect(titles.join(' ')).toMatch(/dataset format/i);
});

test('code blocks have a copy button and headings have anchor links', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await visit(page, 'weeks/week-06/08-running-nnunet/');
  const block = page.locator('.expressive-code').first();
  const copy = block.locator('.copy button');
  await expect(copy).toBeVisible();
  await copy.click();
  const code = (await block.locator('pre').innerText()).trim();
  expect((await page.evaluate(() => navigator.clipboard.readText())).trim()).toBe(code);
  const anchor = page.locator('.sl-anchor-link').first();
  await expect(anchor).toHaveAttribute('href', /^#/);
});

test('mobile layout: no page overflows a 375 px screen, and the menu opens the sidebar', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 375, height: 740 });
  const wide: string[] = [];
  for (const path of pages) {
    await visit(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) wide.push(`/${path} (${overflow} px too wide)`);
  }
  expect(wide).toEqual([]);
  await visit(page, 'weeks/week-06/03-nnunet-dataset-format/');
  await page.locator('button.sl-menu-button').click();
  await expect(page.locator('nav.sidebar a[href*="01-week-at-a-glance"]')).toBeVisible();
});
