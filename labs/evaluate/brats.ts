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
  for (let i = 0; i < gt.length; i++) {
    const p = predCc.labels[i];
    if (p) predVoxels[p]++;
    const l = lesionCc.labels[i];
    if (!l) continue;
    if (gt[i]) lesionVoxels[l]++;
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
    if (hits.length) {
      const lesionMask = new Uint8Array(gt.length);
      const hitMask = new Uint8Array(gt.length);
      const isHit = new Uint8Array(predCc.count + 1);
      for (const p of hits) isHit[p] = 1;
      for (let i = 0; i < gt.length; i++) {
        if (gt[i] && lesionCc.labels[i] === l) lesionMask[i] = 1;
        if (isHit[predCc.labels[i]] && predCc.labels[i]) hitMask[i] = 1;
      }
      hd = robustHausdorff(lesionMask, hitMask, dims, spacing);
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
