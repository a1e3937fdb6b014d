/**
 * The dataset validator lab end to end. Expected findings come from the fault generator's answer
 * keys (read from disk here, never by the page), and the dataset loaded from disk is written by
 * the generator in this test. The no-egress fixture (./fixtures) fails any test whose page sends
 * data anywhere; the tests also check that the files really were read, so the privacy check is
 * not passed by doing nothing.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { nodeSink } from '../../labs/cli/node-files';
import { webCodec } from '../../labs/nifti';
import type { CheckReport } from '../../labs/shared/report';
import { writeNnunet } from '../../labs/synth/dataset';
import { tinyNnunet } from '../helpers/synth';
import { expect, test, visit } from './fixtures';

const FORMAT_LESSON = 'weeks/week-06/03-nnunet-dataset-format/';
const CONVERT_LESSON = 'weeks/week-06/04-converting-brats-2021/';
const BROKEN = 'public/data/broken';

interface FaultKey {
  dataset: string;
  faults: { fault: string; rule: string; path: string | null; case: string | null }[];
}

function brokenSamples(): { name: string; key: FaultKey }[] {
  if (!existsSync(BROKEN)) return [];
  return readdirSync(BROKEN)
    .filter((f) => f.endsWith('.zip'))
    .map((f) => {
      const name = f.replace(/\.zip$/, '');
      const keyPath = join(BROKEN, 'keys', `${name}.faults.json`);
      return { name, key: JSON.parse(readFileSync(keyPath, 'utf8')) as FaultKey };
    });
}

/** The JSON report the page offers for download (a blob: URL, read inside the page). */
async function pageReport(page: Page): Promise<CheckReport> {
  const href = await page.getByRole('link', { name: 'Download the JSON report' }).first().getAttribute('href');
  expect(href).toMatch(/^blob:/);
  return JSON.parse(await page.evaluate(async (u) => (await fetch(u!)).text(), href));
}

test.describe('dataset validator lab', () => {
  test('finds every fault of each broken sample, without loading the answer keys', async ({ page, context }) => {
    test.setTimeout(240_000);
    const samples = brokenSamples();
    expect(samples.length, `broken sample zips in ${BROKEN}`).toBeGreaterThan(0);
    const requested: string[] = [];
    context.on('request', (r) => requested.push(r.url()));
    await visit(page, FORMAT_LESSON);
    for (const { name, key } of samples) {
      await page.getByRole('button', { name: `Check ${name}` }).click();
      await expect(page.getByTestId('validator-summary')).toContainText(`${name}:`, { timeout: 60_000 });
      const report = await pageReport(page);
      for (const f of key.faults) {
        const full = f.path === null ? null : `${key.dataset}/${f.path}`;
        const hit = report.findings.find(
          (x) => x.rule === f.rule && (full === null ? x.case === f.case : x.path === full || x.path === f.path || (f.case !== null && x.case === f.case)),
        );
        expect(hit, `${name}: ${f.fault} → ${f.rule} at ${f.path ?? f.case}`).toBeTruthy();
        await expect(page.locator(`li[data-rule="${f.rule}"]`).first()).toBeAttached();
      }
      await expect(page).toHaveURL(new RegExp(`dataset-validator\\.sample=${name}`));
    }
    // The rule filter narrows the table and travels in the URL.
    const rule = samples[samples.length - 1].key.faults[0].rule;
    await page.getByLabel('Rule').selectOption(rule);
    await expect(page).toHaveURL(new RegExp(`dataset-validator\\.rule=${rule.replace('.', '\\.')}`));
    const rules = await page.locator('[data-testid=validator-findings] li[data-rule]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')));
    expect(new Set(rules)).toEqual(new Set([rule]));
    // The lab with findings (one explanation open) passes axe and fits a 375 px wide phone.
    await page.getByLabel('Rule').selectOption('');
    await page.getByText('Why and how to fix').first().click();
    const axe = await new AxeBuilder({ page }).include('[data-testid=validator-lab]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    // Only the zips were fetched, never an answer key.
    expect(requested.filter((u) => /faults\.json/.test(u))).toEqual([]);
    expect(requested.some((u) => /\/data\/broken\/.+\.zip$/.test(u))).toBe(true);
    // The result went into the lab report.
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('bratslab:v1') ?? '{}').labs?.['dataset-validator']);
    expect(stored.data.check.summary.error).toBeGreaterThan(0);
  });

  test('checks a dataset folder chosen from disk, in workers, and sends nothing anywhere', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'validator-e2e-'));
    const [written] = await writeNnunet(
      nodeSink(dir),
      tinyNnunet([40, 41, 42], { datasetId: 520, name: 'FromDisk' }),
      webCodec,
      40,
    );
    await visit(page, FORMAT_LESSON);
    await page.getByTestId('validator-folder-input').setInputFiles(join(dir, written.folder));
    await expect(page.getByTestId('validator-summary')).toContainText(`${written.folder}: 0 errors`, { timeout: 60_000 });
    // The files were really read: 3 cases, each 4 channels + label of 48×48×31 voxels, by two workers.
    await expect(page.getByTestId('validator-timing')).toContainText('Checked 3 cases');
    await expect(page.getByTestId('validator-timing')).toContainText('with 2 Web Workers');
    const report = await pageReport(page);
    expect((report.details as { voxels: number }).voxels).toBe(3 * 5 * 48 * 48 * 31);
    await expect(page.getByTestId('validator-timing')).toContainText('1,251 BraTS 2021 training cases');

  });

  test('a zip dropped on the page is checked like the same sample', async ({ page }) => {
    const { name, key } = brokenSamples().sort((a, b) => a.key.faults.length - b.key.faults.length)[0];
    await visit(page, FORMAT_LESSON);
    // A drop as the browser delivers it: a DataTransfer holding the zip file.
    await page.evaluate(async (file) => {
      const blob = await (await fetch(`../../../data/broken/${file}.zip`)).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([blob], `${file}.zip`, { type: 'application/zip' }));
      const zone = document.querySelector('[data-testid=validator-drop]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, name);
    await expect(page.getByTestId('validator-summary')).toContainText(`${name}:`, { timeout: 60_000 });
    const report = await pageReport(page);
    for (const f of key.faults) expect(report.findings.some((x) => x.rule === f.rule), `${f.rule} after the drop`).toBe(true);
  });

  test('converter mode converts the sample cases into a zip that the validator passes', async ({ page }) => {
    const index = JSON.parse(readFileSync('public/data/samples/index.json', 'utf8')) as { cases: { id: string }[] };
    await visit(page, CONVERT_LESSON);
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    const result = page.getByTestId('converter-result');
    await expect(result).toContainText(`Dataset137_BraTS2021: ${index.cases.length} training cases`, { timeout: 60_000 });
    await expect(result.getByRole('link', { name: 'Download Dataset137_BraTS2021.zip' })).toHaveAttribute('href', /^blob:/);
    await expect(result.getByTestId('validator-summary')).toContainText('0 errors');
    // The default scheme is Dataset137: raw ED (2) became 1.
    await expect(result.locator('table').first()).toContainText('1 (ED)');
  });
});
