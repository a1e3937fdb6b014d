import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRng } from '../../labs/shared/prng';
import { isRuleId } from '../../labs/shared/findings';
import { parseLog, parseLogs } from '../../labs/training-log/parse';
import { diagnose, RULES } from '../../labs/training-log/diagnose';
import { fitPoly, polyLr } from '../../labs/training-log/poly';
import { renderV2 } from '../helpers/nnunet-log';

/**
 * Logs made to trigger each rule: a healthy synthetic run rendered in nnU-Net's v2 line templates
 * (nnunet-facts.md §5.3), then changed in one respect per test.
 */
interface Ep {
  lr: number;
  train: number;
  val: number;
  dice: number[];
  time: number;
}

function healthy(n = 200, planned = n, lr0 = 0.01, seed = 1): Ep[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, e) => ({
    lr: polyLr(lr0, e, planned),
    train: -0.8 * (1 - Math.exp(-e / 30)) + 0.3 + rng.normal(0, 0.005),
    val: -0.75 * (1 - Math.exp(-e / 30)) + 0.3 + rng.normal(0, 0.01),
    dice: [0.85, 0.75, 0.65].map((top, k) => Math.min(1, top * (1 - Math.exp(-(e + 1) / (5 + 2 * k))) + rng.normal(0, 0.01))).map((d) => Math.max(0, d)),
    time: 100 + rng.normal(0, 1),
  }));
}

function render(eps: Ep[], first = 0, done = true): string {
  return renderV2(
    eps.map((p, i) => ({ epoch: first + i, lr: p.lr, train_loss: p.train, val_loss: p.val, pseudo_dice: p.dice, epoch_time: p.time })),
    { done },
  );
}

const run = (eps: Ep[], opts: { first?: number; done?: boolean } = {}) => diagnose(parseLog(render(eps, opts.first, opts.done ?? true), 'training_log_2026_3_5_09_00_00.txt'));
const rules = (d: ReturnType<typeof diagnose>) => d.findings.map((f) => `${f.severity}:${f.rule}`);
const find = (d: ReturnType<typeof diagnose>, rule: string) => d.findings.filter((f) => f.rule === rule);

