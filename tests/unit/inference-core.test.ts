// Expected values are hand calculations (written out beside each case) or nnU-Net's rules applied
// by hand: never outputs of the code under test.
import { describe, expect, it } from 'vitest';
import { newShape, resampleLinear, resampleNearest } from '../../labs/inference/resample';
import { crop, nonzeroBox, uncrop, zscoreInMask } from '../../labs/inference/preprocess';
import { gaussianImportance, slidingWindow, windowStarts, windows } from '../../labs/inference/sliding';
import { dice, regionDice, regionsToLabels, suppressSmallEnhancing } from '../../labs/inference/regions';
import { estimateSeconds, forwardBytes, patchPlan } from '../../labs/inference/plan';
import { checkInput, segment, type ModelSpec } from '../../labs/inference/pipeline';
import type { Vec3 } from '../../labs/inference/volume';

const close = (got: ArrayLike<number>, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
};

describe('resampling', () => {
  it('computes the new shape as round(shape × spacing / target)', () => {
    expect(newShape([4, 4, 4], [2, 2, 2], [1, 1, 1])).toEqual([8, 8, 8]);
    expect(newShape([78, 120, 120], [2, 2, 2], [3, 3, 3])).toEqual([52, 80, 80]); // 156/3, 240/3
    expect(newShape([5, 5, 5], [1, 1, 1], [3, 3, 3])).toEqual([2, 2, 2]); // 5/3 = 1.67
  });
  it('interpolates linearly with pixel-centre mapping, clamped at the edges', () => {
    // 4 → 2: centres at 0.5 and 2.5 of [0, 1, 2, 3]
    close(resampleLinear(Float32Array.of(0, 1, 2, 3), [1, 1, 4], [1, 1, 2]), [0.5, 2.5]);
    // 2 → 4: sources -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1) of [0, 4]
    close(resampleLinear(Float32Array.of(0, 4), [1, 1, 2], [1, 1, 4]), [0, 1, 3, 4]);
    // the same along z
    close(resampleLinear(Float32Array.of(0, 10), [2, 1, 1], [4, 1, 1]), [0, 2.5, 7.5, 10]);
  });
  it('reproduces a linear function exactly (trilinear)', () => {
    const f = (z: number, y: number, x: number) => x + 10 * y + 100 * z;
    const data = new Float32Array(64);
    for (let z = 0, k = 0; z < 4; z++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data[k++] = f(z, y, x);
    // 4 → 2 per axis: output voxel o samples 2o + 0.5
    const want: number[] = [];
    for (const z of [0.5, 2.5]) for (const y of [0.5, 2.5]) for (const x of [0.5, 2.5]) want.push(f(z, y, x));
    close(resampleLinear(data, [4, 4, 4], [2, 2, 2]), want, 3);
  });
  it('takes the nearest voxel for labels', () => {
    // 4 → 2: centres fall in voxels floor(0.5·2) = 1 and floor(1.5·2) = 3
    expect([...resampleNearest(Uint8Array.of(1, 2, 3, 4), [1, 1, 4], [1, 1, 2])]).toEqual([2, 4]);
    expect([...resampleNearest(Uint8Array.of(7, 9), [1, 1, 2], [1, 1, 4])]).toEqual([7, 7, 9, 9]);
  });
  it('refuses data that does not match its shape', () => {
    expect(() => resampleLinear(new Float32Array(5), [1, 1, 4], [1, 1, 2])).toThrow(/5 voxels/);
  });
});

describe('crop to non-zero and z-score', () => {
  it('finds the bounding box over all channels and puts a crop back', () => {
    const a = new Float32Array(27);
    const b = new Float32Array(27);
    a[1 * 9 + 1 * 3 + 1] = 5; // (z1, y1, x1)
    b[1 * 9 + 2 * 3 + 1] = -2; // (z1, y2, x1) in the other channel
    const { box, mask } = nonzeroBox([a, b], [3, 3, 3]);
    expect(box).toEqual({ start: [1, 1, 1], end: [2, 3, 2] });
    expect(mask.reduce((s, v) => s + v, 0)).toBe(2);
    const c = crop(b, [3, 3, 3], box);
    expect([...c]).toEqual([0, -2]);
    expect([...uncrop(c, box, [3, 3, 3])]).toEqual([...b]);
  });
  it('keeps the whole volume when nothing is non-zero', () => {
    expect(nonzeroBox([new Float32Array(8)], [2, 2, 2]).box).toEqual({ start: [0, 0, 0], end: [2, 2, 2] });
  });
  it('z-scores inside the mask only, zero outside', () => {
    // brain values 1, 2, 3, 4: mean 2.5, population sd sqrt(1.25) = 1.118034
    const out = zscoreInMask(Float32Array.of(1, 2, 3, 4, 100), Uint8Array.of(1, 1, 1, 1, 0));
    close(out, [-1.341641, -0.447214, 0.447214, 1.341641, 0]);
  });
});

describe('sliding window', () => {
  it('spreads windows like nnU-Net (compute_steps_for_sliding_window)', () => {
    expect(windowStarts(10, 4, 0.5)).toEqual([0, 2, 4, 6]); // 4 steps of 2
    expect(windowStarts(9, 4, 0.5)).toEqual([0, 2, 3, 5]); // actual step 5/3: 1.67 → 2, 3.33 → 3
    expect(windowStarts(9, 4, 0.25)).toEqual([0, 2, 5]); // step 2.5: np.round(2.5) = 2 (half to even)
    expect(windowStarts(4, 4, 0.5)).toEqual([0]);
    expect(windowStarts(3, 4, 0.5)).toEqual([0]);
    expect(() => windowStarts(9, 4, 1)).toThrow(/overlap/);
    expect(windows([6, 5, 7], [4, 4, 4], 0.5)).toHaveLength(2 * 2 * 3);
  });
  it('builds a Gaussian with sigma = patch / 8, peak 1 at the centre', () => {
    const g = gaussianImportance([8, 8, 8]);
    expect(g[4 * 64 + 4 * 8 + 4]).toBeCloseTo(1, 6);
    expect(g[4 * 64 + 4 * 8 + 0]).toBeCloseTo(Math.exp(-8), 8); // 4 voxels = 4σ from the centre
    expect(g[0]).toBeCloseTo(Math.exp(-24), 12);
  });
  it('averages overlapping windows with Gaussian weights', async () => {
    // Volume 1×1×6, patch 1×1×4, overlap 0.5: windows at x = 0 and 2. Window i predicts the constant i.
    // Weights along the patch (centre 2, σ 0.5): e^-8, e^-2, 1, e^-2.
    let call = 0;
    const model = async (_: Float32Array, patch: Vec3) => new Float32Array(patch[2]).fill(call++);
    const [out] = await slidingWindow([new Float32Array(6)], [1, 1, 6], { patch: [1, 1, 4], overlap: 0.5, outChannels: 1, model });
    const e8 = Math.exp(-8);
    close(out, [0, 0, e8 / (1 + e8), 0.5, 1, 1], 6);
  });
  it('reproduces the input with an identity model, padding small volumes', async () => {
    const shape: Vec3 = [3, 5, 6];
    const data = Float32Array.from({ length: 90 }, (_, i) => Math.sin(i));
    const model = async (input: Float32Array) => input.slice(0, 64); // first channel of a 4×4×4 patch
    let last = [0, 0];
    const [out] = await slidingWindow([data], shape, { patch: [4, 4, 4], overlap: 0.5, outChannels: 1, model, onProgress: (d, t) => (last = [d, t]) });
    close(out, [...data], 5);
    expect(last).toEqual([4, 4]); // z padded to 4: 1 window; y 5: 2; x 6: 2
  });
  it('stops when cancelled and rejects a model with the wrong output size', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const model = async () => new Float32Array(64);
    await expect(slidingWindow([new Float32Array(64)], [4, 4, 4], { patch: [4, 4, 4], overlap: 0.5, outChannels: 1, model, signal: ctl.signal })).rejects.toThrow();
    await expect(slidingWindow([new Float32Array(64)], [4, 4, 4], { patch: [4, 4, 4], overlap: 0.5, outChannels: 3, model })).rejects.toThrow(/returned 64 values/);
  });
});

