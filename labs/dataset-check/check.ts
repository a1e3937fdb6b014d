/**
 * The dataset check in three steps, so each platform can run the middle one in parallel:
 *
 * 1. `planCheck(source)`: lists the source once, finds the dataset(s), checks names and
 *    dataset.json, and returns the per-case tasks (plain data);
 * 2. `checkCase(source, task, ctx)` (case.ts) for every task, in workers or in-process;
 * 3. `finishCheck(plan, results)`: cross-case checks and the `CheckReport`.
 *
 * `checkDataset(source)` runs all three in-process (tests, small datasets, the browser fallback).
 */
import { basename, FileSourceError, readText, type FileEntry, type FileSource } from '../shared/files';
import { sortFindings, type Finding } from '../shared/findings';
import { makeCheckReport, type CheckReport } from '../shared/report';
import type { Codec } from '../nifti/index';
import { checkCase, type CaseContext, type CaseResult, type CheckMode } from './case';
import { crossCaseFindings } from './cross-case';
import { checkDatasetJson, KNOWN_ENDINGS } from './dataset-json';
import { checkNames, findDatasets, nonRegular, planDataset, type CaseTask, type DatasetPlan } from './layout';
import { finding } from './rules';
import { combineFingerprint, type Sampling } from '../planner/extract';
import type { Fingerprint } from '../planner/fingerprint';
import { groupBy } from './group';
import { detectLayout, type BratsLayout, type Edition } from '../convert/index';

export const TOOL = 'bratslab check';

export interface CheckOptions {
  /** 'full' reads every voxel (default); 'headers' reads names and headers only. */
  mode?: CheckMode;
  /** Make origin/direction/affine mismatches errors (nnU-Net: warnings). */
  geometryErrors?: boolean;
  /**
   * Also compute nnU-Net's dataset fingerprint on the full pass (labs/planner), put per dataset in
   * `details.datasetFingerprints`; 'numpy' draws the intensity samples exactly as nnU-Net does.
   */
  fingerprint?: Sampling;
}

/** The root cannot be checked at all (not readable, or no dataset in it): a usage problem, exit code 2. */
export class CheckInputError extends Error {
  constructor(
    message: string,
    /** Set when the root holds raw BraTS data instead: what the converter would find there. */
    readonly brats?: { edition: Edition; cases: number },
  ) {
    super(message);
    this.name = 'CheckInputError';
  }
}

const EDITION_NAMES: Record<Edition, string> = { brats2021: 'BraTS 2021', brats2023: 'BraTS 2023+' };

/** The error for a root without an nnU-Net dataset; raw BraTS data gets pointed to the converter. */
function noDataset(label: string, entries: readonly FileEntry[]): CheckInputError {
  let layout: BratsLayout | null = null;
  try {
    layout = detectLayout(entries);
  } catch {
    // Not BraTS either (or a BraTS folder the converter itself would refuse): the plain message.
  }
  if (layout && layout.cases.length > 0) {
    const edition = EDITION_NAMES[layout.edition];
    const n = layout.cases.length;
    return new CheckInputError(
      `${label}: this is raw ${edition} data (${n} ${n === 1 ? 'case' : 'cases'}), not an nnU-Net dataset: convert it first, with the converter of lesson 4 or \`bratslab convert ${label} nnUNet_raw --id 137 --name ${layout.edition === 'brats2021' ? 'BraTS2021' : 'BraTS2023'}\``,
      { edition: layout.edition, cases: n },
    );
  }
  return new CheckInputError(`${label}: no nnU-Net dataset found (expected dataset.json, imagesTr/ and labelsTr/, or DatasetXXX_Name folders inside an nnUNet_raw folder)`);
}

export interface CheckPlan {
  target: string;
  mode: CheckMode;
  datasets: DatasetPlan[];
  /** Findings from names, folders and dataset.json. */
  findings: Finding[];
  /** One entry per case, with the context its check needs; send both to a worker as they are. */
  tasks: { task: CaseTask; ctx: CaseContext }[];
  /** Entries listed (for the report). */
  entries: number;
}

function guessEnding(entries: FileEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const k = KNOWN_ENDINGS.find((x) => e.path.endsWith(x) && !(x === '.nii' && e.path.endsWith('.nii.gz')));
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '.nii.gz';
}

