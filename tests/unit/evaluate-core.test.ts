/**
 * labs/evaluate's building blocks on cases small enough to work out by hand (the reference test
 * checks the whole against nnU-Net and the BraTS code).
 */
import { describe, expect, it } from 'vitest';
import {
  bratsRegion,
  components26,
  datasetJsonRegions,
  dilate18,
  nextCommands,
  nnunetSummary,
  nnunetSummaryJson,
  pairFiles,
  segmentationFiles,
  parsePythonJson,
  parseRegions,
  robustHausdorff,
  type ConfigurationReport,
  type Dims,
} from '../../labs/evaluate/index';

const grid = (dims: Dims, voxels: [number, number, number][]) => {
  const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (const [x, y, z] of voxels) m[x + dims[0] * (y + dims[1] * z)] = 1;
  return m;
};

describe('connected components and dilation', () => {
  it('joins voxels that touch only at a corner (26-connectivity)', () => {
    const dims: Dims = [4, 4, 4];
    const { count, labels } = components26(grid(dims, [[0, 0, 0], [1, 1, 1], [3, 3, 3]]), dims);
    expect(count).toBe(2);
    expect(labels[0]).toBe(labels[1 + 4 + 16]);
  });

  it('three rounds of the 18-connected structure reach |d|∞ ≤ 3 and |d|₁ ≤ 6 (hand count: 7³ − 8 − 24 − 48 = 263)', () => {
    // Left out of the 7×7×7 cube: |d|₁ = 9 (8 corners), 8 (24: permutations of 3,3,2) and 7 (48: of 3,3,1 and 3,2,2).
    const dims: Dims = [9, 9, 9];
    const out = dilate18(grid(dims, [[4, 4, 4]]), dims, 3);
    expect(out.reduce((a, b) => a + b, 0)).toBe(263);
  });
});

describe('surface distance (DeepMind definition)', () => {
  it('two single voxels 5 voxels apart at 2 mm: HD95 10 mm; one empty side: infinite', () => {
    const dims: Dims = [10, 3, 3];
    const a = grid(dims, [[1, 1, 1]]);
    const b = grid(dims, [[6, 1, 1]]);
    expect(robustHausdorff(a, b, dims, [2, 2, 2])).toBeCloseTo(10, 12);
    expect(robustHausdorff(a, new Uint8Array(a.length), dims, [2, 2, 2])).toBe(Infinity);
  });
});

describe('BraTS conventions', () => {
  const dims: Dims = [12, 12, 12];
  const cube = (x0: number, n: number) => {
    const v: [number, number, number][] = [];
    for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) v.push([x0 + x, 1 + y, 1 + z]);
    return v;
  };
  it('empty in both: Dice 1, HD95 0, sensitivity 1', () => {
    const e = new Uint8Array(12 ** 3);
    expect(bratsRegion(e, e, dims, [1, 1, 1], e.length)).toMatchObject({ Legacy_Dice: 1, Legacy_HD95: 0, LesionWise_Score_Dice: 1, LesionWise_Score_HD95: 0, Sensitivity: 1, Num_TP: 0 });
  });
  it('a missed lesion above 50 mm³ scores 0 and 374; one of 27 mm³ is ignored', () => {
    const e = new Uint8Array(12 ** 3);
    expect(bratsRegion(grid(dims, cube(1, 4)), e, dims, [1, 1, 1], e.length)).toMatchObject({ Num_FN: 1, LesionWise_Score_Dice: 0, LesionWise_Score_HD95: 374, Legacy_HD95: 374 });
    expect(bratsRegion(grid(dims, cube(1, 3)), e, dims, [1, 1, 1], e.length)).toMatchObject({ Num_FN: 0, LesionWise_Score_Dice: 1, LesionWise_Score_HD95: 0 });
  });
  it('a perfect lesion plus a far false positive: lesion-wise Dice (1 + 0) / 2, HD95 (0 + 374) / 2', () => {
    const gt = grid(dims, cube(1, 4));
    const pred = grid(dims, [...cube(1, 4), [10, 10, 10]]);
    expect(bratsRegion(gt, pred, dims, [1, 1, 1], gt.length)).toMatchObject({ Num_TP: 1, Num_FP: 1, LesionWise_Score_Dice: 0.5, LesionWise_Score_HD95: 187 });
  });
});

