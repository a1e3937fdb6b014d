import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, visit } from './fixtures';
import { classesFromDatasetJson, isBratsRegionRun } from '../../labs/training-log/classes';
import { diagnose } from '../../labs/training-log/diagnose';
import { mergeLogs, parseLog } from '../../labs/training-log/parse';

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

test('diagnose your own log: a real fold with a crashed start, UTF-16 and dataset.json shows what bratslab log says', async ({ page }) => {
  // The real nnU-Net 2.8.1 run (tests/fixtures/training-log/nnunet-run): a header-only crashed start,
  // the complete log (here as UTF-16, as PowerShell's > writes it) and the run's dataset.json.
  const dir = 'tests/fixtures/training-log/nnunet-run/';
  const crashed = 'training_log_2026_12_4_20_43_44.txt';
  const full = 'training_log_2026_12_4_20_45_20.txt';
  const texts = { crashed: readFileSync(`${dir}fold_0/${crashed}`, 'utf8'), full: readFileSync(`${dir}fold_0/${full}`, 'utf8'), dataset: readFileSync(`${dir}dataset.json`, 'utf8') };
  // What the core says in Node for the same files (bratslab log runs the same code).
  const curve = mergeLogs([parseLog(texts.crashed, crashed), parseLog(texts.full, full)]);
  const info = classesFromDatasetJson(JSON.parse(texts.dataset))!;
  const expected = diagnose(curve, info.names, { bratsRegions: isBratsRegionRun(curve, info) }).findings;
  await visit(page, LESSON_10);
  await page.getByTestId('log-lab-drop').evaluate((zone, t) => {
    const utf16 = new Uint8Array(2 + t.full.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < t.full.length; i++) {
      utf16[2 + 2 * i] = t.full.charCodeAt(i) & 0xff;
      utf16[3 + 2 * i] = t.full.charCodeAt(i) >> 8;
    }
    const dt = new DataTransfer();
    dt.items.add(new File([utf16], t.names[1], { type: 'text/plain' }));
    dt.items.add(new File([t.crashed], t.names[0], { type: 'text/plain' }));
    dt.items.add(new File([t.dataset], 'dataset.json', { type: 'application/json' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { ...texts, names: [crashed, full] });
  const own = page.getByTestId('log-lab-own');
  await expect(own.getByText(`Your log: ${crashed}, ${full}`)).toBeVisible();
  const summary = own.getByTestId('log-lab-own-summary');
  await expect(summary).toContainText('training log with the final validation of Dataset602_SynthWeb, 5 epochs (0–4), 3 classes, finished');
  await expect(summary).toContainText('classes: whole tumour, tumour core, enhancing tumour (from dataset.json); a BraTS region run');
  await expect(summary).toContainText('1 crashed start(s)');
  await expect(summary).toContainText('final validation mean Dice: 0.478');
  await expect(own.locator('li[data-rule="log.crashed-start"]')).toContainText(`${crashed}:1`);
  await expect(own.locator('li[data-rule="log.class-zero"]')).toContainText('enhancing tumour is at pseudo Dice 0 from epoch 1');
  // Every finding of the core, in the same order, with the same message.
  const shown = await own.locator('li[data-rule]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
  expect(shown).toEqual(expected.map((f) => f.rule));
  for (const f of expected) await expect(own.locator(`li[data-rule="${f.rule}"]`).first()).toContainText(f.message);
  expect(await seriousA11y(page)).toEqual([]);
});
