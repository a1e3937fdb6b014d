/**
 * nnU-Net's preprocessing for BraTS-like data: crop to the bounding box of voxels that are non-zero
 * in any channel (nnunetv2/preprocessing/cropping/cropping.py, `crop_to_nonzero`), then z-score each
 * channel over the brain only, zero outside (ZScoreNormalization with use_mask_for_norm,
 * nnunetv2/preprocessing/normalization/default_normalization_schemes.py).
 */
import { voxels, type Vec3 } from './volume';

/** Half-open box [start, end) per axis, (z, y, x). */
export interface Box {
  start: Vec3;
  end: Vec3;
}

export function boxShape(box: Box): Vec3 {
  return [0, 1, 2].map((i) => box.end[i] - box.start[i]) as Vec3;
}

/** Mask of voxels non-zero in any channel and its bounding box (the whole volume when empty). */
export function nonzeroBox(channels: Float32Array[], shape: Vec3): { box: Box; mask: Uint8Array } {
  const n = voxels(shape);
  const mask = new Uint8Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) if (c[i] !== 0) mask[i] = 1;
  const start: Vec3 = [shape[0], shape[1], shape[2]];
  const end: Vec3 = [0, 0, 0];
  let i = 0;
  for (let z = 0; z < shape[0]; z++)
    for (let y = 0; y < shape[1]; y++)
      for (let x = 0; x < shape[2]; x++, i++) {
        if (!mask[i]) continue;
        const p = [z, y, x];
        for (let a = 0; a < 3; a++) {
          if (p[a] < start[a]) start[a] = p[a];
          if (p[a] + 1 > end[a]) end[a] = p[a] + 1;
        }
      }
  if (end[0] === 0) return { box: { start: [0, 0, 0], end: [...shape] as Vec3 }, mask };
  return { box: { start, end }, mask };
}

/** The part of a volume inside a box. */
export function crop<T extends Float32Array | Uint8Array>(data: T, shape: Vec3, box: Box): T {
  const [bz, by, bx] = boxShape(box);
  const out = new (data.constructor as { new (n: number): T })(bz * by * bx);
  let k = 0;
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++) {
      const row = ((box.start[0] + z) * shape[1] + box.start[1] + y) * shape[2] + box.start[2];
      out.set(data.subarray(row, row + bx), k);
      k += bx;
    }
  return out;
}

/** Puts a cropped volume back at its place in a volume of `shape`, `fill` elsewhere. */
export function uncrop<T extends Float32Array | Uint8Array>(data: T, box: Box, shape: Vec3, fill = 0): T {
  const [bz, by, bx] = boxShape(box);
  const out = new (data.constructor as { new (n: number): T })(voxels(shape));
  if (fill !== 0) out.fill(fill);
  let k = 0;
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++) {
      const row = ((box.start[0] + z) * shape[1] + box.start[1] + y) * shape[2] + box.start[2];
      out.set(data.subarray(k, k + bx), row);
      k += bx;
    }
  return out;
}

/** Z-score over voxels where mask is 1 (population sd, as numpy's std), 0 elsewhere; sd floored at 1e-8 like nnU-Net. */
export function zscoreInMask(data: Float32Array, mask: Uint8Array): Float32Array {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < data.length; i++) if (mask[i]) {
    n++;
    sum += data[i];
  }
  const out = new Float32Array(data.length);
  if (n === 0) return out;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < data.length; i++) if (mask[i]) ss += (data[i] - mean) ** 2;
  const sd = Math.max(Math.sqrt(ss / n), 1e-8);
  for (let i = 0; i < data.length; i++) if (mask[i]) out[i] = (data[i] - mean) / sd;
  return out;
}
