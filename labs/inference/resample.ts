/**
 * Resampling between voxel grids. The output shape follows nnU-Net's rule
 * round(shape * spacing / targetSpacing) (nnunetv2/preprocessing/resampling/default_resampling.py,
 * `compute_new_shape`), and a voxel centre maps back with scikit-image's `resize` convention
 * src = (dst + 0.5) * in/out - 0.5, which nnU-Net's resampling calls. Images are interpolated
 * with cubic B-splines (nnU-Net's order 3 for data), logits trilinearly (its order 1 for
 * probabilities), labels with nearest neighbour.
 */
import { voxels, type Vec3 } from './volume';

export function newShape(shape: Vec3, spacing: Vec3, target: Vec3): Vec3 {
  return [0, 1, 2].map((i) => Math.max(1, Math.round((shape[i] * spacing[i]) / target[i]))) as Vec3;
}

interface AxisTaps {
  lo: Int32Array;
  hi: Int32Array;
  w: Float32Array;
}

/** Per-output-index neighbours and weight along one axis (clamped at the edges). */
function taps(nIn: number, nOut: number): AxisTaps {
  const lo = new Int32Array(nOut);
  const hi = new Int32Array(nOut);
  const w = new Float32Array(nOut);
  const scale = nIn / nOut;
  for (let o = 0; o < nOut; o++) {
    const s = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), nIn - 1);
    const f = Math.floor(s);
    lo[o] = f;
    hi[o] = Math.min(f + 1, nIn - 1);
    w[o] = s - f;
  }
  return { lo, hi, w };
}

/** Trilinear resampling of one (z, y, x) volume to `outShape`. */
export function resampleLinear(data: Float32Array, shape: Vec3, outShape: Vec3): Float32Array {
  if (data.length !== voxels(shape)) throw new Error(`resample: ${data.length} voxels do not match shape ${shape.join('×')}`);
  if (shape.every((s, i) => s === outShape[i])) return data.slice();
  const [tz, ty, tx] = [taps(shape[0], outShape[0]), taps(shape[1], outShape[1]), taps(shape[2], outShape[2])];
  const [, ny, nx] = shape;
  const out = new Float32Array(voxels(outShape));
  let k = 0;
  for (let z = 0; z < outShape[0]; z++) {
    const z0 = tz.lo[z] * ny * nx;
    const z1 = tz.hi[z] * ny * nx;
    const wz = tz.w[z];
    for (let y = 0; y < outShape[1]; y++) {
      const y0 = ty.lo[y] * nx;
      const y1 = ty.hi[y] * nx;
      const wy = ty.w[y];
      for (let x = 0; x < outShape[2]; x++) {
        const x0 = tx.lo[x];
        const x1 = tx.hi[x];
        const wx = tx.w[x];
        const c00 = data[z0 + y0 + x0] * (1 - wx) + data[z0 + y0 + x1] * wx;
        const c01 = data[z0 + y1 + x0] * (1 - wx) + data[z0 + y1 + x1] * wx;
        const c10 = data[z1 + y0 + x0] * (1 - wx) + data[z1 + y0 + x1] * wx;
        const c11 = data[z1 + y1 + x0] * (1 - wx) + data[z1 + y1 + x1] * wx;
        out[k++] = (c00 * (1 - wy) + c01 * wy) * (1 - wz) + (c10 * (1 - wy) + c11 * wy) * wz;
      }
    }
  }
  return out;
}

/** Nearest-neighbour resampling (labels): each output voxel takes the input voxel its centre falls in. */
export function resampleNearest<T extends Float32Array | Uint8Array>(data: T, shape: Vec3, outShape: Vec3): T {
  const idx = [0, 1, 2].map((a) => {
    const m = new Int32Array(outShape[a]);
    for (let o = 0; o < outShape[a]; o++) m[o] = Math.min(shape[a] - 1, Math.floor(((o + 0.5) * shape[a]) / outShape[a]));
    return m;
  });
  const out = new (data.constructor as { new (n: number): T })(voxels(outShape));
  let k = 0;
  for (let z = 0; z < outShape[0]; z++)
    for (let y = 0; y < outShape[1]; y++) {
      const row = (idx[0][z] * shape[1] + idx[1][y]) * shape[2];
      for (let x = 0; x < outShape[2]; x++) out[k++] = data[row + idx[2][x]];
    }
  return out;
}

/** The pole of the cubic B-spline prefilter, sqrt(3) - 2 (Unser 1999, IEEE Signal Proc. Mag. 16:22). */
const POLE = Math.sqrt(3) - 2;
/** Terms of the start-up sums: |POLE|^HORIZON < 1e-12. */
const HORIZON = Math.ceil(Math.log(1e-12) / Math.log(-POLE));

