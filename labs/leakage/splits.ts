/**
 * The two ways of cutting slices into k folds that Yagis et al. (2021) compare (their official
 * code, model_training.py): slice-level, where all slices are shuffled and cut into folds, and
 * subject-level, where subjects are shuffled and cut into folds and every fold takes all slices of
 * its subjects.
 */
import type { Rng } from '../shared/prng';
import { foldSizes } from '../splits';

/** Shuffles 0..n-1 and cuts the order into folds of KFold's sizes (`foldSizes`); returns each item's fold. */
export function kFoldAssignment(n: number, k: number, rng: Rng): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`folds must be a whole number of at least 2, got ${k}`);
  if (!Number.isInteger(n) || n < k) throw new RangeError(`cannot cut ${n} items into ${k} folds`);
  const sizes = foldSizes(n, k);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const foldOf = new Int32Array(n);
  let pos = 0;
  sizes.forEach((size, fold) => {
    for (let j = 0; j < size; j++) foldOf[order[pos++]] = fold;
  });
  return foldOf;
}

export type SplitKind = 'slice' | 'subject';

/** Fold of every slice. Slice-level ignores subjects; subject-level keeps each subject in one fold. */
export function splitSlices(kind: SplitKind, subjectOf: Int32Array, subjects: number, k: number, rng: Rng): Int32Array {
  if (kind === 'slice') return kFoldAssignment(subjectOf.length, k, rng);
  const subjectFold = kFoldAssignment(subjects, k, rng);
  return subjectOf.map((s) => subjectFold[s]);
}
