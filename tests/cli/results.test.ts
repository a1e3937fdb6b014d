/**
 * `bratslab results` through a Node 20 bundle, on tests/fixtures/evaluate/results (a real nnU-Net
 * run plus this project's real logs laid out as nnU-Net does; see the fixture README). Expected
 * values: the Dice values in the summary.json files (mean ± sample sd computed by hand below from
 * those numbers) and the logs' text.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runCli } from './cli-bundle';

const DIR = 'tests/fixtures/evaluate/results/Dataset602_SynthWeb';
const B = `${DIR}/nnUNetTrainer__nnUNetPlans__3d_fullres`;
const meanDice = (fold: number, key: string) =>
  JSON.parse(readFileSync(`${B}/fold_${fold}/validation/summary.json`, 'utf8').replace(/\bNaN\b/g, 'null')).mean[key].Dice as number;

let bundle = '';
beforeAll(async () => {
  bundle = await bundleCli();
});

describe('bratslab results', () => {
  it('reports each fold: validated, crashed at start, stopped, finished without validation, missing', () => {
    const r = runCli(bundle, ['results', DIR, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ tool: 'bratslab results', dataset: 'Dataset602_SynthWeb', datasetId: 602 });
    const [b, a] = [report.configurations[1], report.configurations[0]];
    expect(a).toMatchObject({ trainer: 'nnUNetTrainer_5epochs_20it', plans: 'nnUNetPlans', configuration: '3d_fullres', missingFolds: [2, 3, 4] });
    expect(a.folds[0]).toMatchObject({ fold: 0, status: 'validated', epochs: 5, lastEpoch: 4, checkpoints: { final: true, best: true, latest: false } });
    // nnU-Net's own summary.json of the real run: foreground_mean Dice and the log's last line agree.
    expect(a.folds[0].validation.foreground).toBe(0.47795756448547416);
    expect(a.folds[0].meanValidationDice).toBe(0.47795756448547416);
    expect(a.folds[1]).toMatchObject({ fold: 1, status: 'crashed-at-start', epochs: 0 });
    // Region names from the dataset.json nnU-Net copied into the folder.
    expect(a.names).toEqual({ '(1, 2, 3)': 'whole tumour', '(2, 3)': 'tumour core', '(3,)': 'enhancing tumour' });
    expect(a.folds[1].findings.map((f: { rule: string }) => f.rule)).toContain('log.no-epochs');
    expect(b.folds.map((f: { status: string }) => f.status)).toEqual(['validated', 'finished', 'stopped', 'validated', 'validated']);
    expect(b.folds[1].findings.find((f: { rule: string }) => f.rule === 'log.nan-loss')).toMatchObject({ severity: 'error', epochs: [4, 7] });
    expect(b.folds[2]).toMatchObject({ lastEpoch: 5, checkpoints: { final: false, latest: true } });
    const wt = [0, 3, 4].map((k) => meanDice(k, '(1, 2, 3)'));
    const mean = (wt[0] + wt[1] + wt[2]) / 3;
    const sd = Math.sqrt(wt.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    expect(b.cv['(1, 2, 3)'].n).toBe(3);
    expect(b.cv['(1, 2, 3)'].mean).toBeCloseTo(mean, 12);
    expect(b.cv['(1, 2, 3)'].sd).toBeCloseTo(sd, 12);
    expect(report.next).toEqual([
      'nnUNetv2_train 602 3d_fullres 1 -tr nnUNetTrainer_5epochs_20it',
      'nnUNetv2_train 602 3d_fullres 2 -tr nnUNetTrainer_5epochs_20it',
      'nnUNetv2_train 602 3d_fullres 3 -tr nnUNetTrainer_5epochs_20it',
      'nnUNetv2_train 602 3d_fullres 4 -tr nnUNetTrainer_5epochs_20it',
      'nnUNetv2_train 602 3d_fullres 1 --val',
      'nnUNetv2_train 602 3d_fullres 2 --c',
    ]);
  });

  it('prints the folds, the cross-validation table and the next commands', () => {
    const r = runCli(bundle, ['results', DIR]);
    expect(r.stdout).toContain('fold_1: crashed before the first epoch');
    expect(r.stdout).toContain('missing: fold_2, fold_3, fold_4');
    expect(r.stdout).toMatch(/\(1, 2, 3\) +0\.\d{4} ± 0\.\d{4} \(3\)/);
    expect(r.stdout).toContain('ERROR   log.nan-loss');
    expect(r.stdout).toContain('next:\n  nnUNetv2_train 602 3d_fullres 1 -tr nnUNetTrainer_5epochs_20it');
  });

  it('exits 2 on a folder that is not there', () => {
    const r = runCli(bundle, ['results', `${DIR}/nope`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such folder');
  });
});
