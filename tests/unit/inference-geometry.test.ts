/**
 * Spline resampling, reorientation and test-time mirroring of labs/inference, against outside
 * references: scipy.ndimage.zoom (order 3, mode "reflect", grid_mode) and nibabel's
 * io_orientation/ornt_transform/apply_orientation (Debian python3-scipy, python3-nibabel), plus hand
 * calculations. Skips without those packages, fails under CI=true.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requirePython } from '../helpers/python';
import { createRng } from '../../labs/shared/prng';
import { resampleSpline } from '../../labs/inference/resample';
import { affineFor, applyAxisMap, axisMap, inverse, parseCodes, permuted } from '../../labs/inference/orient';
import { axcodes } from '../../labs/nifti';
import { flipPatch, mirrorMasks, slidingWindow } from '../../labs/inference/sliding';
import { segment, type ModelSpec } from '../../labs/inference/pipeline';
import type { Vec3 } from '../../labs/inference/volume';
import { loadCase } from '../../labs/inference/load';
import { memorySource } from '../../labs/shared/files';
import { encodeNifti1 } from '../../labs/nifti/write';

const python = requirePython('scipy, nibabel, numpy', 'python3-scipy python3-nibabel');

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-2, 3));
}

/** Runs a Python snippet with a JSON job on stdin and returns its JSON answer. */
function py(script: string, job: unknown): unknown {
  return JSON.parse(execFileSync(python!, ['-c', script], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 26 }));
}

const ZOOM = String.raw`
import json, sys
import numpy as np
from scipy.ndimage import zoom
job = json.load(sys.stdin)
a = np.array(job["data"], dtype=np.float64).reshape(job["shape"])
out = zoom(a, [o / i for o, i in zip(job["out"], job["shape"])], order=3, mode="reflect", grid_mode=True)
assert list(out.shape) == job["out"], out.shape
print(json.dumps(out.ravel().tolist()))
`;

describe.skipIf(!python)('cubic spline resampling vs scipy.ndimage.zoom', () => {
  // scipy's start-up values are approximate on lines shorter than four samples (resample.ts), so
  // every resized axis here has at least four; shorter lines get the hand check below.
  const cases: [Vec3, Vec3][] = [
    [[7, 9, 11], [10, 6, 13]],
    [[5, 4, 6], [5, 8, 4]],
    [[1, 16, 5], [1, 5, 12]],
  ];
  for (const [shape, out] of cases) {
    it(`${shape.join('×')} → ${out.join('×')}`, () => {
      const data = random(shape[0] * shape[1] * shape[2], shape[0] * 100 + out[2]);
      const want = py(ZOOM, { data: Array.from(data), shape, out }) as number[];
      const got = resampleSpline(data, shape, out);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst).toBeLessThan(1e-4);
    });
  }
});

describe('cubic spline resampling by hand', () => {
  it('passes through the samples where output centres meet input centres, on any line length', () => {
    // n → 3n along x: output o samples (o + 0.5) / 3 - 0.5, which is input i at o = 3i + 1.
    for (const data of [Float32Array.of(3, -1, 7, 2), Float32Array.of(5, -4), Float32Array.of(1, 8, -2)]) {
      const out = resampleSpline(data, [1, 1, data.length], [1, 1, 3 * data.length]);
      data.forEach((v, i) => expect(out[3 * i + 1]).toBeCloseTo(v, 5));
    }
  });
  it('keeps a constant constant and leaves an unchanged shape alone', () => {
    const flat = new Float32Array(60).fill(4.5);
    for (const v of resampleSpline(flat, [3, 4, 5], [5, 2, 7])) expect(v).toBeCloseTo(4.5, 5);
    const data = random(60, 3);
    expect(Array.from(resampleSpline(data, [3, 4, 5], [3, 4, 5]))).toEqual(Array.from(data));
  });
});

