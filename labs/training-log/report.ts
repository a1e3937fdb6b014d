/**
 * The log diagnosis as a CheckReport (labs/shared/report.ts): what `bratslab log --json` prints and
 * what the lab shows, plus a plain-text rendering for the terminal.
 */
import { makeCheckReport, type CheckReport } from '../shared/report';
import { meanDice, type Curve } from './curve';
import { diagnose } from './diagnose';

export interface LogSummary {
  format: Curve['format'];
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

export function summarise(curve: Curve, lr: ReturnType<typeof diagnose>['lr']): LogSummary {
  const eps = curve.epochs;
  const withDice = eps.filter((r) => r.pseudo_dice && r.pseudo_dice.length > 0);
  let best: { epoch: number; value: number } | null = null;
  for (const r of eps) {
    const v = r.best_ema ?? null;
    if (v !== null && Number.isFinite(v) && (!best || v >= best.value)) best = { epoch: r.epoch, value: v };
  }
  return {
    format: curve.format,
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
    unparsedLines: curve.unparsed.length,
    otherRecords: curve.otherRecords ?? null,
  };
}

/** Diagnoses a curve and wraps the result as a versioned report. */
export function logReport(curve: Curve, target: string, classNames: readonly string[] = [], now?: Date): CheckReport {
  const d = diagnose(curve, classNames);
  return makeCheckReport('bratslab log', target, d.findings, { summary: summarise(curve, d.lr) }, now);
}

const n = (v: number | null, digits = 4) => (v === null ? '—' : String(Number(v.toPrecision(digits))));

/** Terminal rendering of a report made by `logReport`. */
export function formatLogReport(report: CheckReport): string {
  const s = report.details!.summary as LogSummary;
  const lines: string[] = [];
  lines.push(`Training log: ${s.files.join(', ')}`);
  lines.push(
    `  nnU-Net ${s.format}${s.numpy ? ` (numpy ${s.numpy})` : ''}, ${s.epochs} epochs (${s.firstEpoch ?? '—'}–${s.lastEpoch ?? '—'}), ${s.classes} classes, ${s.finished === true ? 'finished' : s.finished === false ? 'no "Training done."' : 'completion unknown'}`,
  );
  if (s.initialLr !== null) {
    lines.push(
      `  learning rate: initial ≈ ${n(s.initialLr, 3)}, ${s.numEpochs} epochs planned (${s.numEpochsRange![0]}–${s.numEpochsRange![1]} fit), ${s.lrFollowsPoly ? 'follows' : 'does NOT follow'} the poly schedule`,
    );
  }
  if (s.lastPseudoDice) lines.push(`  last pseudo Dice: [${s.lastPseudoDice.map((d) => n(d)).join(', ')}] (mean ${n(meanDice(s.lastPseudoDice))})`);
  if (s.bestEma) lines.push(`  best EMA pseudo Dice: ${n(s.bestEma.value)} at epoch ${s.bestEma.epoch}`);
  if (s.meanValidationDice !== null) lines.push(`  final validation mean Dice: ${n(s.meanValidationDice)}`);
  if (s.otherRecords !== null) lines.push(`  other log records (header, splits, validation): ${s.otherRecords}; unreadable lines: ${s.unparsedLines}`);
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
