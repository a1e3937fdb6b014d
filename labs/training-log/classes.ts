/**
 * What the classes of a log are called, and whether the run is a BraTS region run: the log prints
 * pseudo Dice per foreground class or region without names, so names come from the `dataset.json`
 * next to the log (or the user), and BraTS-specific advice is given only when the run is one.
 */
import { REGION_NAMES, SCHEMES, type RegionId } from '../shared/labels';
import type { Curve } from './curve';

export interface ClassInfo {
  /** One name per foreground class or region, in the order of the pseudo Dice list. */
  names: string[];
  /** dataset.json defines regions (label values given as lists). */
  regions: boolean;
  /** The label values of each region (regions only), for recognising the BraTS regions. */
  regionLabels: number[][];
}

/**
 * Class names in nnU-Net's order from a parsed `dataset.json` (nnunetv2/utilities/label_handling:
 * LabelManager). Labels: foreground values in ascending order. Regions: the entries in the order
 * dataset.json lists them. Background and `ignore` are not in the pseudo Dice list. Returns null when
 * the object has no usable `labels`.
 */
export function classesFromDatasetJson(json: unknown): ClassInfo | null {
  const labels = (json as { labels?: unknown } | null)?.labels;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return null;
  const entries = Object.entries(labels as Record<string, unknown>).filter(([name]) => name !== 'background' && name !== 'ignore');
  if (entries.length === 0) return null;
  const regions = entries.some(([, v]) => Array.isArray(v));
  if (regions) {
    const regionLabels = entries.map(([, v]) => (Array.isArray(v) ? v : [v]).map(Number));
    return { names: entries.map(([name]) => name), regions, regionLabels };
  }
  const sorted = entries.map(([name, v]) => [name, Number(v)] as const).filter(([, v]) => Number.isInteger(v) && v > 0).sort((a, b) => a[1] - b[1]);
  return { names: sorted.map(([name]) => name), regions: false, regionLabels: [] };
}

const sameSet = (a: readonly number[], b: readonly number[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
const REGION_WORDS: Record<RegionId, RegExp> = {
  WT: /^(?:wt|whole[ _-]?tumou?r)$/i,
  TC: /^(?:tc|tumou?r[ _-]?core)$/i,
  ET: /^(?:et|enhancing[ _-]?tumou?r)$/i,
};

/**
 * A BraTS region run: three regions that are WT, TC and ET, recognised by their label values (either
 * nnU-Net BraTS scheme, see labs/shared/labels.ts), or by their names; without any names, a dataset
 * the log calls BraTS with three regions. Only then is region advice about BraTS (ET lags) given.
 */
export function isBratsRegionRun(curve: Pick<Curve, 'classes' | 'datasetName'>, info: Partial<ClassInfo> = {}): boolean {
  if (curve.classes !== 3 && (info.names?.length ?? 0) !== 3) return false;
  if (info.regionLabels && info.regionLabels.length === 3) {
    return (['nnunet137', 'keep'] as const).some((s) => SCHEMES[s].regions.every((r, i) => sameSet(r.labels, info.regionLabels![i])));
  }
  if (info.names && info.names.length === 3) {
    const ids: RegionId[] = ['WT', 'TC', 'ET'];
    return ids.every((id, i) => REGION_WORDS[id].test(info.names![i].trim()) || info.names![i].trim().toLowerCase() === REGION_NAMES[id]);
  }
  return /brats/i.test(curve.datasetName ?? '');
}
