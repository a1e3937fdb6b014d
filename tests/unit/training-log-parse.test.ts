import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLog, parseLogs, parseNumber, logNameTime } from '../../labs/training-log/parse';
import { runToCurve, type RunFile } from '../../labs/training-log/runs';
import { diagnose } from '../../labs/training-log/diagnose';

const FIX = 'tests/fixtures/training-log/';
const read = (name: string) => readFileSync(FIX + name, 'utf8');
const run = (id: string) => JSON.parse(readFileSync(`public/data/curves/${id}.json`, 'utf8')) as RunFile;

describe('number grammar (nnunet-facts.md §5.3)', () => {
  it('reads plain, scientific, numpy-2-wrapped, nan and inf values', () => {
    expect(parseNumber('0.00999')).toBe(0.00999);
    expect(parseNumber('8e-05')).toBe(8e-5);
    expect(parseNumber('np.float32(1e-04)')).toBe(1e-4);
    expect(parseNumber('np.float32(0.8399)')).toBe(0.8399);
    expect(parseNumber('-0.0')).toBe(-0);
    expect(parseNumber('nan')).toBeNaN();
    expect(parseNumber('np.float32(nan)')).toBeNaN();
    expect(parseNumber('inf')).toBe(Infinity);
    expect(parseNumber('-inf')).toBe(-Infinity);
    expect(parseNumber('abc')).toBeUndefined();
    expect(parseNumber('1.2.3')).toBeUndefined();
  });

  it('sorts log names by date, not as text (year/month/day not zero-padded)', () => {
    expect(logNameTime('training_log_2026_3_10_08_00_00.txt')!).toBeGreaterThan(logNameTime('training_log_2026_3_9_23_10_00.txt')!);
    expect(logNameTime('notes.txt')).toBeNull();
  });
});

describe('v2, numpy 2 (real log: RainJiayuSun-star/nnUNet_rain)', () => {
  it('reads epochs 0-2 with the printed values', () => {
    const c = parseLog(read('ucsf-regions-numpy2-start.txt'), 'start.txt');
    expect(c.format).toBe('v2');
    expect(c.numpy).toBe(2);
    expect(c.unparsed).toEqual([]);
    expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1, 2]);
    // Values as printed in the log text.
    expect(c.epochs[0]).toMatchObject({ lr: 0.0002, train_loss: 0.3929, val_loss: 0.1636, pseudo_dice: [0.1208, 0.2062, 0.0727], epoch_time: 208.42, best_ema: 0.133200004696846 });
    expect(c.epochs[2]).toMatchObject({ lr: 0.0002, train_loss: 0.1036, val_loss: 0.0065, pseudo_dice: [0.4706, 0.324, 0.0], epoch_time: 99.96 });
    // EMA recomputed with nnU-Net's formula matches the printed "new best" values within rounding.
    expect(c.epochs[0].ema).toBeCloseTo(0.1332, 3);
    expect(Math.abs(c.epochs[1].ema! - 0.1466)).toBeLessThan(2e-4);
    expect(Math.abs(c.epochs[2].ema! - 0.1584)).toBeLessThan(2e-4);
    expect(c.finished).toBe(false);
  });

  it('reads 1e-04 inside the Dice list and the LR step to 0.00019', () => {
    const c = parseLog(read('ucsf-regions-numpy2-epochs8-9.txt'), 'mid.txt');
    expect(c.epochs[0].pseudo_dice).toEqual([0.3673, 0.279, 1e-4]);
    expect(c.epochs[1].lr).toBe(0.00019);
  });

  it('reads the end: LR 1e-05 and 0.0, Training done, split, final validation Dice', () => {
    const c = parseLog(read('ucsf-regions-numpy2-end.txt'), 'end.txt');
    expect(c.unparsed).toEqual([]);
    expect(c.epochs.map((r) => [r.epoch, r.lr])).toEqual([
      [291, 1e-5],
      [299, 0],
    ]);
    expect(c.epochs[1].best_ema).toBeNull();
    expect(c.finished).toBe(true);
    expect(c.split).toEqual({ train: 368, val: 93 });
    expect(c.meanValidationDice).toBe(0.39120574640896777);
  });

  it('agrees with the independently transcribed figures of the same run', () => {
    const truth = runToCurve(run('ucsfmets_regions_lr2e-4'), 'json');
    for (const name of ['ucsf-regions-numpy2-start.txt', 'ucsf-regions-numpy2-epochs8-9.txt', 'ucsf-regions-numpy2-end.txt']) {
      for (const r of parseLog(read(name), name).epochs) {
        const t = truth.epochs.find((x) => x.epoch === r.epoch)!;
        expect([r.lr, r.train_loss, r.val_loss, r.epoch_time, r.pseudo_dice]).toEqual([t.lr, t.train_loss, t.val_loss, t.epoch_time, t.pseudo_dice]);
        if (r.best_ema !== null) expect(r.best_ema).toBeCloseTo(t.best_ema!, 4);
      }
    }
  });
});

