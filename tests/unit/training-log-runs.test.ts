import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runToCurve, type RunFile, type RunIndexEntry } from '../../labs/training-log/runs';
import { diagnose } from '../../labs/training-log/diagnose';
import { parseLog } from '../../labs/training-log/parse';

const load = (id: string) => JSON.parse(readFileSync(`public/data/curves/${id}.json`, 'utf8')) as RunFile;
const index = JSON.parse(readFileSync('public/data/curves/index.json', 'utf8')) as { runs: RunIndexEntry[] };
const diag = (id: string) => {
  const run = load(id);
  return diagnose(runToCurve(run, id), run.classes).findings;
};
const has = (fs: ReturnType<typeof diag>, rule: string, severity?: string) => fs.some((f) => f.rule === rule && (!severity || f.severity === severity));
const errors = (fs: ReturnType<typeof diag>) => fs.filter((f) => f.severity === 'error').map((f) => f.rule);
const warnings = (fs: ReturnType<typeof diag>) => fs.filter((f) => f.severity === 'warning').map((f) => f.rule);

/**
 * Expected verdicts: the "health verdict" column of the data set's INDEX.md, written by someone
 * reading the curves, independently of these rules. Each case restates it in the test name.
 */
describe('verdicts on the 14 real runs (INDEX.md)', () => {
  it('index.json lists all 14 runs with their source', () => {
    expect(index.runs).toHaveLength(14);
    for (const r of index.runs) expect(load(r.id).source.repo).toBeTruthy();
  });

  it('ucsfmets_trainerMets — "overfitting + oscillating (classes 2/3 swing widely; EMA best stalls from ep 361)"', () => {
    const f = diag('ucsfmets_trainerMets');
    expect(has(f, 'log.overfitting', 'warning')).toBe(true);
    const osc = f.find((x) => x.rule === 'log.oscillation' && /Pseudo Dice/.test(x.message))!;
    expect((osc.evidence as { classes: number[] }).classes).toEqual([1, 2]); // classes 2 and 3
    expect(f.find((x) => x.rule === 'log.plateau')!.epochs![0]).toBe(361);
    expect(errors(f)).toEqual([]);
  });

  it('ucsfmets_regions_lr2e-4 — "healthy / plateau (ET region at 0.0 for ep 2-7, recovers; EMA best stalls from ep 128)": no errors, no warnings', () => {
    const f = diag('ucsfmets_regions_lr2e-4');
    expect(errors(f)).toEqual([]);
    expect(warnings(f)).toEqual([]);
    expect(f.find((x) => x.rule === 'log.plateau')!.epochs![0]).toBe(128);
    // ET is 0.0 at 2-7 and 1e-04 at epoch 8 (below the 0.01 zero threshold), 0.0519 at 9.
    expect(f.find((x) => x.rule === 'log.class-zero')).toMatchObject({ severity: 'info', epochs: [2, 8] });
    expect(f.find((x) => x.rule === 'log.lr-initial')).toMatchObject({ severity: 'info', evidence: { numEpochs: 300 } });
  });

  it('ucsfmets_default_sgd_resencL — "class stuck at zero (late, from ep 639) + oscillating; interrupted at ep 776"', () => {
    const f = diag('ucsfmets_default_sgd_resencL');
    const late = f.filter((x) => x.rule === 'log.class-zero' && x.severity === 'warning');
    expect(late.length).toBeGreaterThan(0);
    for (const x of late) expect(x.epochs![0]).toBeGreaterThanOrEqual(639);
    // INDEX.md calls it late: the class had been learned before it fell to zero.
    for (const x of late) expect(x.message).toMatch(/after it had been learning/);
    expect(has(f, 'log.oscillation', 'warning')).toBe(true);
    expect(f.find((x) => x.rule === 'log.stopped-early')).toMatchObject({ evidence: { lastEpoch: 775, plannedEpochs: 1000 } });
  });

  it('soilct_gcef_bneireem_i4 — "2 labels NaN every epoch, train/val case overlap, early stop at ep 88"', () => {
    const f = diag('soilct_gcef_bneireem_i4');
    expect(f.filter((x) => x.rule === 'log.dice-nan').map((x) => (x.evidence as { class: number }).class)).toEqual([2, 3]);
    expect(f.find((x) => x.rule === 'log.stopped-early')).toMatchObject({ evidence: { lastEpoch: 87 } });
    // The overlap warning is a log line, not in the transcribed figures: see the parser test.
    expect(errors(f)).toEqual([]);
  });

  it('issue2140_32class_zeros — "class stuck at zero (many of 32 labels at 0.0 early)"', () => {
    expect(diag('issue2140_32class_zeros').find((x) => x.rule === 'log.class-zero')!.severity).toBe('warning');
  });

  it('issue2290_heart2d_diverging — "diverging (val loss 0.33 -> 3.64), dice 0"', () => {
    const f = diag('issue2290_heart2d_diverging');
    expect(f.find((x) => x.rule === 'log.loss-divergence')).toMatchObject({ severity: 'error', epochs: [1, 2] });
    expect(has(f, 'log.class-zero')).toBe(true);
  });

  it.each([
    ['issue1612_nan_epoch0', ['train_loss', 'val_loss']],
    ['issue2357_nan_epoch0', ['train_loss', 'val_loss']],
    ['unetrpp_issue54_v1_valnan', ['val_loss']],
  ])('%s — "nan (from epoch 0)"', (id, losses) => {
    const f = diag(id).find((x) => x.rule === 'log.nan-loss')!;
    expect(f).toMatchObject({ severity: 'error', evidence: { firstEpoch: 0, losses } });
  });

  it('issue2369_regions_impossible_dice — "pseudo dice outside [0,1] (metric/label bug), losses fine"', () => {
    const f = diag('issue2369_regions_impossible_dice');
    expect(errors(f)).toEqual(['log.dice-range']);
    expect(f.some((x) => x.rule.startsWith('log.lr-'))).toBe(false);
  });

  it.each(['issue938_v1_docker', 'issue232_v1_slow'])('%s — "healthy": no errors', (id) => {
    expect(errors(diag(id))).toEqual([]);
  });

  it('issue938_v1_docker — healthy, v1 LR one epoch ahead on the default schedule: no findings at all', () => {
    expect(diag('issue938_v1_docker')).toEqual([]);
  });

  it('issue232_v1_slow — "healthy (very slow epochs, ~923 s)"', () => {
    expect(diag('issue232_v1_slow').find((x) => x.rule === 'log.epoch-time')!.message).toMatch(/Slow epochs/);
  });

  it('issue640_v1_cascade_slow_epochs — "erratic epoch time (1708-2653 s), losses fine"', () => {
    const f = diag('issue640_v1_cascade_slow_epochs');
    expect(f.some((x) => x.rule === 'log.epoch-time' && /erratic/.test(x.message))).toBe(true);
    expect(errors(f)).toEqual([]);
  });

  it('issue1084_v1_10labels_lowlr — "class stuck at zero (9 of 10 labels) + LR stuck at 1e-05"', () => {
    const f = diag('issue1084_v1_10labels_lowlr');
    expect(f.find((x) => x.rule === 'log.class-zero')).toMatchObject({ severity: 'warning' });
    expect(f.find((x) => x.rule === 'log.lr-initial')).toMatchObject({ severity: 'warning' });
  });
});

describe('parser against the transcribed figures of the issue logs', () => {
  it.each([
    ['issue2140-numpy1.txt', 'issue2140_32class_zeros'],
    ['issue1612-nan.txt', 'issue1612_nan_epoch0'],
    ['issue1084-v1.txt', 'issue1084_v1_10labels_lowlr'],
  ])('%s matches %s', (fixture, id) => {
    const parsed = parseLog(readFileSync(`tests/fixtures/training-log/${fixture}`, 'utf8'), fixture);
    const truth = runToCurve(load(id), id);
    for (const r of parsed.epochs) {
      const t = truth.epochs.find((x) => x.epoch === r.epoch)!;
      expect([r.lr, r.train_loss, r.val_loss, r.pseudo_dice, r.epoch_time, r.best_ema]).toEqual([t.lr, t.train_loss, t.val_loss, t.pseudo_dice, t.epoch_time === null ? null : t.epoch_time, t.best_ema]);
    }
  });
});
