/**
 * The transcribed real runs (public/data/curves/*.json, copied from the project's shared data with
 * their source lines): per-epoch figures read from public nnU-Net logs. This module turns one such
 * file into a Curve and describes where it came from. It never fills in a missing number.
 */
import { withEma, type Curve, type EpochRecord } from './curve';

type Num = number | 'NaN' | null;

export interface RunSource {
  repo: string;
  path: string | null;
  commit: string | null;
  url_kind: 'file' | 'issue';
  issue: number | null;
  license: string | null;
}

export interface RunFile {
  source: RunSource;
  dataset: string;
  configuration: string | null;
  fold: number | null;
  nnunet_version: 'v1' | 'v2';
  classes: string[];
  epochs: {
    epoch: number;
    lr: Num;
    train_loss: Num;
    val_loss: Num;
    pseudo_dice: Num[] | null;
    ema_pseudo_dice: Num;
    epoch_time_s: Num;
  }[];
  notes: string;
  value_conventions: string;
  run_details?: { completed?: boolean; initial_lr?: number; planned_epochs?: number; [k: string]: unknown };
}

/** One row of public/data/curves/index.json (verdicts copied from the data set's INDEX.md). */
export interface RunIndexEntry {
  id: string;
  title: string;
  dataset: string;
  version: 'v1' | 'v2';
  epochsCovered: string;
  /** Health verdict as written in INDEX.md, independently of this code. */
  verdict: string;
  source: string;
}

const num = (v: Num): number | null => (v === null ? null : v === 'NaN' ? NaN : v);

/** A Curve from a transcribed run. `finished` is known only where the run's details say so. */
export function runToCurve(run: RunFile, name: string): Curve {
  const epochs: EpochRecord[] = run.epochs.map((e) => ({
    epoch: e.epoch,
    lr: num(e.lr),
    train_loss: num(e.train_loss),
    val_loss: num(e.val_loss),
    pseudo_dice: e.pseudo_dice ? e.pseudo_dice.map((d) => num(d) ?? NaN) : null,
    ema: null,
    best_ema: num(e.ema_pseudo_dice),
    epoch_time: num(e.epoch_time_s),
    file: name,
  }));
  const completed = run.run_details?.completed;
  return {
    format: run.nnunet_version,
    lrOffset: run.nnunet_version === 'v1' ? 1 : 0,
    numpy: null,
    classes: Math.max(0, ...epochs.map((r) => r.pseudo_dice?.length ?? 0)),
    epochs: withEma(epochs),
    unparsed: [],
    overlaps: [],
    files: [name],
    finished: completed === undefined ? null : completed,
    meanValidationDice: null,
    splitOverlapWarning: false,
    split: null,
  };
}

/** Human-readable source line: repository and file at a commit, or the issue. */
export function sourceLine(s: RunSource): string {
  if (s.url_kind === 'issue') return `${s.repo} issue #${s.issue}`;
  return `${s.repo}, ${s.path}${s.commit ? ` @ ${s.commit.slice(0, 10)}` : ''}`;
}

/** Link to the source on GitHub. */
export function sourceUrl(s: RunSource): string {
  if (s.url_kind === 'issue') return `https://github.com/${s.repo}/issues/${s.issue}`;
  return `https://github.com/${s.repo}/blob/${s.commit ?? 'HEAD'}/${s.path}`;
}

/** Class names for display: the run's own names, or `class 1..n`. */
export function classNames(curve: Curve, named: readonly string[] = []): string[] {
  return Array.from({ length: curve.classes }, (_, i) => named[i] ?? `class ${i + 1}`);
}
