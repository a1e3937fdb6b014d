/**
 * From region masks back to labels, and Dice per region.
 *
 * A region model predicts nested masks WT ⊇ TC ⊇ ET. nnU-Net turns them into labels by painting
 * the regions in `regions_class_order`, later ones overwriting earlier ones
 * (nnunetv2/utilities/label_handling/label_handling.py, `convert_probabilities_to_segmentation`);
 * for Dataset137 that order is [1, 2, 3]: WT paints edema, TC paints necrosis, ET paints enhancing.
 * Here the same rule is written with tissues, so the output can be in any scheme of labs/shared.
 */
import { REGION_TISSUES, SCHEMES, type RegionId, type SchemeId, type TissueId } from '../shared/labels';

export const MODEL_REGIONS: readonly RegionId[] = ['WT', 'TC', 'ET'];

/** The tissue a region adds beyond the region inside it: WT → ED, TC → NCR, ET → ET. */
const PAINT: Record<RegionId, TissueId> = { WT: 'ED', TC: 'NCR', ET: 'ET' };

/** Value of a tissue in a scheme. */
export function tissueValue(scheme: SchemeId, tissue: TissueId): number {
  const l = SCHEMES[scheme].labels.find((d) => d.tissue === tissue);
  if (!l) throw new Error(`scheme ${scheme} has no ${tissue} label`);
  return l.value;
}

/**
 * Labels from region masks (order WT, TC, ET; non-zero = inside). A voxel in TC but not WT still
 * becomes NCR, exactly as nnU-Net's overwrite order does.
 */
export function regionsToLabels(masks: ArrayLike<number>[], scheme: SchemeId = 'brats2021'): Uint8Array {
  if (masks.length !== MODEL_REGIONS.length) throw new Error(`expected ${MODEL_REGIONS.length} region masks (WT, TC, ET), got ${masks.length}`);
  const n = masks[0].length;
  const out = new Uint8Array(n);
  MODEL_REGIONS.forEach((r, i) => {
    const v = tissueValue(scheme, PAINT[r]);
    const m = masks[i];
    for (let k = 0; k < n; k++) if (m[k]) out[k] = v;
  });
  return out;
}

/** Region masks from labels in a scheme (1 inside), in the order WT, TC, ET. */
export function labelsToRegions(labels: ArrayLike<number>, scheme: SchemeId): Uint8Array[] {
  return MODEL_REGIONS.map((r) => {
    const set = new Set(SCHEMES[scheme].labels.filter((l) => REGION_TISSUES[r].includes(l.tissue)).map((l) => l.value));
    const m = new Uint8Array(labels.length);
    for (let k = 0; k < labels.length; k++) if (set.has(labels[k])) m[k] = 1;
    return m;
  });
}

/** Dice 2|A∩B| / (|A| + |B|); both empty counts as 1 (the BraTS challenge's convention). */
export function dice(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Dice: volumes differ in size (${a.length} vs ${b.length} voxels)`);
  let inter = 0;
  let sa = 0;
  let sb = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] ? 1 : 0;
    const y = b[k] ? 1 : 0;
    inter += x & y;
    sa += x;
    sb += y;
  }
  return sa + sb === 0 ? 1 : (2 * inter) / (sa + sb);
}

/** Dice per region between a prediction and a reference, each in its own scheme. */
export function regionDice(pred: ArrayLike<number>, predScheme: SchemeId, ref: ArrayLike<number>, refScheme: SchemeId): Record<RegionId, number> {
  const p = labelsToRegions(pred, predScheme);
  const r = labelsToRegions(ref, refScheme);
  const out = {} as Record<RegionId, number>;
  MODEL_REGIONS.forEach((id, i) => (out[id] = dice(p[i], r[i])));
  return out;
}

/**
 * BraTS post-processing: when a case's predicted enhancing tumour is smaller than `minMl`, it is
 * taken for noise and relabelled as necrosis (it stays in the tumour core). The BraTS 2021 winner,
 * built on nnU-Net, used 200 voxels of 1 mm³ = 0.2 ml (Luu & Park 2021, arXiv:2112.04653); the
 * BraTS Dice rule (a predicted ET where the reference has none scores 0) makes small false
 * positives expensive. Returns the number of voxels relabelled.
 */
export function suppressSmallEnhancing(labels: Uint8Array, scheme: SchemeId, voxelMl: number, minMl: number): number {
  const et = tissueValue(scheme, 'ET');
  let n = 0;
  for (let k = 0; k < labels.length; k++) if (labels[k] === et) n++;
  if (n === 0 || n * voxelMl >= minMl) return 0;
  const ncr = tissueValue(scheme, 'NCR');
  for (let k = 0; k < labels.length; k++) if (labels[k] === et) labels[k] = ncr;
  return n;
}
