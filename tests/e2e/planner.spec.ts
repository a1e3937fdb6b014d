/**
 * The GPU memory planner in lesson 7: hydrates and plans what nnU-Net 2.8.1 planned
 * (tests/fixtures/nnunet-plans), keeps its settings in the address, reads a fingerprint file and a
 * dataset zip (fingerprinted in Web Workers), passes axe; and the CLI the built site serves runs.
 */
import AxeBuilder from '@axe-core/playwright';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, visit } from './fixtures';

const LESSON = 'weeks/week-06/07-patches-batches-memory/';
const REF = 'tests/fixtures/nnunet-plans';
const NODE = existsSync('/usr/bin/node') ? '/usr/bin/node' : 'node';

test('plans the BraTS-size dataset as nnU-Net did, follows the preset and memory, and keeps them in the link', async ({ page }) => {
  await visit(page, LESSON);
  const lab = page.getByTestId('planner');
  await expect(lab.getByTestId('patch-3d_fullres')).toHaveText('128 × 160 × 112');
  await expect(lab.getByTestId('batch-3d_fullres')).toHaveText('2');
  await expect(lab.getByTestId('planner-commands')).toContainText('nnUNetv2_plan_experiment -d 601');
  await expect(lab.getByTestId('planner-overlay')).toHaveAttribute('aria-label', /rectangle of 112 × 160 mm/);

  await lab.getByLabel('ResEnc L').check();
  await expect(lab.getByTestId('planner-gpu')).toHaveText('24 GB');
  await expect(lab.getByTestId('patch-3d_fullres')).toHaveText('160 × 192 × 160');
  await expect(lab.getByTestId('batch-3d_fullres')).toHaveText('3');
  await expect(page).toHaveURL(/planner\.preset=resenc-l/);

  await lab.getByLabel('Default').check();
  await lab.getByRole('slider').fill('4');
  await expect(lab.getByTestId('patch-3d_fullres')).toHaveText('96 × 128 × 96');
  await expect(page).toHaveURL(/planner\.gpu=4/);
  await visit(page, page.url());
  await expect(page.getByTestId('planner').getByTestId('patch-3d_fullres')).toHaveText('96 × 128 × 96');

  const axe = await new AxeBuilder({ page }).include('[data-testid="planner"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  const report = await page.evaluate(() => JSON.parse(localStorage.getItem('bratslab:v1') ?? '{}'));
  expect(report.labs.planner.summary).toBe('Dataset601_SynthFull: 3d_fullres patch 96×128×96, batch 2 (Default, 4 GB)');
});

test('the thick-slice and CT fingerprints: short coarse axis, and the cascade', async ({ page }) => {
  await visit(page, `${LESSON}?planner.dataset=aniso`);
  const lab = page.getByTestId('planner');
  await expect(lab.getByTestId('patch-3d_fullres')).toHaveText('20 × 320 × 256');
  await lab.getByLabel(/Large CT/).check();
  await expect(lab.getByTestId('patch-3d_lowres')).toHaveText('128 × 128 × 128');
  await expect(lab).toContainText('3d_cascade_fullres');
});

test('your own dataset_fingerprint.json with its dataset.json', async ({ page }) => {
  await visit(page, LESSON);
  const lab = page.getByTestId('planner');
  await lab.getByTestId('planner-json').setInputFiles([`${REF}/Dataset702_BigCT/dataset_fingerprint.json`, `${REF}/Dataset702_BigCT/dataset.json`]);
  await expect(lab.getByTestId('patch-3d_lowres')).toHaveText('128 × 128 × 128');
  await expect(lab.getByTestId('batch-2d')).toHaveText('12');
});

test('the site serves the CLI with its sha256; downloaded, it checks a generated dataset; the lab fingerprints that dataset as a zip', async ({ page, request }) => {
  const dir = mkdtempSync(join(tmpdir(), 'planner-e2e-'));
  const cli = await request.get('downloads/bratslab.mjs');
  expect(cli.ok()).toBe(true);
  const body = await cli.body();
  const sum = (await (await request.get('downloads/bratslab.mjs.sha256')).text()).trim();
  expect(sum).toBe(`${createHash('sha256').update(body).digest('hex')}  bratslab.mjs`);
  writeFileSync(join(dir, 'bratslab.mjs'), body);

  const run = (args: string[]) => spawnSync(NODE, [join(dir, 'bratslab.mjs'), ...args], { encoding: 'utf8', timeout: 120_000 });
  const synth = run(['synth', join(dir, 'raw'), '--layout', 'nnunet', '--size', 'tiny', '--cases', '4', '--seed', '300']);
  expect(synth.status, synth.stderr).toBe(0);
  const check = run(['check', join(dir, 'raw', 'Dataset501_Synth'), '--no-progress']);
  expect(check.status, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toMatch(/4 cases/);
  const zip = run(['synth', join(dir, 'zip'), '--layout', 'nnunet', '--size', 'tiny', '--cases', '4', '--seed', '300', '--zip']);
  expect(zip.status, zip.stderr).toBe(0);
  const plan = run(['plan', join(dir, 'zip', 'Dataset501_Synth.zip'), '--json']);
  expect(plan.status, plan.stderr).toBe(0);
  const expected = JSON.parse(plan.stdout).configurations['3d_fullres'];

  await visit(page, LESSON);
  const lab = page.getByTestId('planner');
  await lab.locator('input[type=file][accept=".zip"]').setInputFiles(join(dir, 'zip', 'Dataset501_Synth.zip'));
  await expect(lab).toContainText('Dataset501_Synth: fingerprint of 4 cases');
  await expect(lab.getByTestId('patch-3d_fullres')).toHaveText(expected.patchSize.join(' × '));
  await expect(lab.getByTestId('batch-3d_fullres')).toHaveText(String(expected.batchSize));
});