const REORIENT = String.raw`
import json, sys
import numpy as np
from nibabel.orientations import axcodes2ornt, ornt_transform, apply_orientation
job = json.load(sys.stdin)
nx, ny, nz = job["xyz"]
# The flat test volume is x fastest: numpy's Fortran order of an (x, y, z) array.
a = np.array(job["data"], dtype=np.float32).reshape((nx, ny, nz), order="F")
out = []
for src, dst in job["pairs"]:
    b = apply_orientation(a, ornt_transform(axcodes2ornt(tuple(src)), axcodes2ornt(tuple(dst))))
    out.append({"shape": list(b.shape), "data": b.ravel(order="F").tolist()})
print(json.dumps(out))
`;

describe('reorientation by axis permutation and flips', () => {
  it.skipIf(!python)('matches nibabel for every pair among LPS, RAS, LAS, PSR, SLA', () => {
    const shape: Vec3 = [4, 5, 6]; // (z, y, x)
    const data = Float32Array.from({ length: 120 }, (_, i) => i);
    const codes = ['LPS', 'RAS', 'LAS', 'PSR', 'SLA'];
    const pairs = codes.flatMap((src) => codes.map((dst) => [src, dst]));
    const answers = py(REORIENT, { data: Array.from(data), xyz: [6, 5, 4], pairs }) as { shape: number[]; data: number[] }[];
    for (const [k, [src, dst]] of pairs.entries()) {
      const want = answers[k];
      const m = axisMap(src, dst);
      const got = applyAxisMap(data, shape, m);
      expect(permuted(shape, m), `${src} → ${dst}`).toEqual([want.shape[2], want.shape[1], want.shape[0]]);
      expect(Array.from(got), `${src} → ${dst}`).toEqual(want.data);
      expect(Array.from(applyAxisMap(got, permuted(shape, m), inverse(m)))).toEqual(Array.from(data));
    }
  });
  it('maps LPS to RAS by flipping x and y (hand check)', () => {
    // x fastest: (z, y, x) = (1, 2, 3), values 0..5 in rows [0 1 2] [3 4 5]; flipping x and y gives [5 4 3] [2 1 0].
    expect(Array.from(applyAxisMap(Float32Array.of(0, 1, 2, 3, 4, 5), [1, 2, 3], axisMap('LPS', 'RAS')))).toEqual([5, 4, 3, 2, 1, 0]);
  });
  it('writes an affine that nibabel-style axis codes read back, with the spacing on each axis', () => {
    // axcodes is checked against nibabel in nifti-nibabel.test.ts.
    for (const codes of ['LPS', 'RAS', 'LAS', 'PSR', 'SLA', 'IRP']) {
      const a = affineFor(codes, [3, 2, 1]);
      expect(axcodes(a).join(''), codes).toBe(codes);
      expect([0, 1, 2].map((j) => Math.hypot(a[0][j], a[1][j], a[2][j]))).toEqual([1, 2, 3]);
    }
  });
  it('refuses codes that do not name three distinct axes', () => {
    for (const bad of ['LPR', 'LP', 'XYZ', 'LPSS']) expect(() => parseCodes(bad)).toThrow(/three axis codes/);
    expect(parseCodes('ras')).toBe('RAS');
  });
});

