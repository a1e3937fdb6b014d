/**
 * Resampling between voxel grids. The output shape follows nnU-Net's rule
 * round(shape * spacing / targetSpacing) (nnunetv2/preprocessing/resampling/default_resampling.py,
 * `compute_new_shape`), and a voxel centre maps back with scikit-image's `resize` convention
 * src = (dst + 0.5) * in/out - 0.5, which nnU-Net's resampling calls. Images are interpolated
 * trilinearly (nnU-Net uses third-order splines in-plane; linear keeps this dependency-free and
 * monotone), labels with nearest neighbour.
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
