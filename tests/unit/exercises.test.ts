/**
 * The checked exercises of the lessons. Expected answers are worked out here by hand, from the
 * numbers each prompt gives (and, for the fold and EMA exercises, from nnunet-facts.md §5.7's test
 * vector and nnU-Net's own log in shared/reference/nnunet-run), not read from the lesson: the test
 * fails when a lesson's answer and the hand calculation disagree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertExercise, checkExercise, isExerciseId, parseNumber, type Exercise } from '../../labs/shared/exercise';
import { parseExercises, parseFrontmatter } from '../../src/content/instructors/_course-data';

const WEEK = resolve(__dirname, '../../src/content/weeks/week-06');
const lessons = readdirSync(WEEK)
  .filter((f) => f.endsWith('.mdx'))
  .sort()
  .map((f) => {
    const text = readFileSync(join(WEEK, f), 'utf8');
    return { file: f, order: Number(parseFrontmatter(text, f).order), exercises: parseExercises(text, f) };
  });
const all = lessons.flatMap((l) => l.exercises);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Hand calculations, one per exercise id. */
const EXPECTED: Record<string, number | string> = {
  'lesson-01.exercise.iterations': 5 * 1000 * 250,
  // RAS+ world; negative x step = Left, negative y step = Posterior, positive z step = Superior.
  'lesson-02.exercise.orientation': 'LPS',
  'lesson-03.exercise.file-count': 1251 * 4 + 1251,
  // Dataset137: ED 2->1, NCR 1->2, ET 4->3 (Dataset137_BraTS21.py); keep: only 4->3.
  'lesson-04.exercise.remap-ncr': 2,
  'lesson-04.exercise.remap-et-keep': 3,
  // Tumour core [2, 3] in Dataset137: 18 + 32.
  'lesson-05.exercise.tc-voxels': 18 + 32,
  // WT paints 1, TC overwrites with 2, ET not predicted.
  'lesson-06.exercise.region-order': 2,
  // ceil((240-128)/64)+1 = 3, ceil((240-160)/80)+1 = 2, ceil((155-112)/56)+1 = 2.
  'lesson-07.exercise.patch-count': 3 * 2 * 2,
  'lesson-08.exercise.fold-hours': (120 * 1000) / 3600,
  'lesson-09.exercise.poly-lr': round(0.01 * (1 - 500 / 1000) ** 0.9, 5),
  // EMA after epoch 2 of nnU-Net's own run: 0.9 * 0.1791 + 0.1 * mean([0.8762, 0.2657, 0.0]).
  'lesson-09.exercise.ema': round(0.9 * 0.1791 + 0.1 * ((0.8762 + 0.2657 + 0.0) / 3), 4),
  // Dataset137 channels: T1 _0000, T1ce _0001, T2 _0002, FLAIR _0003.
  'lesson-10.exercise.t1ce-suffix': '_0001',
  // nnunet-facts.md §5.7: fold 2 validates [004, 006].
  'lesson-11.exercise.fold': 2,
  'lesson-12.exercise.stratified': Math.ceil(8 / 5),
  'lesson-13.exercise.preprocessed-size': (1251 * 2.74e6 * (4 * 4 + 2)) / 1e9,
  'lesson-14.exercise.forward-passes': 12 * 1 * 5,
  // BraTS 2023: two found lesions and one false positive (Dice 0) are three entries.
  'lesson-15.exercise.lesion-dice': round((0.8 + 0.6 + 0) / 3, 2),
};

