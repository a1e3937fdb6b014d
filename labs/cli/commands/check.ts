/**
 * `bratslab check DATASET_DIR`: the dataset validator (labs/dataset-check) on a local folder.
 * Exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable root.
 */
import { stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CheckInputError, formatReport } from '../../dataset-check/index';
import { runCheck, serveCheckWorker, WORKER_ARG } from '../check-runner';
import { progressLine } from '../progress';

/** Writes the one dataset's fingerprint the check computed, and keeps it out of the printed report. */
async function writeFingerprint(file: string, details: Record<string, unknown> | undefined): Promise<void> {
  const all = (details?.datasetFingerprints ?? {}) as Record<string, unknown>;
  if (details) delete details.datasetFingerprints;
  const names = Object.keys(all);
  if (names.length !== 1) {
    process.stderr.write(`bratslab check: no fingerprint written to ${file}: ${names.length === 0 ? 'a training case could not be read completely, or there is none' : `${names.length} datasets (${names.join(', ')}); check one at a time`}\n`);
    return;
  }
  await writeFile(file, `${JSON.stringify(all[names[0]], null, 4)}\n`);
  process.stderr.write(`wrote ${file} (dataset fingerprint of ${names[0]}); plan with: bratslab plan --fingerprint ${file} --dataset-json DATASET/dataset.json\n`);
}

export function register(program: Command): void {
  program
    .command(WORKER_ARG, { hidden: true })
    .description('internal: a worker thread of bratslab check')
    .action(() => serveCheckWorker());

  program
    .command('check')
    .description('Check an nnU-Net raw dataset (DatasetXXX_Name folder, or an nnUNet_raw folder holding several) for everything nnU-Net would stop on, and more.')
    .argument('<dataset_dir>', 'DatasetXXX_Name folder, nnUNet_raw folder, or a .zip of either (read in place)')
    .option('--headers', 'names and headers only (fast); the default reads every voxel')
    .option('--json', 'print the JSON report on stdout')
    .option('--geometry-errors', 'report origin/direction/affine mismatches as errors (nnU-Net: warnings)')
    .option('-j, --jobs <n>', 'worker threads (default: number of cores)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new CheckInputError(`--jobs must be a whole number ≥ 0, got "${v}"`);
      return n;
    })
    .option('--no-progress', 'no progress bar')
    .option('--fingerprint <file>', "also write nnU-Net's dataset_fingerprint.json, computed on the same full pass (what bratslab plan --fingerprint reads)")
    .action(async (dir: string, o: { headers?: boolean; json?: boolean; geometryErrors?: boolean; jobs?: number; progress: boolean; fingerprint?: string }) => {
      if (o.fingerprint && o.headers) {
        process.stderr.write('bratslab check: --fingerprint needs the full pass (drop --headers)\n');
        process.exitCode = 2;
        return;
      }
      const st = await stat(dir).catch(() => undefined);
      const isZip = !!st?.isFile() && /\.zip$/i.test(dir);
      if (!st?.isDirectory() && !isZip) {
        process.stderr.write(`bratslab check: ${dir}: ${st ? 'neither a folder nor a .zip file' : 'no such folder or file'}\n`);
        process.exitCode = 2;
        return;
      }
      const bar = o.progress && process.stderr.isTTY ? progressLine(process.stderr) : undefined;
      try {
        const report = await runCheck(dir, { mode: o.headers ? 'headers' : 'full', geometryErrors: o.geometryErrors, jobs: o.jobs, onProgress: bar?.update, fingerprint: o.fingerprint ? 'expected' : undefined });
        bar?.end();
        if (o.fingerprint) await writeFingerprint(o.fingerprint, report.details);
        process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report, { color: process.stdout.isTTY }));
        process.exitCode = report.summary.error > 0 ? 1 : 0;
      } catch (e) {
        bar?.end();
        if (!(e instanceof CheckInputError)) throw e;
        process.stderr.write(`bratslab check: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
}
