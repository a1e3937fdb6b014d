/**
 * The U-Net's shape from its patch: how many times each axis is halved, the kernel size of each
 * stage, and the patch padded to a multiple of 2^pools. Follows nnU-Net v2's
 * `get_pool_and_conv_props` and `pad_shape`
 * (nnunetv2/experiment_planning/experiment_planners/network_topology.py); written anew here.
 */

export interface Topology {
  /** Halvings per axis. */
  poolsPerAxis: number[];
  /** Stride of each stage; the first is all ones. */
  strides: number[][];
  /** Kernel size of each stage (1 on an axis still much coarser than the finest). */
  kernelSizes: number[][];
  /** The patch, padded so that each axis divides by 2^poolsPerAxis. */
  patchSize: number[];
  /** 2^poolsPerAxis. */
  divisibleBy: number[];
}

/** Rounds each edge up to the next multiple of its divisor (an exact multiple stays). */
export function padShape(shape: readonly number[], divisibleBy: readonly number[]): number[] {
  return shape.map((s, i) => {
    const d = divisibleBy[i];
    const rest = s % d;
    return Math.trunc(rest === 0 ? s : s + d - rest);
  });
}

/**
 * Pools every axis whose spacing is within a factor 2 of the finest and whose feature map is at
 * least 2·minEdge long; a single remaining axis needs 3·minEdge. Kernels turn from 1 to 3 once an
 * axis is within a factor 2 of the finest spacing. The bottleneck always gets a 3-kernel.
 */
export function poolAndConvProps(spacing: readonly number[], patch: readonly number[], minEdge: number): Topology {
  const dim = spacing.length;
  const currentSpacing = [...spacing];
  const currentSize = [...patch];
  const strides: number[][] = [new Array(dim).fill(1)];
  const kernelSizes: number[][] = [];
  const poolsPerAxis = new Array<number>(dim).fill(0);
  const kernel = new Array<number>(dim).fill(1);

  for (;;) {
    let valid = range(dim).filter((i) => currentSize[i] >= 2 * minEdge);
    if (valid.length < 1) break;
    const finestValid = Math.min(...valid.map((i) => currentSpacing[i]));
    valid = valid.filter((i) => currentSpacing[i] / finestValid < 2);
    if (valid.length === 1 && currentSize[valid[0]] < 3 * minEdge) break;
    if (valid.length < 1) break;

    const finest = Math.min(...currentSpacing);
    for (let d = 0; d < dim; d++) {
      if (kernel[d] !== 3 && currentSpacing[d] / finest < 2) kernel[d] = 3;
    }
    const stride = new Array<number>(dim).fill(1);
    for (const v of valid) {
      stride[v] = 2;
      poolsPerAxis[v] += 1;
      currentSpacing[v] *= 2;
      currentSize[v] = Math.ceil(currentSize[v] / 2);
    }
    strides.push(stride);
    kernelSizes.push([...kernel]);
  }
  kernelSizes.push(new Array(dim).fill(3));
  const divisibleBy = poolsPerAxis.map((p) => 2 ** p);
  return { poolsPerAxis, strides, kernelSizes, patchSize: padShape(patch, divisibleBy), divisibleBy };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
