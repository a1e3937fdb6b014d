/**
 * `bratslab log FILE…`: diagnoses nnU-Net training logs (several files of one fold are merged, a
 * resumed run's repeated epochs resolved). Prints the findings, or the JSON report with --json.
 * Exit 1 when the diagnosis has errors, 2 when a file cannot be read.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { readText } from '../../shared/files';
import { MAX_LOG_BYTES, parseLogs } from '../../training-log/parse';
import { formatLogReport, logReport } from '../../training-log/report';
import { nodeSource } from '../node-files';

interface Options {
  json?: boolean;
  classes?: string;
}

async function readLog(file: string): Promise<{ name: string; text: string }> {
  const abs = resolve(file);
  const name = basename(abs);
  try {
    return { name, text: await readText(nodeSource(dirname(abs)), name, MAX_LOG_BYTES) };
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message.replace(`${name}: `, '')})`);
  }
}

export function register(program: Command): void {
  program
    .command('log')
    .description('Diagnose nnU-Net training logs (training_log_*.txt; give all files of one fold to merge a resumed run).')
    .argument('<files...>', 'training_log_*.txt files of one fold')
    .option('--json', 'print the report as JSON')
    .option('--classes <names>', 'comma-separated class or region names for the messages, e.g. WT,TC,ET')
    .action(async (files: string[], opts: Options) => {
      const logs = await Promise.all(files.map(readLog));
      const curve = parseLogs(logs);
      const names = opts.classes ? opts.classes.split(',').map((s) => s.trim()) : [];
      const report = logReport(curve, logs.map((l) => l.name).join(', '), names);
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatLogReport(report)}\n`);
      if (report.summary.error > 0) process.exitCode = 1;
    });
}
