import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { assertQuestion, gradeChoice } from '../../labs/shared/quiz';
import { ownRun } from '../../labs/training-log/own-runs';
import { buildQuiz, gradeEpoch, QUIZ_POOL, scoreQuiz, VARIANT_SHAPE, type ChoiceItem, type EpochItem } from '../../labs/training-log/quiz';

/**
 * Right answers stated by hand, from the runs' figures and INDEX.md verdicts (not from the key in
 * quiz.ts): item id → right choice id, or right epoch with an answer that must fail.
 */
const RIGHT_CHOICE: Record<string, string> = {
  'log-lab.wrong-1612': 'nan-data', // both losses nan at epoch 0
  'log-lab.wrong-2369': 'range', // Dice 220.67, -1000.15, ...
  'log-lab.wrong-640': 'time', // 2249 s, 1708 s, 2653 s
  'log-lab.wrong-mets': 'overfit', // INDEX: "overfitting + oscillating"
  'log-lab.wrong-soil': 'nan-classes', // INDEX: "2 labels NaN every epoch"
  'log-lab.class-2140': 'l32', // label 32 is 0.0 at epochs 0, 1, 11, 12, 21, 22
  'log-lab.class-regions': 'none', // ET 0.0 at 2-7, 0.4155 at 10
  'log-lab.lr-regions': 'yes', // 2e-4 poly over 300 epochs, AdamW
  'log-lab.lr-1084': 'no-low', // 1e-05 where v1 default prints 0.00991
  'log-lab.lr-2369': 'yes', // 0.01·(1-812/1000)^0.9 = 0.00222
  // This project's own runs (public/data/runs), read off their log text:
  'log-lab.wrong-own-zero': 'labels', // Pseudo dice [0.0, 0.0, 0.0] from epoch 2 on, train_loss 0.7508 → 0.0452
  'log-lab.wrong-own-overfit': 'overfit', // val_loss -0.4637 at epoch 19 → -0.1936 at 39; train_loss -0.7198 → -0.7953
  'log-lab.wrong-own-shuffle': 'cannot', // no nan, losses fall, WT 0.575 at epoch 2 vs 0.7915 in nan-input's epoch 2
  'log-lab.lr-own-resume': 'restart', // "Current learning rate: 0.00616" (epoch 5) then "0.01" (epoch 6, second file)
  'log-lab.lr-own-high': 'high', // "Current learning rate: 10.0" at epoch 0
};
const RIGHT_EPOCH: Record<string, { right: number[]; wrong: number[] }> = {
  'log-lab.rise-2290': { right: [1], wrong: [0, 2] }, // val 0.3339 → 0.4789 at epoch 1
  'log-lab.flat-mets': { right: [100, 70, 130], wrong: [20, 300] }, // INDEX notes: "from epoch ~100 on"
  'log-lab.nan-own': { right: [4], wrong: [3, 5] }, // nan-input log: "train_loss 0.1846" at epoch 3, "train_loss nan" at 4
};

describe('log-lab quiz', () => {
  it('every item refers to a run that is shipped', () => {
    for (const q of QUIZ_POOL) {
      const own = ownRun(q.run);
      if (own) for (const f of own.files) expect(existsSync(`public/data/runs/${own.folder}/${f}`)).toBe(true);
      else expect(existsSync(`public/data/curves/${q.run}.json`)).toBe(true);
    }
  });

  it('every item has a hand-stated answer here', () => {
    for (const q of QUIZ_POOL) expect(q.id in RIGHT_CHOICE || q.id in RIGHT_EPOCH).toBe(true);
  });

  it.each(QUIZ_POOL.filter((q): q is ChoiceItem => q.kind === 'choice').map((q) => [q.id, q] as const))('%s: graded right only for the hand-stated answer', (id, q) => {
    assertQuestion(q.question);
    for (const ch of q.question.choices) {
      const a = gradeChoice(q.question, ch.id);
      expect(a.correct).toBe(ch.id === RIGHT_CHOICE[id]);
      expect(a.feedback.length).toBeGreaterThan(20);
    }
  });

  it.each(QUIZ_POOL.filter((q): q is EpochItem => q.kind === 'epoch').map((q) => [q.id, q] as const))('%s: epoch pick graded with tolerance', (id, q) => {
    for (const e of RIGHT_EPOCH[id].right) expect(gradeEpoch(q, e).correct).toBe(true);
    for (const e of RIGHT_EPOCH[id].wrong) {
      const a = gradeEpoch(q, e);
      expect(a.correct).toBe(false);
      expect(a.feedback).toBe(a.offset < 0 ? q.feedback.early : q.feedback.late);
    }
  });

  it('a seed gives the same variant every time, with the shape asked for', () => {
    const a = buildQuiz(42);
    expect(buildQuiz(42)).toEqual(a);
    expect(a).toHaveLength(5);
    for (const [cat, n] of Object.entries(VARIANT_SHAPE)) expect(a.filter((q) => q.category === cat)).toHaveLength(n);
    const variants = new Set(Array.from({ length: 20 }, (_, s) => buildQuiz(s + 1).map((q) => q.id).join()));
    expect(variants.size).toBeGreaterThan(3);
  });

  it('scores answers', () => {
    const items = buildQuiz(7);
    expect(scoreQuiz(items, { [items[0].id]: true, [items[1].id]: false })).toEqual({ answered: 2, correct: 1, total: 5, score: 0.2 });
  });
});