describe('test-time mirroring', () => {
  it('lists the seven flips of three axes and the one of a single axis', () => {
    expect(mirrorMasks([0, 1, 2]).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(mirrorMasks([2])).toEqual([4]);
    expect(mirrorMasks([])).toEqual([]);
  });
  it('flips a patch along x (hand check) and undoes itself', () => {
    const p = Float32Array.of(0, 1, 2, 3, 4, 5);
    expect(Array.from(flipPatch(p, [1, 2, 3], 4))).toEqual([2, 1, 0, 5, 4, 3]);
    expect(Array.from(flipPatch(p, [1, 2, 3], 2))).toEqual([3, 4, 5, 0, 1, 2]);
    expect(Array.from(flipPatch(flipPatch(p, [1, 2, 3], 7), [1, 2, 3], 7))).toEqual(Array.from(p));
  });
  it('averages each window with its flipped predictions', async () => {
    // A model that answers the x index inside the patch: mirrored along x it answers px - 1 - x,
    // so the average is (px - 1) / 2 everywhere, whatever the Gaussian weights.
    const patch: Vec3 = [4, 4, 6];
    const model = async (_: Float32Array, p: Vec3) => Float32Array.from({ length: p[0] * p[1] * p[2] }, (_, k) => k % p[2]);
    const shape: Vec3 = [6, 5, 9];
    const ch = [new Float32Array(270).fill(1)];
    const plain = await slidingWindow(ch, shape, { patch, overlap: 0.5, outChannels: 1, model });
    expect(new Set(plain[0]).size).toBeGreaterThan(1);
    const mirrored = await slidingWindow(ch, shape, { patch, overlap: 0.5, outChannels: 1, model, mirror: [2] });
    for (const v of mirrored[0]) expect(v).toBeCloseTo(2.5, 5);
    let calls = 0;
    const counting = async (x: Float32Array, p: Vec3) => (calls++, model(x, p));
    await slidingWindow(ch, shape, { patch, overlap: 0.5, outChannels: 1, model: counting, mirror: [0, 1, 2] });
    // 8 passes × 8 windows: 2 along each axis (6 - 4, 5 - 4 and 9 - 6 voxels left over, steps of 2, 2, 3).
    expect(calls).toBe(8 * 2 * 2 * 2);
  });
});

describe('the pipeline reorients a case to the model and back', () => {
  // A fake model that is not symmetric: ET where T1ce is high in the upper half (z) of the patch.
  const spec: ModelSpec = { spacing: [1, 1, 1], patch: [8, 8, 8], net: { inChannels: 4, outChannels: 3, features: [4] }, regions: ['WT', 'TC', 'ET'], orientation: 'LPS' };
  const model = async (x: Float32Array, p: Vec3) => {
    const pv = p[0] * p[1] * p[2];
    const out = new Float32Array(3 * pv);
    for (let k = 0; k < pv; k++) {
      const z = Math.floor(k / (p[1] * p[2]));
      const v = x[pv + k] > 0.5 && z >= p[0] / 2 ? 1 : -1;
      out[k] = out[pv + k] = out[2 * pv + k] = v;
    }
    return out;
  };
  const shape: Vec3 = [10, 9, 12];
  const n = 10 * 9 * 12;
  const channels = [0, 1, 2, 3].map((c) => random(n, 40 + c).map((v) => v + 3));

  it('gives the same labels, in the file grid, for an LPS case and its RAS and SLA copies', async () => {
    const lps = await segment({ channels, shape, spacing: [1, 1, 1], orientation: 'LPS' }, { spec, model });
    expect(lps.reoriented).toBeUndefined();
    for (const codes of ['RAS', 'SLA']) {
      const m = axisMap('LPS', codes);
      const other = { channels: channels.map((c) => applyAxisMap(c, shape, m)), shape: permuted(shape, m), spacing: [1, 1, 1] as Vec3 };
      const res = await segment({ ...other, orientation: codes }, { spec, model });
      expect(res.reoriented).toEqual({ from: codes, to: 'LPS' });
      expect(Array.from(res.labels)).toEqual(Array.from(applyAxisMap(lps.labels, shape, m)));
      // Control: the same voxels without their orientation are read as stored, and come out different.
      const asStored = await segment(other, { spec, model });
      expect(Array.from(asStored.labels)).not.toEqual(Array.from(res.labels));
    }
  });
});

describe('loading a case reads its orientation', () => {
  const vol = (affine: number[][]) => encodeNifti1({ dims: [4, 3, 2], datatype: 'int16', data: new Int16Array(24).fill(5), affine });
  const LPS = [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  const RAS = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  const paths = { t1: 't1.nii', t1ce: 't1ce.nii', t2: 't2.nii', flair: 'flair.nii' };

  it('gives the axis codes of the files (nibabel: diag(-1, -1, 1) is L P S)', async () => {
    const files = Object.fromEntries(Object.values(paths).map((p) => [p, vol(LPS)]));
    expect((await loadCase(memorySource('case', files), paths)).input.orientation).toBe('LPS');
  });
  it('refuses a channel stored in another orientation, naming it', async () => {
    const files = Object.fromEntries(Object.values(paths).map((p) => [p, vol(p === 't2.nii' ? RAS : LPS)]));
    await expect(loadCase(memorySource('case', files), paths)).rejects.toThrow('t2.nii: voxel orientation RAS differs from t1.nii (LPS)');
  });
});
