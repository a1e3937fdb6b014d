/**
 * `bratslab convert BRATS_DIR NNUNET_RAW_DIR`: BraTS 2021 or 2023+ → nnU-Net raw dataset
 * (labs/convert), then the validator on the result.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ConvertError, convertBrats, type ConvertReport, type TargetScheme } from '../../convert';
import { formatReport } from '../../dataset-check/index';
import { sortFindings } from '../../shared/findings';
import type { CheckReport } from '../../shared/report';
import { runCheck } from '../check-runner';
import { nodeCodec } from '../node-codec';
import { nodeSink, nodeSource } from '../node-files';

interface Options {
  id: number;
  name: string;
  scheme: TargetScheme;
  regions?: boolean;
  link?: boolean;
  force?: boolean;
  json?: boolean;
}

function datasetId(raw: string): number {
  if (!/^\d{1,3}$/.test(raw.trim())) throw new InvalidArgumentError(`--id takes a number from 11 to 999, got "${raw}"`);
  return Number(raw);
}

function printReport(r: ConvertReport, target: string): void {
  const out: string[] = [];
  out.push(
    `Converted ${r.edition === 'brats2021' ? 'BraTS 2021' : 'BraTS 2023+'} into ${target}: ${r.training.length} training case(s) (imagesTr + labelsTr), ${r.test.length} without labels (imagesTs), ${r.skipped.length} skipped.`,
    `Images: ${r.images.linked} hard-linked, ${r.images.copied} copied. Labels: scheme "${r.scheme}"${r.regions ? ' with WT/TC/ET regions' : ''}.`,
    `Label voxels before: ${Object.entries(r.labelCounts.raw).map(([v, n]) => `${v}: ${n}`).join(', ') || 'none'}`,
    `Label voxels after:  ${Object.entries(r.labelCounts.written).map(([v, n]) => `${v}: ${n}`).join(', ') || 'none'}`,
  );
  for (const f of sortFindings(r.findings)) out.push(`${f.severity.toUpperCase()} [${f.rule}] ${f.message}\n  fix: ${f.hint}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function run(bratsDir: string, rawDir: string, opts: Options): Promise<number> {
  if (!existsSync(bratsDir) || !statSync(bratsDir).isDirectory()) throw new Error(`${bratsDir}: no such folder`);
  const source = nodeSource(bratsDir);
  const sink = nodeSink(rawDir);
  const tty = process.stderr.isTTY && !opts.json;
  let report: ConvertReport;
  try {
    report = await convertBrats(source, sink, {
      id: opts.id,
      name: opts.name,
      scheme: opts.scheme,
      regions: !!opts.regions,
      link: !!opts.link,
      force: !!opts.force,
      codec: nodeCodec,
      concurrency: 2,
      onProgress: tty ? (done, total, id) => process.stderr.write(`\r${done}/${total} ${id}`.padEnd(60)) : undefined,
    });
  } catch (e) {
    if (e instanceof ConvertError) throw new Error(e.message);
    throw e;
  }
  if (tty) process.stderr.write('\n');
  const target = resolve(rawDir, report.dataset);
  // The converter's own output goes through the validator, as a user's dataset would.
  let check: CheckReport | undefined;
  if (report.training.length + report.test.length > 0) {
    check = await runCheck(target, { onProgress: tty ? (done, total) => process.stderr.write(`\rchecking ${done}/${total}`.padEnd(40)) : undefined });
    if (tty) process.stderr.write('\n');
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, check }, null, 2)}\n`);
  else {
    printReport(report, target);
    if (check) process.stdout.write(`\nValidator on the result:\n${formatReport(check, { color: process.stdout.isTTY })}`);
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length + (check?.summary.error ?? 0);
  return errors > 0 ? 1 : 0;
}

export function register(program: Command): void {
  program
    .command('convert')
    .description('convert BraTS 2021 (t1/t1ce/t2/flair) or 2023+ (t1n/t1c/t2w/t2f) case folders into an nnU-Net raw dataset')
    .argument('<brats-dir>', 'folder holding the BraTS case folders (training and/or validation data)')
    .argument('<nnunet-raw-dir>', 'your nnUNet_raw folder; DatasetXXX_Name is created inside it')
    .option('--id <n>', 'dataset id (001-010 are reserved for the Decathlon)', datasetId, 137)
    .option('--name <name>', 'dataset name', 'BraTS2021')
    .addOption(new Option('--scheme <scheme>', 'label values: nnU-Net Dataset137 (ED 1, NCR 2, ET 3) or keep (NCR 1, ED 2, ET 3)').choices(['nnunet137', 'keep']).default('nnunet137'))
    .option('--regions', 'declare WT/TC/ET regions with regions_class_order (region-based training, as Dataset137)')
    .option('--link', 'hard-link the images instead of copying them (same file system only; falls back to copying)')
    .option('--force', 'write into a non-empty dataset folder')
    .option('--json', 'print the conversion report as JSON')
    .action(async (brats: string, raw: string, opts: Options) => {
      process.exitCode = await run(brats, raw, opts);
    });
}
