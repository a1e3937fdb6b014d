/**
 * The BraTS 2023 challenge metrics for one region (rachitsaluja/BraTS-2023-Metrics, metrics.py,
 * `get_LesionWiseScores` / `get_LesionWiseResults`, settings of 'BraTS-GLI'):
 *
 * - lesions are 26-connected components; ground-truth lesions closer than the dilation reach are
 *   merged: the ground truth is dilated (18-connected structure, 3 rounds), and the ground-truth
 *   voxels inside one component of that dilation form one lesion;
 * - a predicted component is a hit for a lesion when it touches the lesion's dilation; the
 *   lesion's Dice and HD95 are computed against all its hits together; a missed lesion scores
 *   Dice 0 and HD95 374 mm; predicted components that hit no lesion are false positives, each
 *   adding Dice 0 and HD95 374 mm;
 * - lesions of at most 50 mm³ are left out of the scores and the counts (their hits still are no
 *   false positives);
 * - lesion-wise Dice and HD95 are the averages over scored lesions and false positives; with
 *   neither, they are 1 and 0;
 * - legacy Dice and HD95 are over the whole region (1 and 0 when both are empty; an HD95 that is
 *   infinite, one side empty, becomes 374), HD95 as DeepMind's surface-distance computes it;
 * - sensitivity and specificity over voxels (sensitivity 1 when both are empty).
 */
import { components26, dilate18, type Dims } from './grid';
import { robustHausdorff, type Spacing } from './surface';

export interface BratsParams {
  /** Rounds of 18-connected dilation that merge ground-truth lesions and define hits. */
  dilation: number;
  /** Lesions of at most this volume (mm³) are left out. */
  minVolume: number;
  /** HD95 (mm) of a missed lesion, a false positive, or an infinite distance. */
  penalty: number;
}

/** 'BraTS-GLI' in the challenge code: glioma. */
export const BRATS_GLI: BratsParams = { dilation: 3, minVolume: 50, penalty: 374 };

export interface Lesion {
  /** Number of the lesion (order of first voxel in the crop). */
  id: number;
  /** Volume in mm³. */
  volume: number;
  /** Predicted components that hit it. */
  hits: number;
  dice: number;
  /** HD95 with the penalty in place of infinity. */
  hd95: number;
  /** Whether it counts (volume above the threshold). */
  scored: boolean;
}

export interface BratsMetrics {
  Num_TP: number;
  Num_FP: number;
  Num_FN: number;
  Sensitivity: number;
  Specificity: number;
  Legacy_Dice: number;
  Legacy_HD95: number;
  GT_Complete_Volume: number;
  LesionWise_Score_Dice: number;
  LesionWise_Score_HD95: number;
}

export const BRATS_METRICS = [
  'Num_TP',
  'Num_FP',
  'Num_FN',
  'Sensitivity',
  'Specificity',
  'Legacy_Dice',
  'Legacy_HD95',
  'GT_Complete_Volume',
  'LesionWise_Score_Dice',
  'LesionWise_Score_HD95',
] as const;

/** The challenge code adds the smallest normal double to denominators (sys.float_info.min). */
const FLOAT_MIN = 2.2250738585072014e-308;

/**
 * One region of one case. `gt` and `pred` are 0/1 masks on a grid that holds every foreground
 * voxel of both (a crop is fine); `totalVoxels` is the whole image's voxel count (for TN).
 */
