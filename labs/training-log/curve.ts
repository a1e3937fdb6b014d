/**
 * The curve object every part of the log lab works on: one record per epoch with the figures
 * nnU-Net prints (nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py, `on_epoch_end`), plus what
 * the parser could not read. Parsed logs and the transcribed real runs (public/data/curves) both
 * become a Curve, so the diagnosis and the plots never care where the numbers came from.
 */

export interface EpochRecord {
  /** 0-based epoch index as printed (`Epoch 12`, v1: `epoch:  12`). */
  epoch: number;
  /** Learning rate as printed. v2 prints it at the start of the epoch; v1 prints it at the end,
   * after the scheduler stepped, so a v1 value belongs to epoch + 1 (see `Curve.lrOffset`). */
  lr: number | null;
  train_loss: number | null;
  val_loss: number | null;
  /** One value per foreground class or region; NaN where the log printed nan. */
  pseudo_dice: number[] | null;
  /** EMA of the mean foreground pseudo Dice, recomputed with nnU-Net's formula (see `withEma`). */
  ema: number | null;
  /** Value printed on a `Yayy! New best EMA pseudo Dice` line, or null when none was printed. */
  best_ema: number | null;
  /** Seconds (`Epoch time: 99.65 s`, v1: `This epoch took 54.12 s`). */
  epoch_time: number | null;
  /** Which file the record came from (merged logs). */
  file?: string;
}

export interface UnparsedLine {
  file: string;
  /** 1-based line number in that file. */
  line: number;
  text: string;
  reason: string;
}

export interface EpochOverlap {
  /** Inclusive range of epochs that appear in both files. */
  epochs: [number, number];
  keptFrom: string;
  droppedFrom: string;
}

export type LogFormat = 'v1' | 'v2' | 'unknown';

/**
 * What a log holds: epochs (training), epochs and the final validation, only the validation
 * (`nnUNetv2_train … --val`, or a run continued after it had finished), only prediction console
 * output (`nnUNetv2_predict`), or nothing that nnU-Net writes ('unknown').
 */
export type LogKind = 'training' | 'training+validation' | 'validation' | 'prediction' | 'unknown';

/**
 * A later process that continued the fold. nnU-Net restarts from `checkpoint_latest.pth`, so a
 * process that begins at epoch E makes every earlier record from E on a dead branch
 * (nnunetv2/run/run_training.py, `maybe_load_checkpoint`; nnUNetTrainer.load_checkpoint sets
 * current_epoch from the checkpoint).
 */
export interface Restart {
  /** File and 1-based line where the restarted process's output begins. */
  file: string;
  line: number;
  /** First epoch the process began. */
  fromEpoch: number;
  /** Epochs it completed (0: it died inside its first epoch). */
  epochs: number;
  /** Earlier records from `fromEpoch` on that it superseded, per file, as ranges with counts. */
  discarded: { file: string; epochs: [number, number]; count: number }[];
}

/** A process that wrote its header and died before its first epoch. */
export interface CrashedStart {
  file: string;
  line: number;
  /** The last record it wrote, which often says where it stopped. */
  lastRecord: string | null;
}

/** figures that look present in the log but could not be read, per figure. */
export type UnreadFigures = Partial<Record<'train_loss' | 'val_loss' | 'pseudo_dice' | 'lr' | 'epoch_time' | 'best_ema', number>>;

