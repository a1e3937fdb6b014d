/**
 * Preview helpers and the one-pass inspection, on volumes small enough to check by hand.
 */
import { describe, expect, it } from 'vitest';
import { encodeNifti1, inspectNifti, percentileWindow, sliceK, toRgba, writeNiftiGz } from '../../labs/nifti/index';
import { memorySource } from '../../labs/shared/files';

describe('preview slice', () => {
  // 3×2×2 volume, value = 100·k + 10·j + i (x fastest), scaled ×2 + 1.
  const data = new Int16Array(12).map((_, n) => 100 * Math.floor(n / 6) + 10 * (Math.floor(n / 3) % 2) + (n % 3));
  const header = { dims: [3, 2, 2], sclSlope: 2, sclInter: 1 };

  it('takes slice k across the third axis, scaled', () => {
    const s = sliceK(data, header, 1);
    expect([s.width, s.height]).toEqual([3, 2]);
    expect([...s.values]).toEqual([201, 203, 205, 221, 223, 225]);
    expect(() => sliceK(data, header, 2)).toThrow(RangeError);
  });

  it('windows by nearest-rank percentiles and ignores NaN', () => {
    const v = new Float32Array([Number.NaN, ...Array.from({ length: 101 }, (_, i) => i)]);
    expect(percentileWindow(v, 0, 100)).toEqual([0, 100]);
    expect(percentileWindow(v, 10, 90)).toEqual([10, 90]);
    expect(percentileWindow(new Float32Array([Number.NaN]))).toEqual([0, 0]);
  });

  it('draws j upwards: the first canvas row is the last j', () => {
    const s = sliceK(data, { dims: [3, 2, 2], sclSlope: 1, sclInter: 0 }, 0); // [0 1 2 / 10 11 12]
    const px = toRgba(s, 0, 12);
    // Canvas row 0 = j 1 (10, 11, 12) → grey 212.5, 233.75, 255; row 1 = j 0 (0, 1, 2) → 0, 21.25, 42.5.
    // Uint8ClampedArray rounds halves to even: 212.5 → 212, 42.5 → 42.
    expect([px[0], px[4], px[8]]).toEqual([212, 234, 255]);
    expect([px[12], px[16], px[20]]).toEqual([0, 21, 42]);
    expect(px[3]).toBe(255);
  });
});

describe('inspectNifti', () => {
  it('keeps the first volume of a 4D file and summarises all volumes', async () => {
    // 2×2×1×3: volume t holds t+1 in every voxel except a zero at index 0; scaled ×0.5.
    const data = new Uint8Array(12).map((_, n) => (n % 4 === 0 ? 0 : Math.floor(n / 4) + 1));
    const opts = { dims: [2, 2, 1, 3], datatype: 'uint8' as const, data, sclSlope: 0.5 };
    const src = memorySource('m', { 'a.nii.gz': await writeNiftiGz(opts), 'a.nii': encodeNifti1(opts) });
    for (const path of ['a.nii.gz', 'a.nii']) {
      const r = await inspectNifti(src, path, { keepFirstVolume: true });
      expect(r.gzip).toBe(path.endsWith('.gz'));
      expect([...r.firstVolume!]).toEqual([0, 1, 1, 1]);
      // Non-zero: 3 voxels each of 0.5, 1, 1.5 → mean 1; range 0 … 1.5.
      expect(r.stats).toMatchObject({ count: 12, min: 0, max: 1.5, nonzeroCount: 9, nonzeroMean: 1, nanCount: 0 });
      expect(r.axcodes).toEqual(['R', 'A', 'S']);
    }
    const head = await inspectNifti(src, 'a.nii.gz', { headerOnly: true });
    expect(head.stats).toBeUndefined();
    expect(head.header.dims).toEqual([2, 2, 1, 3]);
  });
});
