import { readFileSync } from 'node:fs';
import { test, expect, visit } from './fixtures';

test('marking a lesson done survives a reload, shows in the sidebar and can be reset', async ({ page }) => {
  await visit(page, 'weeks/week-06/03-nnunet-dataset-format/');
  const toggle = page.locator('bl-done-toggle button');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.locator('bl-done-toggle button')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('nav.sidebar a[href*="03-nnunet-dataset-format"] .done-mark')).toHaveCount(1);
  await expect(page.locator('[data-week-progress]').first()).toHaveText('Week 6: 1 of 15 lessons done');

  await visit(page, 'report/');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reset my progress' }).click();
  await expect(page.getByTestId('report-summary')).toContainText('0 pages marked done');
  await visit(page, 'weeks/week-06/03-nnunet-dataset-format/');
  await expect(page.locator('bl-done-toggle button')).toHaveAttribute('aria-pressed', 'false');
});

test('report export and instructor import round trip', async ({ page }) => {
  await visit(page, 'weeks/week-06/01-week-at-a-glance/');
  await page.locator('bl-done-toggle button').click();
  await visit(page, 'weeks/week-06/08-running-nnunet/?command-builder.id=501');
  await expect(page.getByTestId('command-builder')).toBeVisible();

  await visit(page, 'report/');
  await page.getByLabel('Your name (goes into the report)').fill('Ada Lovelace');
  await expect(page.getByTestId('report-summary')).toContainText('1 pages marked done');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  expect(download.suggestedFilename()).toBe('bratslab-report-Ada_Lovelace.json');
  const file = await download.path();
  const report = JSON.parse(readFileSync(file, 'utf8'));
  expect(report.schema).toBe('bratslab-report');
  expect(report.schemaVersion).toBe(1);
  expect(report.student).toBe('Ada Lovelace');
  expect(Object.keys(report.progress)).toEqual(['01-week-at-a-glance']);
  expect(report.labs['command-builder'].summary).toBe('Dataset 501, 3d_fullres, fold 0');

  // An instructor opens the student's file and a broken one.
  await page.getByTestId('report-import').setInputFiles([
    { name: 'ada.json', mimeType: 'application/json', buffer: readFileSync(file) },
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"not": "a report"}') },
  ]);
  const table = page.getByTestId('report-table').nth(1);
  await expect(table.locator('thead th').nth(1)).toHaveText('Ada Lovelace');
  await expect(table.getByRole('row', { name: /nnU-Net command builder/ })).toContainText('Dataset 501, 3d_fullres, fold 0');
  await expect(page.getByRole('alert')).toContainText('broken.json: not a BraTS Lab report');
});

test('print view hides navigation', async ({ page }) => {
  await visit(page, 'report/');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('nav.sidebar')).toBeHidden();
  await expect(page.getByTestId('report-table').first()).toBeVisible();
});
