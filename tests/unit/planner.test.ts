/**
 * labs/planner against nnU-Net 2.8.1's own plans (tests/fixtures/nnunet-plans, copied from
 * shared/reference/nnunet-plans; see its README): every plans file, every configuration, key by key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planExperiment } from '../../labs/planner/planner';
import { plansJson, imageReaderWriter } from '../../labs/planner/plans-json';
import { datasetInfoFromJson, parseFingerprint } from '../../labs/planner/inputs';
import type { PresetId } from '../../labs/planner/presets';
import { poolAndConvProps } from '../../labs/planner/topology';
import { featureMapSize } from '../../labs/planner/vram';
import { percentile, roundHalfEven } from '../../labs/planner/numeric';
import { spawnSync } from 'node:child_process';
import { LegacyRandomState } from '../../labs/splits/random-state';
import { requirePython } from '../helpers/python';

const NUMPY = requirePython('numpy', 'python3-numpy');

const ROOT = join(__dirname, '../fixtures/nnunet-plans');
const DATASETS = readdirSync(ROOT).filter((d) => d.startsWith('Dataset'));

function presetOf(file: string): { preset: PresetId; targetGb?: number } {
  const gb = /^nnUNetPlans_(\d+)GB\.json$/.exec(file);
  if (gb) return { preset: 'default', targetGb: Number(gb[1]) };
  if (file === 'nnUNetPlans.json') return { preset: 'default' };
  const resenc = /^nnUNetResEncUNet(M|L|XL)Plans\.json$/.exec(file);
  if (resenc) return { preset: `resenc-${resenc[1].toLowerCase()}` as PresetId };
  throw new Error(`unexpected reference file ${file}`);
}

/** Deep comparison where numbers must agree to 1e-12 relative (JSON writes 1.0 as 1 in JS). */
function expectSame(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object), path).toEqual(Object.keys(expected));
    for (const [k, v] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(actual, path).toBe(expected);
}

describe('planner: nnU-Net 2.8.1 reference plans, key by key', () => {
  for (const dataset of DATASETS) {
    const dir = join(ROOT, dataset);
    const datasetJson = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8'));
    const fingerprint = parseFingerprint(readFileSync(join(dir, 'dataset_fingerprint.json'), 'utf8'));
    const files = readdirSync(dir).filter((f) => f.startsWith('nnUNet'));
    for (const file of files) {
      it(`${dataset}/${file}`, () => {
        const expected = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        const { preset, targetGb } = presetOf(file);
        const plansName = file.replace(/\.json$/, '');
        const plan = planExperiment(fingerprint, datasetInfoFromJson(datasetJson), { preset, targetGb, plansName });
        const actual = plansJson(plan, { datasetName: dataset, imageReaderWriter: imageReaderWriter(datasetJson), fingerprint });
        expectSame(actual, expected, file);
      });
    }
  }
});

describe('planner building blocks, against values printed in nnU-Net\'s and numpy\'s sources', () => {
  it('feature-map count of the ResEnc networks in residual_encoder_unet_planners.py\'s __main__', () => {
    // nnU-Net's comment: 3d (128,128,128) -> 558319104; 2d (512,512) -> 129793792 (3 classes, deep supervision).
    const net3d = { kind: 'resenc' as const, featuresPerStage: [32, 64, 128, 256, 320, 320], strides: [[1, 1, 1], ...Array(5).fill([2, 2, 2])], encoderUnits: [1, 3, 4, 6, 6, 6], decoderConvs: [1, 1, 1, 1, 1] };
    expect(featureMapSize(net3d, [128, 128, 128], 3, true)).toBe(558319104);
    const net2d = { kind: 'resenc' as const, featuresPerStage: [32, 64, 128, 256, 512, 512, 512], strides: [[1, 1], ...Array(6).fill([2, 2])], encoderUnits: [1, 3, 4, 6, 6, 6, 6], decoderConvs: [1, 1, 1, 1, 1, 1] };
    expect(featureMapSize(net2d, [512, 512], 3, true)).toBe(129793792);
  });

  it('topology of a thick-slice patch: no pooling or 3-kernels along z until it is within 2× of in-plane', () => {
    // By hand: spacing (3, 0.61, 0.61); in-plane pools first; z joins once in-plane spacing reaches 2.44 (3/2.44 < 2).
    const t = poolAndConvProps([3, 0.61, 0.61], [20, 320, 256], 4);
    expect(t.strides.slice(0, 3)).toEqual([[1, 1, 1], [1, 2, 2], [1, 2, 2]]);
    expect(t.kernelSizes[0]).toEqual([1, 3, 3]);
    expect(t.strides[3]).toEqual([2, 2, 2]);
    expect(t.patchSize).toEqual([20, 320, 256]);
  });

  it('Python rounding and numpy percentiles', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4999].map(roundHalfEven)).toEqual([0, 2, 2, 0, 2]);
    // np.percentile([1, 2, 3, 4], 10) = 1.3; np.percentile([3, 3, 4, 4, 4], 10) = 3.0
    expect(percentile([4, 1, 3, 2], 10)).toBeCloseTo(1.3, 12);
    expect(percentile([3, 3, 4, 4, 4], 10)).toBe(3);
  });

  it('says what is wrong in a broken fingerprint', () => {
    const fp = parseFingerprint(readFileSync(join(ROOT, 'Dataset701_Aniso/dataset_fingerprint.json'), 'utf8'));
    const info = { channelNames: ['T2'], numLabels: 2, numTraining: 2 };
    expect(() => planExperiment({ ...fp, spacings: fp.spacings.map((s, i) => (i === 0 ? [1, 1] : s)) }, info)).toThrow(/spacings\[0\] must be three positive numbers/);
    expect(() => parseFingerprint('{"spacings": []}')).toThrow(/"shapes_after_crop" is missing/);
    expect(() => parseFingerprint('{oops')).toThrow(/not valid JSON/);
  });
});

