/**
 * The patch-size trade-off in numbers: how many windows a volume needs, and about how much memory
 * one forward pass and the whole-volume accumulators take. These are estimates for the patch
 * explorer, not measurements: the runtime's own workspace and allocator slack come on top.
 */
import { paddedShape, windows } from './sliding';
import { voxels, type Vec3 } from './volume';

export interface NetworkShape {
  inChannels: number;
  outChannels: number;
  /** Feature maps per U-Net stage, highest resolution first; each stage halves the size. */
  features: number[];
}

export interface PatchPlan {
  patches: number;
  /** Windows per axis (z, y, x). */
  perAxis: Vec3;
  /** Voxels the model computes in total, overlaps counted (patches × patch voxels). */
  computedVoxels: number;
  /** Computed voxels / volume voxels: the price of the overlap. */
  redundancy: number;
  /** Bytes of one forward pass (input, output, skip connections and the working tensors). */
  forwardBytes: number;
  /** Bytes of the whole-volume logit accumulators and weight map. */
  accumulatorBytes: number;
}

const FLOAT = 4;

/**
 * Peak forward memory, estimated as input + output + every skip tensor the encoder keeps for the
 * decoder (features[i] maps of patch/2^i per axis) + three full-resolution working tensors at the
 * top stage (conv output, normalised copy and the concatenated skip, 2 × features[0]).
 */
export function forwardBytes(patch: Vec3, net: NetworkShape): number {
  const v = voxels(patch);
  let skips = 0;
  net.features.forEach((f, i) => (skips += f * (v / 8 ** i)));
  return FLOAT * Math.round(v * (net.inChannels + net.outChannels) + skips + 3 * net.features[0] * v);
}

export function patchPlan(shape: Vec3, patch: Vec3, overlap: number, net: NetworkShape): PatchPlan {
  const list = windows(shape, patch, overlap);
  const perAxis = [0, 1, 2].map((a) => new Set(list.map((w) => w[a])).size) as Vec3;
  const computedVoxels = list.length * voxels(patch);
  return {
    patches: list.length,
    perAxis,
    computedVoxels,
    redundancy: computedVoxels / voxels(shape),
    forwardBytes: forwardBytes(patch, net),
    accumulatorBytes: FLOAT * (net.outChannels + 1) * voxels(paddedShape(shape, patch)),
  };
}

/**
 * Time estimate from one measurement: a 3D conv net's work grows with the voxels it computes, so
 * seconds ≈ computed voxels × (measured seconds per voxel).
 */
export function estimateSeconds(plan: PatchPlan, measured: { patch: Vec3; secondsPerPatch: number }): number {
  return plan.computedVoxels * (measured.secondsPerPatch / voxels(measured.patch));
}

/** Smallest patch edge the network accepts: a multiple of 2^(stages - 1). */
export function patchDivisor(net: NetworkShape): number {
  return 2 ** (net.features.length - 1);
}
