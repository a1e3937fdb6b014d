/**
 * `bratslab log FILE…`: diagnoses nnU-Net training logs (several files of one fold are merged: a
 * restart supersedes the earlier epochs from where it began, crashed starts and duplicate files
 * are reported). Files are streamed, so a log of any size is read in bounded memory. Class names
 * come from --classes, --dataset-json, or the dataset.json next to the logs (the fold folder or
 * the folder above it, where nnU-Net keeps it). Prints the findings, or the JSON report with --json.
 * Exit 1 when the diagnosis has errors, 2 when a file cannot be read.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { readText } from '../../shared/files';
import { classesFromDatasetJson, isBratsRegionRun, type ClassInfo } from '../../training-log/classes';
import type { Curve } from '../../training-log/curve';
import { mergeLogs, readLogStream, type ParsedFile } from '../../training-log/parse';
import { formatLogReport, logReport } from '../../training-log/report';
import { nodeSource } from '../node-files';

interface Options {
  json?: boolean;
  classes?: string;
  datasetJson?: string;
}

async function readLog(file: string): Promise<ParsedFile> {
  const abs = resolve(file);
  const name = basename(abs);
  try {
    return await readLogStream(await nodeSource(dirname(abs)).open(name), name);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message.replace(`${name}: `, '')})`);
  }
}

/** dataset.json given, or found next to the first log or one folder up; null when there is none. */
async function findDatasetJson(files: string[], given?: string): Promise<{ path: string; info: ClassInfo | null } | null> {
  const candidates = given ? [resolve(given)] : [...new Set(files.flatMap((f) => [resolve(dirname(resolve(f)), 'dataset.json'), resolve(dirname(resolve(f)), '..', 'dataset.json')]))];
  for (const path of candidates) {
    let text: string;
    try {
      text = await readText(nodeSource(dirname(path)), 'dataset.json', 1024 * 1024);
    } catch (e) {
      if (given) throw new Error(`${given}: cannot read (${(e as Error).message.replace('dataset.json: ', '')})`);
      continue;
    }
    try {
      return { path, info: classesFromDatasetJson(JSON.parse(text)) };
    } catch (e) {
      process.stderr.write(`${path}: not valid JSON (${(e as Error).message}); class names not taken from it\n`);
      return { path, info: null };
    }
  }
  return null;
}

/** The class names for the messages and where they came from, with a note when they do not fit. */
async function classNames(curve: Curve, files: string[], opts: Options): Promise<{ names: string[]; from?: string; info: Partial<ClassInfo> }> {
  if (opts.classes) {
    const names = opts.classes.split(',').map((s) => s.trim());
    return { names, from: '--classes', info: { names } };
  }
  const found = await findDatasetJson(files, opts.datasetJson);
  if (!found?.info) return { names: [], info: {} };
  if (curve.classes > 0 && found.info.names.length !== curve.classes) {
    process.stderr.write(`${found.path}: ${found.info.names.length} foreground classes, but the log prints ${curve.classes} pseudo Dice values; its names are not used\n`);
    return { names: [], info: {} };
  }
  return { names: found.info.names, from: opts.datasetJson ?? relative(process.cwd(), found.path), info: found.info };
}

export function register(program: Command): void {
  program
    .command('log')
    .description('Diagnose nnU-Net training logs (training_log_*.txt; give all files of one fold to merge restarts).')
    .argument('<files...>', 'training_log_*.txt files of one fold (UTF-8 or UTF-16; pasted copies are fine)')
    .option('--json', 'print the report as JSON')
    .option('--classes <names>', 'comma-separated class or region names for the messages, e.g. WT,TC,ET')
    .option('--dataset-json <path>', "the run's dataset.json, for class names (default: next to the logs, or one folder up)")
    .action(async (files: string[], opts: Options) => {
      const parts = await Promise.all(files.map(readLog));
      const curve = mergeLogs(parts);
      const { names, from, info } = await classNames(curve, files, opts);
      const report = logReport(curve, parts.map((p) => p.files[0]).join(', '), names, undefined, {
        classNamesFrom: from,
        bratsRegions: isBratsRegionRun(curve, info),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatLogReport(report)}\n`);
      if (report.summary.error > 0) process.exitCode = 1;
    });
}