describe('regions to labels and Dice', () => {
  const wt = [1, 1, 1, 0, 0];
  const tc = [0, 1, 1, 0, 1];
  const et = [0, 0, 1, 0, 0];
  it('paints WT, TC, ET in that order (regions_class_order)', () => {
    // raw BraTS 2021: ED 2, NCR 1, ET 4; a TC voxel outside WT still becomes NCR
    expect([...regionsToLabels([wt, tc, et])]).toEqual([2, 1, 4, 0, 1]);
    expect([...regionsToLabels([wt, tc, et], 'nnunet137')]).toEqual([1, 2, 3, 0, 2]);
    expect([...regionsToLabels([wt, tc, et], 'keep')]).toEqual([2, 1, 3, 0, 1]);
    expect(() => regionsToLabels([wt, tc])).toThrow(/3 region masks/);
  });
  it('computes Dice with the both-empty convention', () => {
    expect(dice([1, 1, 0, 0], [1, 0, 1, 0])).toBe(0.5); // 2·1 / (2 + 2)
    expect(dice([0, 0], [0, 0])).toBe(1);
    expect(dice([1, 0], [0, 0])).toBe(0);
    expect(() => dice([1], [1, 0])).toThrow(/differ in size/);
  });
  it('compares labels across schemes per region', () => {
    // the same tumour written in raw BraTS and in Dataset137 values
    expect(regionDice([2, 1, 4, 0], 'brats2021', [1, 2, 3, 0], 'nnunet137')).toEqual({ WT: 1, TC: 1, ET: 1 });
    // NCR predicted as edema: TC = 2·1/(1 + 2)
    const d = regionDice([2, 2, 4, 0], 'brats2021', [2, 1, 4, 0], 'brats2021');
    expect(d.WT).toBe(1);
    expect(d.TC).toBeCloseTo(2 / 3, 10);
    expect(d.ET).toBe(1);
  });
});

