/**
 * `bratslab splits DATASET_DIR`: writes nnU-Net's `splits_final.json` (its own default split, or a
 * patient-grouped one) where nnU-Net reads it, or audits an existing one with --check.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { sortFindings } from '../../shared/findings';
import {
  NNUNET_FOLDS,
  checkSplits,
  datasetCaseIds,
  groupedSplit,
  nnunetDefaultSplit,
  parsePatientsCsv,
  parseSplits,
  patientsFromRegex,
  type Fold,
  type PatientMap,
} from '../../splits';
import { nodeSource } from '../node-files';

interface Options {
  groups?: string;
  groupBy?: string;
  check?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

async function readPatients(opts: Options, ids: string[]): Promise<PatientMap | undefined> {
  if (opts.groups && opts.groupBy) throw new Error('use either --groups or --group-by, not both');
  if (opts.groups) {
    const text = await readFile(opts.groups, 'utf8').catch((e: Error) => {
      throw new Error(`${opts.groups}: cannot read (${e.message})`);
    });
    const map = parsePatientsCsv(text, opts.groups);
    const missing = ids.filter((id) => !map.has(id));
    if (missing.length > 0) {
      process.stderr.write(`note: ${missing.length} case(s) are not in ${opts.groups} and count as their own patient, e.g. ${missing.slice(0, 3).join(', ')}\n`);
    }
    return map;
  }
  if (opts.groupBy) return patientsFromRegex(ids, opts.groupBy);
  return undefined;
}

/** Cases of one patient validated while another of their cases trains, over all folds. */
function leakedPatients(folds: Fold[], patients: PatientMap): number {
  const leaked = new Set<string>();
  for (const f of folds) {
    const train = new Set(f.train.map((id) => patients.get(id) ?? id));
    for (const id of f.val) if (train.has(patients.get(id) ?? id)) leaked.add(patients.get(id) ?? id);
  }
  return leaked.size;
}

async function run(datasetDir: string, opts: Options): Promise<number> {
  const dir = resolve(datasetDir);
  if (!existsSync(dir)) throw new Error(`${datasetDir}: no such folder`);
  const ids = await datasetCaseIds(nodeSource(dir));
  const patients = await readPatients(opts, ids);

  if (opts.check) {
    const text = await readFile(opts.check, 'utf8').catch((e: Error) => {
      throw new Error(`${opts.check}: cannot read (${e.message})`);
    });
    const parsed = parseSplits(text, opts.check);
    const findings = sortFindings('finding' in parsed ? [parsed.finding] : checkSplits(parsed.folds, ids, patients, opts.check));
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ schemaVersion: 1, tool: 'bratslab splits --check', target: opts.check, cases: ids.length, findings }, null, 2)}\n`);
    } else {
      process.stdout.write(`Checked ${opts.check} against ${ids.length} cases of ${basename(dir)}${patients ? ' with patient groups' : ' (no patient groups given: leakage not checked)'}.\n`);
      for (const f of findings) process.stdout.write(`${f.severity.toUpperCase()} [${f.rule}] ${f.message}\n  fix: ${f.hint}\n`);
      if (findings.length === 0) process.stdout.write('No problems found.\n');
    }
    return errors > 0 ? 1 : 0;
  }

  const folds = patients ? groupedSplit(ids, patients) : nnunetDefaultSplit(ids);
  const preprocessed = process.env.nnUNet_preprocessed;
  const outDir = opts.out ? resolve(opts.out) : preprocessed ? join(resolve(preprocessed), basename(dir)) : null;
  if (!outDir) throw new Error('where should splits_final.json go? Set $nnUNet_preprocessed or pass --out DIR');
  const outFile = join(outDir, 'splits_final.json');
  if (existsSync(outFile) && !opts.force) {
    throw new Error(`${outFile} exists; nnU-Net reuses it for every fold of every configuration. Pass --force to replace it (and retrain the folds that used the old one)`);
  }
  await mkdir(outDir, { recursive: true });
  // nnU-Net writes the same shape with save_json (indent 4).
  await writeFile(outFile, `${JSON.stringify(folds, null, 4)}\n`);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, tool: 'bratslab splits', target: basename(dir), written: outFile, grouped: !!patients, folds }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`Wrote ${outFile}: ${NNUNET_FOLDS} folds over ${ids.length} cases, validation sizes ${folds.map((f) => f.val.length).join(', ')}.\n`);
  if (patients) {
    const n = new Set(ids.map((id) => patients.get(id) ?? id)).size;
    const leaks = leakedPatients(nnunetDefaultSplit(ids), patients);
    process.stdout.write(`Grouped by patient (${n} patients): no patient is on both sides of a fold. nnU-Net's default split would have put ${leaks} patient(s) on both sides.\n`);
  } else {
    process.stdout.write("This is nnU-Net's own default split (KFold, 5 folds, seed 12345); it ignores patients. Pass --groups or --group-by to keep each patient's scans in one fold.\n");
  }
  return 0;
}

export function register(program: Command): void {
  program
    .command('splits')
    .description("write nnU-Net's splits_final.json (its own 5-fold split, or grouped by patient), or audit one with --check")
    .argument('<dataset>', 'a DatasetXXX_Name folder in nnUNet_raw')
    .option('--groups <csv>', 'case id → patient id table (CSV: case,patient)')
    .option('--group-by <regex>', 'patient id = first capture group of this regular expression on the case id')
    .option('--check <file>', 'audit an existing splits_final.json instead of writing one')
    .option('--out <dir>', 'folder to write splits_final.json into (default: $nnUNet_preprocessed/<dataset folder name>)')
    .option('--force', 'replace an existing splits_final.json')
    .option('--json', 'print the result as JSON')
    .action(async (dataset: string, opts: Options) => {
      process.exitCode = await run(dataset, opts);
    });
}
