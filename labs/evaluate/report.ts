/**
 * The evaluation report: per case and region every metric, means over cases, the problems met on
 * the way (unmatched files, mismatched grids, labels outside the scheme), as JSON (`--json`, the
 * lab's export), CSV (one row per case and region) and text for the terminal.
 */
import { BRATS_METRICS, type BratsMetrics } from './brats';
import type { CaseResult, MetricSet } from './case';
import type { EvaluateErrorCode } from './errors';
import { NNUNET_METRICS, nnunetSummary, type NnunetMetrics, type NnunetSummary } from './nnunet';
import type { RegionSet } from './regions';

export interface Problem {
  code: EvaluateErrorCode;
  message: string;
  files: string[];
}

export interface EvaluationReport {
  schemaVersion: 1;
  tool: 'bratslab evaluate';
  createdAt: string;
  prediction: string;
  reference: string;
  regions: RegionSet;
  metrics: MetricSet[];
  cases: CaseResult[];
  problems: Problem[];
  /** nnU-Net's `mean` and `foreground_mean` (what its summary.json holds besides the cases). */
  nnunet?: Pick<NnunetSummary, 'mean' | 'foreground_mean'>;
  /** Mean of each BraTS metric over cases, per region. */
  brats?: Record<string, BratsMetrics>;
}

export function buildReport(
  input: { prediction: string; reference: string; regions: RegionSet; metrics: MetricSet[]; cases: CaseResult[]; problems: Problem[] },
  now: Date = new Date(),
): EvaluationReport {
  const cases = [...input.cases].sort((a, b) => (a.prediction < b.prediction ? -1 : a.prediction > b.prediction ? 1 : 0));
  const report: EvaluationReport = { schemaVersion: 1, tool: 'bratslab evaluate', createdAt: now.toISOString(), ...input, cases };
  if (input.metrics.includes('nnunet') && cases.length) {
    const s = nnunetSummary(toNnunetCases(cases), input.regions.regions);
    report.nnunet = { mean: s.mean, foreground_mean: s.foreground_mean };
  }
  if (input.metrics.includes('brats') && cases.length) {
    report.brats = {};
    for (const r of input.regions.regions) {
      const m = {} as BratsMetrics;
      for (const k of BRATS_METRICS) m[k] = cases.reduce((a, c) => a + c.brats![r.name][k], 0) / cases.length;
      report.brats[r.name] = m;
    }
  }
  return report;
}

export function toNnunetCases(cases: readonly CaseResult[]): NnunetSummary['metric_per_case'] {
  return cases.filter((c) => c.nnunet).map((c) => ({ prediction_file: c.prediction, reference_file: c.reference, metrics: c.nnunet! }));
}

/** JSON with NaN written as null (JSON has no NaN): null Dice means "empty in both" in nnU-Net's rule. */
export function reportJson(report: EvaluationReport): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export const CSV_COLUMNS = ['case', 'region', ...NNUNET_METRICS, ...BRATS_METRICS] as const;

const cell = (v: number | string | undefined) => {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

/** One row per case and region; columns of a metric set that was not computed stay empty. */
export function reportCsv(report: EvaluationReport): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const c of report.cases)
    for (const r of report.regions.regions) {
      const n: Partial<NnunetMetrics> = c.nnunet?.[r.key] ?? {};
      const b: Partial<BratsMetrics> = c.brats?.[r.name] ?? {};
      rows.push([cell(c.id), cell(r.name), ...NNUNET_METRICS.map((k) => cell(n[k])), ...BRATS_METRICS.map((k) => cell(b[k]))].join(','));
    }
  return rows.join('\n') + '\n';
}

const f3 = (v: number | undefined) => (v === undefined ? '—' : Number.isNaN(v) ? 'NaN' : v.toFixed(3));
const f1 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));

/** The headline score of a case and region, for sorting and "worst cases": lesion-wise Dice if computed, else nnU-Net's Dice. */
export function headline(c: CaseResult, region: { key: string; name: string }): number {
  return c.brats?.[region.name]?.LesionWise_Score_Dice ?? c.nnunet?.[region.key]?.Dice ?? NaN;
}

/** The terminal rendering: means per region, the worst cases, then the problems. */
export function formatReport(report: EvaluationReport, worst = 5): string {
  const lines: string[] = [];
  const { regions } = report.regions;
  lines.push(`${report.cases.length} case${report.cases.length === 1 ? '' : 's'} evaluated (${report.regions.source}; ${report.metrics.join(' + ')})`);
  if (report.cases.length) {
    lines.push('');
    const head = ['region'];
    if (report.nnunet) head.push('Dice', 'IoU');
    if (report.brats) head.push('LW Dice', 'LW HD95', 'Dice*', 'HD95*', 'TP', 'FP', 'FN');
    const table = [head];
    for (const r of regions) {
      const row = [r.name];
      if (report.nnunet) row.push(f3(report.nnunet.mean[r.key].Dice), f3(report.nnunet.mean[r.key].IoU));
      if (report.brats) {
        const b = report.brats[r.name];
        row.push(f3(b.LesionWise_Score_Dice), f1(b.LesionWise_Score_HD95), f3(b.Legacy_Dice), f1(b.Legacy_HD95), f1(b.Num_TP), f1(b.Num_FP), f1(b.Num_FN));
      }
      table.push(row);
    }
    if (report.nnunet && report.regions.regions.length > 1) {
      const fg = report.nnunet.foreground_mean;
      table.push(['mean', f3(fg.Dice), f3(fg.IoU), ...(report.brats ? ['', '', '', '', '', '', ''] : [])]);
    }
    const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const row of table) lines.push('  ' + row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
    lines.push('');
    lines.push(
      report.brats
        ? '  means over cases; LW = BraTS 2023 lesion-wise, * = legacy (whole region), HD95 in mm (374 = missed or spurious), TP/FP/FN lesions per case'
        : "  means over cases (nnU-Net's rule: a region empty in both files has no Dice and is left out)",
    );
    for (const r of regions) {
      const ranked = report.cases.filter((c) => !Number.isNaN(headline(c, r))).sort((a, b) => headline(a, r) - headline(b, r));
      if (!ranked.length) continue;
      lines.push(`  worst ${r.name}: ${ranked.slice(0, worst).map((c) => `${c.id} ${f3(headline(c, r))}`).join(', ')}`);
    }
  }
  if (report.problems.length) {
    lines.push('');
    lines.push(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`);
    for (const p of report.problems) lines.push(`  [${p.code}] ${p.message}`);
  }
  return lines.join('\n') + '\n';
}
