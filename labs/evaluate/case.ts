/**
 * One prediction against its reference: a single pass over the voxels builds the joint histogram
 * of (reference, prediction) values, from which every region's nnU-Net counts follow, and the
 * bounding box of all foreground; the BraTS metrics then run on that box only.
 */
import { bratsRegion, BRATS_GLI, type BratsMetrics, type BratsParams, type Lesion } from './brats';
import { boundingBox, type Dims } from './grid';
import { LEVELS, nnunetFromJoint, type NnunetMetrics } from './nnunet';
import type { RegionSet } from './regions';
import { checkSameGrid, type LabelVolume } from './volume';

export type MetricSet = 'nnunet' | 'brats';

export interface CaseOptions {
  metrics: readonly MetricSet[];
  brats?: BratsParams;
}

export interface CaseResult {
  /** Case identifier: the shared file name without its ending. */
  id: string;
  prediction: string;
  reference: string;
  /** nnU-Net's metrics by nnU-Net key ("(1, 2, 3)" or "1"). */
  nnunet?: Record<string, NnunetMetrics>;
  /** BraTS 2023 metrics by region name, with the lesions behind them. */
  brats?: Record<string, BratsMetrics & { lesions: Lesion[] }>;
}

export function evaluateCase(id: string, pred: LabelVolume, gt: LabelVolume, set: RegionSet, opts: CaseOptions): CaseResult {
  checkSameGrid(pred, gt);
  const [nx, ny, nz] = gt.dims;
  const g = gt.labels;
  const p = pred.labels;
  const joint = new Uint32Array(LEVELS * LEVELS);
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  // Background in both is most of the image: count the rest, and background-background last.
  let foreground = 0;
  let v = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      let rowMin = nx;
      let rowMax = -1;
      for (let x = 0; x < nx; x++, v++) {
        const a = g[v];
        const b = p[v];
        if ((a | b) === 0) continue;
        joint[a * LEVELS + b]++;
        foreground++;
        if (x < rowMin) rowMin = x;
        rowMax = x;
      }
      if (rowMax >= 0) {
        if (rowMin < x0) x0 = rowMin;
        if (rowMax > x1) x1 = rowMax;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    }
  joint[0] = nx * ny * nz - foreground;
  const result: CaseResult = { id, prediction: pred.path, reference: gt.path };
  if (opts.metrics.includes('nnunet')) result.nnunet = nnunetFromJoint(joint, set.regions);
  if (opts.metrics.includes('brats')) {
    // A one-voxel margin (inside the image) keeps every surface corner and merge path in the crop.
    const empty = x1 < 0;
    const lo = empty ? [0, 0, 0] : [Math.max(0, x0 - 1), Math.max(0, y0 - 1), Math.max(0, z0 - 1)];
    const hi = empty ? [0, 0, 0] : [Math.min(nx - 1, x1 + 1), Math.min(ny - 1, y1 + 1), Math.min(nz - 1, z1 + 1)];
    const dims: Dims = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
    const cropG = new Uint8Array(dims[0] * dims[1] * dims[2]);
    const cropP = new Uint8Array(cropG.length);
    if (!empty) {
      let c = 0;
      for (let z = lo[2]; z <= hi[2]; z++)
        for (let y = lo[1]; y <= hi[1]; y++) {
          const row = nx * (y + ny * z);
          for (let x = lo[0]; x <= hi[0]; x++, c++) {
            cropG[c] = g[row + x];
            cropP[c] = p[row + x];
          }
        }
    }
    result.brats = {};
    const inR = new Uint8Array(LEVELS);
    const maskG = new Uint8Array(cropG.length);
    const maskP = new Uint8Array(cropG.length);
    for (const r of set.regions) {
      inR.fill(0);
      for (const l of r.labels) inR[l] = 1;
      for (let i = 0; i < cropG.length; i++) {
        maskG[i] = inR[cropG[i]];
        maskP[i] = inR[cropP[i]];
      }
      // Each region on its own box (plus the margin): a far blob of edema needn't slow ET down.
      const [sub, g2, p2] = tighten(maskG, maskP, dims);
      result.brats[r.name] = bratsRegion(g2, p2, sub, gt.spacing, nx * ny * nz, opts.brats ?? BRATS_GLI);
    }
  }
  return result;
}

/** The two masks cut to the bounding box of their union plus one voxel (within `dims`). */
function tighten(g: Uint8Array, p: Uint8Array, dims: Dims): [Dims, Uint8Array, Uint8Array] {
  const union = new Uint8Array(g.length);
  for (let i = 0; i < g.length; i++) union[i] = g[i] | p[i];
  const box = boundingBox(union, dims);
  if (!box) return [[1, 1, 1], new Uint8Array(1), new Uint8Array(1)];
  const lo = box.min.map((v) => Math.max(0, v - 1));
  const hi = box.max.map((v, a) => Math.min(dims[a] - 1, v + 1));
  const sub: Dims = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const g2 = new Uint8Array(sub[0] * sub[1] * sub[2]);
  const p2 = new Uint8Array(g2.length);
  let k = 0;
  for (let z = lo[2]; z <= hi[2]; z++)
    for (let y = lo[1]; y <= hi[1]; y++)
      for (let x = lo[0], j = lo[0] + dims[0] * (y + dims[1] * z); x <= hi[0]; x++, j++, k++) {
        g2[k] = g[j];
        p2[k] = p[j];
      }
  return [sub, g2, p2];
}

/** Voxel outcome codes of errorMap. */
export const OUTCOME = { none: 0, tp: 1, fp: 2, fn: 3 } as const;

/**
 * Per voxel, for one region: true positive, false positive (predicted, not in the reference) or
 * false negative (missed); and per axial slice the number of errors, to open the worst slice.
 */
export function errorMap(pred: LabelVolume, gt: LabelVolume, labels: readonly number[]): { map: Uint8Array; errorsPerSlice: number[] } {
  checkSameGrid(pred, gt);
  const inR = new Uint8Array(LEVELS);
  for (const l of labels) inR[l] = 1;
  const [nx, ny, nz] = gt.dims;
  const map = new Uint8Array(gt.labels.length);
  const errorsPerSlice = new Array<number>(nz).fill(0);
  for (let i = 0; i < map.length; i++) {
    const a = inR[gt.labels[i]];
    const b = inR[pred.labels[i]];
    if (a && b) map[i] = OUTCOME.tp;
    else if (b || a) {
      map[i] = b ? OUTCOME.fp : OUTCOME.fn;
      errorsPerSlice[Math.floor(i / (nx * ny))]++;
    }
  }
  return { map, errorsPerSlice };
}
