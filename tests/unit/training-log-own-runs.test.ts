import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { diagnose } from '../../labs/training-log/diagnose';
import { OWN_RUN_REGIONS, OWN_RUNS, ownRun } from '../../labs/training-log/own-runs';
import { parseLogs } from '../../labs/training-log/parse';

/**
 * This project's own broken runs (public/data/runs). Expected verdicts were decided from each log's
 * text and the fault its command configured (public/data/runs/README.md), not from the rules'
 * output; the numbers quoted below are copied from the log files.
 */
const DIR = 'public/data/runs';
const logFiles = (folder: string) => readdirSync(`${DIR}/${folder}`).filter((f) => /^training_log_.*\.txt$/.test(f)).sort();

function load(id: string) {
  const own = ownRun(id)!;
  const curve = parseLogs(own.files.map((name) => ({ name, text: readFileSync(`${DIR}/${own.folder}/${name}`, 'utf8') })));
  const d = diagnose(curve, OWN_RUN_REGIONS);
  return { curve, lr: d.lr, findings: d.findings };
}
type Findings = ReturnType<typeof load>['findings'];
const rules = (f: Findings, severity: string) => f.filter((x) => x.severity === severity).map((x) => x.rule);
const byRule = (f: Findings, rule: string) => f.filter((x) => x.rule === rule);

describe('own runs: files and commands', () => {
  it('lists every run folder of public/data/runs with exactly its log files', () => {
    const folders = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(OWN_RUNS.map((r) => r.folder).sort()).toEqual(folders.sort());
    for (const r of OWN_RUNS) expect(r.files).toEqual(logFiles(r.folder));
  });

  it('each command carries the options public/data/runs/README.md gives for that run', () => {
    const readme = readFileSync(`${DIR}/README.md`, 'utf8');
    const common = /Common options: `([^`]+)`/s.exec(readme)![1].replace(/\s+/g, ' ');
    const groups = (s: string) => s.match(/--[\w-]+(?: (?!--)\S+)*/g) ?? [];
    for (const r of OWN_RUNS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${r.folder}/\``))!;
      const extras = [...row.split('|')[3].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace('DIR', `$WORK/broken/${r.folder}`));
      expect(extras).toHaveLength(r.commands.length); // the resumed run: two commands
      extras.forEach((extra, i) => {
        for (const g of groups(extra)) expect(r.commands[i]).toContain(g);
        // --train-cases 2 of the over-fitting run replaces the common 16.
        for (const g of groups(common)) if (!(g.startsWith('--train-cases') && extra.includes('--train-cases'))) expect(r.commands[i]).toContain(g);
      });
    }
  });

  it('every log parses completely: nnU-Net v2 format, no unread line, consecutive epochs, "Training done."', () => {
    const epochs: Record<string, number> = {
      'own-lr-too-high': 8,
      'own-labels-all-zero': 8,
      'own-channels-shuffled': 8,
      'own-nan-input': 8,
      'own-overfit-two-cases': 40,
      'own-resume-lr-restart': 12,
    };
    for (const r of OWN_RUNS) {
      const { curve } = load(r.id);
      expect(curve.format).toBe('v2');
      expect(curve.unparsed).toEqual([]);
      expect(curve.finished).toBe(true);
      expect(curve.classes).toBe(3);
      expect(curve.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: epochs[r.id] }, (_, i) => i));
    }
  });
});

