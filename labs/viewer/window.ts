/**
 * Window/level presets. MRI intensities have no absolute scale (unlike CT's Hounsfield units), so
 * each preset is a pair of percentiles of the intensities inside the brain. BraTS images are
 * skull-stripped with the background set to exactly 0 (Bakas et al. 2017, Sci Data 4:170117), so
 * "inside the brain" is "non-zero".
 */
import type { Channel } from './modalities';

export type PresetId = 'default' | 'lesion' | 'full';

export interface Preset {
  id: PresetId;
  /** Lower and upper percentile of the brain's intensities (0-100). */
  low: number;
  high: number;
  /** What the preset brings out on this modality. */
  purpose: string;
}

/**
 * The default clips 0.5 % at each end, so a few hot voxels cannot wash out the image. The lesion
 * preset lifts the lower bound so that normal tissue turns dark and the bright sign of each
 * modality stands out: enhancement on T1ce, edema on T2 and FLAIR. T1 has no bright tumour sign
 * (tumour is dark on T1), so its second preset narrows the window for grey/white contrast.
 */
const WHOLE_BRAIN: Preset = { id: 'default', low: 0.5, high: 99.5, purpose: 'whole brain' };
const UNCLIPPED: Preset = { id: 'full', low: 0, high: 100, purpose: 'every intensity, nothing clipped' };

export const PRESETS: Record<Channel, Preset[]> = {
  t1: [
    WHOLE_BRAIN,
    { id: 'lesion', low: 10, high: 95, purpose: 'grey/white matter contrast; tumour stays dark' },
    UNCLIPPED,
  ],
  t1ce: [
    WHOLE_BRAIN,
    { id: 'lesion', low: 50, high: 99.9, purpose: 'enhancing rim bright against darker brain' },
    UNCLIPPED,
  ],
  t2: [
    WHOLE_BRAIN,
    { id: 'lesion', low: 40, high: 99.9, purpose: 'edema and fluid bright' },
    UNCLIPPED,
  ],
  flair: [
    WHOLE_BRAIN,
    { id: 'lesion', low: 40, high: 99.9, purpose: 'edema bright, fluid dark' },
    UNCLIPPED,
  ],
};

/** Sorted non-zero, finite intensities (after NIfTI scaling): the brain's values. */
export function brainValues(data: ArrayLike<number>, slope = 1, inter = 0): Float64Array {
  const s = slope === 0 || !Number.isFinite(slope) ? 1 : slope;
  const b = Number.isFinite(inter) ? inter : 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0 && Number.isFinite(data[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 0 && Number.isFinite(v)) out[k++] = v * s + b;
  }
  return out.sort();
}

/**
 * The p-th percentile of sorted values by linear interpolation between closest ranks (the
 * definition numpy.percentile uses by default): position p/100 · (n − 1).
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Window {
  min: number;
  max: number;
  /** Window width (max − min) and level (centre), as radiologists name them. */
  width: number;
  level: number;
}

export function windowOf(min: number, max: number): Window {
  return { min, max, width: max - min, level: (min + max) / 2 };
}

/** The intensity window of a preset on one image (sorted brain values from `brainValues`). */
export function presetWindow(sorted: ArrayLike<number>, preset: Preset): Window {
  const min = percentileOfSorted(sorted, preset.low);
  let max = percentileOfSorted(sorted, preset.high);
  // A flat image (or an empty one) would give a zero-width window, which draws nothing useful.
  if (max <= min) max = min + 1;
  return windowOf(min, max);
}
