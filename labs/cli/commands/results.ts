/**
 * `bratslab results nnUNet_results/DatasetXXX_Name`: every trained configuration and fold of a
 * dataset (labs/evaluate/results.ts): log diagnosis, checkpoints, validation Dice, the
 * cross-validation table, missing folds and the commands to run next. Exit codes: 0 every
 * present fold validated, 1 a fold crashed, stopped, unvalidated or missing, 2 unreadable folder.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatResults, readResults } from '../../evaluate/index';
import { nodeSource } from '../node-files';

export function register(program: Command): void {
  program
    .command('results')
    .description('Summarise an nnU-Net results folder: per fold the log diagnosis, checkpoints and validation Dice; the cross-validation table; what to run next.')
    .argument('<dataset_dir>', 'nnUNet_results/DatasetXXX_Name')
    .option('--json', 'print the JSON report on stdout')
    .action(async (dir: string, o: { json?: boolean }) => {
      const st = await stat(dir).catch(() => undefined);
      if (!st?.isDirectory()) {
        process.stderr.write(`bratslab results: ${dir}: ${st ? 'not a folder' : 'no such folder'}\n`);
        process.exitCode = 2;
        return;
      }
      const report = await readResults(nodeSource(dir));
      if (!report.configurations.length)
        process.stderr.write(`bratslab results: ${dir} holds no TRAINER__PLANS__CONFIGURATION folder (is it nnUNet_results/DatasetXXX_Name?)\n`);
      process.stdout.write(o.json ? JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n' : formatResults(report));
      const incomplete = report.configurations.some((c) => c.missingFolds.length || c.folds.some((f) => f.status !== 'validated'));
      process.exitCode = report.configurations.length && !incomplete ? 0 : report.configurations.length ? 1 : 2;
    });
}