export function bratsRegion(
  gt: Uint8Array,
  pred: Uint8Array,
  dims: Dims,
  spacing: Spacing,
  totalVoxels: number,
  params: BratsParams = BRATS_GLI,
): BratsMetrics & { lesions: Lesion[] } {
  const [sx, sy, sz] = spacing;
  const volumeOf = (voxels: number) => voxels * sx * sy * sz;
  let nG = 0;
  let nP = 0;
  let both = 0;
  for (let i = 0; i < gt.length; i++) {
    nG += gt[i];
    nP += pred[i];
    both += gt[i] & pred[i];
  }
  const bothEmpty = nG === 0 && nP === 0;
  const legacyDice = bothEmpty ? 1 : (2 * both) / (nG + nP);
  let legacyHd = bothEmpty ? 0 : robustHausdorff(gt, pred, dims, spacing);
  if (legacyHd === Infinity) legacyHd = params.penalty;
  const fp = nP - both;
  const fn = nG - both;
  const tn = totalVoxels - nG - nP + both;
  const sensitivity = bothEmpty ? 1 : both / (both + fn + FLOAT_MIN);
  const specificity = tn / (tn + fp + FLOAT_MIN);

  // Lesions: components of the dilated ground truth; each one's dilation is that component.
  const predCc = components26(pred, dims);
  const dilated = dilate18(gt, dims, params.dilation);
  const lesionCc = components26(dilated, dims);
  const nL = lesionCc.count;
  const lesionVoxels = new Float64Array(nL + 1);
  const predVoxels = new Float64Array(predCc.count + 1);
  const hitsOf: Set<number>[] = Array.from({ length: nL + 1 }, () => new Set<number>());
  // overlap.get(lesion * (count + 1) + component): ground-truth voxels of the lesion in the component.
  const overlap = new Map<number, number>();
  const stride = predCc.count + 1;
  // Bounding boxes of each lesion's ground-truth voxels and of each predicted component.
  const lesionBox = new Int32Array(6 * (nL + 1));
  const predBox = new Int32Array(6 * stride);
  const grow = (box: Int32Array, k: number, x: number, y: number, z: number) => {
    const o = 6 * k;
    if (box[o + 3] === 0) {
      box[o] = x;
      box[o + 1] = y;
      box[o + 2] = z;
      box[o + 3] = x + 1;
      box[o + 4] = y + 1;
      box[o + 5] = z + 1;
      return;
    }
    if (x < box[o]) box[o] = x;
    if (y < box[o + 1]) box[o + 1] = y;
    if (z < box[o + 2]) box[o + 2] = z;
    if (x + 1 > box[o + 3]) box[o + 3] = x + 1;
    if (y + 1 > box[o + 4]) box[o + 4] = y + 1;
    if (z + 1 > box[o + 5]) box[o + 5] = z + 1;
  };
  const [nx, ny, nz] = dims;
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const p = predCc.labels[i];
        if (p) {
          predVoxels[p]++;
          grow(predBox, p, x, y, z);
        }
        const l = lesionCc.labels[i];
        if (!l) continue;
        if (gt[i]) {
          lesionVoxels[l]++;
          grow(lesionBox, l, x, y, z);
        }
        if (!p) continue;
        hitsOf[l].add(p);
        if (gt[i]) overlap.set(l * stride + p, (overlap.get(l * stride + p) ?? 0) + 1);
      }
  const hitAny = new Uint8Array(predCc.count + 1);
  const lesions: Lesion[] = [];
  for (let l = 1; l <= nL; l++) {
    const hits = [...hitsOf[l]];
    let inter = 0;
    let hitVoxels = 0;
    for (const p of hits) {
      hitAny[p] = 1;
      inter += overlap.get(l * stride + p) ?? 0;
      hitVoxels += predVoxels[p];
    }
    const dice = (2 * inter) / (lesionVoxels[l] + hitVoxels);
    let hd = params.penalty;
    if (hits.length && lesionVoxels[l] === nG && hitVoxels === nP) {
      // The lesion is the whole ground truth and its hits the whole prediction: the legacy HD95.
      hd = legacyHd;
    } else if (hits.length) {
      // Only the box around the lesion and its hits matters.
      const lo = [lesionBox[6 * l], lesionBox[6 * l + 1], lesionBox[6 * l + 2]];
      const hi = [lesionBox[6 * l + 3], lesionBox[6 * l + 4], lesionBox[6 * l + 5]];
      for (const p of hits)
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a], predBox[6 * p + a]);
          hi[a] = Math.max(hi[a], predBox[6 * p + 3 + a]);
        }
      const sub: Dims = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
      const lesionMask = new Uint8Array(sub[0] * sub[1] * sub[2]);
      const hitMask = new Uint8Array(lesionMask.length);
      const isHit = new Uint8Array(stride);
      for (const p of hits) isHit[p] = 1;
      let k = 0;
      for (let z = lo[2]; z < hi[2]; z++)
        for (let y = lo[1]; y < hi[1]; y++)
          for (let x = lo[0], j = lo[0] + nx * (y + ny * z); x < hi[0]; x++, j++, k++) {
            if (gt[j] && lesionCc.labels[j] === l) lesionMask[k] = 1;
            if (isHit[predCc.labels[j]]) hitMask[k] = 1;
          }
      hd = robustHausdorff(lesionMask, hitMask, sub, spacing);
      if (hd === Infinity) hd = params.penalty;
    }
    const volume = volumeOf(lesionVoxels[l]);
    lesions.push({ id: l, volume, hits: hits.length, dice, hd95: hd, scored: volume > params.minVolume });
  }
  let falsePositives = 0;
  for (let p = 1; p <= predCc.count; p++) if (!hitAny[p]) falsePositives++;
  const scored = lesions.filter((l) => l.scored);
  const denominator = scored.length + falsePositives;
  const lwDice = denominator ? scored.reduce((a, l) => a + l.dice, 0) / denominator : 1;
  const lwHd = denominator ? (scored.reduce((a, l) => a + l.hd95, 0) + falsePositives * params.penalty) / denominator : 0;
  return {
    Num_TP: scored.filter((l) => l.hits > 0).length,
    Num_FP: falsePositives,
    Num_FN: scored.filter((l) => l.hits === 0).length,
    Sensitivity: sensitivity,
    Specificity: specificity,
    Legacy_Dice: legacyDice,
    Legacy_HD95: legacyHd,
    GT_Complete_Volume: volumeOf(nG),
    LesionWise_Score_Dice: lwDice,
    LesionWise_Score_HD95: lwHd,
    lesions,
  };
}
