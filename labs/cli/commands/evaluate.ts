/**
 * `bratslab evaluate PRED_DIR GT_DIR`: nnU-Net's metrics and the BraTS 2023 lesion-wise metrics
 * (labs/evaluate) of every prediction against the reference of the same file name, pairs in
 * worker threads. Exit codes: 0 every pair evaluated, 1 problems (unmatched files, mismatched
 * grids, labels outside the scheme; the other pairs are still evaluated), 2 usage error or an
 * unreadable folder.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  EvaluateError,
  buildReport,
  datasetJsonRegions,
  formatReport,
  nnunetSummary,
  nnunetSummaryJson,
  pairFiles,
  parseRegions,
  reportCsv,
  reportJson,
  SEG_ENDING,
  toNnunetCases,
  type MetricSet,
  type Problem,
  type RegionSet,
} from '../../evaluate/index';
import { EVALUATE_WORKER_ARG, runPairs, serveEvaluateWorker, type PairJob } from '../evaluate-runner';
import { progressLine } from '../progress';

interface Options {
  regions?: string;
  datasetJson?: string;
  metrics: string;
  json?: boolean;
  csv?: string;
  summary?: string;
  jobs?: number;
  progress: boolean;
}

async function segmentations(dir: string): Promise<string[]> {
  const names = await readdir(dir, { withFileTypes: true });
  return names.filter((d) => (d.isFile() || d.isSymbolicLink()) && SEG_ENDING.test(d.name) && !d.name.startsWith('.')).map((d) => join(dir, d.name));
}

/** --regions, else --dataset-json, else the dataset.json next to the references (labelsTr/..), else "keep". */
async function chooseRegions(gtDir: string, o: Options): Promise<RegionSet> {
  if (o.regions) return parseRegions(o.regions);
  const candidates = o.datasetJson ? [o.datasetJson] : [join(gtDir, 'dataset.json'), join(dirname(resolve(gtDir)), 'dataset.json')];
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) {
      if (o.datasetJson) throw new EvaluateError('usage', `--dataset-json ${file}: cannot read it`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new EvaluateError('usage', `${file}: not valid JSON (${(e as Error).message})`);
    }
    return datasetJsonRegions(json, file);
  }
  return parseRegions('keep');
}

function parseMetrics(text: string): MetricSet[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((p) => p !== 'nnunet' && p !== 'brats');
  if (bad.length || !parts.length) throw new EvaluateError('usage', `--metrics: expected nnunet, brats or nnunet,brats, got "${text}"`);
  return [...new Set(parts)] as MetricSet[];
}

export function register(program: Command): void {
  program
    .command(EVALUATE_WORKER_ARG, { hidden: true })
    .description('internal: a worker thread of bratslab evaluate')
    .action(() => serveEvaluateWorker());

  program
    .command('evaluate')
    .description("Score predictions against references: nnU-Net's Dice/IoU/TP/FP/FN/TN per region and the BraTS 2023 lesion-wise Dice and HD95.")
    .argument('<pred_dir>', 'folder of predicted segmentations (.nii.gz or .nii)')
    .argument('<gt_dir>', 'folder of reference segmentations with the same file names (e.g. labelsTr)')
    .option('--regions <spec>', 'keep | nnunet137 | brats2023 | brats2021 | "labels:1,2,3" | "WT=1,2,3;TC=1,3;ET=3" (default: dataset.json beside gt_dir, else keep)')
    .option('--dataset-json <file>', "take the regions or labels from this nnU-Net dataset.json (what nnU-Net's own evaluation scores)")
    .option('--metrics <list>', 'nnunet, brats or both', 'nnunet,brats')
    .option('--json', 'print the JSON report on stdout')
    .option('--csv <file>', 'write one CSV row per case and region')
    .option('--summary <file>', "write nnU-Net's summary.json (its keys and format) for the nnU-Net metrics")
    .option('-j, --jobs <n>', 'worker threads (default: number of cores)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new EvaluateError('usage', `--jobs must be a whole number ≥ 0, got "${v}"`);
      return n;
    })
    .option('--no-progress', 'no progress bar')
    .action(async (predDir: string, gtDir: string, o: Options) => {
      const fail = (msg: string) => {
        process.stderr.write(`bratslab evaluate: ${msg}\n`);
        process.exitCode = 2;
      };
      for (const dir of [predDir, gtDir]) {
        const st = await stat(dir).catch(() => undefined);
        if (!st?.isDirectory()) return fail(`${dir}: ${st ? 'not a folder' : 'no such folder'}`);
      }
      let set: RegionSet;
      let metrics: MetricSet[];
      try {
        set = await chooseRegions(gtDir, o);
        metrics = parseMetrics(o.metrics);
        if (o.summary && !metrics.includes('nnunet')) throw new EvaluateError('usage', '--summary needs the nnunet metrics');
      } catch (e) {
        if (e instanceof EvaluateError) return fail(e.message);
        throw e;
      }
      const pairing = pairFiles(await segmentations(predDir), await segmentations(gtDir));
      const problems: Problem[] = [
        ...pairing.predictionOnly.map((p) => ({ code: 'unmatched' as const, message: `${p}: no reference of the same name in ${gtDir}`, files: [p] })),
        ...pairing.referenceOnly.map((r) => ({ code: 'unmatched' as const, message: `${r}: no prediction of the same name in ${predDir}`, files: [r] })),
      ];
      if (!pairing.pairs.length) {
        for (const p of problems) process.stderr.write(`bratslab evaluate: ${p.message}\n`);
        return fail(`no prediction in ${predDir} has a reference of the same name in ${gtDir}`);
      }
      const jobs: PairJob[] = pairing.pairs.map((p, i) => ({ i, ...p, set, opts: { metrics } }));
      const bar = o.progress && process.stderr.isTTY ? progressLine(process.stderr, 'pairs') : undefined;
      const { results, problems: pairProblems } = await runPairs(jobs, { jobs: o.jobs, onProgress: bar?.update }).finally(() => bar?.end());
      problems.push(...pairProblems);
      const report = buildReport({ prediction: predDir, reference: gtDir, regions: set, metrics, cases: results, problems });
      if (o.csv) await writeFile(o.csv, reportCsv(report));
      if (o.summary) await writeFile(o.summary, nnunetSummaryJson(nnunetSummary(toNnunetCases(report.cases), set.regions)));
      process.stdout.write(o.json ? reportJson(report) : formatReport(report));
      process.exitCode = problems.length ? 1 : 0;
    });
}
