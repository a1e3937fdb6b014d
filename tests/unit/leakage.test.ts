import { describe, expect, it } from 'vitest';
import { createRng } from '../../labs/shared/prng';
import {
  DEFAULT_OPTIONS,
  checkOptions,
  compareSplits,
  kFoldAssignment,
  makeDataset,
  makeLabels,
  runExperiment,
  splitSlices,
  type LeakageOptions,
  type LeakageReport,
} from '../../labs/leakage';

const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function overSeeds(change: Partial<LeakageOptions>): LeakageReport[] {
  return SEEDS.map((seed) => runExperiment({ ...DEFAULT_OPTIONS, ...change, seed }));
}

describe('leakage experiment: expected behaviour (means over 10 seeds)', () => {
  // Yagis et al. 2021 (Sci Rep 11:22544): random labels per subject gave ~96% with a slice-level
  // split and ~50% (chance) with a subject-level split. The simulator should show the same shape.
  const randomSubject = overSeeds({ labels: 'random-subject', picking: 'adjacent' });
  const randomSlice = overSeeds({ labels: 'random-slice', picking: 'adjacent' });

  it('random labels per subject: slice-level far above chance, subject-level near 50%', () => {
    const slice = mean(randomSubject.map((r) => r.slice.meanAccuracy));
    const subject = mean(randomSubject.map((r) => r.subject.meanAccuracy));
    expect(slice).toBeGreaterThanOrEqual(0.9);
    // Coin-flip labels leave a small majority class in most draws, so allow 7 points around 50%.
    expect(Math.abs(subject - 0.5)).toBeLessThanOrEqual(0.07);
    expect(mean(randomSubject.map((r) => r.inflationPoints))).toBeGreaterThan(30);
  });

  it('random labels per slice: both splits near 50% (nothing to memorise)', () => {
    expect(Math.abs(mean(randomSlice.map((r) => r.slice.meanAccuracy)) - 0.5)).toBeLessThanOrEqual(0.06);
    expect(Math.abs(mean(randomSlice.map((r) => r.subject.meanAccuracy)) - 0.5)).toBeLessThanOrEqual(0.06);
  });

  it('logistic regression memorises subjects too when labels are random per subject', () => {
    const runs = overSeeds({ classifier: 'logistic' });
    expect(mean(runs.map((r) => r.slice.meanAccuracy))).toBeGreaterThanOrEqual(0.85);
    expect(Math.abs(mean(runs.map((r) => r.subject.meanAccuracy)) - 0.5)).toBeLessThanOrEqual(0.1);
  });

  it('the gap is larger with adjacent slices than with slices spread through the volume', () => {
    const spread = overSeeds({ labels: 'random-subject', picking: 'spread' });
    expect(mean(randomSubject.map((r) => r.inflationPoints))).toBeGreaterThan(mean(spread.map((r) => r.inflationPoints)) + 10);
  });

  it('a real signal survives a subject-level split', () => {
    const signal = overSeeds({ labels: 'signal', classifier: 'logistic', picking: 'spread' });
    expect(mean(signal.map((r) => r.subject.meanAccuracy))).toBeGreaterThanOrEqual(0.7);
  });

  it('hard invariant: under a subject-level split no test slice has a training neighbour from its own subject', () => {
    for (const r of [...randomSubject, ...randomSlice]) {
      for (const f of r.subject.folds) {
        expect(f.sameSubjectNeighbour).toBe(0);
        expect(f.subjectsOnBothSides).toBe(0);
        for (const t of f.test) expect(t.nearestSubject).not.toBe(t.subject);
      }
      // and the mechanism under a slice-level split: most nearest neighbours are siblings
      expect(r.slice.sameSubjectNeighbour).toBeGreaterThan(0.9);
    }
  });
});

