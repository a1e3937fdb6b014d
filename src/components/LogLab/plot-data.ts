/**
 * Turns a Curve into the column arrays the shared Plot takes. Missing epochs (a sampled
 * transcription, a missing log file) become a null row, so uPlot breaks the line instead of
 * drawing across the gap.
 */
import type { Curve, EpochRecord } from '../../../labs/training-log/curve';
import { polyLr, type LrFit } from '../../../labs/training-log/poly';
import type { Finding } from '../../../labs/shared/findings';
import type { PlotMark } from '../ui/Plot';

export type Column = (number | null)[];

/** Okabe-Ito palette (colour-blind safe), one colour per class; cycles for many classes. */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442', '#000000'];
export const classColour = (i: number) => PALETTE[i % PALETTE.length];

const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** Records within [from, to], with a null-row marker where epochs are missing. */
export function rows(curve: Curve, from: number, to: number): (EpochRecord | { epoch: number; gap: true })[] {
  const out: (EpochRecord | { epoch: number; gap: true })[] = [];
  let prev: number | null = null;
  for (const r of curve.epochs) {
    if (r.epoch < from || r.epoch > to) continue;
    if (prev !== null && r.epoch > prev + 1) out.push({ epoch: prev + 1, gap: true });
    out.push(r);
    prev = r.epoch;
  }
  return out;
}

export function columns(curve: Curve, from: number, to: number, pick: ((r: EpochRecord) => number | null | undefined)[]): Column[] {
  const rs = rows(curve, from, to);
  return [rs.map((r) => r.epoch), ...pick.map((p) => rs.map((r) => ('gap' in r ? null : finite(p(r)))))];
}

/** The poly formula at each shown epoch, for comparison with the printed learning rate. */
export function polyColumn(curve: Curve, fit: LrFit, from: number, to: number): Column {
  return rows(curve, from, to).map((r) => ('gap' in r ? null : polyLr(fit.initialLr, r.epoch + curve.lrOffset, fit.numEpochs)));
}

const MARK_COLOUR = { error: '#d62728', warning: '#ff7f0e' } as const;

/** Errors and warnings as shaded epoch ranges; notes stay in the list (they would cover the plot). */
export function marks(findings: readonly Finding[]): PlotMark[] {
  return findings
    .filter((f) => f.epochs && f.severity !== 'info')
    .map((f) => ({ from: f.epochs![0], to: f.epochs![1], colour: MARK_COLOUR[f.severity as 'error' | 'warning'], label: f.rule }));
}
