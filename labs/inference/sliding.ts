/**
 * Sliding-window inference as nnU-Net runs it (nnunetv2/inference/sliding_window_prediction.py and
 * predict_from_raw_data.py): windows of the patch size, step = patch * (1 - overlap) rounded so the
 * windows spread evenly from the first voxel to the last (`compute_steps_for_sliding_window`), each
 * window's logits weighted by a Gaussian centred on the patch with sigma = patch / 8 (`compute_gaussian`,
 * sigma_scale 1/8), summed, and divided by the summed weights. Borders of a patch see less context
 * than its centre, so the Gaussian trusts centres more. With test-time mirroring each window is also
 * predicted flipped along every combination of the chosen axes, the flips undone and the logits
 * averaged (`_internal_maybe_mirror_and_predict`): 8 passes for three axes.
 *
 * The model is injected as an async function, so tests run a fake model and the browser runs ONNX.
 */
import { voxels, type Vec3 } from './volume';

/** Runs the network on one patch: input (C, pz, py, px) flat, output (K, pz, py, px) logits flat. */
export type PatchModel = (input: Float32Array, patch: Vec3) => Promise<Float32Array>;

/** numpy's np.round: halves go to the even neighbour (nnU-Net rounds window starts with it). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5 || (d === 0.5 && f % 2 !== 0)) return f + 1;
  return f;
}

/** Start offsets along one axis (nnU-Net's `compute_steps_for_sliding_window`). */
export function windowStarts(size: number, patch: number, overlap: number): number[] {
  if (!(overlap >= 0 && overlap < 1)) throw new Error(`overlap must be in [0, 1), got ${overlap}`);
  if (size <= patch) return [0];
  const step = patch * (1 - overlap);
  const n = Math.ceil((size - patch) / step) + 1;
  const actual = (size - patch) / (n - 1);
  return Array.from({ length: n }, (_, i) => roundHalfEven(actual * i));
}

/**
 * Gaussian importance map of a patch, maximum 1. nnU-Net blurs a centred delta with
 * scipy.ndimage.gaussian_filter; the closed form exp(-d²/2σ²) per axis is the same curve without
 * the 4σ truncation.
 */
export function gaussianImportance(patch: Vec3): Float32Array {
  const axes = patch.map((p) => {
    const c = Math.floor(p / 2);
    const s = p / 8;
    return Float32Array.from({ length: p }, (_, i) => Math.exp(-((i - c) ** 2) / (2 * s * s)));
  });
  const out = new Float32Array(voxels(patch));
  let k = 0;
  for (let z = 0; z < patch[0]; z++)
    for (let y = 0; y < patch[1]; y++) for (let x = 0; x < patch[2]; x++) out[k++] = axes[0][z] * axes[1][y] * axes[2][x];
  return out;
}

/** Shape the volume is padded to (at least the patch on every axis; padding is zeros at the far end). */
export function paddedShape(shape: Vec3, patch: Vec3): Vec3 {
  return [0, 1, 2].map((i) => Math.max(shape[i], patch[i])) as Vec3;
}

/** Window origins, z outermost. */
export function windows(shape: Vec3, patch: Vec3, overlap: number): Vec3[] {
  const p = paddedShape(shape, patch);
  const out: Vec3[] = [];
  for (const z of windowStarts(p[0], patch[0], overlap))
    for (const y of windowStarts(p[1], patch[1], overlap)) for (const x of windowStarts(p[2], patch[2], overlap)) out.push([z, y, x]);
  return out;
}

/**
 * Flips a (C, pz, py, px) patch along the axes set in `mask` (bit 0 = z, 1 = y, 2 = x). A flip is
 * its own inverse, so the same call undoes it.
 */
export function flipPatch(data: Float32Array, patch: Vec3, mask: number): Float32Array {
  const [pz, py, px] = patch;
  const pv = pz * py * px;
  const out = new Float32Array(data.length);
  const fz = (mask & 1) !== 0;
  const fy = (mask & 2) !== 0;
  const fx = (mask & 4) !== 0;
  for (let c = 0; c < data.length / pv; c++)
    for (let z = 0; z < pz; z++)
      for (let y = 0; y < py; y++) {
        const src = c * pv + ((fz ? pz - 1 - z : z) * py + (fy ? py - 1 - y : y)) * px;
        const dst = c * pv + (z * py + y) * px;
        for (let x = 0; x < px; x++) out[dst + x] = data[src + (fx ? px - 1 - x : x)];
      }
  return out;
}

