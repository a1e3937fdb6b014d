import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, runExperiment } from '../../labs/leakage';
import { bundleCli, runCli } from './cli-bundle';

let cli = '';
beforeAll(async () => {
  cli = await bundleCli();
});

describe('bratslab leakage', () => {
  it('--json carries the options it was given and the same numbers as the core', () => {
    const r = runCli(cli, ['leakage', '--subjects', '24', '--slices', '5', '--picking', 'spread', '--labels', 'signal', '--classifier', 'logistic', '--folds', '4', '--seed', '9', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const options = { ...DEFAULT_OPTIONS, subjects: 24, slicesPerSubject: 5, picking: 'spread', labels: 'signal', classifier: 'logistic', folds: 4, seed: 9 } as const;
    expect(report.options).toEqual(options);
    expect(report.slice.folds).toHaveLength(4);
    const core = runExperiment(options);
    expect(report.slice.meanAccuracy).toBeCloseTo(core.slice.meanAccuracy, 12);
    expect(report.subject.meanAccuracy).toBeCloseTo(core.subject.meanAccuracy, 12);
    expect(report.subject.sameSubjectNeighbour).toBe(0);
  });

  it('prints a readable table with both accuracies, the inflation and, on request, the nnU-Net angle', () => {
    const r = runCli(cli, ['leakage', '--follow-ups', '30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^slice-level\s+\d+\.\d%/m);
    expect(r.stdout).toMatch(/^subject-level\s+\d+\.\d%/m);
    expect(r.stdout).toMatch(/Inflation: [+-]\d+\.\d points/);
    expect(r.stdout).toMatch(/nnU-Net's default split .* puts \d+ patient\(s\) on both sides/);
    expect(r.stdout).toContain('bratslab splits DATASET --groups patients.csv');
    // Random labels per subject with adjacent slices: the slice-level figure is far above chance.
    const slice = Number(/^slice-level\s+(\d+\.\d)%/m.exec(r.stdout)![1]);
    expect(slice).toBeGreaterThan(90);
  });

  it('rejects bad options with exit code 2 and a message naming the option', () => {
    const a = runCli(cli, ['leakage', '--subjects', '2']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/subjects must be a whole number from 4 to 400 \(got 2\)/);
    const b = runCli(cli, ['leakage', '--folds', 'five']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--folds takes a whole number, got "five"/);
    const c = runCli(cli, ['leakage', '--labels', 'coin']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--labels/);
  });
});
