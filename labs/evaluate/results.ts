/**
 * Reads an nnU-Net results folder (`nnUNet_results/DatasetXXX_Name`) the way nnU-Net lays it out
 * (nnunetv2/utilities/file_path_utilities.py: `{trainer}__{plans}__{configuration}/fold_{n}`;
 * nnUNetTrainer.py: `training_log_*.txt`, `checkpoint_final.pth` at the end of training,
 * `checkpoint_best.pth`, `checkpoint_latest.pth` every 50 epochs and removed at the end,
 * `validation/summary.json` from the final validation) and reports per fold, across folds, and
 * what to run next. The log diagnosis is labs/training-log's (parseLogs + diagnose).
 */
import { concatBytes, type FileEntry, type FileSource } from '../shared/files';
import type { Finding } from '../shared/findings';
import { diagnose } from '../training-log/diagnose';
import { MAX_LOG_BYTES, parseLogs } from '../training-log/parse';
import { datasetJsonRegions } from './regions';

export const FOLDS = [0, 1, 2, 3, 4] as const;

export type FoldStatus = 'validated' | 'finished' | 'stopped' | 'crashed-at-start' | 'no-log';

export interface FoldReport {
  fold: number | 'all';
  path: string;
  status: FoldStatus;
  /** One line a user reads first. */
  summary: string;
  logs: string[];
  epochs: number;
  lastEpoch: number | null;
  meanValidationDice: number | null;
  checkpoints: { final: boolean; best: boolean; latest: boolean };
  findings: Finding[];
  /** From validation/summary.json: Dice per region key and foreground_mean Dice (NaN when nnU-Net wrote NaN). */
  validation: { dice: Record<string, number>; foreground: number; cases: number } | null;
  /** A summary.json that could not be read, and why. */
  validationError?: string;
}

export interface CvStat {
  mean: number;
  /** Sample standard deviation over folds (n − 1); NaN with one fold. */
  sd: number;
  n: number;
}

export interface ConfigurationReport {
  folder: string;
  trainer: string;
  plans: string;
  configuration: string;
  folds: FoldReport[];
  missingFolds: number[];
  /** Mean ± sd over validated folds, per region key, and of foreground_mean. */
  cv: Record<string, CvStat>;
  foreground: CvStat | null;
  /** Region or label names by summary.json key, from the dataset.json nnU-Net copies into the folder. */
  names: Record<string, string>;
}

export interface ResultsReport {
  schemaVersion: 1;
  tool: 'bratslab results';
  dataset: string;
  datasetId: number | null;
  configurations: ConfigurationReport[];
  /** Folders that are not nnU-Net output folders (named, so nothing is silently skipped). */
  ignored: string[];
  next: string[];
}

const FOLDER = /^(.+?)__(.+)__([^_].*)$/;

