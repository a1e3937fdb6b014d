import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { bundleCli, runCli } from '../cli/cli-bundle';
import { test, expect, visit } from './fixtures';

const LESSON_15 = 'weeks/week-06/15-evaluating-your-model/';
/** Every site sample has a prediction in public/data/predictions (scripts/sample-predictions.mjs). */
const SAMPLES: string[] = JSON.parse(readFileSync('public/data/samples/index.json', 'utf8')).cases.map((c: { id: string }) => c.id);

async function seriousA11y(page: import('@playwright/test').Page) {
  const r = await new AxeBuilder({ page }).include('[data-testid="evaluate-lab"]').analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
}

test('try-out: the inference demo scored on the samples, the same numbers as bratslab evaluate', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await visit(page, `${LESSON_15}?evaluate.region=TC&evaluate.sort=LesionWise_Score_HD95&evaluate.desc=1`);
  const lab = page.getByTestId('evaluate-lab');
  await lab.getByTestId('evaluate-try').click();
  await expect(lab.getByTestId('evaluate-status')).toHaveText(`${SAMPLES.length} cases evaluated`, { timeout: 60_000 });
  await expect(lab.getByTestId('evaluate-region')).toHaveValue('TC');
  await expect(lab.locator('figure.bl-plot canvas').first()).toBeVisible();
  await expect(lab.getByTestId('evaluate-table').locator('tbody tr')).toHaveCount(SAMPLES.length);
  // Sorted by lesion-wise HD95, largest first (from the URL); the header says so to screen readers.
  await expect(lab.getByTestId('evaluate-table').getByRole('columnheader', { name: 'Lesion-wise HD95 (mm)' })).toHaveAttribute('aria-sort', 'descending');

  // The lab's CSV export against the CLI on the same files (names made to match, as nnU-Net pairs them).
  const download = page.waitForEvent('download');
  await lab.getByRole('button', { name: 'Download CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'evaluate-e2e-'));
  mkdirSync(join(dir, 'g'));
  for (const id of SAMPLES) copyFileSync(`public/data/samples/${id}/${id}_seg.nii.gz`, join(dir, 'g', `${id}.nii.gz`));
  const cli = runCli(await bundleCli(), ['evaluate', 'public/data/predictions', join(dir, 'g'), '--regions', 'brats2021', '--csv', join(dir, 'cli.csv'), '-j', '0']);
  expect(cli.code).toBe(0);
  expect(csv).toBe(readFileSync(join(dir, 'cli.csv'), 'utf8'));

  // The worst case opens on its worst slice with TP/FP/FN counts as text.
  await lab.getByTestId('evaluate-table').locator('tbody tr').first().getByRole('button', { name: /^Show/ }).click();
  await expect(lab.getByTestId('evaluate-view')).toBeVisible();
  await expect(lab.getByTestId('evaluate-slice-counts')).toHaveText(/^Slice \d+: \d+ correct, \d+ false-positive and \d+ false-negative voxels\.$/);
  // URL state follows the region.
  await lab.getByTestId('evaluate-region').selectOption('ET');
  await expect(page).toHaveURL(/evaluate\.region=ET/);
  expect(await seriousA11y(page)).toEqual([]);
  // With every table and the view open, a 375 px screen scrolls the tables, not the page.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('nnUNet_results folder: folds, a crashed and a missing fold, cross-validation and next commands', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await visit(page, LESSON_15);
  const lab = page.getByTestId('evaluate-lab');
  await lab.getByTestId('evaluate-results-folder').setInputFiles('tests/fixtures/evaluate/results/Dataset602_SynthWeb');
  const results = lab.getByTestId('evaluate-results');
  await expect(results).toContainText('Dataset602_SynthWeb');
  await expect(results).toContainText('crashed before the first epoch');
  await expect(results).toContainText('Missing folds: fold_2, fold_3, fold_4');
  await expect(results.getByTestId('evaluate-cv').first()).toContainText('(1, 2, 3)');
  await expect(results).toContainText('nnUNetv2_train 602 3d_fullres 2 --c');
  expect(await seriousA11y(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test("own folders: the 60 reference pairs give nnU-Net's and the BraTS code's means", async ({ page }) => {
  await visit(page, `${LESSON_15}?evaluate.scheme=keep`);
  const lab = page.getByTestId('evaluate-lab');
  await lab.getByTestId('evaluate-pred-folder').setInputFiles('tests/fixtures/evaluate/reference/pred');
  await lab.getByTestId('evaluate-ref-folder').setInputFiles('tests/fixtures/evaluate/reference/gt');
  await lab.getByTestId('evaluate-run').click();
  await expect(lab.getByTestId('evaluate-status')).toHaveText('60 cases evaluated', { timeout: 120_000 });
  // nnunet_summary.json: mean Dice (1, 2, 3) 0.84652, (1, 3) 0.78593, (3,) 0.46684.
  const rows = lab.getByTestId('evaluate-summary').locator('tbody tr');
  await expect(rows.nth(0)).toContainText('0.847');
  await expect(rows.nth(1)).toContainText('0.786');
  await expect(rows.nth(2)).toContainText('0.467');
});