/** Index into a line of n samples extended by half-sample symmetry (… b a | a b … y z | z y …). */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/**
 * Cubic B-spline interpolation coefficients of one line with half-sample symmetric ends (scipy's
 * mode "reflect"). The symmetric extension is periodic over 2n samples, so the causal and
 * anticausal recursions run over one period with start-up values summed around it: exact for
 * every length. (scipy's closed-form start-up differs from this by up to 5e-4 on lines of two or
 * three samples and by less than 1e-6 from four samples on.)
 */
function prefilter(line: Float64Array, work: Float64Array): void {
  const n = line.length;
  const P = 2 * n;
  const z = POLE;
  for (let i = 0; i < n; i++) work[i] = work[P - 1 - i] = 6 * line[i];
  let start = 0;
  for (let j = 0, zj = 1; j < HORIZON; j++, zj *= z) start += zj * work[(P - (j % P)) % P];
  work[0] = start;
  for (let i = 1; i < P; i++) work[i] += z * work[i - 1];
  let end = 0;
  for (let j = 0, zj = z; j < HORIZON; j++, zj *= z) end -= zj * work[(P - 1 + j) % P];
  // Only the first half is kept, so the backward pass can overwrite as it goes.
  let next = end;
  for (let i = P - 2; i >= 0; i--) {
    next = z * (next - work[i]);
    if (i < n) line[i] = next;
  }
}

/** The cubic B-spline at distance t from a knot. */
function bspline3(t: number): number {
  const a = Math.abs(t);
  if (a < 1) return 2 / 3 - a * a + (a * a * a) / 2;
  if (a < 2) return (2 - a) ** 3 / 6;
  return 0;
}

/** Resizes axis `axis` (0 = z, 1 = y, 2 = x) of a (z, y, x) volume from shape[axis] to `size`. */
function splineAxis(data: Float32Array, shape: Vec3, axis: number, size: number): Float32Array {
  const nIn = shape[axis];
  const outShape = shape.slice() as Vec3;
  outShape[axis] = size;
  const stride = axis === 2 ? 1 : axis === 1 ? shape[2] : shape[1] * shape[2];
  const outStride = axis === 2 ? 1 : axis === 1 ? outShape[2] : outShape[1] * outShape[2];
  // Per output index: the four coefficient indices and their weights.
  const idx = new Int32Array(size * 4);
  const wt = new Float64Array(size * 4);
  for (let o = 0; o < size; o++) {
    const src = ((o + 0.5) * nIn) / size - 0.5;
    const f = Math.floor(src);
    for (let t = 0; t < 4; t++) {
      idx[o * 4 + t] = reflect(f - 1 + t, nIn);
      wt[o * 4 + t] = bspline3(src - (f - 1 + t));
    }
  }
  const out = new Float32Array(voxels(outShape));
  const line = new Float64Array(nIn);
  const work = new Float64Array(2 * nIn);
  // Every line along `axis` starts at one combination of the other two indices.
  const outer = axis === 0 ? shape[1] : shape[0];
  const inner = axis === 2 ? shape[1] : shape[2];
  for (let u = 0; u < outer; u++)
    for (let v = 0; v < inner; v++) {
      const base = axis === 0 ? u * shape[2] + v : axis === 1 ? u * shape[1] * shape[2] + v : (u * shape[1] + v) * shape[2];
      const outBase = axis === 0 ? u * outShape[2] + v : axis === 1 ? u * outShape[1] * outShape[2] + v : (u * outShape[1] + v) * outShape[2];
      for (let i = 0; i < nIn; i++) line[i] = data[base + i * stride];
      prefilter(line, work);
      for (let o = 0; o < size; o++) {
        const q = o * 4;
        out[outBase + o * outStride] = line[idx[q]] * wt[q] + line[idx[q + 1]] * wt[q + 1] + line[idx[q + 2]] * wt[q + 2] + line[idx[q + 3]] * wt[q + 3];
      }
    }
  return out;
}

/**
 * Cubic B-spline resampling of one (z, y, x) volume to `outShape`, one axis after the other (the
 * tensor-product spline is separable). Equals scipy.ndimage.zoom(order=3, mode="reflect",
 * grid_mode=True); nnU-Net's scikit-image call extends edges by repetition instead, which differs
 * only within two voxels of the crop's faces.
 */
export function resampleSpline(data: Float32Array, shape: Vec3, outShape: Vec3): Float32Array {
  if (data.length !== voxels(shape)) throw new Error(`resample: ${data.length} voxels do not match shape ${shape.join('×')}`);
  let cur = data;
  let curShape = shape.slice() as Vec3;
  for (const axis of [2, 1, 0]) {
    if (curShape[axis] === outShape[axis]) continue;
    cur = splineAxis(cur, curShape, axis, outShape[axis]);
    curShape[axis] = outShape[axis];
  }
  return cur === data ? data.slice() : cur;
}