describe('lesson exercises', () => {
  it('every lesson has at least one exercise, with ids of its own lesson', () => {
    expect(lessons).toHaveLength(15);
    for (const l of lessons) {
      expect(l.exercises.length, `${l.file} has no <Exercise>`).toBeGreaterThanOrEqual(1);
      for (const e of l.exercises) expect(e.id.startsWith(`lesson-${String(l.order).padStart(2, '0')}.exercise.`), e.id).toBe(true);
    }
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });

  it('the exercises cover the topics the issue lists', () => {
    const ids = all.map((e) => e.id).join(' ');
    for (const topic of ['patch-count', 'ema', 'poly-lr', 'file-count', 'remap', 'fold']) expect(ids).toContain(topic);
  });

  for (const e of all) {
    it(`${e.id}: well formed, and the hand-calculated answer is accepted`, () => {
      expect(() => assertExercise(e)).not.toThrow();
      const expected = EXPECTED[e.id];
      expect(expected, `no hand calculation for ${e.id}`).toBeDefined();
      if (typeof expected === 'number') {
        expect(typeof e.answer).toBe('number');
        expect(Math.abs((e.answer as number) - expected), `${e.id}: page says ${e.answer}, hand calculation ${expected}`).toBeLessThanOrEqual((e.tolerance ?? 0) + 1e-9);
        expect(checkExercise(e, String(expected)).status).toBe('correct');
      } else {
        expect(checkExercise(e, expected).status).toBe('correct');
      }
      for (const m of e.mistakes ?? []) {
        expect(checkExercise(e, String(m.answer)), `${e.id}: mistake ${m.answer}`).toEqual({ status: 'wrong', feedback: m.feedback });
      }
    });
  }
});

describe('checking answers', () => {
  const num: Exercise = { id: 'lesson-07.exercise.t', prompt: 'p', answer: 12, unit: 'patches', hint: 'h', solution: 's', mistakes: [{ answer: 18, feedback: 'f18' }] };
  const lr: Exercise = { id: 'lesson-09.exercise.t', prompt: 'p', answer: 0.00536, tolerance: 0.000006, hint: 'h', solution: 's' };
  const text: Exercise = { id: 'lesson-02.exercise.t', prompt: 'p', answer: ['LPS'], hint: 'h', solution: 's' };

  it('reads the numbers people type', () => {
    expect(parseNumber('12')).toBe(12);
    expect(parseNumber(' 12 patches ', 'patches')).toBe(12);
    expect(parseNumber('1,250,000')).toBe(1250000);
    expect(parseNumber('1 250 000')).toBe(1250000);
    expect(parseNumber('5.36e-3')).toBeCloseTo(0.00536, 10);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('−3')).toBe(-3);
    expect(parseNumber('0,5')).toBeNull();
    expect(parseNumber('0,005')).toBeNull();
    expect(parseNumber('twelve')).toBeNull();
    expect(parseNumber('1e999')).toBeNull();
  });

  it('grades right, known-wrong, other-wrong and unreadable answers', () => {
    expect(checkExercise(num, '12')).toEqual({ status: 'correct', feedback: 's' });
    expect(checkExercise(num, '12 patches').status).toBe('correct');
    expect(checkExercise(num, '18')).toEqual({ status: 'wrong', feedback: 'f18' });
    expect(checkExercise(num, '13')).toEqual({ status: 'wrong', feedback: 'h' });
    expect(checkExercise(num, '12.4').status).toBe('wrong');
    expect(checkExercise(num, 'abc').status).toBe('invalid');
    expect(checkExercise(num, '   ').status).toBe('invalid');
    expect(checkExercise(lr, '0.005359').status).toBe('correct');
    expect(checkExercise(lr, '0.0054').status).toBe('wrong');
    expect(checkExercise(text, ' lps. ').status).toBe('correct');
    expect(checkExercise(text, '“LPS”').status).toBe('correct');
    expect(checkExercise(text, 'RAS').status).toBe('wrong');
  });

  it('refuses malformed exercises', () => {
    expect(() => assertExercise({ ...num, id: 'lesson-7.ex' })).toThrow(/id must look like/);
    expect(() => assertExercise({ ...num, solution: ' ' })).toThrow(/required/);
    expect(() => assertExercise({ ...num, mistakes: [{ answer: 12, feedback: 'x' }] })).toThrow(/accepted as correct/);
    expect(() => assertExercise({ ...text, answer: [] })).toThrow(/at least one/);
    expect(isExerciseId('lesson-03.why')).toBe(false);
  });
});