/** Step 1. Throws CheckInputError when the source cannot be listed or holds no dataset. */
export async function planCheck(source: FileSource, opts: CheckOptions = {}): Promise<CheckPlan> {
  const mode = opts.mode ?? 'full';
  let entries: FileEntry[];
  try {
    entries = await source.list();
  } catch (e) {
    throw new CheckInputError(`${source.label}: cannot list the folder (${e instanceof FileSourceError ? e.reason : (e as Error).message})`);
  }
  const roots = findDatasets(entries);
  if (!roots.length) throw noDataset(source.label, entries);
  const plan: CheckPlan = { target: source.label, mode, datasets: [], findings: [], tasks: [], entries: entries.length };
  const named = roots.map((root) => ({ root, name: root ? basename(root) : source.label }));
  plan.findings.push(...checkNames(named));

  for (const { root, name } of named) {
    const below = root ? entries.filter((e) => e.path.startsWith(root + '/')) : entries;
    const jsonPath = root ? `${root}/dataset.json` : 'dataset.json';
    const jsonEntry = below.find((e) => e.path === jsonPath);
    const fallback = guessEnding(below);
    let config;
    if (!jsonEntry) {
      plan.findings.push(finding('dataset.json-missing', { path: jsonPath, message: `${name}: dataset.json is missing; file names were checked against "${fallback}", the most common ending found.` }));
    } else if (!nonRegular(jsonEntry)) {
      try {
        const r = checkDatasetJson(await readText(source, jsonPath, 16 << 20), jsonPath, fallback);
        plan.findings.push(...r.findings);
        config = r.config;
      } catch (e) {
        plan.findings.push(finding('dataset.unreadable', { path: jsonPath, message: `${jsonPath}: cannot be read (${e instanceof FileSourceError ? e.reason : (e as Error).message}).` }));
      }
    }
    const { plan: dp, findings } = planDataset(root, name, below, config, fallback);
    plan.findings.push(...findings);
    plan.datasets.push(dp);
    const ending = config?.fileEnding ?? fallback;
    if (dp.cases.length && !dp.cases[0].nifti) {
      plan.findings.push(
        finding('dataset.format-unchecked', {
          path: root || undefined,
          message: `${name}: files are "${ending}"; names, folders and dataset.json were checked, but no voxels or headers were read: readability, shape, spacing, geometry, NaN/inf, label values, channel swaps and duplicates were NOT checked.`,
          evidence: { fileEnding: ending, cases: dp.cases.length },
        }),
      );
    }
    const ctx: CaseContext = {
      mode,
      allowed: config?.allowed ?? [],
      labelsKnown: config !== undefined && config.labels.length > 0,
      bratsScheme: config?.bratsScheme,
      channels: config?.channels ?? [],
      geometryErrors: opts.geometryErrors ?? false,
    };
    const trainWithLabel = dp.cases.filter((c) => c.split === 'train' && c.label && c.nifti).length;
    for (const task of dp.cases) {
      const fingerprint = opts.fingerprint && mode === 'full' && task.split === 'train' && task.label && task.nifti ? { cases: trainWithLabel, sampling: opts.fingerprint } : undefined;
      plan.tasks.push({ task, ctx: fingerprint ? { ...ctx, fingerprint } : ctx });
    }
  }
  return plan;
}

/** Step 3: cross-case checks over the results (in any order) and the report. */
export function finishCheck(plan: CheckPlan, results: CaseResult[], details: Record<string, unknown> = {}, now?: Date): CheckReport {
  const findings = [...plan.findings];
  const byDataset = groupBy(results, (r) => r.dataset);
  for (const dp of plan.datasets) {
    const rs = (byDataset.get(dp.root) ?? []).sort((a, b) => (a.split === b.split ? (a.id < b.id ? -1 : 1) : a.split === 'train' ? -1 : 1));
    for (const r of rs) findings.push(...r.findings);
    findings.push(...crossCaseFindings(dp, rs, plan.mode === 'full'));
  }
  const fingerprints: Record<string, Fingerprint> = {};
  for (const dp of plan.datasets) {
    const cases = (byDataset.get(dp.root) ?? []).filter((r) => r.plannerFingerprint).sort((a, b) => (a.id < b.id ? -1 : 1));
    // Only a complete fingerprint: a case that could not be read would shift the medians silently.
    const expected = dp.cases.filter((c) => c.split === 'train' && c.label && c.nifti).length;
    if (cases.length > 0 && cases.length === expected) {
      fingerprints[dp.name] = combineFingerprint(cases.map((r) => r.plannerFingerprint!), Math.max(...cases.map((r) => r.plannerFingerprint!.samples.length)));
    }
  }
  return makeCheckReport(
    TOOL,
    plan.target,
    sortFindings(findings),
    {
      ...(Object.keys(fingerprints).length ? { datasetFingerprints: fingerprints } : {}),
      mode: plan.mode,
      datasets: plan.datasets.map((d) => ({ name: d.name, root: d.root, cases: d.cases.filter((c) => c.split === 'train').length, testCases: d.cases.filter((c) => c.split === 'test').length, channels: d.config?.channels ?? [], fileEnding: d.config?.fileEnding })),
      casesChecked: results.length,
      voxels: results.reduce((s, r) => s + r.voxels, 0),
      entries: plan.entries,
      ...details,
    },
    now,
  );
}

export interface RunOptions extends CheckOptions {
  codec?: Codec;
  /** Cases checked at once in-process (default 2); workers replace this in the CLI and the browser. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** All three steps in-process. */
export async function checkDataset(source: FileSource, opts: RunOptions = {}): Promise<CheckReport> {
  const t0 = Date.now();
  const plan = await planCheck(source, opts);
  const results: CaseResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < plan.tasks.length) {
      const { task, ctx } = plan.tasks[next++];
      results.push(await checkCase(source, task, ctx, { codec: opts.codec }));
      opts.onProgress?.(results.length, plan.tasks.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  return finishCheck(plan, results, { seconds: (Date.now() - t0) / 1000 });
}