describe('rule catalogue', () => {
  it('every rule id is namespaced and links to a heading that exists in lesson 09 or 10', () => {
    // Starlight's heading ids (github-slugger): lower case, punctuation dropped, spaces to hyphens.
    const slug = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
    const anchors = (file: string) => [...readFileSync(`src/content/weeks/week-06/${file}.mdx`, 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map((m) => slug(m[1]));
    for (const [id, docs] of Object.entries(RULES)) {
      expect(isRuleId(id)).toBe(true);
      expect(id.startsWith('log.')).toBe(true);
      const m = /^\/weeks\/week-06\/(09-reading-training-logs|10-diagnosing-failures)\/#([a-z0-9-]+)$/.exec(docs);
      expect(m, docs).not.toBeNull();
      expect(anchors(m![1]), `${id} → ${docs}`).toContain(m![2]);
    }
  });
});

describe('poly schedule', () => {
  it('reproduces the reference values of nnunet-facts.md §5.6 (as printed, 5 decimals)', () => {
    const printed = (e: number) => Math.round(polyLr(0.01, e, 1000) * 1e5) / 1e5;
    expect([0, 1, 2, 10, 100, 500, 900, 990, 995, 999].map(printed)).toEqual([0.01, 0.00999, 0.00998, 0.00991, 0.0091, 0.00536, 0.00126, 0.00016, 8e-5, 2e-5]);
  });

  it('infers initial LR and number of epochs from printed values', () => {
    const pts = Array.from({ length: 300 }, (_, e) => ({ epoch: e, lr: Math.round(polyLr(2e-4, e, 300) * 1e5) / 1e5 }));
    const fit = fitPoly(pts, 0, 5)!;
    expect(fit.consistent).toBe(true);
    expect(fit.initialLr).toBeCloseTo(2e-4, 8);
    expect(fit.numEpochs).toBe(300);
  });
});

describe('a healthy synthetic run', () => {
  it('raises no error and no warning', () => {
    const d = run(healthy());
    expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(d.lr).toMatchObject({ consistent: true, numEpochs: 200 });
    expect(d.lr!.initialLr).toBeCloseTo(0.01, 6);
  });
});

describe('one log per rule', () => {
  it('log.nan-loss: NaN in mid-training, from which epoch', () => {
    const eps = healthy();
    for (let e = 120; e < 200; e++) eps[e].train = NaN;
    const [f] = find(run(eps), 'log.nan-loss');
    expect(f).toMatchObject({ severity: 'error', epochs: [120, 199], evidence: { firstEpoch: 120, losses: ['train_loss'] } });
    expect(f.docs).toBe('/weeks/week-06/10-diagnosing-failures/#nan-loss-from-the-first-epoch');
  });

  it('log.nan-loss: inf counts too', () => {
    const eps = healthy(20);
    eps[7].val = Infinity;
    expect(find(run(eps), 'log.nan-loss')[0]).toMatchObject({ epochs: [7, 7] });
  });

  it('log.loss-divergence: a loss jumping by more than 1', () => {
    const eps = healthy(20);
    eps[12].val = 2.5;
    expect(find(run(eps), 'log.loss-divergence')[0]).toMatchObject({ severity: 'error', epochs: [11, 12] });
  });

  it('log.class-zero: a class at 0 past the threshold epoch (error after 50 epochs)', () => {
    const eps = healthy(80, 1000);
    for (const p of eps) p.dice[2] = 0;
    const f = find(run(eps), 'log.class-zero');
    expect(f).toEqual([expect.objectContaining({ severity: 'error', epochs: [0, 79], evidence: { classes: [2], lastEpoch: 79 } })]);
  });

  it('log.class-zero: a class collapsing to 0 late in training', () => {
    const eps = healthy(200);
    for (let e = 150; e < 160; e++) eps[e].dice[1] = 0;
    expect(find(run(eps), 'log.class-zero')).toEqual([expect.objectContaining({ severity: 'warning', epochs: [150, 159] })]);
  });

  it('log.class-zero: a slow start before epoch 10 is only info', () => {
    const eps = healthy(200);
    for (let e = 1; e < 7; e++) eps[e].dice[2] = 0;
    expect(find(run(eps), 'log.class-zero')).toEqual([expect.objectContaining({ severity: 'info', epochs: [1, 6] })]);
  });

  it('log.dice-range: pseudo Dice outside [0, 1]', () => {
    const eps = healthy(30);
    eps[20].dice = [1.7, -0.3, 0.5];
    expect(find(run(eps), 'log.dice-range')[0]).toMatchObject({ severity: 'error', epochs: [20, 20] });
  });

  it('log.dice-nan: a class that is nan in every epoch', () => {
    const eps = healthy(30);
    for (const p of eps) p.dice = [p.dice[0], NaN, p.dice[2]];
    expect(find(run(eps), 'log.dice-nan')[0]).toMatchObject({ severity: 'warning', evidence: { class: 1, epochsNan: 30 } });
  });

  it('log.dice-nan: nan Dice after a nan loss is blamed on the loss, not on a small class', () => {
    const eps = healthy(40);
    for (let e = 25; e < 40; e++) {
      eps[e].train = NaN;
      eps[e].val = NaN;
      eps[e].dice = [NaN, NaN, NaN];
    }
    const f = find(run(eps), 'log.dice-nan');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'info', epochs: [25, 39], evidence: { classes: [0, 1, 2], afterNanLoss: 25 } });
    expect(f[0].message).toMatch(/follows the nan loss from epoch 25/);
    expect(f[0].hint).not.toMatch(/expected when the class is small/);
  });

  it('log.class-lag: ET behind for 25 epochs, and for how long', () => {
    const eps = healthy(200);
    for (let e = 0; e < 25; e++) eps[e].dice[2] = 0.1 * eps[e].dice[0];
    expect(find(run(eps), 'log.class-lag')[0]).toMatchObject({ severity: 'info', epochs: [0, 24], evidence: { class: 2, epochs: 25, caughtUpAt: 25 } });
  });

  it('log.lr-schedule: LR stuck', () => {
    const eps = healthy(200);
    for (let e = 50; e < 200; e++) eps[e].lr = eps[50].lr;
    const f = find(run(eps), 'log.lr-schedule');
    expect(f[0]).toMatchObject({ severity: 'warning' });
    // 0.01·(1 − 50/200)^0.9 = 0.0077192 → printed 0.00772 (hand calculation).
    expect(f[0].message).toMatch(/stuck at 0\.00772 from epoch 50 to 199/);
  });

  it('log.lr-schedule: LR jumping up after a resume with other settings', () => {
    const eps = healthy(200);
    for (let e = 100; e < 200; e++) eps[e].lr = polyLr(0.01, e - 100, 1000);
    expect(find(run(eps), 'log.lr-schedule')[0]).toMatchObject({ epochs: [99, 100], evidence: { from: 0.00541, to: 0.01 } }); // 0.01·(1 − 99/200)^0.9 = 0.0054071
  });

  it('log.lr-initial: 1e-5 is flagged, 2e-4 (on purpose, with Adam) is only info', () => {
    expect(find(run(healthy(60, 1000, 1e-5)), 'log.lr-initial')[0]).toMatchObject({ severity: 'warning' });
    const d = run(healthy(300, 300, 2e-4));
    expect(find(d, 'log.lr-initial')[0]).toMatchObject({ severity: 'info' });
    expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(d.lr!.initialLr).toBeCloseTo(2e-4, 8);
    expect(d.lr!.numEpochs).toBe(300);
  });

  it('log.oscillation: validation loss swinging from epoch to epoch', () => {
    const eps = healthy(200);
    eps.forEach((p, e) => (p.val += e % 2 ? 0.05 : -0.05));
    expect(find(run(eps), 'log.oscillation')[0].message).toMatch(/Validation loss oscillates/);
  });

  it('log.overfitting: validation loss rising while training loss falls, and where', () => {
    const eps = healthy(300);
    eps.forEach((p, e) => {
      if (e > 100) p.val += 0.002 * (e - 100);
    });
    const [f] = find(run(eps), 'log.overfitting');
    expect(f).toMatchObject({ severity: 'warning' });
    expect((f.evidence as { valBestEpoch: number }).valBestEpoch).toBeGreaterThanOrEqual(85);
    expect((f.evidence as { valBestEpoch: number }).valBestEpoch).toBeLessThanOrEqual(115);
  });

  it('log.plateau: no new best EMA for the last 100 of 300 epochs', () => {
    const eps = healthy(300);
    for (let e = 200; e < 300; e++) eps[e].dice = eps[e].dice.map((d) => d - 0.2);
    expect(find(run(eps), 'log.plateau')[0]).toMatchObject({ severity: 'info' });
    expect(find(run(eps), 'log.plateau')[0].epochs![0]).toBeLessThanOrEqual(205);
  });

  it('log.epoch-time: erratic and slow epochs', () => {
    const eps = healthy(40);
    eps.forEach((p, e) => (p.time = e % 2 ? 100 : 180));
    expect(find(run(eps), 'log.epoch-time')[0].message).toMatch(/erratic/);
    const slow = healthy(40);
    slow.forEach((p) => (p.time = 900));
    expect(find(run(slow), 'log.epoch-time')[0].message).toMatch(/Slow epochs: median 900 s/);
  });

  it('log.stopped-early: log ends before the planned number of epochs', () => {
    const f = find(run(healthy(120, 1000), { done: false }), 'log.stopped-early')[0];
    expect(f.message).toMatch(/without "Training done."/);
    expect(f.evidence).toMatchObject({ lastEpoch: 119, plannedEpochs: 1000 });
  });

  it('log.split-overlap, log.unparsed-lines, log.no-epochs', () => {
    const warn = '2026-03-05 08:59:00.000001: WARNING: Some validation cases are also in the training set. Please check the splits.json or ignore if this is intentional. \n';
    expect(rules(diagnose(parseLog(warn + render(healthy(20)), 'a.txt')))).toContain('warning:log.split-overlap');
    expect(rules(diagnose(parseLog(`nonsense\n${render(healthy(20))}`, 'a.txt')))).toContain('info:log.unparsed-lines');
    expect(diagnose(parseLog('hello\n', 'notes.txt')).findings[0]).toMatchObject({ rule: 'log.no-epochs', severity: 'error' });
  });

  it('log.resumed: overlapping files of one fold', () => {
    const FIX = 'tests/fixtures/training-log/synthetic/';
    const names = ['training_log_2026_3_9_23_10_00.txt', 'training_log_2026_3_10_08_00_00.txt'];
    const d = diagnose(parseLogs(names.map((name) => ({ name, text: readFileSync(FIX + name, 'utf8') }))));
    // The second file begins at epoch 4: the first file's epochs 4-5 are superseded.
    expect(find(d, 'log.resumed')).toHaveLength(1);
    expect(find(d, 'log.resumed')[0]).toMatchObject({ severity: 'info', epochs: [4, 7], evidence: { restarts: 1, discardedEpochs: 2 } });
    expect(find(d, 'log.resumed')[0].message).toContain('superseding epochs 4–5 of training_log_2026_3_9_23_10_00.txt (2)');
  });
});
