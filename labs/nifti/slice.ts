/**
 * A 2D slice of a volume for a preview: scaled values of one slice across the third array axis,
 * a display window from percentiles (so one hot voxel does not wash the image out), and grey
 * RGBA pixels with the second array axis pointing up, ready for a canvas ImageData.
 */
import { scaling } from './header';
import type { NiftiHeader, TypedArray } from './types';

export interface Slice {
  /** Size along the first (width) and second (height) array axes. */
  width: number;
  height: number;
  /** Scaled values, index i + width * j. */
  values: Float32Array;
}

/** Slice `k` across the third array axis of a volume in NIfTI order (x fastest). */
export function sliceK(volume: TypedArray, header: Pick<NiftiHeader, 'dims' | 'sclSlope' | 'sclInter'>, k: number): Slice {
  const width = header.dims[0];
  const height = header.dims[1] ?? 1;
  const depth = header.dims[2] ?? 1;
  if (!(k >= 0 && k < depth)) throw new RangeError(`slice ${k} is outside 0..${depth - 1}`);
  const { slope, inter } = scaling(header);
  const n = width * height;
  const values = new Float32Array(n);
  const start = k * n;
  for (let i = 0; i < n; i++) values[i] = Number(volume[start + i]) * slope + inter;
  return { width, height, values };
}

/** The [low, high] percentiles of the finite values (nearest rank); [0, 0] when none is finite. */
export function percentileWindow(values: Float32Array, low = 0.5, high = 99.5): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (finite.length === 0) return [0, 0];
  const at = (p: number) => finite[Math.min(finite.length - 1, Math.max(0, Math.round((p / 100) * (finite.length - 1))))];
  return [at(low), at(high)];
}

/**
 * RGBA grey levels for a canvas: value `lo` → black, `hi` → white, NaN → red. Canvas rows run
 * downwards, so row 0 holds the last j: the second array axis points up on screen.
 */
export function toRgba(slice: Slice, lo: number, hi: number): Uint8ClampedArray {
  const { width, height, values } = slice;
  const out = new Uint8ClampedArray(width * height * 4);
  const span = hi > lo ? 255 / (hi - lo) : 0;
  for (let j = 0; j < height; j++) {
    const row = (height - 1 - j) * width;
    for (let i = 0; i < width; i++) {
      const v = values[i + j * width];
      const o = (row + i) * 4;
      if (Number.isNaN(v)) {
        out[o] = 255;
        out[o + 1] = out[o + 2] = 0;
      } else {
        const g = span === 0 ? (v > lo ? 255 : 0) : (v - lo) * span;
        out[o] = out[o + 1] = out[o + 2] = g;
      }
      out[o + 3] = 255;
    }
  }
  return out;
}
