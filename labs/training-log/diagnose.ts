/**
 * Diagnosis of a training curve: each rule looks for one failure signature and reports it as a
 * Finding (labs/shared/findings.ts) with the epoch range, the numbers behind it and a link to the
 * lesson section that explains it. Thresholds are stated next to each rule; they were chosen on
 * the real runs in public/data/curves so that the runs INDEX.md calls healthy raise no errors.
 */
import { sortFindings, type Finding, type Severity } from '../shared/findings';
import { isBratsRegionRun } from './classes';
import { series, type Curve, type EpochRecord } from './curve';
import { DEFAULT_INITIAL_LR, fitPoly, polyLr, type LrFit } from './poly';

const READING = '/weeks/week-06/09-reading-training-logs/';
const DIAGNOSING = '/weeks/week-06/10-diagnosing-failures/';

/** Rule id → the lesson section that explains it (lessons 09 and 10 of week 6). */
export const RULES = {
  'log.no-epochs': `${READING}#where-the-log-is`,
  'log.unparsed-lines': `${READING}#one-epoch-line-by-line`,
  'log.resumed': `${READING}#where-the-log-is`,
  'log.crashed-start': `${READING}#where-the-log-is`,
  'log.duplicate-file': `${READING}#where-the-log-is`,
  'log.epoch-incomplete': `${READING}#where-the-log-is`,
  'log.unread-figures': `${READING}#one-epoch-line-by-line`,
  'log.validation-only': `${READING}#where-the-log-is`,
  'log.prediction-only': `${READING}#where-the-log-is`,
  'log.momentum-reset': `${DIAGNOSING}#a-class-stuck-at-zero`,
  'log.nan-loss': `${DIAGNOSING}#nan-loss-from-the-first-epoch`,
  'log.loss-divergence': `${DIAGNOSING}#divergence`,
  'log.dice-range': `${DIAGNOSING}#impossible-numbers`,
  'log.dice-nan': `${READING}#one-epoch-line-by-line`,
  'log.class-zero': `${DIAGNOSING}#a-class-stuck-at-zero`,
  'log.class-lag': `${DIAGNOSING}#enhancing-tumour-lagging-a-slow-start-not-a-failure`,
  'log.lr-schedule': `${READING}#the-learning-rate-poly-decay`,
  'log.lr-initial': `${READING}#the-learning-rate-poly-decay`,
  'log.oscillation': `${READING}#pseudo-dice-and-its-moving-average`,
  'log.overfitting': `${DIAGNOSING}#overfitting`,
  'log.plateau': `${DIAGNOSING}#overfitting`,
  'log.epoch-time': `${READING}#what-a-healthy-run-looks-like`,
  'log.stopped-early': `${READING}#where-the-log-is`,
  'log.split-overlap': `${DIAGNOSING}#too-good-to-be-true`,
} as const;

export type LogRule = keyof typeof RULES;

/** Pseudo Dice in [0, ZERO_DICE) counts as zero (it prints as 0.00 at two decimals). */
export const ZERO_DICE = 0.01;
const isZero = (d: number) => d >= 0 && d < ZERO_DICE;
/** Epoch after which a class still at zero is a problem rather than a slow start: the real
 * UCSF runs show small classes at zero for the first 5-8 epochs before they pick up. */
export const ZERO_GRACE_EPOCHS = 10;
/** Best pseudo Dice a class must have reached before a zero streak counts as a collapse; below it,
 * the early values are initialisation noise (this project's overfit run: 0.019 and 0.012, then 0). */
export const LEARNED_DICE = 0.1;

function finding(
  rule: LogRule,
  severity: Severity,
  message: string,
  hint: string,
  epochs?: [number, number],
  evidence?: Record<string, unknown>,
): Finding {
  return { rule, severity, message, hint, docs: RULES[rule], ...(epochs ? { epochs } : {}), ...(evidence ? { evidence } : {}) };
}

/** What the rules need to know besides the curve. */
export interface DiagnoseContext {
  /** A BraTS region run (WT, TC, ET): only then do messages speak of BraTS regions. Default: see
   * `isBratsRegionRun` on the curve and the class names. */
  bratsRegions?: boolean;
}

/** The commands and file names of the nnU-Net version that wrote the log. */
function tools(format: Curve['format']) {
  return format === 'v1'
    ? { cont: 'nnUNet_train CONFIGURATION TRAINER TASK FOLD -c', latest: 'model_latest.model', best: 'model_best.model', splits: 'splits_final.pkl', folder: 'RESULTS_FOLDER/nnUNet/<configuration>/TaskXXX_…/<trainer>__<plans>/fold_N/' }
    : { cont: 'nnUNetv2_train DATASET CONFIGURATION FOLD --c', latest: 'checkpoint_latest.pth', best: 'checkpoint_best.pth', splits: 'splits_final.json', folder: 'nnUNet_results/DatasetXXX_…/<trainer>__<plans>__<configuration>/fold_N/' };
}

const fmt = (v: number, digits = 4) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v));
const classLabel = (i: number, names: readonly string[]) => names[i] ?? `class ${i + 1}`;

