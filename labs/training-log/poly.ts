/**
 * nnU-Net's poly learning-rate schedule and its inference from a log.
 *
 * nnunetv2/training/lr_scheduler/polylr.py: lr = initial_lr * (1 - step / max_steps) ** 0.9, with
 * step = the epoch (the trainer calls `step(current_epoch)` at the start of each epoch) and
 * max_steps = num_epochs. Defaults (nnUNetTrainer.__init__): initial_lr 1e-2, num_epochs 1000.
 * The v2 log prints np.round(lr, 5) at the epoch's start; v1 prints np.round(lr, 6) at the end
 * of the epoch, after the scheduler moved on, i.e. the value of epoch + 1.
 */

export const POLY_EXPONENT = 0.9;
export const DEFAULT_INITIAL_LR = 1e-2;
export const DEFAULT_EPOCHS = 1000;
/** Longest stock training-length variant (nnUNetTrainer_8000epochs, variants/training_length). */
export const MAX_EPOCHS = 8000;

export function polyLr(initialLr: number, epoch: number, numEpochs: number): number {
  return initialLr * Math.pow(Math.max(0, 1 - epoch / numEpochs), POLY_EXPONENT);
}

export interface LrPoint {
  epoch: number;
  lr: number;
}

export interface LrFit {
  /** Inferred initial learning rate. */
  initialLr: number;
  /** Inferred number of epochs (nnU-Net's default 1000 when it fits). */
  numEpochs: number;
  /** Every whole number of epochs that explains the printed values ([min, max]). */
  numEpochsRange: [number, number];
  /** Largest |printed − formula| at the chosen fit. */
  maxResidual: number;
  /** Rounding tolerance of the printed values. */
  tolerance: number;
  /** The printed values are the formula's, up to rounding. */
  consistent: boolean;
  /** Epoch with the largest deviation and the formula's value there. */
  worst: { epoch: number; printed: number; expected: number };
}

/** At most `n` points, evenly spread, first and last always kept (enough to pin two unknowns). */
function thin(points: LrPoint[], n: number): LrPoint[] {
  if (points.length <= n) return points;
  const out: LrPoint[] = [];
  for (let k = 0; k < n; k++) out.push(points[Math.round((k * (points.length - 1)) / (n - 1))]);
  return out;
}

function residual(points: LrPoint[], lr0: number, numEpochs: number, offset: number) {
  let max = 0;
  let worst = { epoch: points[0].epoch, printed: points[0].lr, expected: polyLr(lr0, points[0].epoch + offset, numEpochs) };
  for (const p of points) {
    const expected = polyLr(lr0, p.epoch + offset, numEpochs);
    const r = Math.abs(p.lr - expected);
    if (r > max) {
      max = r;
      worst = { epoch: p.epoch, printed: p.lr, expected };
    }
  }
  return { max, worst };
}

/**
 * Infers initial LR and number of epochs from printed values. For each candidate number of
 * epochs E (from just past the last epoch to MAX_EPOCHS) the initial LR is the least-squares
 * value; the fit is consistent when every printed value is within rounding of the formula.
 * Where nnU-Net's default E = 1000 is consistent it is preferred, since the data cannot tell.
 */
export function fitPoly(all: LrPoint[], offset: 0 | 1, decimals: number): LrFit | null {
  const points = all.filter((p) => Number.isFinite(p.lr));
  if (points.length === 0) return null;
  const tolerance = 0.5 * 10 ** -decimals * 1.001 + 1e-12;
  const sample = thin(points, 120);
  const lastStep = Math.max(...points.map((p) => p.epoch)) + offset;
  const evaluate = (E: number) => {
    let num = 0;
    let den = 0;
    for (const p of sample) {
      const f = Math.pow(1 - (p.epoch + offset) / E, POLY_EXPONENT);
      num += p.lr * f;
      den += f * f;
    }
    const ls = den > 0 ? num / den : points[0].lr;
    // People set round start values (1e-2, 2e-4, 3e-4): the least-squares value rounded to two
    // significant digits often explains the rounded log better than the raw estimate.
    const round = ls > 0 ? Number(ls.toPrecision(2)) : ls;
    const a = residual(sample, ls, E, offset).max;
    const b = residual(sample, round, E, offset).max;
    return b <= tolerance || b <= a ? { E, lr0: round, max: b } : { E, lr0: ls, max: a };
  };
  // Coarse pass on a geometric grid, then every whole E around the best region (the residual
  // changes smoothly with E), plus the default 1000: about 20× fewer evaluations than all E.
  const lo = lastStep + 1;
  const hi = Math.max(MAX_EPOCHS, lo);
  const grid = [...new Set(Array.from({ length: 301 }, (_, k) => Math.round(lo * (hi / lo) ** (k / 300))))];
  const coarse = grid.map(evaluate);
  const minMax = Math.min(...coarse.map((c) => c.max));
  const near = coarse.map((c, i) => (c.max <= Math.max(2 * tolerance, 3 * minMax) ? i : -1)).filter((i) => i >= 0);
  const from = grid[Math.max(0, near[0] - 2)];
  const to = grid[Math.min(grid.length - 1, near[near.length - 1] + 2)];
  const step = Math.max(1, Math.ceil((to - from) / 3000));
  const seen = new Set<number>();
  const candidates: { E: number; lr0: number; max: number }[] = [];
  for (const E of [...Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step), ...(DEFAULT_EPOCHS >= lo ? [DEFAULT_EPOCHS] : [])]) {
    if (seen.has(E)) continue;
    seen.add(E);
    candidates.push(evaluate(E));
  }
  candidates.sort((x, y) => x.E - y.E);
  const ok = candidates.filter((c) => c.max <= tolerance);
  const best = candidates.reduce((a, c) => (c.max < a.max ? c : a));
  const preferred = ok.find((c) => c.E === DEFAULT_EPOCHS) ?? (ok.length > 0 ? ok.reduce((a, c) => (c.max < a.max ? c : a)) : best);
  // The full list decides consistency; the thinned sample only chose the candidate.
  const full = residual(points, preferred.lr0, preferred.E, offset);
  return {
    initialLr: preferred.lr0,
    numEpochs: preferred.E,
    numEpochsRange: ok.length > 0 ? [ok[0].E, ok[ok.length - 1].E] : [best.E, best.E],
    maxResidual: full.max,
    tolerance,
    consistent: full.max <= tolerance,
    worst: full.worst,
  };
}