export interface Curve {
  /** 'v2' for nnU-Net v2 logs (and transcribed v2 runs), 'v1' for nnU-Net v1. */
  format: LogFormat;
  /** 1 when lr values are the ones printed after the epoch (v1), 0 otherwise. */
  lrOffset: 0 | 1;
  /** numpy major version inferred from the number rendering (v2 only; null when not visible). */
  numpy: 1 | 2 | null;
  /** Number of pseudo Dice values per epoch (foreground classes or regions); 0 when none seen. */
  classes: number;
  epochs: EpochRecord[];
  unparsed: UnparsedLine[];
  overlaps: EpochOverlap[];
  files: string[];
  /** `Training done.` seen: true; log ends without it: false; unknown (transcribed excerpt): null. */
  finished: boolean | null;
  /** `Mean Validation Dice:` of the final validation, when present. */
  meanValidationDice: number | null;
  /** nnU-Net's own warning that validation cases are also in the training set was logged. */
  splitOverlapWarning: boolean;
  /** Training / validation case counts from `This split has N training and M validation cases.` */
  split: { train: number; val: number } | null;
  /** Log records read but carrying no per-epoch figures (banner, plans dump, split, validation). */
  otherRecords?: number;
  /** What the log holds (absent on transcribed runs: they are training curves). */
  kind?: LogKind;
  /** Later processes that continued the fold, in order, with what each superseded. */
  restarts?: Restart[];
  /** Processes that died at start-up (header only). */
  crashedStarts?: CrashedStart[];
  /** Files given twice (identical content), or shorter copies of one process's log (`copyOfProcess`:
   * same first record, e.g. a copy taken while it ran): only `sameAs` is read. */
  duplicates?: { file: string; sameAs: string; copyOfProcess?: boolean }[];
  /** An epoch that was begun but has no figure yet (interrupted, or still running); not in `epochs`. */
  interruptedEpoch?: number | null;
  /** nnU-Net v1's automatic reset at epoch 100 (mean foreground Dice 0: momentum 0.99 → 0.95,
   * weights re-initialised; nnunet/training/network_training/nnUNetTrainerV2.py, on_epoch_end). */
  momentumReset?: { epoch: number; file: string; line: number } | null;
  /** Lines that look like loss, pseudo Dice, LR or epoch-time records but could not be read. */
  unreadFigures?: UnreadFigures;
  /** All unreadable lines; `unparsed` keeps only the first MAX_UNPARSED_KEPT of them. */
  unparsedCount?: number;
  /** `DatasetNNN_Name` (v2) or `TaskNNN_Name` (v1) as the log names it (split file path, plans). */
  datasetName?: string | null;
  /** Cases announced by prediction output (`nnUNetv2_predict`), when the log is one. */
  predictedCases?: number | null;
}

/** nanmean over the classes, as nnU-Net's `mean_fg_dice` (on_validation_epoch_end). */
export function meanDice(d: readonly number[] | null): number | null {
  if (!d || d.length === 0) return null;
  let s = 0;
  let n = 0;
  for (const v of d) {
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/**
 * Fills `ema` with nnU-Net's formula (nnunetv2/training/logging/nnunet_logger.py):
 * ema[0] = mean_fg_dice[0], ema[t] = 0.9 * ema[t-1] + 0.1 * mean_fg_dice[t].
 * The log rounds the per-class values to 4 decimals, so the recomputed EMA can differ from the
 * printed one by about 1e-4. After a gap in the epochs (a sampled transcription) the EMA restarts
 * from that epoch's mean: the skipped epochs are unknown. NaN means stay NaN, as in nnU-Net.
 */
export function withEma(epochs: EpochRecord[]): EpochRecord[] {
  let prev: number | null = null;
  let prevEpoch = -2;
  return epochs.map((r) => {
    const m = meanDice(r.pseudo_dice);
    let ema: number | null = null;
    if (m !== null) {
      ema = prev === null || r.epoch !== prevEpoch + 1 ? m : 0.9 * prev + 0.1 * m;
      prev = ema;
      prevEpoch = r.epoch;
    }
    return { ...r, ema };
  });
}

/** Epochs in order with finite values of one field, for the rules and the plots. */
export function series(curve: Curve, pick: (r: EpochRecord) => number | null): { epoch: number; value: number }[] {
  const out: { epoch: number; value: number }[] = [];
  for (const r of curve.epochs) {
    const v = pick(r);
    if (v !== null) out.push({ epoch: r.epoch, value: v });
  }
  return out;
}