describe('own runs: diagnosis verdicts', () => {
  it('nan-input (NaN voxel from epoch 4): log.nan-loss error from epoch 4 to the end, numbers before', () => {
    const { curve, findings } = load('own-nan-input');
    expect(curve.epochs.slice(0, 4).map((e) => e.train_loss)).toEqual([0.6749, 0.5128, 0.3435, 0.1846]);
    const nan = byRule(findings, 'log.nan-loss');
    expect(nan).toHaveLength(1);
    expect(nan[0]).toMatchObject({ severity: 'error', epochs: [4, 7] });
    expect(nan[0].message).toContain('from epoch 4');
    expect(rules(findings, 'error')).toEqual(['log.nan-loss']);
    expect(byRule(findings, 'log.lr-initial')).toEqual([]);
    expect(byRule(findings, 'log.lr-schedule')).toEqual([]);
  });

  it('resume-lr-restart (schedule restarted on resume): two files, LR jump 0.00616 → 0.01 at epoch 6', () => {
    const { curve, findings } = load('own-resume-lr-restart');
    expect(curve.files).toHaveLength(2);
    expect(curve.overlaps).toEqual([]); // resumed at epoch 6 exactly: no epoch repeated
    expect(curve.epochs[5].lr).toBe(0.00616);
    expect(curve.epochs[6].lr).toBe(0.01);
    const jump = byRule(findings, 'log.lr-schedule');
    expect(jump).toHaveLength(1);
    expect(jump[0]).toMatchObject({ severity: 'warning', epochs: [5, 6] });
    expect(jump[0].message).toMatch(/jumps up at epoch 6 \(0\.00616 at epoch 5 → 0\.01\)/);
    expect(rules(findings, 'error')).toEqual([]);
  });

  it('overfit-two-cases (2 training cases, 40 epochs): log.overfitting over the epochs where val loss climbs back', () => {
    const { curve, findings } = load('own-overfit-two-cases');
    // val_loss -0.4637 at epoch 19 (its best), -0.1936 at epoch 39; train_loss -0.7198 → -0.7953.
    expect(curve.epochs[19].val_loss).toBe(-0.4637);
    expect(Math.min(...curve.epochs.map((e) => e.val_loss!))).toBe(-0.4637);
    expect(curve.epochs[39].val_loss).toBe(-0.1936);
    const over = byRule(findings, 'log.overfitting');
    expect(over).toHaveLength(1);
    expect(over[0].severity).toBe('warning');
    expect(over[0].epochs![0]).toBeLessThanOrEqual(19);
    expect(over[0].epochs![1]).toBe(39);
    expect(rules(findings, 'error')).toEqual([]);
    // Enhancing tumour prints 0.019 and 0.012 at epochs 0-1, then 0 for epochs 2-11: initialisation
    // noise, not a class that had been learned and then collapsed; from epoch 12 it reaches 0.33
    // (0.3282 at epoch 28), so it is a slow start, not a class never learned.
    const et = byRule(findings, 'log.class-zero').filter((f) => f.evidence?.class === 2);
    expect(et).toHaveLength(1);
    expect(et[0]).toMatchObject({ severity: 'info', epochs: [2, 11], evidence: { bestBefore: 0.0194, bestAfter: 0.3282 } });
    expect(et[0].message).not.toMatch(/after it had been learning|not been learned|never/);
    expect(et[0].message).toContain('then was learned: it reached 0.33 later');
  });

  it('lr-too-high (initial LR 10): log.lr-initial warning with the schedule inferred as 10·(1 − e/8)^0.9', () => {
    const { lr, findings } = load('own-lr-too-high');
    expect(lr!.initialLr).toBeCloseTo(10, 3);
    expect(lr!.numEpochs).toBe(8);
    expect(byRule(findings, 'log.lr-initial')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(byRule(findings, 'log.nan-loss')).toEqual([]);
  });

  it('labels-all-zero: every region at pseudo Dice 0 to the last epoch, and no claim that it picked up', () => {
    const { findings } = load('own-labels-all-zero');
    // Pseudo dice: epoch 1 [0.0461, 0.0004, 0.0014], epochs 2-7 [0.0, 0.0, 0.0].
    const zero = byRule(findings, 'log.class-zero');
    expect(zero.map((f) => [f.evidence!.class, f.epochs])).toEqual([
      [0, [2, 7]],
      [1, [1, 7]],
      [2, [1, 7]],
    ]);
    for (const f of zero) {
      expect(f.message).not.toContain('picked up');
      expect(f.message).toContain('still at 0 at epoch 7, the last epoch shown');
    }
    expect(rules(findings, 'error')).toEqual([]);
  });

  it('channels-shuffled: nothing in the log itself is an error (the fault is in the inputs)', () => {
    const { lr, findings } = load('own-channels-shuffled');
    expect(rules(findings, 'error')).toEqual([]);
    expect(lr!.initialLr).toBeCloseTo(0.01, 5);
    expect(byRule(findings, 'log.lr-initial')).toEqual([]);
    // enhancing tumour: 0.0211, 0.0165, then 0.0 from epoch 2 to 7; tumour core 0.0067 then 0.0.
    const et = byRule(findings, 'log.class-zero').find((f) => f.evidence!.class === 2)!;
    expect(et.epochs).toEqual([2, 7]);
    expect(et.message).not.toContain('picked up');
  });

  it('a real pick-up still reads as one: resumed run, tumour core 0 for epochs 0–5, 0.2947 at epoch 6', () => {
    const { findings } = load('own-resume-lr-restart');
    const tc = byRule(findings, 'log.class-zero').find((f) => f.evidence!.class === 1)!;
    expect(tc.epochs).toEqual([0, 5]);
    expect(tc.message).toContain('then picked up');
  });
});