describe('leakage experiment: mechanics', () => {
  it('is deterministic from the seed', () => {
    const a = runExperiment({ ...DEFAULT_OPTIONS, seed: 7 });
    const b = runExperiment({ ...DEFAULT_OPTIONS, seed: 7 });
    const c = runExperiment({ ...DEFAULT_OPTIONS, seed: 8 });
    expect(a).toEqual(b);
    expect(c.slice.folds.map((f) => f.test.map((t) => t.slice))).not.toEqual(a.slice.folds.map((f) => f.test.map((t) => t.slice)));
  });

  it('every slice is tested exactly once per repeat, and fold sizes follow KFold', () => {
    const r = runExperiment({ ...DEFAULT_OPTIONS, subjects: 13, slicesPerSubject: 3, folds: 4, repeats: 2 });
    for (const split of [r.slice, r.subject]) {
      for (const rep of [0, 1]) {
        const tested = split.folds.filter((f) => f.repeat === rep).flatMap((f) => f.test.map((t) => t.slice));
        expect(tested.sort((a, b) => a - b)).toEqual(Array.from({ length: 39 }, (_, i) => i));
      }
    }
    // 39 slices in 4 folds: 10, 10, 10, 9 (KFold); 13 subjects × 3 slices: 4, 3, 3, 3 subjects.
    expect(r.slice.folds.slice(0, 4).map((f) => f.testSlices)).toEqual([10, 10, 10, 9]);
    expect(r.subject.folds.slice(0, 4).map((f) => f.testSlices)).toEqual([12, 9, 9, 9]);
  });

  it('random labels per subject are copied to all its slices; per slice they are not', () => {
    const data = makeDataset({ ...DEFAULT_OPTIONS, subjects: 30 });
    const perSubject = makeLabels(data, 'random-subject', 1);
    for (let i = 0; i < perSubject.length; i++) expect(perSubject[i]).toBe(perSubject[data.subjectOf[i] * 8]);
    const perSlice = makeLabels(data, 'random-slice', 1);
    let mixed = 0;
    for (let s = 0; s < 30; s++) if (new Set(perSlice.slice(s * 8, s * 8 + 8)).size > 1) mixed++;
    expect(mixed).toBeGreaterThan(25);
  });

  it('adjacent picking gives consecutive positions, spread covers the volume', () => {
    const adj = makeDataset({ ...DEFAULT_OPTIONS, picking: 'adjacent' });
    const spr = makeDataset({ ...DEFAULT_OPTIONS, picking: 'spread' });
    for (let j = 1; j < 8; j++) expect(adj.position[j] - adj.position[j - 1]).toBe(1);
    expect(Array.from(spr.position.slice(0, 8))).toEqual([4, 12, 20, 28, 36, 44, 52, 60]);
  });

  it('subject-level folds keep subjects whole; fold sizes match the KFold rule', () => {
    const subjectOf = Int32Array.from({ length: 50 }, (_, i) => Math.floor(i / 5));
    const foldOf = splitSlices('subject', subjectOf, 10, 5, createRng(3));
    for (let s = 0; s < 10; s++) expect(new Set(foldOf.slice(s * 5, s * 5 + 5)).size).toBe(1);
    const counts = [0, 0, 0];
    for (const f of kFoldAssignment(10, 3, createRng(1))) counts[f]++;
    expect(counts).toEqual([4, 3, 3]);
  });

  it('rejects bad options with messages that name them', () => {
    expect(checkOptions(DEFAULT_OPTIONS)).toEqual([]);
    const errs = checkOptions({ ...DEFAULT_OPTIONS, subjects: 2, k: 0.5, classifier: 'svm' as never });
    expect(errs.join('\n')).toMatch(/subjects must be a whole number from 4 to 400 \(got 2\)/);
    expect(errs.join('\n')).toMatch(/k must be/);
    expect(errs.join('\n')).toMatch(/classifier must be one of knn, logistic/);
    expect(checkOptions({ ...DEFAULT_OPTIONS, subjects: 6, folds: 8 })[0]).toMatch(/folds \(8\) cannot exceed subjects \(6\)/);
    expect(() => runExperiment({ ...DEFAULT_OPTIONS, folds: 1 })).toThrow(/folds must be/);
  });
});

describe("the nnU-Net angle: follow-up scans under nnU-Net's split", () => {
  it('names follow-ups after their patient and leaks some patients; the grouped split leaks none', () => {
    const cmp = compareSplits(40, createRng(1));
    expect(cmp.cases.every((c) => /^P\d{4}_s[123]$/.test(c.caseId) && c.caseId.startsWith(`${c.patient}_`))).toBe(true);
    const withFollowUps = new Set(cmp.cases.filter((c) => c.caseId.endsWith('_s2')).map((c) => c.patient));
    expect(withFollowUps.size).toBeGreaterThan(5);
    // Recompute the leaks from the folds themselves: a validation case whose patient has a training case.
    const patientOf = new Map(cmp.cases.map((c) => [c.caseId, c.patient]));
    const all = cmp.cases.map((c) => c.caseId);
    for (const [name, folds] of [['nnunet', cmp.nnunet], ['grouped', cmp.grouped]] as const) {
      expect(folds.flatMap((f) => f.val).sort(), name).toEqual([...all].sort());
      for (const f of folds) {
        const train = new Set(all.filter((c) => !f.val.includes(c)).map((c) => patientOf.get(c)));
        expect(f.leakedCases, `${name} fold ${f.fold}`).toEqual(f.val.filter((c) => train.has(patientOf.get(c))));
      }
    }
    expect(cmp.nnunet.reduce((a, f) => a + f.leakedCases.length, 0)).toBeGreaterThan(0);
    expect(cmp.grouped.every((f) => f.leakedCases.length === 0)).toBe(true);
    expect(() => compareSplits(3, createRng(1))).toThrow(/patients must be a whole number from 5/);
  });
});
