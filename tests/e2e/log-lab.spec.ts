import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, visit } from './fixtures';

const LESSON_09 = 'weeks/week-06/09-reading-training-logs/';
const LESSON_10 = 'weeks/week-06/10-diagnosing-failures/';

async function seriousA11y(page: import('@playwright/test').Page) {
  const r = await new AxeBuilder({ page }).include('[data-testid="log-lab"]').analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
}

test('curve explorer: a real run with its source, plots, table and diagnosis', async ({ page }) => {
  await visit(page, `${LESSON_09}?log-lab.run=issue1612_nan_epoch0`);
  const lab = page.getByTestId('log-lab');
  await expect(lab.getByRole('combobox', { name: 'Real run' })).toHaveValue('issue1612_nan_epoch0');
  await expect(lab.getByRole('link', { name: 'MIC-DKFZ/nnUNet issue #1612' })).toBeVisible();
  await expect(lab.locator('li[data-rule="log.nan-loss"]')).toContainText('from epoch 0');
  await expect(lab.locator('figure.bl-plot canvas').first()).toBeVisible();
  await expect(lab.getByText('Patterns with and without a real example')).toBeVisible();
  // Another run through the keyboard-operable select; its data table lists every epoch.
  await lab.getByRole('combobox', { name: 'Real run' }).selectOption('ucsfmets_regions_lr2e-4');
  await expect(lab.locator('li[data-rule="log.plateau"]')).toContainText('epoch 128');
  await lab.getByText('Data table (every epoch)').click();
  await expect(lab.locator('.loglab-table tbody tr')).toHaveCount(300);
  await lab.getByRole('checkbox', { name: 'val loss' }).uncheck();
  // One of this project's own runs: its two log files parsed in the page, labelled as ours, with
  // its command. By hand from the logs: LR 0.00616 at epoch 5, 0.01 at epoch 6.
  await lab.getByRole('combobox', { name: 'Real run' }).selectOption('own-resume-lr-restart');
  await expect(lab.getByText(/this project’s own run of its small synthetic-data trainer/)).toBeVisible();
  await expect(lab.locator('.loglab-command')).toContainText('--fault-resume-restart-lr');
  await expect(lab.locator('li[data-rule="log.lr-schedule"]')).toContainText('jumps up at epoch 6 (0.00616 at epoch 5 → 0.01)');
  expect(await seriousA11y(page)).toEqual([]);
});

test('quiz: answers graded with feedback, score stored in the lab report', async ({ page }) => {
  await visit(page, LESSON_10);
  const quiz = page.getByTestId('log-lab-quiz');
  await expect(quiz).toContainText('Variant 1');
  // Variant 1 holds the question on this project's own two-case run; its right answer, by hand
  // from the log: val_loss -0.4637 at epoch 19, -0.1936 at epoch 39, train_loss still falling.
  const own = quiz.locator('bl-quiz[data-quiz="log-lab.wrong-own-overfit"]');
  const ownItem = quiz.locator('.loglab-choice-question:has(bl-quiz[data-quiz="log-lab.wrong-own-overfit"])');
  await expect(ownItem.getByText(/this project’s own run of its small synthetic-data trainer/)).toBeVisible();
  await expect(ownItem.getByText('Command that reproduces it (it names the fault)')).toBeVisible();
  await own.getByLabel('The training diverges').check();
  await own.getByRole('button', { name: 'Check answer' }).click();
  await expect(own.locator('.bl-quiz-feedback')).toContainText('Not quite.');
  await own.getByLabel(/Over-fitting: the training loss keeps falling/).check();
  await own.getByRole('button', { name: 'Check answer' }).click();
  await expect(own.locator('.bl-quiz-feedback')).toContainText('Correct.');

  // Epoch pick on MIC-DKFZ/nnUNet#2290: validation loss 0.3339 → 0.4789 at epoch 1.
  const rise = quiz.locator('[data-quiz="log-lab.rise-2290"]');
  await rise.getByRole('spinbutton', { name: 'Epoch' }).fill('2');
  await rise.getByRole('button', { name: 'Check answer' }).click();
  await expect(rise.locator('.bl-quiz-feedback')).toContainText('Not quite.');
  await rise.getByRole('spinbutton', { name: 'Epoch' }).fill('1');
  await rise.getByRole('button', { name: 'Check answer' }).click();
  await expect(rise.locator('.bl-quiz-feedback')).toContainText('Correct.');
  await expect(page.getByTestId('log-lab-score')).toHaveText('Score: 2 of 5 (2 answered)');

  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('bratslab:v1') ?? '{}'));
  expect(stored.labs['log-lab']).toMatchObject({ lab: 'log-lab', score: 0.4, summary: 'Quiz variant 1: 2 of 5 correct (2 answered)' });
  expect(stored.quizzes['log-lab.rise-2290']).toMatchObject({ correct: true, choice: '1' });

  // Retry clears the answers of this variant.
  await quiz.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('log-lab-score')).toHaveText('Score: 0 of 5 (0 answered)');
  expect(await seriousA11y(page)).toEqual([]);

  // A new variant goes into the address (assignment link); the same seed gives the same items.
  await quiz.getByRole('button', { name: 'New variant' }).click();
  await expect(page).toHaveURL(/log-lab\.seed=\d+/);
  const link = await quiz.getByRole('textbox', { name: 'Link to this variant' }).inputValue();
  const seed = new URL(link).searchParams.get('log-lab.seed');
  await expect(quiz.locator('[data-quiz]')).toHaveCount(5);
  const ids = await quiz.locator('[data-quiz]').evaluateAll((els) => els.map((e) => e.getAttribute('data-quiz')));
  await visit(page, `${LESSON_10}?log-lab.seed=${seed}`);
  await expect(quiz).toContainText(`Variant ${seed}`);
  await expect(quiz.locator('[data-quiz]')).toHaveCount(5);
  expect(await quiz.locator('[data-quiz]').evaluateAll((els) => els.map((e) => e.getAttribute('data-quiz')))).toEqual(ids);
});

test('diagnose your own log: a dropped file is diagnosed in the page', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await visit(page, LESSON_10);
  const text = readFileSync('tests/fixtures/training-log/issue1612-nan.txt', 'utf8');
  await page.getByTestId('log-lab-drop').evaluate((zone, content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'training_log_2023_8_9_14_55_06.txt', { type: 'text/plain' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  const own = page.getByTestId('log-lab-own');
  await expect(own.getByText('Your log: training_log_2023_8_9_14_55_06.txt')).toBeVisible();
  await expect(own.locator('li[data-rule="log.nan-loss"]')).toContainText('train_loss and val_loss are NaN from epoch 0');
  await expect(own.locator('figure.bl-plot canvas').first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousA11y(page)).toEqual([]);
});
