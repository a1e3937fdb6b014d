/**
 * A segmentation as the metrics see it: one byte per voxel, x fastest, with its grid and voxel
 * size. Built from a NIfTI image; values are checked against the label scheme here, once.
 */
import { scaling, type Mat4, type NiftiHeader, type TypedArray } from '../nifti/index';
import { EvaluateError } from './errors';
import type { Dims } from './grid';
import type { Spacing } from './surface';

export interface LabelVolume {
  path: string;
  dims: Dims;
  /** Voxel size in mm as nibabel's get_zooms() gives it (float32 values). */
  spacing: Spacing;
  affine: Mat4;
  labels: Uint8Array;
}

/** Checks a segmentation's values and turns it into a LabelVolume (throws EvaluateError 'labels' naming the file). */
export function labelVolume(header: NiftiHeader, data: TypedArray, path: string, allowed: readonly number[]): LabelVolume {
  const dims = header.dims;
  if (dims.length < 3 || dims.slice(3).some((d) => d !== 1))
    throw new EvaluateError('shape', `${path}: a segmentation must be one 3D volume, this one has shape ${dims.join('×')}`, [path]);
  const { slope, inter } = scaling(header, path);
  const ok = new Uint8Array(256);
  for (const v of allowed) ok[v] = 1;
  const n = dims[0] * dims[1] * dims[2];
  const bad = new Map<number, number>();
  let labels: Uint8Array;
  if (slope === 1 && inter === 0 && (data instanceof Uint8Array || data instanceof Int16Array || data instanceof Uint16Array || data instanceof Int8Array)) {
    // Integer storage (nnU-Net writes uint8): a histogram of the stored values, checked once.
    const count = new Float64Array(65536);
    for (let i = 0; i < n; i++) count[data[i] & 0xffff]++;
    for (let u = 0; u < 65536; u++) {
      if (!count[u]) continue;
      const v = data instanceof Int16Array ? (u << 16) >> 16 : data instanceof Int8Array ? (u << 24) >> 24 : u;
      if (v < 0 || v > 255 || !ok[v]) bad.set(v, count[u]);
    }
    labels = data instanceof Uint8Array ? data.subarray(0, n) : new Uint8Array(n);
    if (!(data instanceof Uint8Array)) labels.set(data.subarray(0, n));
  } else {
    labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = Number(data[i]) * slope + inter;
      if (v >= 0 && v <= 255 && ok[v] && Number.isInteger(v)) labels[i] = v;
      else bad.set(v, (bad.get(v) ?? 0) + 1);
    }
  }
  if (bad.size) {
    const list = [...bad.entries()].sort((a, b) => a[0] - b[0]);
    const shown = list.slice(0, 6).map(([v, c]) => `${v} (${c} voxels)`).join(', ');
    throw new EvaluateError(
      'labels',
      `${path}: label values outside the scheme (allowed ${allowed.join(', ')}): ${shown}${list.length > 6 ? `, and ${list.length - 6} more values` : ''}`,
      [path],
    );
  }
  const [sx, sy, sz] = header.zooms;
  return { path, dims: [dims[0], dims[1], dims[2]], spacing: [Math.fround(sx), Math.fround(sy), Math.fround(sz)], affine: header.affine, labels };
}

/** Largest difference between two affines' entries (mm) below which they count as the same grid. */
export const AFFINE_TOLERANCE = 1e-3;

/** Throws EvaluateError naming both files when the grids differ in shape or affine. */
export function checkSameGrid(pred: LabelVolume, gt: LabelVolume): void {
  if (pred.dims.some((d, i) => d !== gt.dims[i]))
    throw new EvaluateError('shape', `shape mismatch: ${pred.path} is ${pred.dims.join('×')}, ${gt.path} is ${gt.dims.join('×')}`, [pred.path, gt.path]);
  let worst = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(pred.affine[r][c] - gt.affine[r][c]));
  if (!(worst <= AFFINE_TOLERANCE))
    throw new EvaluateError(
      'affine',
      `affine mismatch (largest difference ${worst.toPrecision(3)} mm): ${pred.path} and ${gt.path} are not on the same voxel grid; resample the prediction onto the reference`,
      [pred.path, gt.path],
    );
}
