/**
 * The leakage experiment: one synthetic dataset, labels by the chosen mode, the same classifier
 * cross-validated once with a slice-level split and once with a subject-level split (repeated with
 * fresh fold assignments), and for every test slice the subject of its nearest training slice.
 * Everything follows from `seed`.
 */
import { createRng } from '../shared/prng';
import { generateDataset, type Dataset, type Picking } from './generate';
import { splitSlices, type SplitKind } from './splits';
import { fitLogistic, knnPredict, logisticPredict, nearestNeighbours } from './classifiers';

export type LabelMode = 'signal' | 'random-subject' | 'random-slice';
export type Classifier = 'knn' | 'logistic';

export const PICKINGS: readonly Picking[] = ['adjacent', 'spread'];
export const LABEL_MODES: readonly LabelMode[] = ['random-subject', 'random-slice', 'signal'];
export const CLASSIFIERS: readonly Classifier[] = ['knn', 'logistic'];

export interface LeakageOptions {
  subjects: number;
  slicesPerSubject: number;
  picking: Picking;
  labels: LabelMode;
  classifier: Classifier;
  /** Neighbours for the kNN classifier. */
  k: number;
  folds: number;
  /** Cross-validation repeats with fresh fold assignments (same data and labels). */
  repeats: number;
  seed: number;
}

/**
 * Defaults: random labels per subject, as in Yagis et al.'s control experiment; 8 slices per
 * subject, the `Nslices` of their shipped config; 5 folds, as in their outer cross-validation.
 */
export const DEFAULT_OPTIONS: LeakageOptions = {
  subjects: 40,
  slicesPerSubject: 8,
  picking: 'adjacent',
  labels: 'random-subject',
  classifier: 'knn',
  k: 5,
  folds: 5,
  repeats: 1,
  seed: 1,
};

/** Bounds that keep one run well under a second or two in a browser tab. */
export const LIMITS = {
  subjects: [4, 400],
  slicesPerSubject: [1, 64],
  k: [1, 25],
  folds: [2, 10],
  repeats: [1, 10],
  seed: [0, 2 ** 31 - 1],
} as const satisfies Partial<Record<keyof LeakageOptions, readonly [number, number]>>;

/** Problems with the options, each a sentence naming the option; empty when they are usable. */
export function checkOptions(o: LeakageOptions): string[] {
  const errors: string[] = [];
  for (const [key, [lo, hi]] of Object.entries(LIMITS) as [keyof typeof LIMITS, readonly [number, number]][]) {
    const v = o[key];
    if (!Number.isInteger(v) || v < lo || v > hi) errors.push(`${key} must be a whole number from ${lo} to ${hi} (got ${String(v)})`);
  }
  if (!PICKINGS.includes(o.picking)) errors.push(`picking must be one of ${PICKINGS.join(', ')} (got ${String(o.picking)})`);
  if (!LABEL_MODES.includes(o.labels)) errors.push(`labels must be one of ${LABEL_MODES.join(', ')} (got ${String(o.labels)})`);
  if (!CLASSIFIERS.includes(o.classifier)) errors.push(`classifier must be one of ${CLASSIFIERS.join(', ')} (got ${String(o.classifier)})`);
  if (errors.length === 0 && o.folds > o.subjects) errors.push(`folds (${o.folds}) cannot exceed subjects (${o.subjects}): a subject-level split needs a subject per fold`);
  return errors;
}

export interface TestSlice {
  slice: number;
  subject: number;
  position: number;
  label: number;
  predicted: number;
  /** Subject of the nearest training slice (Euclidean distance on the features). */
  nearestSubject: number;
}

export interface FoldResult {
  repeat: number;
  fold: number;
  trainSlices: number;
  testSlices: number;
  accuracy: number;
  /** Fraction of test slices whose nearest training slice comes from their own subject. */
  sameSubjectNeighbour: number;
  /** Subjects with slices both in training and in test. */
  subjectsOnBothSides: number;
  test: TestSlice[];
}

export interface SplitResult {
  split: SplitKind;
  folds: FoldResult[];
  meanAccuracy: number;
  /** Sample standard deviation over folds (and repeats). */
  sdAccuracy: number;
  minAccuracy: number;
  maxAccuracy: number;
  sameSubjectNeighbour: number;
}

export interface LeakageReport {
  schemaVersion: 1;
  tool: 'bratslab leakage';
  options: LeakageOptions;
  slices: number;
  /** Share of slices labelled 1 (random labels are fair coin flips, so not exactly one half). */
  positiveRate: number;
  /** Accuracy of guessing: 0.5 for two classes. */
  chance: number;
  slice: SplitResult;
  subject: SplitResult;
  /** Slice-level minus subject-level mean accuracy, in percentage points. */
  inflationPoints: number;
}

