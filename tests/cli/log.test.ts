/**
 * `bratslab log` through a Node 20 bundle (/usr/bin/node), on the real and synthetic log fixtures.
 * Expected values are read off the fixtures' text (see tests/fixtures/training-log/README.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
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
    expect(report.findings.find((f: { rule: string }) => f.rule === 'log.resumed')).toMatchObject({ epochs: [4, 5] });
  });

  it('reads a v1 log and names classes', () => {
    const r = runCli(bundle, ['log', '--classes', 'a,b,c,d,e,f,g,h,i,j', `${FIX}issue1084-v1.txt`]);
    expect(r.stdout).toContain('nnU-Net v1, 3 epochs (9–11), 10 classes');
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
});