describe('small enhancing tumour → necrosis', () => {
  it('relabels ET below the volume threshold and leaves larger ET alone', () => {
    // 3 ET voxels of 27 mm³ (3 mm isotropic) = 0.081 ml < 0.2 ml: relabelled to NCR (raw BraTS: 4 → 1)
    const small = Uint8Array.of(0, 2, 4, 4, 4, 1);
    expect(suppressSmallEnhancing(small, 'brats2021', 0.027, 0.2)).toBe(3);
    expect([...small]).toEqual([0, 2, 1, 1, 1, 1]);
    // 8 voxels = 0.216 ml ≥ 0.2 ml: kept
    const big = Uint8Array.from([...Array(8).fill(3), 1]);
    expect(suppressSmallEnhancing(big, 'nnunet137', 0.027, 0.2)).toBe(0);
    expect([...big]).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 1]);
  });
});

describe('patch plan', () => {
  const net = { inChannels: 4, outChannels: 3, features: [8, 16] };
  it('counts windows and the overlap price', () => {
    const p = patchPlan([6, 5, 7], [4, 4, 4], 0.5, net);
    expect(p.patches).toBe(12);
    expect(p.perAxis).toEqual([2, 2, 3]);
    expect(p.computedVoxels).toBe(12 * 64);
    expect(p.redundancy).toBeCloseTo(768 / 210, 10);
    expect(p.accumulatorBytes).toBe(4 * 4 * 210); // 3 logit maps + 1 weight map
    expect(patchPlan([6, 5, 7], [4, 4, 4], 0, net).patches).toBe(2 * 2 * 2);
  });
  it('estimates forward memory and time', () => {
    // 64 voxels: in+out 7·64 = 448, skips 8·64 + 16·8 = 640, working 3·8·64 = 1536 → 2624 floats
    expect(forwardBytes([4, 4, 4], net)).toBe(2624 * 4);
    const p = patchPlan([6, 5, 7], [4, 4, 4], 0.5, net);
    expect(estimateSeconds(p, { patch: [4, 4, 4], secondsPerPatch: 0.1 })).toBeCloseTo(1.2, 10);
    expect(estimateSeconds(p, { patch: [2, 2, 2], secondsPerPatch: 0.1 })).toBeCloseTo(9.6, 10); // 8× the voxels per patch
  });
});