/** Every non-empty combination of the mirror axes (0 = z, 1 = y, 2 = x), as flip masks. */
export function mirrorMasks(axes: readonly number[]): number[] {
  const bits = axes.map((a) => 1 << a);
  const masks: number[] = [];
  for (let sub = 1; sub < 1 << bits.length; sub++) masks.push(bits.reduce((m, b, i) => (sub & (1 << i) ? m | b : m), 0));
  return masks;
}

export interface SlidingOptions {
  patch: Vec3;
  overlap: number;
  /** Test-time mirroring along these axes (0 = z, 1 = y, 2 = x); none by default. */
  mirror?: readonly number[];
  /** Output channels of the model (3 regions). */
  outChannels: number;
  model: PatchModel;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Logits (one array per output channel, each of the input's shape) for a preprocessed volume. */
export async function slidingWindow(channels: Float32Array[], shape: Vec3, opts: SlidingOptions): Promise<Float32Array[]> {
  const { patch, outChannels } = opts;
  const ps = paddedShape(shape, patch);
  const pv = voxels(patch);
  const n = voxels(ps);
  const gauss = gaussianImportance(patch);
  const acc = Array.from({ length: outChannels }, () => new Float32Array(n));
  const wsum = new Float32Array(n);
  const list = windows(shape, patch, opts.overlap);
  const input = new Float32Array(channels.length * pv);
  const masks = mirrorMasks(opts.mirror ?? []);
  const predict = async (x: Float32Array) => {
    const out = await opts.model(x, patch);
    if (out.length !== outChannels * pv) {
      throw new Error(`the model returned ${out.length} values for a ${patch.join('×')} patch; expected ${outChannels} channels × ${pv} voxels`);
    }
    return out;
  };
  for (let w = 0; w < list.length; w++) {
    opts.signal?.throwIfAborted();
    const [oz, oy, ox] = list[w];
    input.fill(0);
    for (let c = 0; c < channels.length; c++) {
      const src = channels[c];
      for (let z = 0; z < patch[0] && oz + z < shape[0]; z++)
        for (let y = 0; y < patch[1] && oy + y < shape[1]; y++) {
          const from = ((oz + z) * shape[1] + oy + y) * shape[2] + ox;
          const len = Math.min(patch[2], shape[2] - ox);
          if (len > 0) input.set(src.subarray(from, from + len), c * pv + (z * patch[1] + y) * patch[2]);
        }
    }
    // A copy, since the mirrored passes are summed into it.
    const out = Float32Array.from(await predict(input));
    for (const mask of masks) {
      opts.signal?.throwIfAborted();
      const back = flipPatch(await predict(flipPatch(input, patch, mask)), patch, mask);
      for (let i = 0; i < out.length; i++) out[i] += back[i];
    }
    if (masks.length) for (let i = 0; i < out.length; i++) out[i] /= masks.length + 1;
    let k = 0;
    for (let z = 0; z < patch[0]; z++)
      for (let y = 0; y < patch[1]; y++) {
        const row = ((oz + z) * ps[1] + oy + y) * ps[2] + ox;
        for (let x = 0; x < patch[2]; x++, k++) {
          const g = gauss[k];
          wsum[row + x] += g;
          for (let c = 0; c < outChannels; c++) acc[c][row + x] += out[c * pv + k] * g;
        }
      }
    opts.onProgress?.(w + 1, list.length);
  }
  // Drop the padding and divide by the summed weights.
  return acc.map((a) => {
    const res = new Float32Array(voxels(shape));
    let k = 0;
    for (let z = 0; z < shape[0]; z++)
      for (let y = 0; y < shape[1]; y++) {
        const row = (z * ps[1] + y) * ps[2];
        for (let x = 0; x < shape[2]; x++) res[k++] = a[row + x] / wsum[row + x];
      }
    return res;
  });
}