describe('a whole log head with banner, plans dump and custom trainer lines (real log: agrorony/nnUNet4SoilXrayCT)', () => {
  const c = parseLog(read('soilct-numpy2-start.txt'), 'soil.txt');
  it('reads the epochs and the split records, including the overlap warning', () => {
    expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1]);
    expect(c.epochs[0]).toMatchObject({ lr: 0.002, train_loss: 0.3499, val_loss: -0.0392, epoch_time: 83.68 });
    expect(c.epochs[1].pseudo_dice!.filter((d) => !Number.isNaN(d))).toEqual([0.7617, 0.8629, 0.8883]);
    expect(c.epochs[1].pseudo_dice!.filter((d) => Number.isNaN(d))).toHaveLength(2);
    expect(c.split).toEqual({ train: 1, val: 1 });
    expect(c.splitOverlapWarning).toBe(true);
  });

  it('accounts for every line: records of the early-stopping trainer inside epochs are reported', () => {
    expect(c.unparsed.map((u) => [u.line, u.reason])).toEqual([
      [34, 'unknown record inside epoch 0'],
      [35, 'unknown record inside epoch 0'],
      [44, 'unknown record inside epoch 1'],
      [45, 'unknown record inside epoch 1'],
    ]);
    // Counted by hand: 4 banner lines, 5 plans-dump lines, 11 timestamped header records.
    expect(c.otherRecords).toBe(20);
  });

  it('is diagnosed with the split warning and the two nan labels', () => {
    const rules = diagnose(c).findings.map((f) => `${f.severity}:${f.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['warning:log.split-overlap', 'warning:log.dice-nan', 'info:log.unparsed-lines']));
  });
});

describe('v2, numpy 1 and nan (real logs from nnU-Net issues)', () => {
  it('reads a 32-value numpy 1 Dice list without trailing spaces (issue #2140)', () => {
    const c = parseLog(read('issue2140-numpy1.txt'), 'i2140.txt');
    expect(c.numpy).toBe(1);
    expect(c.classes).toBe(32);
    expect(c.epochs.map((r) => r.epoch)).toEqual([11, 12]);
    expect(c.epochs[0].pseudo_dice![12]).toBe(0.0507);
    expect(c.epochs[0].pseudo_dice![28]).toBe(0.2082);
    expect(c.epochs[1]).toMatchObject({ lr: 0.00989, train_loss: 0.213, val_loss: 0.197, epoch_time: 134.4, best_ema: 0.0052 });
    // The Yayy line before "Epoch 11" belongs to epoch 10, which the excerpt does not contain.
    expect(c.unparsed).toEqual([expect.objectContaining({ line: 1, reason: 'epoch figure outside an epoch block' })]);
  });

  it('reads nan losses (issue #1612)', () => {
    const c = parseLog(read('issue1612-nan.txt'), 'i1612.txt');
    expect(c.epochs[0].train_loss).toBeNaN();
    expect(c.epochs[0].val_loss).toBeNaN();
    expect(c.epochs[0].best_ema).toBe(0);
    // "Epoch 1" and its learning rate, then nothing: begun, not an epoch of the curve.
    expect(c.epochs.map((r) => r.epoch)).toEqual([0]);
    expect(c.interruptedEpoch).toBe(1);
  });

  it('reports pasted console lines with their line numbers and keeps the epoch (issue #2357)', () => {
    const c = parseLog(read('issue2357-console-lines.txt'), 'i2357.txt');
    expect(c.epochs).toHaveLength(1);
    expect(c.epochs[0].pseudo_dice![0]).toBeNaN();
    expect(c.epochs[0].pseudo_dice!.slice(1)).toEqual([0, 0]);
    expect(c.unparsed.map((u) => u.line)).toEqual([8, 9]);
    expect(c.unparsed[0].text).toContain('RuntimeWarning');
  });
});

describe('v1 (real log: issue #1084)', () => {
  it('reads epoch lines without timestamps, v1 field names and the end-of-epoch lr', () => {
    const c = parseLog(read('issue1084-v1.txt'), 'i1084.txt');
    expect(c.format).toBe('v1');
    expect(c.lrOffset).toBe(1);
    expect(c.unparsed).toEqual([]);
    expect(c.epochs.map((r) => r.epoch)).toEqual([9, 10, 11]);
    expect(c.epochs[0]).toMatchObject({ lr: 1e-5, train_loss: 0.3188, val_loss: 0.2696, epoch_time: 54.12624 });
    expect(c.epochs[1].pseudo_dice).toEqual([0.877, 0.0009, 0.0001, 0.0, 0.0043, 0.0, 0.0, 0.0, 0.0, 0.0115]);
    expect(c.epochs[2]).toMatchObject({ train_loss: 0.2403, val_loss: 0.1992, pseudo_dice: null, lr: null });
  });
});

describe('resumed runs and garbage (synthetic fixtures)', () => {
  const A = 'training_log_2026_3_9_23_10_00.txt';
  const B = 'training_log_2026_3_10_08_00_00.txt';
  it('merges two files of one fold by date, keeps the re-run epochs of the later file and reports the overlap', () => {
    // Given in the wrong order on purpose.
    const c = parseLogs([B, A].map((name) => ({ name, text: read(`synthetic/${name}`) })));
    expect(c.files).toEqual([A, B]);
    expect(c.epochs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(c.epochs[4]).toMatchObject({ train_loss: -0.23, epoch_time: 130.4, file: B });
    expect(c.epochs[3]).toMatchObject({ train_loss: -0.18, file: A });
    expect(c.overlaps).toEqual([{ epochs: [4, 5], keptFrom: B, droppedFrom: A }]);
    expect(c.finished).toBe(true);
  });

  it('never drops a line silently', () => {
    const c = parseLog(read('synthetic/garbage.txt'), 'garbage.txt');
    expect(c.unparsed.map((u) => [u.line, u.reason])).toEqual([
      [1, 'not a log record (no timestamp) and not part of the plans dump'],
      [14, '"abc" is not a number'],
      [16, 'pseudo Dice list holds something that is not a number'],
      [17, 'not a log record (no timestamp) and not part of the plans dump'],
      [19, 'unknown record inside epoch 1'],
      [20, 'not a log record (no timestamp) and not part of the plans dump'],
    ]);
    expect(c.epochs[1]).toMatchObject({ epoch: 1, lr: 0.00999, train_loss: null, val_loss: Infinity, pseudo_dice: null, epoch_time: 51.5 });
    expect(c.numpy).toBe(1);
  });

  it('refuses a binary file with a reason', () => {
    const c = parseLog('\u0000\u0001PNG', 'progress.png');
    expect(c.epochs).toEqual([]);
    expect(c.unparsed[0].reason).toMatch(/binary/);
  });
});