/** Consecutive-epoch runs of records (a transcription gap or a missing log file breaks a run). */
function consecutive(records: EpochRecord[]): EpochRecord[][] {
  const out: EpochRecord[][] = [];
  for (const r of records) {
    const last = out[out.length - 1];
    if (last && r.epoch === last[last.length - 1].epoch + 1) last.push(r);
    else out.push([r]);
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Centered moving average over the present epochs (window w). */
function smooth(values: number[], w: number): number[] {
  const half = Math.floor(w / 2);
  const prefix = [0];
  for (const v of values) prefix.push(prefix[prefix.length - 1] + v);
  return values.map((_, i) => {
    const lo = Math.max(0, i - half);
    const hi = Math.min(values.length, i + half + 1);
    return (prefix[hi] - prefix[lo]) / (hi - lo);
  });
}

function nanLoss(curve: Curve): Finding[] {
  const bad = curve.epochs.filter((r) => [r.train_loss, r.val_loss].some((v) => v !== null && !Number.isFinite(v)));
  if (bad.length === 0) return [];
  const first = bad[0];
  const which = [first.train_loss, first.val_loss].map((v, i) => (v !== null && !Number.isFinite(v) ? ['train_loss', 'val_loss'][i] : null)).filter(Boolean);
  const fromStart = first.epoch === curve.epochs[0].epoch;
  return [
    finding(
      'log.nan-loss',
      'error',
      `${which.join(' and ')} ${which.length > 1 ? 'are' : 'is'} ${String(which[0] === 'train_loss' ? first.train_loss : first.val_loss)} from epoch ${first.epoch}${fromStart ? ', the first epoch in the log' : ''} (${bad.length} epoch${bad.length > 1 ? 's' : ''} affected).`,
      fromStart
        ? 'NaN before any real training points at the data: NaN or huge values in an image, a label file with values dataset.json does not declare, or an empty/constant image. Run the dataset validator.'
        : 'NaN in mid-training usually means the optimisation blew up: check for corrupt cases in this epoch range, lower the learning rate, and resume from a checkpoint before the first NaN.',
      [first.epoch, bad[bad.length - 1].epoch],
      { firstEpoch: first.epoch, losses: which, epochsAffected: bad.length },
    ),
  ];
}

/** A loss that rises by more than 1.0 from one epoch to the next: Dice+CE moves by hundredths
 * per epoch in healthy runs (largest step in the real healthy runs: 0.3, at epoch 1). */
function divergence(curve: Curve): Finding[] {
  const out: Finding[] = [];
  for (const key of ['train_loss', 'val_loss'] as const) {
    for (const run of consecutive(curve.epochs.filter((r) => r[key] !== null && Number.isFinite(r[key]!)))) {
      for (let i = 1; i < run.length; i++) {
        const a = run[i - 1][key]!;
        const b = run[i][key]!;
        if (b - a > 1.0) {
          out.push(
            finding(
              'log.loss-divergence',
              'error',
              `${key} jumps from ${fmt(a)} to ${fmt(b)} at epoch ${run[i].epoch}: the run is diverging (NaN often follows).`,
              'Lower the initial learning rate, check the input intensities (unnormalised or extreme values) and the labels; compare with another configuration on the same data.',
              [run[i - 1].epoch, run[i].epoch],
              { loss: key, from: a, to: b },
            ),
          );
          break;
        }
      }
    }
  }
  return out;
}

function diceRange(curve: Curve, names: readonly string[]): Finding[] {
  const bad = curve.epochs.filter((r) => r.pseudo_dice?.some((d) => Number.isFinite(d) && (d < 0 || d > 1)) || r.pseudo_dice?.some((d) => d === Infinity || d === -Infinity));
  if (bad.length === 0) return [];
  const r = bad[0];
  const classes = r.pseudo_dice!.map((d, i) => (d < 0 || d > 1 ? classLabel(i, names) : null)).filter(Boolean);
  return [
    finding(
      'log.dice-range',
      'error',
      `Pseudo Dice outside [0, 1] at epoch ${r.epoch} (${classes.join(', ')}: ${r.pseudo_dice!.map((d) => fmt(d)).join(', ')}). Dice cannot leave [0, 1].`,
      'A Dice outside [0, 1] is a bug in the label or region pipeline, not a training problem: check the region definitions (regions_class_order) and any custom label conversion code.',
      [r.epoch, bad[bad.length - 1].epoch],
      { epochsAffected: bad.length, values: r.pseudo_dice },
    ),
  ];
}

function diceNan(curve: Curve, names: readonly string[]): Finding[] {
  const withDice = curve.epochs.filter((r) => r.pseudo_dice && r.pseudo_dice.length > 0);
  // Once a loss is nan the network outputs nan and every Dice follows: one finding that says so,
  // not one per class blaming the class (log.nan-loss explains the cause).
  const nanLoss = curve.epochs.find((r) => [r.train_loss, r.val_loss].some((v) => v !== null && !Number.isFinite(v)))?.epoch;
  const afterLoss = nanLoss === undefined ? [] : withDice.filter((r) => r.epoch >= nanLoss && r.pseudo_dice!.some((d) => Number.isNaN(d)));
  const out: Finding[] = [];
  if (afterLoss.length > 0) {
    const classes = [...new Set(afterLoss.flatMap((r) => r.pseudo_dice!.map((d, c) => (Number.isNaN(d) ? c : -1)).filter((c) => c >= 0)))].sort((a, b) => a - b);
    out.push(
      finding(
        'log.dice-nan',
        'info',
        `Pseudo Dice is nan in ${afterLoss.length} epochs (${classes.map((c) => classLabel(c, names)).join(', ')}); it follows the nan loss from epoch ${nanLoss}: a network whose outputs are nan has no Dice.`,
        'Fix the nan loss first (see that finding); the Dice recovers with it. These nan values say nothing about the classes.',
        [afterLoss[0].epoch, afterLoss[afterLoss.length - 1].epoch],
        { classes, afterNanLoss: nanLoss, epochsNan: afterLoss.length },
      ),
    );
  }
  const before = withDice.filter((r) => nanLoss === undefined || r.epoch < nanLoss);
  for (let c = 0; c < curve.classes; c++) {
    const nanAt = before.filter((r) => Number.isNaN(r.pseudo_dice![c]));
    if (nanAt.length === 0) continue;
    const always = nanAt.length === before.length;
    out.push(
      finding(
        'log.dice-nan',
        always ? 'warning' : 'info',
        always
          ? `${classLabel(c, names)} has pseudo Dice nan in every epoch: it never occurs in the validation patches and is never predicted.`
          : `${classLabel(c, names)} has pseudo Dice nan in ${nanAt.length} of ${before.length} epochs (absent from those epochs' validation patches).`,
        always
          ? 'Check that the label exists in your validation cases and that dataset.json declares the values your label files use; a nan class is skipped by the EMA and by checkpoint selection.'
          : 'Rare classes can be missing from the 50 sampled validation batches; this is expected when the class is small.',
        [nanAt[0].epoch, nanAt[nanAt.length - 1].epoch],
        { class: c, epochsNan: nanAt.length, epochsWithDice: before.length },
      ),
    );
  }
  return out;
}

function classZero(curve: Curve, names: readonly string[]): Finding[] {
  const withDice = curve.epochs.filter((r) => r.pseudo_dice && r.pseudo_dice.length > 0);
  const out: Finding[] = [];
  if (withDice.length === 0) return out;
  const last = withDice[withDice.length - 1].epoch;
  const never: number[] = [];
  for (let c = 0; c < curve.classes; c++) {
    const vals = withDice.map((r) => r.pseudo_dice![c]);
    if (vals.some((v) => Number.isNaN(v))) continue; // nan classes have their own rule
    if (vals.every(isZero)) {
      never.push(c);
      continue;
    }
    // Streaks at zero after the class had been learning: a collapse.
    for (const run of consecutive(withDice)) {
      let start = -1;
      for (let i = 0; i <= run.length; i++) {
        const zero = i < run.length && isZero(run[i].pseudo_dice![c]);
        if (zero && start < 0) start = i;
        if (!zero && start >= 0) {
          const from = run[start].epoch;
          const to = run[i - 1].epoch;
          const len = i - start;
          // A streak that reaches the end of the record has not been seen to end: say so instead
          // of claiming the class picked up again.
          const untilEnd = i === run.length;
          const where = to === last ? 'the last epoch shown' : 'where this stretch of the log ends';
          const best = Math.max(0, ...withDice.filter((r) => r.epoch < from).map((r) => r.pseudo_dice![c]));
          const bestAfter = untilEnd ? 0 : Math.max(0, ...withDice.filter((r) => r.epoch > to).map((r) => r.pseudo_dice![c]).filter(Number.isFinite));
          if (to > ZERO_GRACE_EPOCHS && len >= 5 && best < LEARNED_DICE && bestAfter >= LEARNED_DICE) {
            // Left zero for good later on: a slow start, however long, not a class that was never learned.
            out.push(
              finding(
                'log.class-zero',
                'info',
                `${classLabel(c, names)} sat at pseudo Dice 0 for ${len} epochs (${from}–${to}), then was learned: it reached ${bestAfter.toFixed(2)} later.`,
                'A slow start of a small or rare class; nothing to fix if it keeps its level. Many epochs at zero can mean that patches rarely contain the class (check how often it appears in the cases).',
                [from, to],
                { class: c, epochs: len, bestBefore: best, bestAfter },
              ),
            );
          } else if (to > ZERO_GRACE_EPOCHS && len >= 5 && best < LEARNED_DICE) {
            out.push(
              finding(
                'log.class-zero',
                'warning',
                `${classLabel(c, names)} is at pseudo Dice 0 for ${len} epochs (${from}–${to}), past epoch ${ZERO_GRACE_EPOCHS}, and had not been learned before (best ${best.toFixed(3)})${untilEnd ? `; still at 0 at epoch ${to}, ${where}` : ''}.`,
                'A class still at zero after the first epochs is usually absent or mislabelled in the training patches, or very small: check its label value in dataset.json and the label files, and how often it appears in the cases.',
                [from, to],
                { class: c, epochs: len, bestBefore: best },
              ),
            );
          } else if (to > ZERO_GRACE_EPOCHS && len >= 5) {
            out.push(
              finding(
                'log.class-zero',
                'warning',
                `${classLabel(c, names)} drops to pseudo Dice 0 for ${len} epochs (${from}–${to}) after it had been learning (best ${best.toFixed(3)})${untilEnd ? `, and is still at 0 at epoch ${to}, ${where}` : ''}.`,
                'A class that collapses to zero late in training often means the learning rate is still too high for it or the class is tiny; compare the checkpoint from before the collapse, consider more epochs at a lower LR or more examples of the class.',
                [from, to],
                { class: c, epochs: len, bestBefore: best },
              ),
            );
          } else if (to <= ZERO_GRACE_EPOCHS && len >= 3) {
            out.push(
              untilEnd
                ? finding(
                    'log.class-zero',
                    'info',
                    `${classLabel(c, names)} is at pseudo Dice 0 from epoch ${from} and still at 0 at epoch ${to}, ${where}: too early to tell a slow start from a class that is never learned.`,
                    `Watch whether it leaves zero in the first ${ZERO_GRACE_EPOCHS} epochs; if it does not, check that its labels are present with the value dataset.json declares.`,
                    [from, to],
                    { class: c, epochs: len, untilEnd },
                  )
                : finding(
                    'log.class-zero',
                    'info',
                    `${classLabel(c, names)} sat at pseudo Dice 0 for epochs ${from}–${to}, then picked up: the usual slow start of a small class.`,
                    'Nothing to do; small classes often need a few epochs before the network predicts them at all.',
                    [from, to],
                    { class: c, epochs: len },
                  ),
            );
          }
          start = -1;
        }
      }
    }
  }
  if (never.length > 0) {
    const first = withDice[0].epoch;
    const severity: Severity = last >= 50 ? 'error' : last >= ZERO_GRACE_EPOCHS ? 'warning' : 'info';
    const list = never.map((c) => classLabel(c, names));
    out.push(
      finding(
        'log.class-zero',
        severity,
        `${list.length === curve.classes ? 'Every class' : list.length > 6 ? `${list.length} of ${curve.classes} classes` : list.join(', ')} ${list.length > 1 && list.length < curve.classes ? 'have' : 'has'} pseudo Dice 0 in every epoch shown (${first}–${last}).`,
        severity === 'info'
          ? `Too early to judge (epoch ${last}); watch whether ${list.length > 1 ? 'they' : 'it'} leave zero in the first ${ZERO_GRACE_EPOCHS} epochs.`
          : 'Check the labels of this class (are they present, with the value dataset.json declares?), the learning rate, and whether the class is too small for the patch sampling; nnU-Net does not learn a class it never sees.',
        [first, last],
        { classes: never, lastEpoch: last },
      ),
    );
  }
  return out;
}

/** A class that starts far behind the others: below half the best class for 5+ epochs. Only for
 * runs with few classes (BraTS regions): with dozens of labels every rare label would lag. */
function classLag(curve: Curve, names: readonly string[], brats: boolean): Finding[] {
  if (curve.classes < 2 || curve.classes > 8) return [];
  const withDice = curve.epochs.filter((r) => r.pseudo_dice && r.pseudo_dice.every((d) => Number.isFinite(d)));
  if (withDice.length < 10) return [];
  const out: Finding[] = [];
  for (let c = 0; c < curve.classes; c++) {
    if (withDice.every((r) => isZero(r.pseudo_dice![c]))) continue; // class-zero reports it
    let caughtUp = -1;
    for (let i = 0; i < withDice.length; i++) {
      const d = withDice[i].pseudo_dice!;
      const others = Math.max(...d.filter((_, k) => k !== c));
      if (d[c] >= 0.5 * others) {
        caughtUp = i;
        break;
      }
    }
    const first = withDice[0].epoch;
    if (caughtUp === -1) {
      out.push(
        finding(
          'log.class-lag',
          'warning',
          `${classLabel(c, names)} stays below half of the best class's pseudo Dice in every epoch (${first}–${withDice[withDice.length - 1].epoch}).`,
          brats
            ? 'In a BraTS region run the region that never catches up is usually enhancing tumour, the smallest; check its labels (value 3 in both nnU-Net schemes) and the cases where it is absent.'
            : 'A class that never catches up is usually small or badly labelled in some cases; check its labels and its share of the foreground.',
          [first, withDice[withDice.length - 1].epoch],
          { class: c },
        ),
      );
    } else if (caughtUp >= 5) {
      const to = withDice[caughtUp - 1].epoch;
      out.push(
        finding(
          'log.class-lag',
          'info',
          `${classLabel(c, names)} lagged behind the other classes for ${caughtUp} epochs (${first}–${to}) and caught up at epoch ${withDice[caughtUp].epoch}.`,
          brats
            ? 'Normal for enhancing tumour, the smallest BraTS region: it needs more epochs before the network predicts it reliably.'
            : 'Usual for a small class: it needs more epochs before the network predicts it reliably.',
          [first, to],
          { class: c, epochs: caughtUp, caughtUpAt: withDice[caughtUp].epoch },
        ),
      );
    }
  }
  return out;
}

export interface LrDiagnosis {
  fit: LrFit | null;
  findings: Finding[];
}

/** Learning rate against nnU-Net's poly schedule (see poly.ts). */
export function diagnoseLr(curve: Curve): LrDiagnosis {
  const points = series(curve, (r) => r.lr).map((p) => ({ epoch: p.epoch, lr: p.value }));
  if (points.length === 0) return { fit: null, findings: [] };
  const decimals = curve.format === 'v1' ? 6 : 5;
  const tol = 0.5 * 10 ** -decimals * 1.001;
  const findings: Finding[] = [];
  const jump = points.findIndex((p, i) => i > 0 && p.lr > points[i - 1].lr + tol);
  const head = jump > 0 ? points.slice(0, jump) : points;
  const fit = fitPoly(head, curve.lrOffset, decimals);
  if (jump > 0) {
    const a = points[jump - 1];
    const b = points[jump];
    findings.push(
      finding(
        'log.lr-schedule',
        'warning',
        `The learning rate jumps up at epoch ${b.epoch} (${fmt(a.lr)} at epoch ${a.epoch} → ${fmt(b.lr)}); nnU-Net's poly schedule only decreases.`,
        `A jump usually comes from resuming with a different trainer or number of epochs, or from restarting instead of continuing (${tools(curve.format).cont}). Check that every log file of this fold used the same trainer and settings.`,
        [a.epoch, b.epoch],
        { from: a.lr, to: b.lr },
      ),
    );
  }
  if (!fit) return { fit, findings };
  const formula = `lr = ${fmt(fit.initialLr, 3)}·(1 − e/${fit.numEpochs})^0.9`;
  if (!fit.consistent) {
    // Longest run of identical printed values.
    let best = { from: 0, to: 0 };
    let s = 0;
    for (let i = 1; i <= head.length; i++) {
      if (i === head.length || head[i].lr !== head[s].lr) {
        if (i - 1 - s > best.to - best.from) best = { from: s, to: i - 1 };
        s = i;
      }
    }
    const stuck = best.to - best.from >= 4 && head[best.from].lr > 0;
    const { epoch, printed, expected } = fit.worst;
    findings.push(
      finding(
        'log.lr-schedule',
        'warning',
        stuck
          ? `The learning rate is stuck at ${fmt(head[best.from].lr)} from epoch ${head[best.from].epoch} to ${head[best.to].epoch}; a poly schedule would have moved it (best poly fit: ${formula}).`
          : `The learning rate does not follow nnU-Net's poly schedule: at epoch ${epoch} the log prints ${fmt(printed)}, the best poly fit (${formula}) gives ${fmt(expected)}.`,
        'nnU-Net sets lr = initial_lr·(1 − epoch/num_epochs)^0.9 every epoch; a custom trainer or scheduler that changes this should be deliberate. Check the trainer class in the results folder name.',
        stuck ? [head[best.from].epoch, head[best.to].epoch] : [epoch, epoch],
        { initialLr: fit.initialLr, numEpochs: fit.numEpochs, maxDeviation: fit.maxResidual, epoch, printed, expected },
      ),
    );
  }
  const ratio = fit.initialLr / DEFAULT_INITIAL_LR;
  if (fit.consistent && Math.abs(ratio - 1) > 0.05) {
    const low = ratio < 1;
    const severity: Severity = fit.initialLr < 1e-4 || ratio > 1.05 ? 'warning' : 'info';
    const first = points[0];
    findings.push(
      finding(
        'log.lr-initial',
        severity,
        `Initial learning rate ≈ ${fmt(fit.initialLr, 2)} (${formula}), ${low ? `${fmt(1 / ratio, 2)}× below` : `${fmt(ratio, 2)}× above`} nnU-Net's default 0.01${fit.initialLr < 1e-4 ? ': with SGD this barely moves the weights' : ''}.`,
        severity === 'info'
          ? 'A lowered start LR is normal for custom trainers with Adam-type optimisers (2e-4 or 3e-4 are common); with the default SGD trainer it slows learning.'
          : low
            ? `At epoch ${first.epoch} the default schedule would print ${fmt(polyLr(DEFAULT_INITIAL_LR, first.epoch + curve.lrOffset, 1000), 3)}. Check the trainer's initial_lr; a near-zero LR leaves small classes at zero.`
            : 'A start LR above nnU-Net’s default often makes training diverge; check the trainer’s initial_lr.',
        [first.epoch, points[points.length - 1].epoch],
        { initialLr: fit.initialLr, numEpochs: fit.numEpochs, numEpochsRange: fit.numEpochsRange },
      ),
    );
  }
  return { fit, findings };
}

/** Median epoch-to-epoch change over the second half of the run. Thresholds from the real runs:
 * the healthy UCSF regions run has 0.020 (val loss) and ≤ 0.053 (per-class Dice); the runs INDEX.md
 * calls oscillating have 0.036 (val loss) and 0.08–0.09 (small classes). */
const OSC_VAL = 0.03;
const OSC_DICE = 0.07;

function oscillation(curve: Curve, names: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const late = curve.epochs.slice(Math.floor(curve.epochs.length / 2));
  const steps = (pick: (r: EpochRecord) => number | null | undefined) => {
    const d: number[] = [];
    for (const run of consecutive(late)) {
      for (let i = 1; i < run.length; i++) {
        const a = pick(run[i - 1]);
        const b = pick(run[i]);
        if (a != null && b != null && Number.isFinite(a) && Number.isFinite(b)) d.push(Math.abs(b - a));
      }
    }
    return d;
  };
  const span: [number, number] = [late[0]?.epoch ?? 0, late[late.length - 1]?.epoch ?? 0];
  const v = steps((r) => r.val_loss);
  if (v.length >= 20 && median(v) > OSC_VAL) {
    out.push(
      finding(
        'log.oscillation',
        'warning',
        `Validation loss oscillates: median change ${fmt(median(v), 2)} per epoch over epochs ${span[0]}–${span[1]}.`,
        'Epoch-to-epoch swings of the validation loss come from a small or heterogeneous validation fold and a still-high learning rate; judge the run by the EMA and the final validation, not by single epochs.',
        span,
        { medianStep: median(v), threshold: OSC_VAL },
      ),
    );
  }
  const swinging: { c: number; m: number }[] = [];
  for (let c = 0; c < curve.classes; c++) {
    const d = steps((r) => r.pseudo_dice?.[c]);
    if (d.length >= 20 && median(d) > OSC_DICE) swinging.push({ c, m: median(d) });
  }
  if (swinging.length > 0) {
    out.push(
      finding(
        'log.oscillation',
        'warning',
        `Pseudo Dice of ${swinging.map((s) => `${classLabel(s.c, names)} (median swing ${fmt(s.m, 2)})`).join(', ')} swings widely from epoch to epoch over epochs ${span[0]}–${span[1]}.`,
        'Small structures give noisy pseudo Dice (50 sampled batches per epoch); if the swings stay large late in training, the model is unstable for these classes: consider a lower learning rate or more data for them.',
        span,
        { classes: swinging.map((s) => s.c), medianSteps: swinging.map((s) => s.m), threshold: OSC_DICE },
      ),
    );
  }
  return out;
}

/** The train/val gap grows by 0.15+ after the first 10% of the run, over at least a quarter of it,
 * while validation improves less than half as much as training: the run memorises its training
 * cases. */
function overfitting(curve: Curve): Finding[] {
  const both = curve.epochs.filter((r) => r.train_loss !== null && r.val_loss !== null && Number.isFinite(r.train_loss) && Number.isFinite(r.val_loss));
  if (both.length < 30) return [];
  const w = Math.max(5, Math.round(both.length / 20));
  const tr = smooth(both.map((r) => r.train_loss!), w);
  const va = smooth(both.map((r) => r.val_loss!), w);
  const skip = Math.floor(both.length / 10);
  let s = skip;
  for (let i = skip; i < both.length; i++) if (va[i] - tr[i] < va[s] - tr[s]) s = i;
  const end = both.length - 1;
  const gapGrowth = va[end] - tr[end] - (va[s] - tr[s]);
  const trainGain = tr[s] - tr[end];
  const valGain = va[s] - va[end];
  // The window must cover a quarter of the run: a short late stretch is noise or a regime change.
  const long = end - s >= 0.25 * both.length;
  if (long && gapGrowth >= 0.15 && trainGain > 0 && valGain < 0.5 * trainGain) {
    // Where validation stopped improving: its smoothed minimum up to the end.
    let m = s;
    for (let i = s; i <= end; i++) if (va[i] < va[m]) m = i;
    return [
      finding(
        'log.overfitting',
        'warning',
        `Over-fitting: from epoch ${both[s].epoch} to ${both[end].epoch} the training loss falls by ${fmt(trainGain, 2)} but the validation loss only by ${fmt(valGain, 2)}; the gap grows from ${fmt(va[s] - tr[s], 2)} to ${fmt(va[end] - tr[end], 2)}.`,
        `More epochs will not help this fold: use ${tools(curve.format).best}, add data or augmentation, or stop earlier; check that validation cases are not near-duplicates of training cases in the other direction.`,
        [both[s].epoch, both[end].epoch],
        { gapStart: va[s] - tr[s], gapEnd: va[end] - tr[end], trainGain, valGain, valBestEpoch: both[m].epoch, smoothing: w },
      ),
    ];
  }
  return [];
}

/** No new best EMA for the last quarter of the run (and at least 50 epochs). */
function plateau(curve: Curve): Finding[] {
  const eps = curve.epochs;
  if (eps.length < 100) return [];
  const printed = eps.filter((r) => r.best_ema !== null);
  let lastBest: EpochRecord | undefined;
  if (printed.length > 0) lastBest = printed[printed.length - 1];
  else {
    for (const r of eps) if (r.ema !== null && Number.isFinite(r.ema) && (!lastBest || r.ema > lastBest.ema!)) lastBest = r;
  }
  if (!lastBest) return [];
  const end = eps[eps.length - 1].epoch;
  const idle = end - lastBest.epoch;
  if (idle < 50 || idle < 0.25 * (end - eps[0].epoch)) return [];
  const value = lastBest.best_ema ?? lastBest.ema!;
  return [
    finding(
      'log.plateau',
      'info',
      `Plateau: the last new best EMA pseudo Dice (${fmt(value)}) was at epoch ${lastBest.epoch}; the ${idle} epochs after it never beat it.`,
      `${tools(curve.format).best} comes from ${curve.format === 'v1' ? 'around ' : ''}that epoch. Training longer at this setting will not help; if the gap between training and validation loss grows meanwhile, see over-fitting.`,
      [lastBest.epoch, end],
      { lastBestEpoch: lastBest.epoch, lastBest: value, epochsWithoutImprovement: idle },
    ),
  ];
}

/** Erratic: 2+ epoch-to-epoch changes of 30 %+, in at least a fifth of the transitions. Slow: median
 * over 300 s (nnU-Net's 250 iterations usually take 100-200 s on a current GPU; the real runs here
 * take 100-230 s). Epoch 0 is left out: it includes torch.compile and cache warm-up. */
function epochTime(curve: Curve, numEpochs: number | null): Finding[] {
  const recs = curve.epochs.filter((r) => r.epoch > 0 && r.epoch_time !== null && Number.isFinite(r.epoch_time) && r.epoch_time > 0);
  if (recs.length === 0) return [];
  const out: Finding[] = [];
  let jumps = 0;
  let transitions = 0;
  let firstJump: [number, number] | null = null;
  for (const run of consecutive(recs)) {
    for (let i = 1; i < run.length; i++) {
      transitions++;
      const a = run[i - 1].epoch_time!;
      const b = run[i].epoch_time!;
      if (Math.max(a, b) / Math.min(a, b) > 1.3) {
        jumps++;
        firstJump ??= [run[i - 1].epoch, run[i].epoch];
      }
    }
  }
  const times = recs.map((r) => r.epoch_time!);
  const span: [number, number] = [recs[0].epoch, recs[recs.length - 1].epoch];
  if (jumps >= 2 && jumps / transitions >= 0.2) {
    out.push(
      finding(
        'log.epoch-time',
        'warning',
        `Epoch time is erratic: ${jumps} of ${transitions} consecutive epochs differ by more than 30 % (${fmt(Math.min(...times), 4)}–${fmt(Math.max(...times), 4)} s).`,
        'Erratic epoch times point at data loading or a shared machine: too few data-loader workers (nnUNet_n_proc_DA), slow or network storage, another job on the GPU. The learning itself is unaffected.',
        span,
        { jumps, transitions, min: Math.min(...times), max: Math.max(...times) },
      ),
    );
  }
  const med = median(times);
  if (med > 300) {
    const total = numEpochs ?? 1000;
    out.push(
      finding(
        'log.epoch-time',
        'warning',
        `Slow epochs: median ${fmt(med, 4)} s per epoch; ${total} epochs would take about ${fmt((med * total) / 86400, 2)} days.`,
        'Check that training runs on the GPU, that the data loaders keep up (CPU cores, nnUNet_n_proc_DA) and that the data sit on a local disk.',
        span,
        { medianSeconds: med, days: (med * total) / 86400, numEpochs: total },
      ),
    );
  }
  return out;
}

function stoppedEarly(curve: Curve, fit: LrFit | null): Finding[] {
  if (curve.finished === null || !fit || !fit.consistent || curve.epochs.length === 0) return [];
  const last = curve.epochs[curve.epochs.length - 1].epoch;
  const [minE] = fit.numEpochsRange;
  if (last + 1 >= minE) return [];
  return [
    finding(
      'log.stopped-early',
      'warning',
      curve.finished
        ? `Training stopped after epoch ${last} although the learning-rate schedule plans at least ${minE} epochs (inferred ${fit.numEpochs}).`
        : `The log ends at epoch ${last} without "Training done." while the schedule plans at least ${minE} epochs (inferred ${fit.numEpochs}): still running, or interrupted.`,
      curve.finished
        ? 'A custom early-stopping trainer ended the run; the LR never reached the low values that polish the model. Make sure that was intended.'
        : `If the run was interrupted, continue it with ${tools(curve.format).cont}; it resumes from ${tools(curve.format).latest} (saved every 50 epochs) and writes a new log file.`,
      [last, last],
      { lastEpoch: last, plannedEpochs: fit.numEpochs, plannedEpochsRange: fit.numEpochsRange, finished: curve.finished },
    ),
  ];
}

const FIGURE_NAMES: Record<string, string> = { train_loss: 'train_loss', val_loss: 'val_loss', pseudo_dice: 'pseudo Dice', lr: 'learning rate', epoch_time: 'epoch time', best_ema: 'best EMA' };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const list = (items: string[], max = 5) => (items.length > max ? `${items.slice(0, max).join('; ')}; and ${items.length - max} more` : items.join('; '));

/** What the log is, how the fold's processes fit together, and what could not be read. */
function bookkeeping(curve: Curve): Finding[] {
  const out: Finding[] = [];
  const t = tools(curve.format);
  const crashed = curve.crashedStarts ?? [];
  const kind = curve.kind ?? (curve.epochs.length > 0 ? 'training' : 'unknown');
  if (kind === 'validation') {
    out.push(
      finding(
        'log.validation-only',
        'info',
        `Validation-only log: no training epochs, ${curve.finished ? 'training reported done, ' : ''}final validation${curve.meanValidationDice !== null ? ` Mean Validation Dice ${fmt(curve.meanValidationDice)}` : ' without a Mean Validation Dice line (cut short?)'}${curve.split ? ` on ${curve.split.val} validation cases` : ''}.`,
        `Nothing to fix in this log: it is the validation of a finished fold (${curve.format === 'v1' ? 'nnUNet_train … --validation_only' : 'nnUNetv2_train … --val'}). Give the fold's other training_log_*.txt files to see its training curve; the per-case scores are in validation${curve.format === 'v1' ? '_raw' : ''}/summary.json.`,
        undefined,
        { meanValidationDice: curve.meanValidationDice, validationCases: curve.split?.val ?? null },
      ),
    );
  } else if (kind === 'prediction') {
    const n = curve.predictedCases;
    out.push(
      finding(
        'log.prediction-only',
        n === 0 ? 'warning' : 'info',
        n === 0
          ? 'Prediction output, and nnU-Net found 0 cases to predict.'
          : `Prediction output (nnUNetv2_predict), not a training log${n !== null && n !== undefined ? `: ${plural(n, 'case')} to predict` : ''}.`,
        n === 0
          ? 'nnU-Net finds input images by their channel suffix: the folder given with -i must hold files named CASE_0000.nii.gz (one _XXXX per channel) with the file ending of dataset.json.'
          : 'A prediction has no curve to diagnose; give the training_log_*.txt files of the model’s folds to check its training.',
        undefined,
        { predictedCases: n ?? null },
      ),
    );
  } else if (curve.epochs.length === 0) {
    const why =
      crashed.length > 0
        ? `the log ends after its header: the process died at start-up${crashed[crashed.length - 1].lastRecord ? ` (last record: "${crashed[crashed.length - 1].lastRecord}")` : ''}`
        : Object.values(curve.unreadFigures ?? {}).some((n) => n > 0)
          ? 'epochs were begun, but none of their figures could be read: see log.unread-figures'
          : curve.interruptedEpoch != null
            ? `epoch ${curve.interruptedEpoch} was begun but has no figures yet`
          : (curve.unparsed[0]?.reason ?? 'no nnU-Net log record in it');
    out.push(
      finding(
        'log.no-epochs',
        'error',
        `No epoch found in ${curve.files.join(', ') || 'the input'} (${why}).`,
        crashed.length > 0
          ? 'The error is in the console output, not in the log: run the same command again in a terminal and read the traceback (a data loader or environment problem is common). The fold folder then holds this header-only log and the next, complete one.'
          : `Give the training_log_*.txt files from ${t.folder}; a log cut before the end of the first epoch has no curve.`,
      ),
    );
  }
  const unread = Object.entries(curve.unreadFigures ?? {}).filter(([, n]) => n > 0);
  if (unread.length > 0) {
    const readCount = (k: string) => curve.epochs.filter((r) => (k === 'pseudo_dice' ? r.pseudo_dice !== null : r[k as 'lr' | 'best_ema'] !== null)).length;
    const none = unread.filter(([k]) => readCount(k) === 0).map(([k]) => FIGURE_NAMES[k]);
    const examples = curve.unparsed.filter((u) => /decimal comma|not a number|unknown record|outside an epoch|second /.test(u.reason)).slice(0, 3);
    out.push(
      finding(
        'log.unread-figures',
        none.length > 0 ? 'error' : 'warning',
        `${unread.map(([k, n]) => plural(n, `${FIGURE_NAMES[k]} line`)).join(', ')} look like nnU-Net figures but could not be read${none.length > 0 ? `; no ${none.join(', no ')} value was read at all` : ''}${examples.length > 0 ? ` (${examples.map((u) => `${u.file}:${u.line}: ${u.reason}`).join('; ')})` : ''}.`,
        examples.some((u) => /decimal comma/.test(u.reason))
          ? 'The numbers use decimal commas: the log was re-saved by a program with another locale (a spreadsheet, an editor). Use the training_log_*.txt file nnU-Net wrote, unchanged.'
          : 'These lines differ from what nnU-Net prints (a custom trainer, or an edited copy): use the original training_log_*.txt; the diagnosis below is built without these values.',
        undefined,
        { unread: Object.fromEntries(unread), unreadAtAll: none },
      ),
    );
  }
  if (curve.unparsed.length > 0) {
    const total = curve.unparsedCount ?? curve.unparsed.length;
    const shown = curve.unparsed.slice(0, 5).map((u) => `${u.file}:${u.line}`);
    out.push(
      finding(
        'log.unparsed-lines',
        'info',
        `${total} line${total > 1 ? 's' : ''} could not be read as nnU-Net log records (${shown.join(', ')}${total > 5 ? ', …' : ''}).`,
        'Console output pasted into a log (warnings, tracebacks) and custom trainer messages end up here; the curve is built from the lines that could be read.',
        undefined,
        { total, lines: curve.unparsed.slice(0, 50) },
      ),
    );
  }
  const restarts = curve.restarts ?? [];
  if (restarts.length > 0) {
    const discarded = restarts.reduce((a, r) => a + r.discarded.reduce((b, d) => b + d.count, 0), 0);
    const describe = (r: (typeof restarts)[number]) => {
      const gone = r.discarded.map((d) => `epochs ${d.epochs[0]}–${d.epochs[1]} of ${d.file} (${d.count})`).join(', ');
      return `${r.file}:${r.line} continues from epoch ${r.fromEpoch}${r.epochs === 0 ? ' and died inside that epoch' : ` (${plural(r.epochs, 'epoch')})`}${gone ? `, superseding ${gone}` : ''}`;
    };
    const first = restarts[0];
    out.push(
      finding(
        'log.resumed',
        'info',
        `The fold was continued ${restarts.length === 1 ? 'once' : `${restarts.length} times`}: ${list(restarts.map(describe), 3)}. ${discarded > 0 ? `${plural(discarded, 'epoch')} of earlier processes ${discarded === 1 ? 'was' : 'were'} discarded: training went on from the checkpoint, not from them.` : 'No epoch was repeated.'}`,
        `Nothing to fix: nnU-Net continues from ${t.latest}, saved every 50 epochs, and trains the epochs after it again; the curve shown is the branch that training continued.`,
        [first.fromEpoch, curve.epochs[curve.epochs.length - 1]?.epoch ?? first.fromEpoch],
        { restarts: restarts.length, discardedEpochs: discarded, list: restarts.slice(0, 20) },
      ),
    );
  }
  if (crashed.length > 0 && (curve.epochs.length > 0 || kind !== 'unknown')) {
    out.push(
      finding(
        'log.crashed-start',
        'info',
        `${crashed.length === 1 ? 'One process' : `${crashed.length} processes`} died at start-up, before the first epoch (header only): ${list(crashed.map((c) => `${c.file}:${c.line}${c.lastRecord ? ` (last record: "${c.lastRecord}")` : ''}`), 3)}.`,
        'A header-only log is what a start that failed leaves in the fold folder (its traceback went to the console); the later logs show the run that worked.',
        undefined,
        { crashedStarts: crashed.length, list: crashed.slice(0, 20) },
      ),
    );
  }
  const dups = curve.duplicates ?? [];
  if (dups.length > 0) {
    out.push(
      finding(
        'log.duplicate-file',
        'info',
        `${list(dups.map((d) => (d.copyOfProcess ? `${d.file} is a shorter copy of the log of the process that wrote ${d.sameAs} (same first record)` : `${d.file} is identical to ${d.sameAs}`)), 3)}: only ${dups.length > 1 ? 'the latter are' : `${dups[0].sameAs} is`} read.`,
        'The same log given twice, or a copy taken while the run was going, is not a resume; nothing to fix.',
        undefined,
        { duplicates: dups.length, list: dups.slice(0, 20) },
      ),
    );
  }
  if (curve.interruptedEpoch != null && curve.epochs.length > 0) {
    out.push(
      finding(
        'log.epoch-incomplete',
        'info',
        `Epoch ${curve.interruptedEpoch} was begun but has no figures: the log ends inside it (still running, or interrupted); it is not counted.`,
        curve.finished ? 'Nothing to fix.' : `If the process is gone, continue the fold with ${t.cont}.`,
        [curve.interruptedEpoch, curve.interruptedEpoch],
        { epoch: curve.interruptedEpoch },
      ),
    );
  }
  if (curve.momentumReset) {
    const m = curve.momentumReset;
    out.push(
      finding(
        'log.momentum-reset',
        'warning',
        `At epoch ${m.epoch} nnU-Net v1 found a mean foreground Dice of 0, lowered the SGD momentum from 0.99 to 0.95 and re-initialised the network weights (${m.file}:${m.line}): the curve after epoch ${m.epoch} starts again from random weights.`,
        'nnU-Net v1 does this once, automatically. If the Dice leaves zero after the reset, the high momentum was the problem and training goes on; if it stays at 0, look at the labels (values, empty masks) and the learning rate, not at the momentum.',
        [m.epoch, m.epoch],
        { epoch: m.epoch },
      ),
    );
  }
  if (curve.splitOverlapWarning) {
    out.push(
      finding(
        'log.split-overlap',
        'warning',
        'nnU-Net warned that some validation cases are also in the training set.',
        `Pseudo Dice and validation loss are then optimistic (leakage). Fix ${tools(curve.format).splits} so that every case, and every patient, is in one side only.`,
      ),
    );
  }
  return out;
}

export interface Diagnosis {
  findings: Finding[];
  lr: LrFit | null;
}

/** More findings of one rule than this are folded into one that counts the rest (huge logs). */
const MAX_PER_RULE = 5;

function capPerRule(findings: Finding[]): Finding[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const out: Finding[] = [];
  for (const [, fs] of byRule) {
    if (fs.length <= MAX_PER_RULE) {
      out.push(...fs);
      continue;
    }
    const rest = fs.slice(MAX_PER_RULE - 1);
    const worst = rest.some((f) => f.severity === 'error') ? 'error' : rest.some((f) => f.severity === 'warning') ? 'warning' : 'info';
    out.push(...fs.slice(0, MAX_PER_RULE - 1), { ...rest[0], severity: worst, message: `${rest[0].message} (and ${rest.length - 1} more findings of this kind)`, evidence: { ...rest[0].evidence, more: rest.length - 1 } });
  }
  return out;
}

/**
 * Runs every rule. `classNames` labels classes in messages (defaults to `class 1..n`); `context`
 * says whether the run is a BraTS region run (default: worked out from the curve and the names).
 */
export function diagnose(curve: Curve, classNames: readonly string[] = [], context: DiagnoseContext = {}): Diagnosis {
  const brats = context.bratsRegions ?? isBratsRegionRun(curve, classNames.length > 0 ? { names: [...classNames] } : {});
  const lr = diagnoseLr(curve);
  const findings = [
    ...bookkeeping(curve),
    ...nanLoss(curve),
    ...divergence(curve),
    ...diceRange(curve, classNames),
    ...diceNan(curve, classNames),
    ...classZero(curve, classNames),
    ...classLag(curve, classNames, brats),
    ...lr.findings,
    ...oscillation(curve, classNames),
    ...overfitting(curve),
    ...plateau(curve),
    ...epochTime(curve, lr.fit?.consistent ? lr.fit.numEpochs : null),
    ...stoppedEarly(curve, lr.fit),
  ];
  return { findings: sortFindings(capPerRule(findings)), lr: lr.fit };
}