/**
 * Labels per mode. Random labels are fair coin flips (`np.random.choice([0, 1])` in Yagis et al.'s
 * code); per subject they are copied to all its slices (`np.repeat`), the paper's setup.
 */
export function makeLabels(data: Dataset, mode: LabelMode, seed: number): Uint8Array {
  const r = createRng(seed).fork(`labels-${mode}`);
  const n = data.subjectOf.length;
  if (mode === 'random-slice') return Uint8Array.from({ length: n }, () => (r.chance(0.5) ? 1 : 0));
  const perSubject = mode === 'signal' ? data.grade : Uint8Array.from({ length: data.subjects }, () => (r.chance(0.5) ? 1 : 0));
  return Uint8Array.from(data.subjectOf, (s) => perSubject[s]);
}

export function makeDataset(o: LeakageOptions): Dataset {
  return generateDataset(o.subjects, o.slicesPerSubject, o.picking, createRng(o.seed).fork('data'));
}

function summarise(split: SplitKind, folds: FoldResult[]): SplitResult {
  const acc = folds.map((f) => f.accuracy);
  const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
  const sd = acc.length > 1 ? Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (acc.length - 1)) : 0;
  const tests = folds.reduce((a, f) => a + f.testSlices, 0);
  const same = folds.reduce((a, f) => a + f.sameSubjectNeighbour * f.testSlices, 0);
  return { split, folds, meanAccuracy: mean, sdAccuracy: sd, minAccuracy: Math.min(...acc), maxAccuracy: Math.max(...acc), sameSubjectNeighbour: same / tests };
}

function runFold(data: Dataset, y: Uint8Array, o: LeakageOptions, foldOf: Int32Array, fold: number, repeat: number): FoldResult {
  const idx = Array.from(foldOf.keys());
  const train = Int32Array.from(idx.filter((i) => foldOf[i] !== fold));
  const test = Int32Array.from(idx.filter((i) => foldOf[i] === fold));
  const neighbours = nearestNeighbours(data.x, data.dim, train, test, o.classifier === 'knn' ? o.k : 1);
  const predicted =
    o.classifier === 'knn' ? knnPredict(neighbours, train, y) : logisticPredict(data.x, data.dim, fitLogistic(data.x, data.dim, train, y), test);
  const slices: TestSlice[] = Array.from(test, (i, t) => ({
    slice: i,
    subject: data.subjectOf[i],
    position: data.position[i],
    label: y[i],
    predicted: predicted[t],
    nearestSubject: data.subjectOf[train[neighbours[t][0]]],
  }));
  const trainSubjects = new Set(Array.from(train, (i) => data.subjectOf[i]));
  const testSubjects = new Set(slices.map((s) => s.subject));
  return {
    repeat,
    fold,
    trainSlices: train.length,
    testSlices: test.length,
    accuracy: slices.filter((s) => s.label === s.predicted).length / slices.length,
    sameSubjectNeighbour: slices.filter((s) => s.nearestSubject === s.subject).length / slices.length,
    subjectsOnBothSides: [...testSubjects].filter((s) => trainSubjects.has(s)).length,
    test: slices,
  };
}

/** Runs the whole experiment; `onProgress(done, total)` is called after each fold. */
export function runExperiment(o: LeakageOptions, onProgress?: (done: number, total: number) => void): LeakageReport {
  const errors = checkOptions(o);
  if (errors.length) throw new RangeError(`leakage: ${errors.join('; ')}`);
  const data = makeDataset(o);
  const y = makeLabels(data, o.labels, o.seed);
  const total = 2 * o.repeats * o.folds;
  let done = 0;
  const results: Record<SplitKind, FoldResult[]> = { slice: [], subject: [] };
  for (const kind of ['slice', 'subject'] as const) {
    for (let rep = 0; rep < o.repeats; rep++) {
      const foldOf = splitSlices(kind, data.subjectOf, data.subjects, o.folds, createRng(o.seed).fork(`split-${kind}-${rep}`));
      for (let f = 0; f < o.folds; f++) {
        results[kind].push(runFold(data, y, o, foldOf, f, rep));
        onProgress?.(++done, total);
      }
    }
  }
  const slice = summarise('slice', results.slice);
  const subject = summarise('subject', results.subject);
  return {
    schemaVersion: 1,
    tool: 'bratslab leakage',
    options: { ...o },
    slices: y.length,
    positiveRate: y.reduce((a, b) => a + b, 0) / y.length,
    chance: 0.5,
    slice,
    subject,
    inflationPoints: 100 * (slice.meanAccuracy - subject.meanAccuracy),
  };
}
