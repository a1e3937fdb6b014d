import { test, expect, visit } from './fixtures';

test('capability pre-flight reports features and which labs run', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await visit(page, 'labs/');
  const panel = page.getByTestId('preflight');
  await expect(panel).toBeVisible();
  // Headless Chromium with SwiftShader offers WebGL2 and Web Workers.
  await expect(panel.locator('tr[data-cap="webgl2"]')).toHaveAttribute('data-available', 'true');
  await expect(panel.locator('tr[data-cap="workers"]')).toHaveAttribute('data-available', 'true');
  await expect(panel.locator('tr[data-lab="viewer"]')).toHaveAttribute('data-runs', 'true');
  const webgpu = await panel.locator('tr[data-cap="webgpu"]').getAttribute('data-available');
  const inference = panel.locator('tr[data-lab="inference"]');
  if (webgpu === 'false') await expect(inference).toContainText('WebAssembly on the CPU');
  await panel.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(panel.getByText('Diagnostics copied to the clipboard.')).toBeVisible();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied.caps.webgl2).toBe(true);
  expect(typeof copied.userAgent).toBe('string');
});
