/**
 * What is scored: regions (WT/TC/ET as sets of label values, nnU-Net's region-based training) or
 * plain labels (one value each, nnU-Net's default). Regions come from a label scheme in
 * labs/shared/labels.ts, from an explicit list, or from the labels themselves.
 */
import { REGION_TISSUES, SCHEMES, type RegionId, type SchemeId } from '../shared/labels';
import { EvaluateError } from './errors';

export interface EvalRegion {
  /** Name a user sees (WT, TC, ET, or the label value). */
  name: string;
  /** Label values that make up the region. */
  labels: number[];
  /** nnU-Net's key in summary.json: str() of the tuple for regions ("(1, 2, 3)", "(3,)"), of the int for labels ("1"). */
  key: string;
}

export interface RegionSet {
  mode: 'regions' | 'labels';
  regions: EvalRegion[];
  /** Every label value allowed in a file (0 included); any other value is an error. */
  allowed: number[];
  /** Where the definition came from, for the report. */
  source: string;
}

/** nnU-Net writes tuple keys with Python's str(): "(1, 2, 3)", and a one-element tuple as "(3,)". */
export function nnunetRegionKey(labels: readonly number[]): string {
  return labels.length === 1 ? `(${labels[0]},)` : `(${labels.join(', ')})`;
}

/** WT/TC/ET in the values of a scheme (raw BraTS schemes included: 2021 uses 4 for ET). */
export function schemeRegions(id: SchemeId): RegionSet {
  const scheme = SCHEMES[id];
  const regions = (Object.keys(REGION_TISSUES) as RegionId[]).map((r) => {
    const labels = scheme.labels.filter((l) => REGION_TISSUES[r].includes(l.tissue)).map((l) => l.value);
    return { name: r, labels, key: nnunetRegionKey(labels) };
  });
  return { mode: 'regions', regions, allowed: scheme.labels.map((l) => l.value), source: `scheme ${id}` };
}

/** Each foreground value scored on its own, as nnU-Net does without regions. */
export function labelRegions(values: readonly number[]): RegionSet {
  const fg = [...new Set(values)].filter((v) => v !== 0).sort((a, b) => a - b);
  return { mode: 'labels', regions: fg.map((v) => ({ name: String(v), labels: [v], key: String(v) })), allowed: [0, ...fg], source: `labels ${fg.join(',')}` };
}

const SCHEME_IDS = Object.keys(SCHEMES) as SchemeId[];

function labelList(text: string, what: string): number[] {
  const values = text.split(',').map((t) => t.trim());
  if (values.some((v) => !/^\d+$/.test(v) || Number(v) > 255)) throw new EvaluateError('usage', `${what}: label values must be whole numbers 0–255 separated by commas, got "${text}"`);
  return values.map(Number);
}

/**
 * Parses `--regions`: a scheme id (keep, nnunet137, brats2023, brats2021), `labels:1,2,3`, or
 * explicit regions `WT=1,2,3;TC=1,3;ET=3` (then any value listed is allowed, plus 0).
 */
export function parseRegions(text: string): RegionSet {
  const t = text.trim();
  if ((SCHEME_IDS as string[]).includes(t)) return schemeRegions(t as SchemeId);
  if (t.startsWith('labels:')) return labelRegions(labelList(t.slice(7), '--regions labels:'));
  const parts = t.split(';').filter((p) => p.trim());
  if (!parts.length || parts.some((p) => !p.includes('=')))
    throw new EvaluateError('usage', `--regions: expected one of ${SCHEME_IDS.join(', ')}, "labels:1,2,3" or "WT=1,2,3;TC=1,3;ET=3", got "${text}"`);
  const regions = parts.map((p) => {
    const [name, list] = p.split('=');
    const labels = labelList(list, `--regions ${name.trim()}`);
    if (labels.includes(0)) throw new EvaluateError('usage', `--regions ${name.trim()}: a region cannot contain the background (0)`);
    return { name: name.trim(), labels, key: nnunetRegionKey(labels) };
  });
  const allowed = [...new Set([0, ...regions.flatMap((r) => r.labels)])].sort((a, b) => a - b);
  return { mode: 'regions', regions, allowed, source: `regions ${t}` };
}

/**
 * What nnU-Net itself would score, from a dataset.json's `labels`: regions when any label maps to
 * a list (region-based training, e.g. "whole tumor": [1, 2, 3]), otherwise each foreground label.
 */
export function datasetJsonRegions(json: unknown, where = 'dataset.json'): RegionSet {
  const labels = (json as { labels?: unknown })?.labels;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) throw new EvaluateError('usage', `${where}: no "labels" object`);
  const entries = Object.entries(labels as Record<string, unknown>);
  const asList = (v: unknown) => (Array.isArray(v) ? v : [v]);
  if (entries.some(([, v]) => asList(v).some((x) => !Number.isInteger(x) || (x as number) < 0 || (x as number) > 255)))
    throw new EvaluateError('usage', `${where}: "labels" values must be whole numbers 0–255 or lists of them`);
  if (!entries.some(([, v]) => Array.isArray(v))) return { ...labelRegions(entries.map(([, v]) => v as number)), source: `${where} labels` };
  const regions = entries
    .filter(([, v]) => asList(v).some((x) => x !== 0))
    .map(([name, v]) => {
      const list = asList(v) as number[];
      return { name, labels: list, key: Array.isArray(v) ? nnunetRegionKey(list) : String(v) };
    });
  const allowed = [...new Set([0, ...regions.flatMap((r) => r.labels)])].sort((a, b) => a - b);
  return { mode: 'regions', regions, allowed, source: `${where} regions` };
}
