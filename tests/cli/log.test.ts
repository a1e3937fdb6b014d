/**
 * `bratslab log` through a Node 20 bundle (/usr/bin/node), on the real and synthetic log fixtures.
 * Expected values are read off the fixtures' text (see tests/fixtures/training-log/README.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHeader, renderV2 } from '../helpers/nnunet-log';
import { bundleCli, runCli } from './cli-bundle';

const FIX = 'tests/fixtures/training-log/';
let bundle = '';
beforeAll(async () => {
  bundle = await bundleCli();
});

describe('bratslab log', () => {
  it('diagnoses a real nan log: prints the finding and exits 1', () => {
    const r = runCli(bundle, ['log', `${FIX}issue1612-nan.txt`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR   log.nan-loss [epochs 0–0]');
    expect(r.stdout).toContain('train_loss and val_loss are NaN from epoch 0');
    expect(r.stdout).toContain('/weeks/week-06/10-diagnosing-failures/#nan-loss-from-the-first-epoch');
  });

  it('prints the JSON report of merged resumed logs and exits 0 when there is no error', () => {
    const r = runCli(bundle, ['log', '--json', `${FIX}synthetic/training_log_2026_3_10_08_00_00.txt`, `${FIX}synthetic/training_log_2026_3_9_23_10_00.txt`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, tool: 'bratslab log' });
    expect(report.details.summary).toMatchObject({
      format: 'v2',
      numpy: 2,
      epochs: 8,
      firstEpoch: 0,
      lastEpoch: 7,
      classes: 3,
      finished: true,
      files: ['training_log_2026_3_9_23_10_00.txt', 'training_log_2026_3_10_08_00_00.txt'],
    });
    // The second file begins at epoch 4: the first file's epochs 4-5 are superseded.
    expect(report.findings.find((f: { rule: string }) => f.rule === 'log.resumed')).toMatchObject({ epochs: [4, 7], evidence: { restarts: 1, discardedEpochs: 2 } });
  });

  it('reads a v1 log and names classes', () => {
    const r = runCli(bundle, ['log', '--classes', 'a,b,c,d,e,f,g,h,i,j', `${FIX}issue1084-v1.txt`]);
    expect(r.stdout).toContain('nnU-Net v1, training log, 3 epochs (9–11), 10 classes');
    expect(r.stdout).toContain('classes: a, b, c, d, e, f, g, h, i, j (from --classes)');
    expect(r.stdout).toContain('log.lr-initial');
  });

  it('names the file it cannot read and exits 2', () => {
    const r = runCli(bundle, ['log', `${FIX}does-not-exist.txt`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does-not-exist.txt: cannot read (no such file)');
  });

  it('reports a file that is not a training log as an error naming it', () => {
    const r = runCli(bundle, ['log', `${FIX}README.md`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('No epoch found in README.md');
  });

  const RUN = `${FIX}nnunet-run/fold_0/`;
  const full = readFileSync(`${RUN}training_log_2026_12_4_20_45_20.txt`, 'utf8');
  const tmp = () => mkdtempSync(join(tmpdir(), 'bratslab-log-'));

  it('a real fold folder: crashed start listed, class names from the dataset.json one folder up', () => {
    const r = runCli(bundle, ['log', '--json', `${RUN}training_log_2026_12_4_20_45_20.txt`, `${RUN}training_log_2026_12_4_20_43_44.txt`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.details.summary).toMatchObject({
      kind: 'training+validation',
      datasetName: 'Dataset602_SynthWeb',
      epochs: 5,
      lastEpoch: 4,
      finished: true,
      meanValidationDice: 0.47795756448547416,
      classNames: ['whole tumour', 'tumour core', 'enhancing tumour'],
      classNamesFrom: `${FIX}nnunet-run/dataset.json`,
      bratsRegions: true,
      crashedStarts: 1,
      restarts: 0,
    });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('log.crashed-start');
  });

  it('a fold continued from epoch 50 after the first process reached 71: the merged list and what was discarded', () => {
    const dir = tmp();
    const eps = (a: number, b: number) =>
      Array.from({ length: b - a + 1 }, (_, i) => ({ epoch: a + i, lr: 0.01 * (1 - (a + i) / 1000) ** 0.9, train_loss: 0.3 - 0.004 * (a + i), val_loss: 0.35 - 0.004 * (a + i), pseudo_dice: [0.5, 0.4], epoch_time: 120 }));
    writeFileSync(join(dir, 'training_log_2026_6_26_08_07_54.txt'), `${renderHeader('2026-06-26 08:07:54.200714')}\n${renderV2(eps(0, 71))}`);
    writeFileSync(join(dir, 'training_log_2026_6_27_10_00_00.txt'), `${renderHeader('2026-06-27 10:00:00.512301')}\n${renderV2(eps(50, 51), { begun: { epoch: 52, lr: 0.0095 } })}`);
    const r = runCli(bundle, ['log', '--json', join(dir, 'training_log_2026_6_27_10_00_00.txt'), join(dir, 'training_log_2026_6_26_08_07_54.txt')]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.details.summary).toMatchObject({ epochs: 52, firstEpoch: 0, lastEpoch: 51, restarts: 1, discardedEpochs: 22, interruptedEpoch: 52, kind: 'training' });
    const resumed = report.findings.filter((f: { rule: string }) => f.rule === 'log.resumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0].evidence.list[0]).toMatchObject({ fromEpoch: 50, discarded: [{ file: 'training_log_2026_6_26_08_07_54.txt', epochs: [50, 71], count: 22 }] });
  });

  it('a validation-only log exits 0 and says what it is', () => {
    const dir = tmp();
    const lines = full.split('\n');
    const text = [...lines.slice(0, lines.findIndex((l) => l.endsWith(': Epoch 0 ')) - 1), ...lines.slice(lines.findIndex((l) => l.includes('Training done.')))].join('\n');
    writeFileSync(join(dir, 'training_log_2026_12_4_21_30_00.txt'), text);
    const r = runCli(bundle, ['log', join(dir, 'training_log_2026_12_4_21_30_00.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('validation-only log of Dataset602_SynthWeb, 0 epochs');
    expect(r.stdout).toContain('INFO    log.validation-only');
    expect(r.stdout).toContain('Mean Validation Dice 0.478 on 2 validation cases');
  });

  it('decimal commas: an error and exit 1; UTF-16 as PowerShell writes it: read', () => {
    const dir = tmp();
    const commas = full.replace(/(: (?:train_loss|val_loss|Pseudo dice).*)$/gm, (l) => l.replace(/(\d)\.(\d)/g, '$1,$2'));
    writeFileSync(join(dir, 'commas.txt'), commas);
    const bad = runCli(bundle, ['log', join(dir, 'commas.txt')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('ERROR   log.unread-figures');
    expect(bad.stdout).toContain('no train_loss, no val_loss, no pseudo Dice value was read at all');
    writeFileSync(join(dir, 'utf16.txt'), Buffer.from(`\uFEFF${full.replace(/\n/g, '\r\n')}`, 'utf16le'));
    const ok = runCli(bundle, ['log', '--json', join(dir, 'utf16.txt')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).details.summary).toMatchObject({ epochs: 5, unparsedLines: 0, meanValidationDice: 0.47795756448547416 });
  });

  it('a v1 log pasted into markdown gets v1 commands and the momentum reset explained', () => {
    const dir = tmp();
    const v1 = readFileSync(`${FIX}issue298-v1-momentum.txt`, 'utf8');
    writeFileSync(join(dir, 'pasted.md'), v1.split('\n').map((l) => `> ${l}`).join('\n'));
    const r = runCli(bundle, ['log', join(dir, 'pasted.md')]);
    expect(r.stdout).toContain('nnU-Net v1, training log, 2 epochs (99–100), 1 classes');
    expect(r.stdout).toContain('WARNING log.momentum-reset [epochs 100–100]');
    expect(r.stdout).not.toContain('nnUNetv2');
  });

  it('says so when the dataset.json next to the log does not fit the log', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ labels: { background: 0, kidney: 1, tumor: 2 } }));
    writeFileSync(join(dir, 'training_log_2026_12_4_20_45_20.txt'), full);
    const r = runCli(bundle, ['log', join(dir, 'training_log_2026_12_4_20_45_20.txt')]);
    expect(r.stderr).toContain('dataset.json: 2 foreground classes, but the log prints 3 pseudo Dice values; its names are not used');
    expect(r.stdout).not.toContain('kidney');
    expect(r.stdout).toContain('class 3 is at pseudo Dice 0 from epoch 1');
  });
});
