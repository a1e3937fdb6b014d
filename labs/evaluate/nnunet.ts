/**
 * nnU-Net v2's metrics (nnunetv2/evaluation/evaluate_predictions.py, `compute_metrics` and
 * `compute_metrics_on_folder`, 2.8.1): per case and region the voxel counts TP, FP, FN, TN, Dice
 * and IoU, n_pred and n_ref; Dice and IoU are NaN when the region is empty in both files. Over
 * cases, `mean` per region ignores NaN (np.nanmean); `foreground_mean` averages the region means
 * (NaN propagates, as np.mean does), leaving out label 0.
 */
import type { EvalRegion } from './regions';

export interface NnunetMetrics {
  Dice: number;
  IoU: number;
  TP: number;
  FP: number;
  FN: number;
  TN: number;
  n_pred: number;
  n_ref: number;
}

export const NNUNET_METRICS = ['Dice', 'IoU', 'TP', 'FP', 'FN', 'TN', 'n_pred', 'n_ref'] as const;

/** Number of distinct byte values: the joint histogram is LEVELS × LEVELS. */
export const LEVELS = 256;

/**
 * The metrics of every region from the joint histogram of (reference, prediction) values:
 * `joint[ref * LEVELS + pred]` voxels.
 */
export function nnunetFromJoint(joint: Uint32Array, regions: readonly EvalRegion[]): Record<string, NnunetMetrics> {
  const present: number[] = [];
  for (let i = 0; i < joint.length; i++) if (joint[i]) present.push(i);
  const out: Record<string, NnunetMetrics> = {};
  for (const r of regions) {
    const inR = new Uint8Array(LEVELS);
    for (const l of r.labels) inR[l] = 1;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (const i of present) {
      const a = inR[(i / LEVELS) | 0];
      const b = inR[i % LEVELS];
      const c = joint[i];
      if (a && b) tp += c;
      else if (b) fp += c;
      else if (a) fn += c;
      else tn += c;
    }
    const empty = tp + fp + fn === 0;
    out[r.key] = {
      Dice: empty ? NaN : (2 * tp) / (2 * tp + fp + fn),
      IoU: empty ? NaN : tp / (tp + fp + fn),
      TP: tp,
      FP: fp,
      FN: fn,
      TN: tn,
      n_pred: fp + tp,
      n_ref: fn + tp,
    };
  }
  return out;
}

export interface NnunetCase {
  prediction_file: string;
  reference_file: string;
  metrics: Record<string, NnunetMetrics>;
}

export interface NnunetSummary {
  metric_per_case: NnunetCase[];
  mean: Record<string, NnunetMetrics>;
  foreground_mean: NnunetMetrics;
}

/** nnU-Net's aggregation over cases (ordered as given; nnU-Net sorts by prediction file name). */
export function nnunetSummary(cases: NnunetCase[], regions: readonly EvalRegion[]): NnunetSummary {
  const mean: Record<string, NnunetMetrics> = {};
  for (const r of regions) {
    const m = {} as NnunetMetrics;
    for (const k of NNUNET_METRICS) {
      let sum = 0;
      let n = 0;
      for (const c of cases) {
        const v = c.metrics[r.key]?.[k];
        if (v === undefined || Number.isNaN(v)) continue;
        sum += v;
        n++;
      }
      m[k] = n ? sum / n : NaN;
    }
    mean[r.key] = m;
  }
  const fg = {} as NnunetMetrics;
  const keys = regions.map((r) => r.key).filter((k) => k !== '0');
  for (const k of NNUNET_METRICS) fg[k] = keys.length ? keys.reduce((a, key) => a + mean[key][k], 0) / keys.length : NaN;
  return { metric_per_case: cases, mean, foreground_mean: fg };
}

/** Python's json rendering of a number: NaN/Infinity literals, floats keep a ".0". */
function pyNumber(v: number, float: boolean): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  const s = String(v);
  return float && Number.isInteger(v) && !/e/.test(s) ? `${s}.0` : s;
}

const COUNT_KEYS = new Set(['TP', 'FP', 'FN', 'TN', 'n_pred', 'n_ref']);

/**
 * summary.json as nnU-Net writes it (batchgenerators save_json: sort_keys, indent 4, NaN as a
 * bare literal), so anything that reads nnU-Net's file reads ours.
 */
export function nnunetSummaryJson(summary: NnunetSummary): string {
  const render = (v: unknown, indent: string, key: string, inCase: boolean): string => {
    if (typeof v === 'number') return pyNumber(v, !(inCase && COUNT_KEYS.has(key)));
    if (typeof v === 'string') return JSON.stringify(v);
    if (Array.isArray(v)) {
      if (!v.length) return '[]';
      const inner = indent + '    ';
      return `[\n${v.map((x) => inner + render(x, inner, '', inCase)).join(',\n')}\n${indent}]`;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    if (!keys.length) return '{}';
    const inner = indent + '    ';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${render(obj[k], inner, k, inCase || k === 'metric_per_case')}`).join(',\n')}\n${indent}}`;
  };
  return render(summary, '', '', false) + '\n';
}