describe('planner inputs the lab ships and reads', () => {
  it('the built-in fingerprints are the reference files', async () => {
    const { BUILTIN } = await import('../../labs/planner/builtin');
    for (const b of Object.values(BUILTIN)) {
      const ref = JSON.parse(readFileSync(join(ROOT, b.name, 'dataset_fingerprint.json'), 'utf8'));
      expect(b.fingerprint).toEqual(ref);
      expect(b.info).toEqual(datasetInfoFromJson(JSON.parse(readFileSync(join(ROOT, b.name, 'dataset.json'), 'utf8'))));
    }
  });

  it('an nnUNetPlans.json is summarised with the same memory estimate the planner computed for it', async () => {
    const { summarisePlansFile } = await import('../../labs/planner/plans-file');
    const dir = join(ROOT, 'Dataset601_SynthFull');
    const s = summarisePlansFile(JSON.parse(readFileSync(join(dir, 'nnUNetResEncUNetLPlans.json'), 'utf8')));
    expect(s.preset.id).toBe('resenc-l');
    const fp = parseFingerprint(readFileSync(join(dir, 'dataset_fingerprint.json'), 'utf8'));
    const plan = planExperiment(fp, datasetInfoFromJson(JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8'))), { preset: 'resenc-l' });
    const full = s.configurations.find((c) => c.name === '3d_fullres')!;
    expect(full.patchSize).toEqual([160, 192, 160]);
    expect(full.featureMaps).toBe(plan.configurations['3d_fullres']!.featureMaps);
    expect(full.estimatedGb).toBeCloseTo(plan.configurations['3d_fullres']!.estimatedGb, 9);
    expect(() => summarisePlansFile({ foo: 1 }, 'x.json')).toThrow(/x.json: no "configurations"/);
  });
});

describe('own JSON files dropped into the lab', () => {
  const read = (d: string, f: string) => ({ name: f, text: readFileSync(join(ROOT, d, f), 'utf8') });
  it('a fingerprint with its dataset.json plans as nnU-Net did; a plans file is read, whatever the names', async () => {
    const { ownInputFromJson } = await import('../../labs/planner/inputs');
    const own = ownInputFromJson([read('Dataset702_BigCT', 'dataset.json'), read('Dataset702_BigCT', 'dataset_fingerprint.json')]);
    expect(own.kind === 'fingerprint' && !own.assumed).toBe(true);
    if (own.kind !== 'fingerprint') return;
    expect(planExperiment(own.fingerprint, own.info).configurations['3d_lowres']!.patchSize).toEqual([128, 128, 128]);
    const plans = ownInputFromJson([{ name: 'mine.json', text: read('Dataset701_Aniso', 'nnUNetPlans.json').text }]);
    expect(plans.kind === 'plans' && plans.summary.configurations.find((c) => c.name === '3d_fullres')!.patchSize).toEqual([20, 320, 256]);
  });

  it('a fingerprint alone: the assumptions are flagged; anything else is named in the error', async () => {
    const { ownInputFromJson } = await import('../../labs/planner/inputs');
    const own = ownInputFromJson([read('Dataset701_Aniso', 'dataset_fingerprint.json')]);
    expect(own.kind === 'fingerprint' && own.assumed && own.info).toEqual({ channelNames: ['channel 0', 'channel 1'], numLabels: 2, numTraining: 32 });
    expect(() => ownInputFromJson([{ name: 'x.json', text: '{"a": 1}' }])).toThrow(/x.json: neither a dataset_fingerprint.json nor an nnUNetPlans.json/);
    expect(() => ownInputFromJson([{ name: 'y.json', text: '[1' }])).toThrow(/y.json: not valid JSON/);
  });
});

describe.skipIf(!NUMPY)('the fingerprint\'s draws are numpy\'s', () => {
  it('fillIntervalCounts tallies what RandomState(1234).choice draws, channel after channel', () => {
    // Two successive choice() calls on one generator, as nnU-Net draws channel 0 then channel 1.
    const code = 'import numpy as np, json; rs = np.random.RandomState(1234); a = np.arange(100003); print(json.dumps([np.bincount(rs.choice(a, 250000, replace=True), minlength=100003).tolist() for _ in range(2)]))';
    const r = spawnSync(NUMPY!, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as number[][];
    const rs = new LegacyRandomState(1234);
    for (const channel of expected) {
      const counts = new Uint32Array(100003);
      rs.fillIntervalCounts(100002, 250000, counts);
      expect(Array.from(counts)).toEqual(channel);
    }
  });
});

describe('fingerprint crop, by hand', () => {
  // 8×6×5 voxels (x, y, z). Non-zero voxels at (x, y, z) = (5, 1, 1) in channel 0 and (2, 4, 3) in
  // channel 1: the box is x 2–5, y 1–4, z 1–3, so nnU-Net's (z, y, x) shape after crop is 3×4×4.
  // Foreground (label 1) at (5, 1, 1) and at (7, 5, 4), the second outside the box (not sampled).
  const dims = [8, 6, 5];
  const at = (x: number, y: number, z: number) => x + 8 * (y + 6 * z);
  async function run(datatype: 'int16' | 'float32', slope?: number) {
    const { encodeNifti1 } = await import('../../labs/nifti');
    const { memorySource } = await import('../../labs/shared/files');
    const { fingerprintCase, combineFingerprint } = await import('../../labs/planner/extract');
    const make = () => (datatype === 'int16' ? new Int16Array(240) : new Float32Array(240));
    const c0 = make();
    const c1 = make();
    c0[at(5, 1, 1)] = 7;
    c1[at(2, 4, 3)] = -3;
    c1[at(5, 1, 1)] = 2;
    const label = new Uint8Array(240);
    label[at(5, 1, 1)] = 1;
    label[at(7, 5, 4)] = 1;
    const pixdim = [0.5, 0.7, 3];
    const src = memorySource('hand', {
      'a_0000.nii': encodeNifti1({ dims, datatype, data: c0, pixdim, sclSlope: slope }),
      'a_0001.nii': encodeNifti1({ dims, datatype, data: c1, pixdim, sclSlope: slope }),
      'a.nii': encodeNifti1({ dims, datatype: 'uint8', data: label, pixdim }),
    });
    const cs = await fingerprintCase(src, { id: 'a', images: ['a_0000.nii', 'a_0001.nii'], label: 'a.nii' }, { cases: 1, sampling: 'numpy' });
    return { cs, fp: combineFingerprint([cs], 2) };
  }

  for (const [datatype, slope] of [['int16', undefined], ['float32', undefined], ['int16', 2]] as const) {
    it(`${datatype}${slope ? `, scl_slope ${slope}` : ''}: box, spacing, relative size, and the one foreground voxel inside it`, async () => {
      const { cs, fp } = await run(datatype, slope);
      expect(cs.shapeAfterCrop).toEqual([3, 4, 4]);
      expect(cs.spacing.map((v) => Math.fround(v))).toEqual([3, 0.7, 0.5].map(Math.fround));
      expect(cs.relativeSizeAfterCrop).toBeCloseTo(48 / 240, 12);
      const k = slope ?? 1;
      expect(fp.foreground_intensity_properties_per_channel['0']).toMatchObject({ min: 7 * k, max: 7 * k, median: 7 * k });
      expect(fp.foreground_intensity_properties_per_channel['1']).toMatchObject({ min: 2 * k, max: 2 * k });
    });
  }
});
