/**
 * nnU-Net's proxy for GPU memory: the number of values in every convolution output of the network
 * for one patch (dynamic-network-architectures' `compute_conv_feature_map_size` on `PlainConvUNet`
 * and `ResidualEncoderUNet`, as called by nnU-Net's `static_estimate_VRAM_usage`). It is not bytes:
 * the planner compares it with a reference value calibrated to a GPU size (see presets.ts).
 * Written anew from reading those functions.
 */

export type UNetKind = 'plain' | 'resenc';

export interface NetworkShape {
  kind: UNetKind;
  featuresPerStage: number[];
  strides: number[][];
  /** Convolutions per encoder stage (plain) or residual blocks per encoder stage (resenc). */
  encoderUnits: number[];
  /** Convolutions per decoder stage (one fewer stage than the encoder). */
  decoderConvs: number[];
}

const volume = (channels: number, size: readonly number[]) => size.reduce((p, s) => p * s, channels);
const divide = (size: readonly number[], stride: readonly number[]) => size.map((s, i) => Math.floor(s / stride[i]));

/**
 * Feature-map values of the whole U-Net for one patch. The planner builds its networks without deep
 * supervision (one segmentation head); training adds a head per decoder stage.
 */
export function featureMapSize(net: NetworkShape, patch: readonly number[], numClasses: number, deepSupervision = false): number {
  return encoderSize(net, patch) + decoderSize(net, patch, numClasses, deepSupervision);
}

function encoderSize(net: NetworkShape, patch: readonly number[]): number {
  const f = net.featuresPerStage;
  let total = 0;
  let size = [...patch];
  // The residual encoder starts with a one-convolution stem at full resolution with stage 0's width.
  let inChannels = f[0];
  if (net.kind === 'resenc') total += volume(f[0], size);
  for (let s = 0; s < f.length; s++) {
    const out = divide(size, net.strides[s]);
    if (net.kind === 'plain') {
      total += net.encoderUnits[s] * volume(f[s], out);
    } else {
      // BasicBlockD: two convolutions, plus a 1×1 projection on the skip path when the block
      // changes width or resolution (only the first block of a stage can).
      const strided = out.some((v, i) => v !== size[i]);
      const first = 2 * volume(f[s], out) + (inChannels !== f[s] || strided ? volume(f[s], out) : 0);
      total += first + (net.encoderUnits[s] - 1) * 2 * volume(f[s], out);
    }
    inChannels = f[s];
    size = out;
  }
  return total;
}

function decoderSize(net: NetworkShape, patch: readonly number[], numClasses: number, deepSupervision: boolean): number {
  const f = net.featuresPerStage;
  const skipSizes: number[][] = [];
  let size = [...patch];
  for (let s = 0; s < net.strides.length - 1; s++) {
    size = divide(size, net.strides[s]);
    skipSizes.push(size);
  }
  let total = 0;
  const stages = net.decoderConvs.length;
  for (let s = 0; s < stages; s++) {
    const skip = skipSizes[skipSizes.length - 1 - s];
    const channels = f[f.length - 2 - s];
    total += net.decoderConvs[s] * volume(channels, skip); // convolutions after concatenation
    total += volume(channels, skip); // transposed convolution
    if (deepSupervision || s === stages - 1) total += volume(numClasses, skip); // segmentation head
  }
  return total;
}
