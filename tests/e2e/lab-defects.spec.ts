/**
 * The labs as a student meets them (issue 18): each test here failed on the code before the fix.
 * Expected values come from outside the code under test: the broken samples' answer keys, the
 * registry's lesson slugs, hand-written reports, a file of random bytes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABS } from '../../labs/shared/registry';
import { expect, test, visit } from './fixtures';

const FORMAT_LESSON = 'weeks/week-06/03-nnunet-dataset-format/';
const INFERENCE = 'weeks/week-06/14-inference-in-the-browser/';
const BROKEN = JSON.parse(readFileSync('public/data/broken/keys/Dataset511_Starter.faults.json', 'utf8')) as { faults: { rule: string }[] };

async function dropZip(page: import('@playwright/test').Page, url: string, name: string) {
  await page.evaluate(
    async ([u, n]) => {
      const blob = await (await fetch(u)).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([blob], n, { type: 'application/zip' }));
      const zone = document.querySelector('[data-testid=validator-drop]')!;
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [url, name],
  );
}

test.describe('validator findings', () => {
  test('read well at 1280 px (places on one or two lines) and at 375 px (messages on screen)', async ({ page }) => {
    expect(BROKEN.faults.length).toBeGreaterThan(2);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await visit(page, `${FORMAT_LESSON}?dataset-validator.sample=Dataset511_Starter`);
      await expect(page.getByTestId('validator-summary')).toContainText('Dataset511_Starter', { timeout: 60_000 });
      await expect(page.locator('a[download$=".check.json"]')).toHaveAttribute('href', /^blob:/);
      const report = JSON.parse(await page.evaluate(async () => (await fetch(document.querySelector<HTMLAnchorElement>('a[download$=".check.json"]')!.href)).text()));
      for (const f of report.findings.filter((x: { path?: string }) => x.path).slice(0, 5)) {
        const place = page.getByText(f.path, { exact: false }).first();
        const box = (await place.boundingBox())!;
        const lineHeight = await place.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
        if (width === 1280) expect(box.height, `${f.path} at 1280 px`).toBeLessThanOrEqual(2 * lineHeight + 2);
        const message = (await page.getByText(f.message, { exact: false }).first().boundingBox())!;
        expect(message.x + Math.min(message.width, 40), `message of ${f.rule} at ${width} px starts on screen`).toBeLessThanOrEqual(width);
        expect(message.x + message.width, `message of ${f.rule} at ${width} px`).toBeLessThanOrEqual(width);
      }
    }
  });

  test('a zip is titled by the dataset inside it, and so is its JSON report', async ({ page }) => {
    await visit(page, FORMAT_LESSON);
    await dropZip(page, '../../../data/broken/Dataset501_Synth.zip', 'upload.zip');
    await expect(page.getByTestId('validator-summary')).toContainText('Dataset501_Synth (upload):', { timeout: 60_000 });
    await expect(page.locator('a[download$=".check.json"]')).toHaveAttribute('download', 'Dataset501_Synth.check.json');
  });
});

test('the learning-rate plot labels its ticks apart (a 2e-4 run)', async ({ page }) => {
  await visit(page, 'weeks/week-06/09-reading-training-logs/?log-lab.run=ucsfmets_regions_lr2e-4');
  const lr = page.locator('figure.bl-plot[aria-label^="Learning rate"]').first();
  await expect(lr).toHaveAttribute('data-y-ticks', /\S/);
  const ticks = (await lr.getAttribute('data-y-ticks'))!.split(' ');
  console.log(`LR ticks: ${ticks.join(' | ')}`);
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  expect(new Set(ticks).size).toBe(ticks.length);
  // Every label is a number that tells the order of the ticks.
  const values = ticks.map(Number);
  expect(values.every(Number.isFinite)).toBe(true);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  expect(Math.max(...values)).toBeGreaterThan(0);
});

test.describe('inference backend', () => {
  test('Automatic picks WebAssembly on a software WebGPU adapter, and progress never reads "0 of 0"', async ({ page }) => {
    test.setTimeout(120_000);
    await visit(page, INFERENCE);
    const info = await page.evaluate(async () => {
      const a = await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, unknown> } | null> } }).gpu?.requestAdapter();
      const i = a?.info ?? {};
      return a ? ['vendor', 'architecture', 'description', 'isFallbackAdapter'].map((k) => `${k}=${String(i[k])}`).join(' ') : null;
    });
    test.skip(!info || !/swiftshader|llvmpipe|isFallbackAdapter=true/i.test(info), `needs a software WebGPU adapter (have: ${info})`);
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { __texts: string[] }).__texts = []);
      new MutationObserver(() => seen.push(document.querySelector('.inference-lab')?.textContent ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Run the model' }).click();
    await expect(page.getByTestId('inference-done')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('inference-done')).toContainText(/^WebAssembly:/);
    const texts = await page.evaluate(() => (window as unknown as { __texts: string[] }).__texts);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((t) => /\b0 of 0\b/.test(t))).toEqual([]);
  });

  test('Run does not wait for a WebGPU adapter that never answers', async ({ page }) => {
    await page.addInitScript(() => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter: () => Promise<unknown> } }).gpu;
      if (gpu) gpu.requestAdapter = () => new Promise(() => undefined);
    });
    await visit(page, INFERENCE);
    await expect(page.getByRole('button', { name: 'Run the model' })).toBeEnabled({ timeout: 2_000 });
    await expect(page.getByTestId('inference-caps')).toContainText('did not offer a WebGPU adapter within 3 s', { timeout: 8_000 });
  });
});

test.describe('NIfTI inspector', () => {
  test('offers a sample case, and calls a corrupt .nii.gz what it is', async ({ page }) => {
    await visit(page, 'weeks/week-06/02-dicom-to-nifti/');
    const index = JSON.parse(readFileSync('public/data/samples/index.json', 'utf8'));
    await page.getByRole('button', { name: /sample case/i }).click();
    await expect(page.locator('[data-field="shape"]')).toHaveText(index.cases[0].shape.join(' × '));
    const dir = mkdtempSync(join(tmpdir(), 'corrupt-'));
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
    writeFileSync(join(dir, 'broken.nii.gz'), bytes);
    await page.getByTestId('nifti-pick').setInputFiles(join(dir, 'broken.nii.gz'));
    await expect(page.getByTestId('nifti-error')).toContainText('broken.nii.gz');
    await expect(page.getByTestId('nifti-error')).toContainText('not a NIfTI file');
    await expect(page.getByTestId('nifti-error')).not.toContainText('dcm2niix');
  });
});

test.describe('reports', () => {
  test('log-quiz answers are not lesson self-checks', async ({ page }) => {
    await visit(page, 'weeks/week-06/10-diagnosing-failures/');
    const rise = page.locator('[data-quiz="log-lab.rise-2290"]');
    await rise.getByRole('spinbutton', { name: 'Epoch' }).fill('1');
    await rise.getByRole('button', { name: 'Check answer' }).click();
    await expect(rise.locator('.bl-quiz-feedback')).toContainText('Correct.');
    await visit(page, 'report/');
    await expect(page.getByTestId('report-summary')).toContainText('self-checks: none answered');
  });

  test('an imported report with ids this course does not have gets a warning', async ({ page }) => {
    const at = '2026-01-01T00:00:00.000Z';
    const dir = mkdtempSync(join(tmpdir(), 'reports-'));
    const file = join(dir, 'odd.json');
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'bratslab-report',
        schemaVersion: 1,
        createdAt: at,
        student: 'Odd',
        progress: { '01-x': at, '14-x': at, '03-nnunet-dataset-format': at },
        quizzes: { 'lesson-42.nope': { correct: true, choice: 'a', answeredAt: at } },
        labs: {},
      }),
    );
    await visit(page, 'report/');
    await page.getByTestId('report-import').setInputFiles(file);
    await expect(page.getByTestId('report-warnings')).toContainText('odd.json: 2 page ids (01-x, 14-x) and 1 self-check id (lesson-42.nope) that this course does not have');
  });
});

test('a new log-quiz variant starts unanswered, even for a question it shares with the last one', async ({ page }) => {
  // The variant drawn next is seed 9, which shares log-lab.rise-2290 with variant 1 (labs/training-log/quiz.ts).
  await page.addInitScript(() => {
    crypto.getRandomValues = (<T extends ArrayBufferView | null>(a: T): T => {
      (a as unknown as Uint32Array)[0] = 8;
      return a;
    }) as typeof crypto.getRandomValues;
  });
  await visit(page, 'weeks/week-06/10-diagnosing-failures/');
  const quiz = page.getByTestId('log-lab-quiz');
  const rise = quiz.locator('[data-quiz="log-lab.rise-2290"]');
  await rise.getByRole('spinbutton', { name: 'Epoch' }).fill('1');
  await rise.getByRole('button', { name: 'Check answer' }).click();
  await expect(rise.locator('.bl-quiz-feedback')).toContainText('Correct.');
  await quiz.getByRole('button', { name: 'New variant' }).click();
  await expect(quiz).toContainText('Variant 9');
  await expect(rise.getByRole('spinbutton', { name: 'Epoch' })).toHaveValue('');
  await expect(rise.locator('.bl-quiz-feedback')).toHaveText('');
  await expect(page.getByTestId('log-lab-score')).toContainText('(0 answered)');
});

test('home-page lab cards link to their labs', async ({ page }) => {
  await visit(page, '');
  for (const lab of LABS) {
    const link = page.getByRole('link', { name: new RegExp(`^${lab.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    await expect(link.first(), lab.title).toHaveAttribute('href', new RegExp(`weeks/week-06/${lab.lesson}/$`));
  }
});
