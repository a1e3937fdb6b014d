/**
 * The log diagnosis as a CheckReport (labs/shared/report.ts): what `bratslab log --json` prints and
 * what the lab shows, plus a plain-text rendering for the terminal.
 */
import { makeCheckReport, type CheckReport } from '../shared/report';
import { isBratsRegionRun } from './classes';
import { meanDice, type Curve } from './curve';
import { diagnose, type DiagnoseContext } from './diagnose';

export interface LogSummary {
  format: Curve['format'];
  /** training, training+validation, validation, prediction or unknown. */
  kind: NonNullable<Curve['kind']>;
  datasetName: string | null;
  /** Names used in the messages, and where they came from (dataset.json, --classes); null: "class N". */
  classNames: string[] | null;
  classNamesFrom: string | null;
  bratsRegions: boolean;
  restarts: number;
  discardedEpochs: number;
  crashedStarts: number;
  duplicates: number;
  interruptedEpoch: number | null;
  numpy: Curve['numpy'];
  files: string[];
  epochs: number;
  firstEpoch: number | null;
  lastEpoch: number | null;
  classes: number;
  finished: boolean | null;
  lastPseudoDice: number[] | null;
  bestEma: { epoch: number; value: number } | null;
  initialLr: number | null;
  numEpochs: number | null;
  numEpochsRange: [number, number] | null;
  lrFollowsPoly: boolean | null;
  meanValidationDice: number | null;
  unparsedLines: number;
  otherRecords: number | null;
}

/** Where class names came from and whether the run is a BraTS region run (see classes.ts). */
export interface ReportOptions extends DiagnoseContext {
  classNamesFrom?: string;
}

export function summarise(curve: Curve, lr: ReturnType<typeof diagnose>['lr'], classNames: readonly string[] = [], options: ReportOptions = {}): LogSummary {
  const eps = curve.epochs;
  const withDice = eps.filter((r) => r.pseudo_dice && r.pseudo_dice.length > 0);
  let best: { epoch: number; value: number } | null = null;
  for (const r of eps) {
    const v = r.best_ema ?? null;
    if (v !== null && Number.isFinite(v) && (!best || v >= best.value)) best = { epoch: r.epoch, value: v };
  }
  const restarts = curve.restarts ?? [];
  return {
    format: curve.format,
    kind: curve.kind ?? (eps.length > 0 ? 'training' : 'unknown'),
    datasetName: curve.datasetName ?? null,
    classNames: classNames.length > 0 ? [...classNames] : null,
    classNamesFrom: classNames.length > 0 ? (options.classNamesFrom ?? null) : null,
    bratsRegions: options.bratsRegions ?? false,
    restarts: restarts.length,
    discardedEpochs: restarts.reduce((a, r) => a + r.discarded.reduce((b, d) => b + d.count, 0), 0),
    crashedStarts: curve.crashedStarts?.length ?? 0,
    duplicates: curve.duplicates?.length ?? 0,
    interruptedEpoch: curve.interruptedEpoch ?? null,
    numpy: curve.numpy,
    files: curve.files,
    epochs: eps.length,
    firstEpoch: eps[0]?.epoch ?? null,
    lastEpoch: eps[eps.length - 1]?.epoch ?? null,
    classes: curve.classes,
    finished: curve.finished,
    lastPseudoDice: withDice[withDice.length - 1]?.pseudo_dice ?? null,
    bestEma: best,
    initialLr: lr?.initialLr ?? null,
    numEpochs: lr?.numEpochs ?? null,
    numEpochsRange: lr?.numEpochsRange ?? null,
    lrFollowsPoly: lr ? lr.consistent : null,
    meanValidationDice: curve.meanValidationDice,
    unparsedLines: curve.unparsedCount ?? curve.unparsed.length,
    otherRecords: curve.otherRecords ?? null,
  };
}