/** Python-style JSON (nnU-Net writes NaN and Infinity as bare literals). */
export function parsePythonJson(text: string): unknown {
  return JSON.parse(text.replace(/(?<=[:\[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '"$1"'), (_k, v) =>
    v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v,
  );
}

async function readText(source: FileSource, path: string): Promise<string> {
  const reader = (await source.open(path)).getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return new TextDecoder().decode(concatBytes(chunks));
}

function stat(values: number[]): CvStat {
  const ok = values.filter((v) => !Number.isNaN(v));
  const n = ok.length;
  const mean = n ? ok.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

async function readFold(source: FileSource, dir: string, fold: number | 'all', files: FileEntry[]): Promise<FoldReport> {
  const inFold = files.filter((f) => f.path.startsWith(dir + '/'));
  const has = (name: string) => inFold.some((f) => f.path === `${dir}/${name}` && f.kind === 'file');
  // Larger files are not nnU-Net logs (a 1000-epoch log is about 0.4 MB): left unread (parse.ts's cap).
  const logFiles = inFold.filter((f) => f.kind === 'file' && /^training_log_.*\.txt$/.test(f.path.slice(dir.length + 1)));
  const logNames = logFiles.filter((f) => f.size <= MAX_LOG_BYTES).map((f) => f.path);
  const checkpoints = { final: has('checkpoint_final.pth'), best: has('checkpoint_best.pth'), latest: has('checkpoint_latest.pth') };
  const report: FoldReport = { fold, path: dir, status: 'no-log', summary: '', logs: logNames, epochs: 0, lastEpoch: null, meanValidationDice: null, checkpoints, findings: [], validation: null };
  let finished = checkpoints.final;
  if (logNames.length) {
    const texts = await Promise.all(logNames.map(async (p) => ({ name: p.slice(dir.length + 1), text: await readText(source, p) })));
    const curve = parseLogs(texts);
    report.findings = diagnose(curve).findings;
    report.epochs = curve.epochs.length;
    report.lastEpoch = curve.epochs.length ? curve.epochs[curve.epochs.length - 1].epoch : null;
    report.meanValidationDice = curve.meanValidationDice;
    finished ||= curve.finished === true;
  }
  if (has('validation/summary.json')) {
    try {
      const json = parsePythonJson(await readText(source, `${dir}/validation/summary.json`)) as {
        mean: Record<string, { Dice: number }>;
        foreground_mean: { Dice: number };
        metric_per_case: unknown[];
      };
      const dice: Record<string, number> = {};
      for (const [k, m] of Object.entries(json.mean)) dice[k] = m.Dice;
      report.validation = { dice, foreground: json.foreground_mean.Dice, cases: json.metric_per_case.length };
    } catch (e) {
      report.validationError = `validation/summary.json is not nnU-Net's summary: ${(e as Error).message}`;
    }
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const health = errors ? `, log diagnosis: ${errors} error${errors === 1 ? '' : 's'}` : '';
  if (report.validation) {
    report.status = 'validated';
    report.summary = `validated: foreground mean Dice ${report.validation.foreground.toFixed(4)} on ${report.validation.cases} cases${health}`;
  } else if (finished) {
    report.status = 'finished';
    report.summary = `training finished${report.lastEpoch !== null ? ` (epoch ${report.lastEpoch})` : ''}, no validation/summary.json${health}`;
  } else if (logNames.length && report.epochs === 0) {
    report.status = 'crashed-at-start';
    report.summary = 'crashed before the first epoch (the log ends after its header)';
  } else if (logNames.length) {
    report.status = 'stopped';
    report.summary = `stopped after epoch ${report.lastEpoch} without "Training done." (crashed, killed, or still running)${health}`;
  } else {
    report.summary = 'no training log in the folder';
  }
  return report;
}

/**
 * Reads a dataset folder of nnUNet_results from `source` (`root` = the DatasetXXX_Name folder's
 * path inside it, '' when the source is that folder).
 */
export async function readResults(source: FileSource, root?: string): Promise<ResultsReport> {
  const all = await source.list(root || undefined);
  if (root === undefined) {
    // A dropped DatasetXXX_Name folder arrives as its one top-level folder: look inside it.
    const tops = [...new Set(all.map((e) => e.path.split('/')[0]))];
    root = tops.length === 1 && !FOLDER.test(tops[0]) && all.some((e) => e.path === tops[0] && e.kind === 'folder') ? tops[0] : '';
  }
  const prefix = root ? root.replace(/\/$/, '') + '/' : '';
  const entries = all.filter((e) => e.path.startsWith(prefix));
  const rel = (p: string) => p.slice(prefix.length);
  const dataset = (root || source.label).split('/').filter(Boolean).pop() ?? source.label;
  const idMatch = /^Dataset(\d{3,})_/.exec(dataset);
  const datasetId = idMatch ? Number(idMatch[1]) : null;
  const top = [...new Set(entries.map((e) => rel(e.path).split('/')[0]).filter((n) => n && entries.some((e) => rel(e.path) === n && e.kind === 'folder')))].sort();
  const configurations: ConfigurationReport[] = [];
  const ignored: string[] = [];
  for (const folder of top) {
    const m = FOLDER.exec(folder);
    if (!m) {
      // nnU-Net's own extra folders (crossval_results_folds_*, ensembles) are not trainings.
      ignored.push(folder);
      continue;
    }
    const [, trainer, plans, configuration] = m;
    const foldDirs = entries.filter((e) => e.kind === 'folder' && /^fold_(\d+|all)$/.test(rel(e.path).slice(folder.length + 1)) && rel(e.path).startsWith(folder + '/'));
    const folds: FoldReport[] = [];
    for (const d of foldDirs.sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const name = rel(d.path).slice(folder.length + 1).slice(5);
      folds.push(await readFold(source, d.path, name === 'all' ? 'all' : Number(name), entries));
    }
    folds.sort((a, b) => (a.fold === 'all' ? 99 : a.fold) - (b.fold === 'all' ? 99 : b.fold));
    const present = new Set(folds.map((f) => f.fold));
    const validated = folds.filter((f) => f.validation && f.fold !== 'all');
    const keys = [...new Set(validated.flatMap((f) => Object.keys(f.validation!.dice)))];
    const cv: Record<string, CvStat> = {};
    for (const k of keys) cv[k] = stat(validated.map((f) => f.validation!.dice[k] ?? NaN));
    const names: Record<string, string> = {};
    const datasetJson = `${prefix}${folder}/dataset.json`;
    if (entries.some((e) => e.path === datasetJson && e.kind === 'file')) {
      try {
        const set = datasetJsonRegions(JSON.parse(await readText(source, datasetJson)));
        for (const r of set.regions) names[r.key] = r.name;
      } catch {
        // Names are a convenience: an unreadable dataset.json leaves the keys as they are.
      }
    }
    configurations.push({
      folder,
      names,
      trainer,
      plans,
      configuration,
      folds,
      missingFolds: FOLDS.filter((f) => !present.has(f)),
      cv,
      foreground: validated.length ? stat(validated.map((f) => f.validation!.foreground)) : null,
    });
  }
  return { schemaVersion: 1, tool: 'bratslab results', dataset, datasetId, configurations, ignored, next: nextCommands(datasetId ?? dataset, configurations) };
}

/** What to run next, in nnU-Net's own commands (nnunetv2/run/run_training.py, evaluation/find_best_configuration.py). */
export function nextCommands(dataset: number | string, configurations: ConfigurationReport[]): string[] {
  const out: string[] = [];
  for (const c of configurations) {
    const flags = `${c.trainer === 'nnUNetTrainer' ? '' : ` -tr ${c.trainer}`}${c.plans === 'nnUNetPlans' ? '' : ` -p ${c.plans}`}`;
    const train = (fold: number | 'all', extra = '') => `nnUNetv2_train ${dataset} ${c.configuration} ${fold}${flags}${extra}`;
    for (const f of c.folds) {
      if (f.status === 'stopped' || f.status === 'crashed-at-start')
        out.push(f.checkpoints.latest || f.checkpoints.final ? train(f.fold, ' --c') : train(f.fold));
      else if (f.status === 'finished') out.push(train(f.fold, ' --val'));
    }
    for (const f of c.missingFolds) out.push(train(f));
  }
  const complete = configurations.filter((c) => FOLDS.every((f) => c.folds.some((x) => x.fold === f && x.status === 'validated')));
  if (complete.length) {
    const trainers = [...new Set(complete.map((c) => c.trainer))];
    const plans = [...new Set(complete.map((c) => c.plans))];
    const cfgs = [...new Set(complete.map((c) => c.configuration))];
    out.push(
      `nnUNetv2_find_best_configuration ${dataset} -c ${cfgs.join(' ')}${trainers.join() === 'nnUNetTrainer' ? '' : ` -tr ${trainers.join(' ')}`}${plans.join() === 'nnUNetPlans' ? '' : ` -p ${plans.join(' ')}`}`,
    );
  }
  return out;
}

const pm = (s: CvStat | undefined) => (!s || !s.n ? '—' : `${s.mean.toFixed(4)} ± ${Number.isNaN(s.sd) ? '—' : s.sd.toFixed(4)} (${s.n})`);

/** The terminal rendering. */
export function formatResults(r: ResultsReport): string {
  const lines = [`${r.dataset}: ${r.configurations.length} trained configuration${r.configurations.length === 1 ? '' : 's'}`];
  for (const c of r.configurations) {
    lines.push('', `${c.folder}`);
    for (const f of c.folds) {
      const ck = [f.checkpoints.final && 'final', f.checkpoints.best && 'best', f.checkpoints.latest && 'latest'].filter(Boolean).join(', ') || 'none';
      lines.push(`  fold_${f.fold}: ${f.summary}; checkpoints: ${ck}`);
      for (const x of f.findings.filter((x) => x.severity !== 'info')) lines.push(`    ${x.severity.toUpperCase().padEnd(7)} ${x.rule}: ${x.message}`);
      if (f.validationError) lines.push(`    ERROR   ${f.validationError}`);
    }
    if (c.missingFolds.length) lines.push(`  missing: ${c.missingFolds.map((f) => `fold_${f}`).join(', ')}`);
    const keys = Object.keys(c.cv);
    if (keys.length) {
      lines.push('  cross-validation (Dice, mean ± sd over folds, number of folds):');
      const w = Math.max(...keys.map((k) => k.length), 'foreground mean'.length);
      for (const k of keys) lines.push(`    ${k.padEnd(w)}  ${pm(c.cv[k])}${c.names[k] ? `  ${c.names[k]}` : ''}`);
      lines.push(`    ${'foreground mean'.padEnd(w)}  ${pm(c.foreground ?? undefined)}`);
    }
  }
  if (r.ignored.length) lines.push('', `not nnU-Net training folders: ${r.ignored.join(', ')}`);
  if (r.next.length) lines.push('', 'next:', ...r.next.map((n) => `  ${n}`));
  return lines.join('\n') + '\n';
}
