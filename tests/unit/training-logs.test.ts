// The committed logs of the course's own trainer (public/data/model, public/data/runs) are read by
// the log lab completely, and show what each configuration was built to show. Expected values come
// from the run's configuration (100 epochs, poly LR from 0.01; fault options in public/data/runs/README.md)
// worked out by hand, not from the parser.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../labs/training-log/diagnose';
import { parseLogs } from '../../labs/training-log/parse';

const root = new URL('../../', import.meta.url);
function curveOf(dir: string) {
  const names = readdirSync(new URL(dir, root)).filter((n) => n.startsWith('training_log_'));
  return parseLogs(names.map((name) => ({ name, text: readFileSync(new URL(`${dir}/${name}`, root), 'utf8') })));
}

describe("the model's training log", () => {
  const c = curveOf('public/data/model');
  it('parses completely as an nnU-Net v2 log', () => {
    expect(c.unparsed).toEqual([]);
    expect(c.format).toBe('v2');
    expect(c.numpy).toBe(1); // Debian's numpy 1.24 prints plain floats
    expect(c.finished).toBe(true);
    expect(c.epochs).toHaveLength(100);
    expect(c.classes).toBe(3);
    expect(c.split).toEqual({ train: 64, val: 16 });
  });
  it('follows the poly schedule of a 100-epoch run', () => {
    // 0.01 · (1 − e/100)^0.9, rounded to 5 decimals: e = 50 → 0.01 · 0.5^0.9 = 0.005359 → 0.00536; e = 99 → 0.01 · 0.01^0.9 = 0.000158 → 0.00016
    expect(c.epochs[0].lr).toBe(0.01);
    expect(c.epochs[50].lr).toBe(0.00536);
    expect(c.epochs[99].lr).toBe(0.00016);
    expect(diagnose(c).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('broken runs', () => {
  it('all parse completely', () => {
    for (const run of readdirSync(new URL('public/data/runs', root), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      expect(curveOf(`public/data/runs/${run.name}`).unparsed, run.name).toEqual([]);
    }
  });
  it('NaN injected from epoch 4 shows as NaN losses from epoch 4', () => {
    const c = curveOf('public/data/runs/nan-input');
    expect(c.epochs.slice(0, 4).every((e) => Number.isFinite(e.train_loss!))).toBe(true);
    expect(c.epochs.slice(4).every((e) => Number.isNaN(e.train_loss!))).toBe(true);
    expect(diagnose(c).findings.map((f) => f.rule)).toContain('log.nan-loss');
  });
  it('the wrong resume restarts the learning rate at 0.01 in epoch 6', () => {
    const c = curveOf('public/data/runs/resume-lr-restart');
    expect(c.files).toHaveLength(2);
    // 12-epoch poly: epoch 5 → 0.01 · (7/12)^0.9 = 0.006157 → 0.00616; the resumed run restarts at 0.01
    expect(c.epochs[5].lr).toBe(0.00616);
    expect(c.epochs[6].lr).toBe(0.01);
    expect(diagnose(c).findings.map((f) => f.rule)).toContain('log.lr-schedule');
  });
  it('all-zero labels give zero pseudo Dice for every region', () => {
    const c = curveOf('public/data/runs/labels-all-zero');
    expect(c.epochs.at(-1)!.pseudo_dice).toEqual([0, 0, 0]);
  });
  it('two training cases trained long over-fit', () => {
    const c = curveOf('public/data/runs/overfit-two-cases');
    expect(c.split).toEqual({ train: 2, val: 16 });
    expect(diagnose(c).findings.map((f) => f.rule)).toContain('log.overfitting');
  });
  it('a learning rate of 10 is flagged', () => {
    const c = curveOf('public/data/runs/lr-too-high');
    expect(c.epochs[0].lr).toBe(10);
    expect(diagnose(c).findings.map((f) => f.rule)).toContain('log.lr-initial');
  });
});
