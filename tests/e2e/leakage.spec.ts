import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { DEFAULT_OPTIONS, runExperiment, type LeakageOptions } from '../../labs/leakage';

const LESSON = 'weeks/week-06/11-data-leakage/';
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Opens the lesson and scrolls to the lab, which hydrates when visible (client:visible). */
async function openLab(page: Page, query = '') {
  await page.goto(`${LESSON}${query}`);
  await page.locator('astro-island').filter({ hasText: /leakage simulator|Experiment/i }).last().scrollIntoViewIfNeeded();
  const lab = page.getByTestId('leakage-lab');
  await expect(lab).toBeVisible();
  return lab;
}

async function runAndRead(page: Page) {
  const lab = page.getByTestId('leakage-lab');
  await lab.getByTestId('leakage-run').click();
  await expect(lab.getByTestId('leakage-status')).toContainText('in a Web Worker');
  return {
    slice: await lab.getByTestId('leakage-slice-acc').textContent(),
    subject: await lab.getByTestId('leakage-subject-acc').textContent(),
  };
}

test('the lab runs in Chromium (in a Web Worker) and shows both accuracies, as the core computes them', async ({ page }) => {
  const lab = await openLab(page);
  const shown = await runAndRead(page);
  // The same experiment in Node: the worker must give identical numbers.
  const ref = runExperiment(DEFAULT_OPTIONS);
  expect(shown).toEqual({ slice: pct(ref.slice.meanAccuracy), subject: pct(ref.subject.meanAccuracy) });
  expect(ref.slice.meanAccuracy).toBeGreaterThan(0.9);
  await expect(lab.getByTestId('leakage-inflation')).toContainText(`+${ref.inflationPoints.toFixed(1)} points`);
  await expect(lab.getByTestId('leakage-table').locator('tbody tr')).toHaveCount(5);
  await expect(lab.getByTestId('leakage-explanation')).toContainText(pct(ref.slice.meanAccuracy));
  // The strip plot's text alternative lists every fold's accuracy.
  await expect(lab.locator('#leakage-dots-desc')).toContainText(`Subject-level split: ${ref.subject.folds.map((f) => pct(f.accuracy)).join(', ')}.`);
  // The fold picture has a text alternative naming how many subjects sit on both sides.
  await expect(lab.locator('#leakage-pic-subject-desc')).toContainText('0 of 40 subjects have slices on both sides');
  await expect(lab.locator('#leakage-pic-slice-desc')).toContainText(`${ref.slice.folds[0].subjectsOnBothSides} of 40 subjects`);
  // nnU-Net angle: the grouped split leaks nobody.
  await expect(lab.getByTestId('leakage-nnunet-summary')).toContainText('A patient-grouped split of the same cases puts 0 there.');
  // With the result on screen (dot plot, tables, fold pictures), the lab passes axe.
  const axe = await new AxeBuilder({ page }).include('[data-testid="leakage-lab"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  // The result went into the lab report.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('bratslab:v1') ?? '{}'));
  expect(stored.labs.leakage.summary).toContain(pct(ref.slice.meanAccuracy));
  expect(stored.labs.leakage.data.inflationPoints).toBeCloseTo(ref.inflationPoints, 9);
});

test('URL state round trip: settings made in the controls travel in a link and give the same result', async ({ page, context }) => {
  const lab = await openLab(page);
  await lab.getByLabel('Subjects', { exact: true }).fill('24');
  await lab.getByLabel('Slices per subject').fill('6');
  await lab.getByLabel('Which slices').selectOption('spread');
  await lab.getByLabel('Labels').selectOption('signal');
  await lab.getByLabel('Classifier').selectOption('logistic');
  await lab.getByLabel('Folds').fill('4');
  await lab.getByLabel('Seed').fill('9');
  await expect(page).toHaveURL(/leakage\.seed=9/);
  const first = await runAndRead(page);
  const link = page.url();

  const options: LeakageOptions = { ...DEFAULT_OPTIONS, subjects: 24, slicesPerSubject: 6, picking: 'spread', labels: 'signal', classifier: 'logistic', folds: 4, seed: 9 };
  const ref = runExperiment(options);
  expect(first).toEqual({ slice: pct(ref.slice.meanAccuracy), subject: pct(ref.subject.meanAccuracy) });

  const other = await context.newPage();
  await other.goto(link);
  await other.locator('astro-island').last().scrollIntoViewIfNeeded();
  const lab2 = other.getByTestId('leakage-lab');
  await expect(lab2).toBeVisible();
  await expect(lab2.getByLabel('Subjects', { exact: true })).toHaveValue('24');
  await expect(lab2.getByLabel('Slices per subject')).toHaveValue('6');
  await expect(lab2.getByLabel('Which slices')).toHaveValue('spread');
  await expect(lab2.getByLabel('Labels')).toHaveValue('signal');
  await expect(lab2.getByLabel('Classifier')).toHaveValue('logistic');
  await expect(lab2.getByLabel('Folds')).toHaveValue('4');
  await expect(lab2.getByLabel('Seed')).toHaveValue('9');
  expect(await runAndRead(other)).toEqual(first);
  await expect(lab2.getByTestId('leakage-table').locator('tbody tr')).toHaveCount(4);
});

test('bad settings are named and block the run; the lab fits a 375 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const lab = await openLab(page, '?leakage.subjects=6');
  await lab.getByLabel('Folds').fill('8');
  await expect(lab.getByRole('alert')).toContainText('folds (8) cannot exceed subjects (6)');
  await expect(lab.getByTestId('leakage-run')).toBeDisabled();
  await lab.getByLabel('Folds').fill('3');
  await runAndRead(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