/** Diagnoses a curve and wraps the result as a versioned report. */
export function logReport(curve: Curve, target: string, classNames: readonly string[] = [], now?: Date, options: ReportOptions = {}): CheckReport {
  const bratsRegions = options.bratsRegions ?? isBratsRegionRun(curve, classNames.length > 0 ? { names: [...classNames] } : {});
  const d = diagnose(curve, classNames, { bratsRegions });
  return makeCheckReport('bratslab log', target, d.findings, { summary: summarise(curve, d.lr, classNames, { ...options, bratsRegions }) }, now);
}

const KIND_WORDS: Record<LogSummary['kind'], string> = {
  training: 'training log',
  'training+validation': 'training log with the final validation',
  validation: 'validation-only log',
  prediction: 'prediction output',
  unknown: 'no epoch, validation or prediction records',
};

const n = (v: number | null, digits = 4) => (v === null ? '—' : String(Number(v.toPrecision(digits))));

/** What the log holds, one line per topic: the terminal's header and the lab's summary. */
export function summaryLines(s: LogSummary): string[] {
  const lines: string[] = [];
  lines.push(
    `nnU-Net ${s.format}${s.numpy ? ` (numpy ${s.numpy})` : ''}, ${KIND_WORDS[s.kind] ?? s.kind}${s.datasetName ? ` of ${s.datasetName}` : ''}, ${s.epochs} epochs (${s.firstEpoch ?? '—'}–${s.lastEpoch ?? '—'}), ${s.classes} classes, ${s.finished === true ? 'finished' : s.finished === false ? 'no "Training done."' : 'completion unknown'}`,
  );
  if (s.classNames) lines.push(`classes: ${s.classNames.join(', ')}${s.classNamesFrom ? ` (from ${s.classNamesFrom})` : ''}${s.bratsRegions ? '; a BraTS region run' : ''}`);
  if (s.restarts + s.crashedStarts + s.duplicates > 0 || s.interruptedEpoch !== null)
    lines.push(
      `processes: ${s.restarts} restart(s), ${s.discardedEpochs} superseded epoch(s) discarded, ${s.crashedStarts} crashed start(s), ${s.duplicates} duplicate file(s)${s.interruptedEpoch !== null ? `; epoch ${s.interruptedEpoch} begun, not counted` : ''}`,
    );
  if (s.initialLr !== null) {
    lines.push(
      `learning rate: initial ≈ ${n(s.initialLr, 3)}, ${s.numEpochs} epochs planned (${s.numEpochsRange![0]}–${s.numEpochsRange![1]} fit), ${s.lrFollowsPoly ? 'follows' : 'does NOT follow'} the poly schedule`,
    );
  }
  if (s.lastPseudoDice) lines.push(`last pseudo Dice: [${s.lastPseudoDice.map((d) => n(d)).join(', ')}] (mean ${n(meanDice(s.lastPseudoDice))})`);
  if (s.bestEma) lines.push(`best EMA pseudo Dice: ${n(s.bestEma.value)} at epoch ${s.bestEma.epoch}`);
  if (s.meanValidationDice !== null) lines.push(`final validation mean Dice: ${n(s.meanValidationDice)}`);
  if (s.otherRecords !== null) lines.push(`other log records (header, splits, validation): ${s.otherRecords}; unreadable lines: ${s.unparsedLines}`);
  return lines;
}

/** Terminal rendering of a report made by `logReport`. */
export function formatLogReport(report: CheckReport): string {
  const s = report.details!.summary as LogSummary;
  const lines = [`Training log: ${s.files.join(', ')}`, ...summaryLines(s).map((l) => `  ${l}`)];
  lines.push('');
  if (report.findings.length === 0) lines.push('No problems found.');
  for (const f of report.findings) {
    lines.push(`${f.severity.toUpperCase().padEnd(7)} ${f.rule}${f.epochs ? ` [epochs ${f.epochs[0]}–${f.epochs[1]}]` : ''}`);
    lines.push(`        ${f.message}`);
    lines.push(`        → ${f.hint}`);
    lines.push(`        docs: ${f.docs}`);
  }
  lines.push('');
  lines.push(`${report.summary.error} error(s), ${report.summary.warning} warning(s), ${report.summary.info} info`);
  return lines.join('\n');
}
