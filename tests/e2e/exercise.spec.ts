import { test, expect, visit } from './fixtures';

// Lesson 9's poly learning-rate exercise; the expected value is the hand calculation
// 0.01 × (1 − 500/1000)^0.9 = 0.005359 → 0.00536 (as the log prints it).
const LESSON = 'weeks/week-06/09-reading-training-logs/';
const ID = 'lesson-09.exercise.poly-lr';

test('an exercise checks a typed answer, explains a wrong one, records it and shows it in the lab report', async ({ page }) => {
  await visit(page, LESSON);
  const ex = page.locator(`bl-exercise[data-exercise="${ID}"]`);
  const input = ex.getByLabel('Your answer');
  const status = ex.getByRole('status');

  await ex.getByRole('button', { name: 'Check answer' }).click();
  await expect(status).toHaveText('Type an answer first.');

  await input.fill('0,005');
  await input.press('Enter');
  await expect(status).toContainText('is not a number this page can read');

  // The linear-schedule mistake has its own feedback, and the worked solution is offered.
  await input.fill('0.005');
  await input.press('Enter');
  await expect(status).toHaveText(/^Not quite\. Halfway through, a linear schedule would give 0\.005\./);
  await expect(ex.getByText('Show the worked solution')).toBeVisible();

  // Keyboard only: the field is reachable and Enter submits.
  await input.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5.36e-3');
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(/^Correct\. 0\.01 × \(1 − 500\/1000\)\^0\.9/);

  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('bratslab:v1') ?? '{}'));
  expect(stored.quizzes[ID]).toMatchObject({ correct: true, choice: '5.36e-3' });

  await page.reload();
  await expect(page.locator(`bl-exercise[data-exercise="${ID}"]`).getByRole('status')).toHaveText(/^Correct\./);
  await expect(page.locator(`bl-exercise[data-exercise="${ID}"]`).getByLabel('Your answer')).toHaveValue('5.36e-3');

  await visit(page, 'report/');
  await expect(page.getByTestId('report-summary')).toContainText('exercises: 1 of 1 correct');
  await expect(page.getByTestId('report-table')).toContainText('lesson-09 poly-lr: 5.36e-3 (right)');
});

test('an exercise fits a 375 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await visit(page, LESSON);
  const ex = page.locator(`bl-exercise[data-exercise="${ID}"]`);
  await ex.scrollIntoViewIfNeeded();
  const box = await ex.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll).toBeLessThanOrEqual(375);
});