describe("nnU-Net's summary.json", () => {
  it('NaN for a region empty in both, left out of the mean; Python-style JSON that reads back', () => {
    const regions = parseRegions('WT=1,2,3;ET=3').regions;
    const m = (Dice: number, TP: number) => ({ Dice, IoU: Dice, TP, FP: 0, FN: 0, TN: 10, n_pred: TP, n_ref: TP });
    const s = nnunetSummary(
      [
        { prediction_file: 'p/a.nii.gz', reference_file: 'g/a.nii.gz', metrics: { '(1, 2, 3)': m(1, 5), '(3,)': m(NaN, 0) } },
        { prediction_file: 'p/b.nii.gz', reference_file: 'g/b.nii.gz', metrics: { '(1, 2, 3)': m(0.5, 3), '(3,)': m(0.25, 1) } },
      ],
      regions,
    );
    expect(s.mean['(3,)'].Dice).toBe(0.25);
    expect(s.foreground_mean.Dice).toBe((0.75 + 0.25) / 2);
    const text = nnunetSummaryJson(s);
    expect(text).toContain('"Dice": NaN');
    expect(text).toContain('"TP": 5,');
    expect(text.split('\n')[1]).toBe('    "foreground_mean": {');
    expect((parsePythonJson(text) as typeof s).metric_per_case[0].metrics['(3,)'].Dice).toBeNaN();
  });

  it("reads regions from a dataset.json the way nnU-Net's label manager does", () => {
    const r = datasetJsonRegions({ labels: { background: 0, 'whole tumor': [1, 2, 3], 'tumor core': [2, 3], 'enhancing tumor': 3 } });
    expect(r.regions.map((x) => x.key)).toEqual(['(1, 2, 3)', '(2, 3)', '3']);
    expect(datasetJsonRegions({ labels: { background: 0, edema: 1, ncr: 2 } }).regions.map((x) => x.key)).toEqual(['1', '2']);
  });
});

describe('next commands', () => {
  it('suggests nnUNetv2_find_best_configuration once all five folds are validated', () => {
    const fold = (f: number) => ({ fold: f, status: 'validated' }) as ConfigurationReport['folds'][number];
    const c = { folder: 'nnUNetTrainer__nnUNetPlans__2d', trainer: 'nnUNetTrainer', plans: 'nnUNetPlans', configuration: '2d', folds: [0, 1, 2, 3, 4].map(fold), missingFolds: [], cv: {}, foreground: null, names: {} };
    expect(nextCommands(137, [c, { ...c, configuration: '3d_fullres' }])).toEqual(['nnUNetv2_find_best_configuration 137 -c 2d 3d_fullres']);
  });
});

describe('pairing files', () => {
  const f = (path: string) => ({ path, kind: 'file' as const, size: 1 });
  it('looks inside the one folder a dropped folder arrives as, skips hidden files, pairs by name', () => {
    const pred = segmentationFiles([f('pred/a.nii.gz'), f('pred/.b.nii.gz'), f('pred/c.nii.gz'), f('pred/notes.txt')]);
    const ref = segmentationFiles([f('a.nii.gz'), f('d.nii.gz'), f('sub/a.nii.gz')]);
    expect(pred).toEqual(['pred/a.nii.gz', 'pred/c.nii.gz']);
    expect(ref).toEqual(['a.nii.gz', 'd.nii.gz']);
    expect(pairFiles(pred, ref)).toEqual({ pairs: [{ id: 'a', prediction: 'pred/a.nii.gz', reference: 'a.nii.gz' }], predictionOnly: ['pred/c.nii.gz'], referenceOnly: ['d.nii.gz'] });
  });
});
