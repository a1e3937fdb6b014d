/**
 * labs/evaluate against the real tools: nnU-Net 2.8.1's compute_metrics_on_folder and the BraTS
 * 2023 metrics code, run on 60 prediction/reference pairs (tests/fixtures/evaluate/reference,
 * copied from shared/reference/evaluation with its README). Counts exact, Dice/IoU within 1e-9,
 * HD95 within 1e-3 mm, every NaN/1/0/374 convention.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeSource } from '../../labs/cli/node-files';
import { nodeCodec } from '../../labs/cli/node-codec';
import { evaluateFiles, nnunetSummary, pairFiles, schemeRegions, segmentationFiles, type CaseResult } from '../../labs/evaluate/index';

const DIR = join(__dirname, '../fixtures/evaluate/reference');
// Python's json module writes NaN as a bare literal.
const nnunet = JSON.parse(readFileSync(join(DIR, 'nnunet_summary.json'), 'utf8').replace(/\bNaN\b/g, '"NaN"'));
const brats = JSON.parse(readFileSync(join(DIR, 'brats2023_metrics.json'), 'utf8').replace(/\bNaN\b/g, '"NaN"'));
const num = (v: number | string) => (v === 'NaN' ? NaN : (v as number));

// The reference used BraTS 2023 values (1 NCR, 2 ED, 3 ET): the "keep" scheme.
const set = schemeRegions('keep');

async function evaluateAll(): Promise<CaseResult[]> {
  const source = nodeSource(DIR);
  const entries = await source.list();
  const pairing = pairFiles(segmentationFiles(entries, 'pred'), segmentationFiles(entries, 'gt'));
  expect(pairing.pairs).toHaveLength(60);
  const out: CaseResult[] = [];
  for (const p of pairing.pairs) out.push(await evaluateFiles(p.id, source, p.prediction, source, p.reference, set, { metrics: ['nnunet', 'brats'], codec: nodeCodec }));
  return out;
}

const results = evaluateAll();

function close(actual: number, expected: number | string, tol: number, what: string) {
  const e = num(expected);
  if (Number.isNaN(e)) expect(actual, what).toBeNaN();
  else if (tol === 0) expect(actual, what).toBe(e);
  else expect(Math.abs(actual - e), `${what}: ${actual} vs ${e}`).toBeLessThanOrEqual(tol);
}

describe('nnU-Net metrics match compute_metrics_on_folder', () => {
  it('every case, region and metric', async () => {
    const cases = await results;
    expect(nnunet.metric_per_case).toHaveLength(60);
    for (const ref of nnunet.metric_per_case) {
      const c = cases.find((x) => x.prediction === ref.prediction_file);
      expect(c, ref.prediction_file).toBeDefined();
      expect(c!.reference).toBe(ref.reference_file);
      for (const [key, m] of Object.entries(ref.metrics as Record<string, Record<string, number | string>>)) {
        const ours = c!.nnunet![key];
        expect(ours, `${ref.prediction_file} ${key}`).toBeDefined();
        for (const k of ['TP', 'FP', 'FN', 'TN', 'n_pred', 'n_ref']) close(ours[k as 'TP'], m[k], 0, `${ref.prediction_file} ${key} ${k}`);
        for (const k of ['Dice', 'IoU']) close(ours[k as 'Dice'], m[k], 1e-9, `${ref.prediction_file} ${key} ${k}`);
      }
    }
  });

  it('mean and foreground_mean, NaN cases left out', async () => {
    const s = nnunetSummary(
      (await results).map((c) => ({ prediction_file: c.prediction, reference_file: c.reference, metrics: c.nnunet! })),
      set.regions,
    );
    for (const [key, m] of Object.entries(nnunet.mean as Record<string, Record<string, number>>))
      for (const [k, v] of Object.entries(m)) close(s.mean[key][k as 'Dice'], v, 1e-9 * Math.max(1, Math.abs(v)), `mean ${key} ${k}`);
    for (const [k, v] of Object.entries(nnunet.foreground_mean as Record<string, number>)) close(s.foreground_mean[k as 'Dice'], v, 1e-9 * Math.max(1, Math.abs(v)), `foreground_mean ${k}`);
  });
});

describe('BraTS 2023 metrics match the challenge code', () => {
  it('every case, region and metric', async () => {
    const cases = await results;
    expect(Object.keys(brats)).toHaveLength(60);
    for (const [id, regions] of Object.entries(brats as Record<string, Record<string, Record<string, number>>>)) {
      const c = cases.find((x) => x.id === id);
      expect(c, id).toBeDefined();
      for (const [r, m] of Object.entries(regions)) {
        const ours = c!.brats![r];
        for (const k of ['Num_TP', 'Num_FP', 'Num_FN', 'GT_Complete_Volume']) close(ours[k as 'Num_TP'], m[k], 0, `${id} ${r} ${k}`);
        for (const k of ['Sensitivity', 'Specificity', 'Legacy_Dice', 'LesionWise_Score_Dice']) close(ours[k as 'Num_TP'], m[k], 1e-9, `${id} ${r} ${k}`);
        for (const k of ['Legacy_HD95', 'LesionWise_Score_HD95']) close(ours[k as 'Num_TP'], m[k], 1e-3, `${id} ${r} ${k}`);
      }
    }
  });
});