describe('whole pipeline with a fake model', () => {
  // 8×8×8 at 1 mm; brain = central 6×6×6 (value 1 in every channel), tumour = block [2, 6)³
  // bright in FLAIR (channel 3) and, in its half z < 4, bright in T1ce (channel 1).
  const shape: Vec3 = [8, 8, 8];
  const idx = (z: number, y: number, x: number) => (z * 8 + y) * 8 + x;
  const make = () => {
    const ch = Array.from({ length: 4 }, () => new Float32Array(512));
    const ref = new Uint8Array(512); // raw BraTS 2021
    for (let z = 1; z < 7; z++)
      for (let y = 1; y < 7; y++)
        for (let x = 1; x < 7; x++) {
          for (const c of ch) c[idx(z, y, x)] = 1;
          if (z >= 2 && z < 6 && y >= 2 && y < 6 && x >= 2 && x < 6) {
            ch[3][idx(z, y, x)] = 10;
            ref[idx(z, y, x)] = 2; // ED
            if (z < 4) {
              ch[1][idx(z, y, x)] = 10;
              ref[idx(z, y, x)] = 4; // ET
            }
          }
        }
    return { ch, ref };
  };
  // Fake network: WT logit = z-scored FLAIR, TC = ET logit = z-scored T1ce (positive only where bright).
  const model = async (input: Float32Array, patch: Vec3) => {
    const v = patch[0] * patch[1] * patch[2];
    const out = new Float32Array(3 * v);
    for (let k = 0; k < v; k++) {
      out[k] = input[3 * v + k];
      out[v + k] = input[v + k];
      out[2 * v + k] = input[v + k];
    }
    return out;
  };
  const spec = (spacing: number): ModelSpec => ({ spacing: [spacing, spacing, spacing], patch: [4, 4, 4], net: { inChannels: 4, outChannels: 3, features: [8, 16] }, regions: ['WT', 'TC', 'ET'] });

  it('segments at the input spacing', async () => {
    const { ch, ref } = make();
    const res = await segment({ channels: ch, shape, spacing: [1, 1, 1] }, { spec: spec(1), model });
    expect(res.box).toEqual({ start: [1, 1, 1], end: [7, 7, 7] });
    expect(res.modelShape).toEqual([6, 6, 6]);
    expect([...res.labels]).toEqual([...ref]);
    expect(regionDice(res.labels, 'brats2021', ref, 'brats2021')).toEqual({ WT: 1, TC: 1, ET: 1 });
  });
  it('resamples to a 2 mm model and back (hand-computed along x)', async () => {
    // 2×2×8 at 1 mm, every voxel non-zero; columns along x (same for every z, y):
    // FLAIR [1,1,10,10,10,10,1,1], T1ce [1,1,10,10,2,2,1,1], T1 = T2 = 1.
    // At 2 mm the grid is 1×1×4 (pairs averaged): FLAIR [1,10,10,1], T1ce [1,10,2,1].
    // Back to 8 voxels, voxel o samples s = o/2 - 0.25 (clamped to [0, 3]):
    //   FLAIR → 1, 3.25, 7.75, 10, 10, 7.75, 3.25, 1 (mean 5.5: inside at x = 2..5)
    //   T1ce  → 1, 3.25, 7.75, 8, 4, 1.75, 1.25, 1    (mean 3.5: inside at x = 2..4)
    // z-scoring is affine and interpolation linear, so logit > 0 ⇔ value > channel mean.
    const flair = [1, 1, 10, 10, 10, 10, 1, 1];
    const t1ce = [1, 1, 10, 10, 2, 2, 1, 1];
    const ch = [0, 1, 2, 3].map((c) => Float32Array.from({ length: 32 }, (_, i) => (c === 3 ? flair[i % 8] : c === 1 ? t1ce[i % 8] : 1)));
    const stages: string[] = [];
    const res = await segment({ channels: ch, shape: [2, 2, 8], spacing: [1, 1, 1] }, { spec: spec(2), model, onStage: (s) => stages.push(s), scheme: 'nnunet137' });
    expect(stages).toEqual(['preprocess', 'predict', 'export']);
    expect(res.modelShape).toEqual([1, 1, 4]);
    expect(res.patches).toBe(1);
    // nnunet137: ED 1, ET 3 (TC and ET share the T1ce logit here)
    const row = [0, 0, 3, 3, 3, 1, 0, 0];
    expect([...res.labels]).toEqual(Array.from({ length: 32 }, (_, i) => row[i % 8]));
  });
  it('names what is wrong with an input', () => {
    const { ch } = make();
    expect(() => checkInput({ channels: ch.slice(0, 3), shape, spacing: [1, 1, 1] }, spec(1))).toThrow(/expects 4 channels/);
    expect(() => checkInput({ channels: [...ch.slice(0, 3), new Float32Array(10)], shape, spacing: [1, 1, 1] }, spec(1))).toThrow(/channel 3 has 10 voxels/);
    expect(() => checkInput({ channels: ch, shape, spacing: [1, 0, 1] }, spec(1))).toThrow(/spacing/);
  });
});
