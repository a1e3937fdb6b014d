/**
 * `bratslab evaluate` through a Node 20 bundle: on the 60 reference pairs (nnU-Net's and the
 * BraTS code's outputs in tests/fixtures/evaluate/reference are the expected values), and on a
 * folder of broken pairs made here (each problem named, the good pairs still scored).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSource } from '../../labs/cli/node-files';
import { readImage, writeNiftiGz } from '../../labs/nifti/index';
import { bundleCli, runCli } from './cli-bundle';

const REF = 'tests/fixtures/evaluate/reference';
const pyJson = (file: string) => JSON.parse(readFileSync(file, 'utf8').replace(/\bNaN\b/g, '"NaN"'));
let bundle = '';
beforeAll(async () => {
  bundle = await bundleCli();
});

describe('bratslab evaluate on the reference pairs', () => {
  it("writes nnU-Net's summary.json with its keys and numbers, a CSV, and a JSON report", () => {
    const out = mkdtempSync(join(tmpdir(), 'evaluate-cli-'));
    const r = runCli(bundle, ['evaluate', `${REF}/pred`, `${REF}/gt`, '--regions', 'keep', '--json', '--csv', join(out, 'm.csv'), '--summary', join(out, 'summary.json'), '-j', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = pyJson(`${REF}/nnunet_summary.json`);
    const ours = pyJson(join(out, 'summary.json'));
    expect(Object.keys(ours).sort()).toEqual(['foreground_mean', 'mean', 'metric_per_case']);
    expect(ours.metric_per_case).toHaveLength(60);
    for (const [i, c] of expected.metric_per_case.entries()) {
      // nnU-Net writes the joined folder and file name; ours are the paths given on the command line.
      expect(ours.metric_per_case[i].prediction_file).toBe(`${REF}/${c.prediction_file}`);
      expect(Object.keys(ours.metric_per_case[i].metrics)).toEqual(Object.keys(c.metrics));
      for (const [key, m] of Object.entries(c.metrics as Record<string, Record<string, number | string>>))
        for (const [k, v] of Object.entries(m)) {
          const got = ours.metric_per_case[i].metrics[key][k];
          if (v === 'NaN') expect(got).toBe('NaN');
          else expect(Math.abs(got - (v as number))).toBeLessThanOrEqual(1e-9);
        }
    }
    expect(ours.foreground_mean.Dice).toBeCloseTo(expected.foreground_mean.Dice, 12);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, tool: 'bratslab evaluate', metrics: ['nnunet', 'brats'] });
    const blob = report.cases.find((c: { id: string }) => c.id === 'BraTS2021_00300__fp-blob');
    expect(blob.brats.WT).toMatchObject({ Num_FP: 1, LesionWise_Score_Dice: 0.5, LesionWise_Score_HD95: 187 });
    // JSON has no NaN: nnU-Net's "empty in both" Dice is null.
    const noEt = report.cases.find((c: { id: string }) => c.id === 'BraTS2021_00300__no-et-gt-perfect');
    expect(noEt.nnunet['(3,)'].Dice).toBeNull();
    expect(noEt.brats.ET).toMatchObject({ Legacy_Dice: 1, Legacy_HD95: 0, LesionWise_Score_Dice: 1, LesionWise_Score_HD95: 0 });
    const csv = readFileSync(join(out, 'm.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 60 * 3);
    expect(csv[0].split(',').slice(0, 4)).toEqual(['case', 'region', 'Dice', 'IoU']);
    expect(csv.find((l) => l.startsWith('BraTS2021_00300__no-et-gt-perfect,ET,'))!.split(',')[2]).toBe('NaN');
  });

  it('prints means per region and the worst cases', () => {
    const r = runCli(bundle, ['evaluate', `${REF}/pred`, `${REF}/gt`, '--metrics', 'nnunet', '-j', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}WT +0\.847 +0\.815$/m);
    expect(r.stdout).toMatch(/^ {2}mean +0\.700 +0\.675$/m);
    expect(r.stdout).toContain('worst ET: BraTS2021_00300__empty 0.000');
  });
});

describe('bratslab evaluate picks what nnU-Net would score', () => {
  it("takes the regions from the dataset.json beside labelsTr, with nnU-Net's keys", () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluate-dsjson-'));
    mkdirSync(join(dir, 'Dataset610_EvalGT/labelsTr'), { recursive: true });
    mkdirSync(join(dir, 'pred'));
    const name = 'BraTS2021_00301__et-eroded.nii.gz';
    copyFileSync(`${REF}/gt/${name}`, join(dir, 'Dataset610_EvalGT/labelsTr', name));
    copyFileSync(`${REF}/pred/${name}`, join(dir, 'pred', name));
    writeFileSync(
      join(dir, 'Dataset610_EvalGT/dataset.json'),
      JSON.stringify({ channel_names: { 0: 'T1' }, labels: { background: 0, 'whole tumour': [1, 2, 3], 'tumour core': [1, 3], 'enhancing tumour': [3] }, regions_class_order: [2, 1, 3], numTraining: 1, file_ending: '.nii.gz' }),
    );
    const r = runCli(bundle, ['evaluate', join(dir, 'pred'), join(dir, 'Dataset610_EvalGT/labelsTr'), '--json', '--metrics', 'nnunet', '-j', '0']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.regions.regions.map((x: { name: string; key: string }) => `${x.name} ${x.key}`)).toEqual(['whole tumour (1, 2, 3)', 'tumour core (1, 3)', 'enhancing tumour (3,)']);
    const expected = pyJson(`${REF}/nnunet_summary.json`).metric_per_case.find((c: { prediction_file: string }) => c.prediction_file === `pred/${name}`);
    expect(report.cases[0].nnunet['(3,)'].TP).toBe(expected.metrics['(3,)'].TP);
  });
});

describe('bratslab evaluate on broken pairs', () => {
  it('names unmatched files, shape and affine mismatches (both files) and foreign labels, and scores the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluate-bad-'));
    const pred = join(dir, 'pred');
    const gt = join(dir, 'gt');
    mkdirSync(pred);
    mkdirSync(gt);
    const good = 'BraTS2021_00300__shifted.nii.gz';
    copyFileSync(`${REF}/pred/${good}`, join(pred, good));
    copyFileSync(`${REF}/gt/${good}`, join(gt, good));
    copyFileSync(`${REF}/pred/${good}`, join(pred, 'only-pred.nii.gz'));
    copyFileSync(`${REF}/gt/${good}`, join(gt, 'only-gt.nii.gz'));
    const { header, data } = await readImage(nodeSource(`${REF}/gt`), good, { codec: nodeCodec });
    const [X, Y, Z] = header.dims;
    const write = async (folder: string, name: string, opts: Parameters<typeof writeNiftiGz>[0]) => writeFileSync(join(folder, name), await writeNiftiGz(opts, nodeCodec));
    for (const name of ['shape.nii.gz', 'affine.nii.gz', 'labels.nii.gz']) copyFileSync(`${REF}/gt/${good}`, join(gt, name));
    await write(pred, 'shape.nii.gz', { dims: [X, Y, Z - 1], datatype: 'uint8', data: (data as Uint8Array).slice(0, X * Y * (Z - 1)), affine: header.affine });
    const moved = header.affine.map((row) => [...row]);
    moved[0][3] += 4;
    await write(pred, 'affine.nii.gz', { dims: [X, Y, Z], datatype: 'uint8', data, affine: moved });
    const seven = (data as Uint8Array).slice();
    seven[1000] = 7;
    await write(pred, 'labels.nii.gz', { dims: [X, Y, Z], datatype: 'uint8', data: seven, affine: header.affine });

    const r = runCli(bundle, ['evaluate', pred, gt, '--regions', 'keep', '--json', '-j', '2']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.cases.map((c: { id: string }) => c.id)).toEqual(['BraTS2021_00300__shifted']);
    const byCode = (code: string) => report.problems.filter((p: { code: string }) => p.code === code);
    expect(byCode('unmatched').map((p: { message: string }) => p.message)).toEqual([
      `${join(pred, 'only-pred.nii.gz')}: no reference of the same name in ${gt}`,
      `${join(gt, 'only-gt.nii.gz')}: no prediction of the same name in ${pred}`,
    ]);
    expect(byCode('shape')[0].message).toBe(`shape mismatch: ${join(pred, 'shape.nii.gz')} is ${X}×${Y}×${Z - 1}, ${join(gt, 'shape.nii.gz')} is ${X}×${Y}×${Z}`);
    expect(byCode('affine')[0].message).toContain(`${join(pred, 'affine.nii.gz')} and ${join(gt, 'affine.nii.gz')} are not on the same voxel grid`);
    expect(byCode('affine')[0].message).toContain('largest difference 4.00 mm');
    expect(byCode('labels')[0].message).toBe(`${join(pred, 'labels.nii.gz')}: label values outside the scheme (allowed 0, 1, 2, 3): 7 (1 voxels)`);

    const text = runCli(bundle, ['evaluate', pred, gt, '--regions', 'keep', '-j', '0']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('5 problems:');
    expect(text.stdout).toContain('[affine] affine mismatch');
  });

  it('exits 2 on a missing folder, a bad --regions and no pairs at all', () => {
    expect(runCli(bundle, ['evaluate', 'no/such/dir', `${REF}/gt`]).stderr).toContain('no/such/dir: no such folder');
    const bad = runCli(bundle, ['evaluate', `${REF}/pred`, `${REF}/gt`, '--regions', 'WT=1,x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--regions WT: label values must be whole numbers');
    const none = runCli(bundle, ['evaluate', `${REF}/pred`, REF]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no prediction in ${REF}/pred has a reference of the same name in ${REF}`);
  });
});
