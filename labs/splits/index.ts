/**
 * Cross-validation splits for nnU-Net: its own default 5-fold split reproduced exactly, a
 * patient-grouped alternative, and an audit of an existing `splits_final.json`.
 *
 * nnU-Net's split (nnunetv2/utilities/crossval_split.py, `generate_crossval_split`): sort the case
 * identifiers (`np.sort`), run scikit-learn `KFold(n_splits=5, shuffle=True, random_state=12345)`,
 * store `[{ "train": [...], "val": [...] }, ...]`. The split is per case id, so follow-up scans of
 * one patient can sit in train and val of the same fold (MIC-DKFZ/nnUNet#1871); nnU-Net's answer is
 * a hand-written `splits_final.json` (documentation/manual_data_splits.md), which `groupedSplit`
 * writes.
 */
import { joinPath, readText, type FileSource } from '../shared/files';
import type { Finding } from '../shared/findings';
import { LegacyRandomState } from './random-state';

export { LegacyRandomState } from './random-state';

export interface Fold {
  train: string[];
  val: string[];
}

/** nnU-Net's fold count and seed (crossval_split.py defaults, used by nnUNetTrainer.do_split). */
export const NNUNET_FOLDS = 5;
export const NNUNET_SPLIT_SEED = 12345;

/** Code-point order, as `np.sort` orders unicode strings (JS `<` compares UTF-16 units instead). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export function sortIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareCodePoints);
}

/** KFold's fold sizes: `n // k` each, the first `n % k` folds one larger (sklearn `_iter_test_indices`). */
export function foldSizes(n: number, folds: number): number[] {
  return Array.from({ length: folds }, (_, i) => Math.floor(n / folds) + (i < n % folds ? 1 : 0));
}

function checkFoldCount(items: number, folds: number, what: string): void {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`the number of folds must be an integer of at least 2, got ${folds}`);
  // scikit-learn raises the same way: "Cannot have number of splits n_splits=5 greater than the number of samples".
  if (items < folds) throw new RangeError(`${folds} folds need at least ${folds} ${what}; found ${items}`);
}

/** The permutation `RandomState(seed).shuffle(np.arange(n))`. */
export function shuffledIndices(n: number, seed = NNUNET_SPLIT_SEED): number[] {
  return new LegacyRandomState(seed).shuffle(Array.from({ length: n }, (_, i) => i));
}

/**
 * nnU-Net's default split, exactly: the same folds, in the same order, with both lists sorted.
 * Duplicate ids are merged first, as nnU-Net's identifiers are unique.
 */
export function nnunetDefaultSplit(ids: Iterable<string>, folds = NNUNET_FOLDS, seed = NNUNET_SPLIT_SEED): Fold[] {
  const sorted = sortIds(ids);
  checkFoldCount(sorted.length, folds, 'cases');
  const perm = shuffledIndices(sorted.length, seed);
  const out: Fold[] = [];
  let start = 0;
  for (const size of foldSizes(sorted.length, folds)) {
    const inVal = new Set(perm.slice(start, start + size));
    start += size;
    // KFold returns both index lists ascending (BaseCrossValidator.split goes through boolean masks).
    out.push({
      train: sorted.filter((_, i) => !inVal.has(i)),
      val: sorted.filter((_, i) => inVal.has(i)),
    });
  }
  return out;
}

/** Maps case id → patient id. */
export type PatientMap = ReadonlyMap<string, string>;

/**
 * A split that keeps every patient's scans in one fold. Patients (sorted by id) are shuffled with
 * the same generator and seed as nnU-Net's split, then placed largest first into the fold that
 * holds the fewest cases so far (ties: the lower fold), so fold sizes stay balanced to within one
 * patient. Cases missing from `patients` count as their own patient.
 */
export function groupedSplit(ids: Iterable<string>, patients: PatientMap, folds = NNUNET_FOLDS, seed = NNUNET_SPLIT_SEED): Fold[] {
  const sorted = sortIds(ids);
  const byPatient = new Map<string, string[]>();
  for (const id of sorted) {
    const p = patients.get(id) ?? id;
    const list = byPatient.get(p);
    if (list) list.push(id);
    else byPatient.set(p, [id]);
  }
  const order = sortIds(byPatient.keys());
  checkFoldCount(order.length, folds, 'patients');
  new LegacyRandomState(seed).shuffle(order);
  // Array.prototype.sort is stable, so equal-sized patients keep their shuffled order.
  const bySize = order.map((p) => byPatient.get(p)!).sort((a, b) => b.length - a.length);
  const valSets: Set<string>[] = Array.from({ length: folds }, () => new Set());
  for (const cases of bySize) {
    let target = 0;
    for (let f = 1; f < folds; f++) if (valSets[f].size < valSets[target].size) target = f;
    for (const c of cases) valSets[target].add(c);
  }
  return valSets.map((val) => ({ train: sorted.filter((id) => !val.has(id)), val: sorted.filter((id) => val.has(id)) }));
}

/** Reads a case → patient table: CSV (or TSV) with the case id in the first column, the patient in the second; a header row is recognised and skipped. */
export function parsePatientsCsv(text: string, name = 'patients.csv'): Map<string, string> {
  const map = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const cells = line.split(line.includes('\t') && !line.includes(',') ? '\t' : ',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (i === 0 && /^(case|case_?id|identifier|id|subject)$/i.test(cells[0] ?? '')) return;
    if (cells.length < 2 || cells[0] === '' || cells[1] === '') {
      throw new Error(`${name}, line ${i + 1}: expected "case id,patient id", got "${line}"`);
    }
    const prev = map.get(cells[0]);
    if (prev !== undefined && prev !== cells[1]) {
      throw new Error(`${name}, line ${i + 1}: case "${cells[0]}" is given two patients ("${prev}" and "${cells[1]}")`);
    }
    map.set(cells[0], cells[1]);
  });
  return map;
}

/** Patient = the first capture group of `pattern` in the case id (the whole match when it has no group). */
export function patientsFromRegex(ids: Iterable<string>, pattern: string): Map<string, string> {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    throw new Error(`--group-by: not a valid regular expression: ${(e as Error).message}`);
  }
  const map = new Map<string, string>();
  const unmatched: string[] = [];
  for (const id of ids) {
    const m = re.exec(id);
    if (!m) unmatched.push(id);
    else map.set(id, m[1] ?? m[0]);
  }
  if (unmatched.length > 0) {
    throw new Error(`--group-by ${pattern}: ${unmatched.length} case id(s) do not match, e.g. ${unmatched.slice(0, 3).join(', ')}`);
  }
  return map;
}

const DOCS = '/weeks/week-06/11-data-leakage/';

function finding(rule: string, severity: Finding['severity'], message: string, hint: string, extra: Partial<Finding> = {}): Finding {
  return { rule, severity, message, hint, docs: DOCS, ...extra };
}

/** Parses and shape-checks a `splits_final.json` text; returns the folds or a finding. */
export function parseSplits(text: string, path = 'splits_final.json'): { folds: Fold[] } | { finding: Finding } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { finding: finding('splits.format', 'error', `${path} is not valid JSON: ${(e as Error).message}`, 'nnU-Net reads it with json.load: write plain JSON, a list of {"train": [...], "val": [...]} objects.', { path }) };
  }
  const bad = (why: string) => ({
    finding: finding('splits.format', 'error', `${path}: ${why}`, 'The file must be a JSON list with one {"train": [ids], "val": [ids]} object per fold (nnunetv2/utilities/crossval_split.py).', { path }),
  });
  if (!Array.isArray(raw) || raw.length === 0) return bad('expected a non-empty list of folds');
  const folds: Fold[] = [];
  for (const [i, f] of raw.entries()) {
    if (typeof f !== 'object' || f === null || !Array.isArray(f.train) || !Array.isArray(f.val)) return bad(`fold ${i} lacks a "train" or "val" list`);
    if (![...f.train, ...f.val].every((x: unknown) => typeof x === 'string')) return bad(`fold ${i} holds a non-string id`);
    folds.push({ train: f.train, val: f.val });
  }
  return { folds };
}

/**
 * Audits folds against the dataset's case ids (and patients, when known): unknown ids, a case in
 * train and val of one fold, a patient on both sides of one fold (leakage), dataset cases that no
 * fold validates, cases validated by more than one fold. nnU-Net itself only logs a warning for
 * unknown ids in some versions and checks nothing else.
 */
export function checkSplits(folds: readonly Fold[], ids: Iterable<string>, patients?: PatientMap, path = 'splits_final.json'): Finding[] {
  const known = new Set(ids);
  const out: Finding[] = [];
  const unknown = new Set<string>();
  const validatedBy = new Map<string, number[]>();
  folds.forEach((fold, i) => {
    for (const id of [...fold.train, ...fold.val]) if (!known.has(id)) unknown.add(id);
    const train = new Set(fold.train);
    const both = [...new Set(fold.val)].filter((id) => train.has(id));
    if (both.length > 0) {
      out.push(
        finding('splits.overlap', 'error', `Fold ${i}: ${both.length} case(s) are in both train and val, e.g. ${both.slice(0, 3).join(', ')}.`, 'A case must be in only one of the two lists of a fold, or its validation score measures memorisation.', {
          path,
          evidence: { fold: i, cases: both },
        }),
      );
    }
    if (patients) {
      const trainPatients = new Map<string, string>();
      for (const id of fold.train) trainPatients.set(patients.get(id) ?? id, id);
      const leaks: { patient: string; train: string; val: string }[] = [];
      const seen = new Set<string>();
      for (const id of fold.val) {
        const p = patients.get(id) ?? id;
        const t = trainPatients.get(p);
        if (t !== undefined && t !== id && !seen.has(p)) {
          seen.add(p);
          leaks.push({ patient: p, train: t, val: id });
        }
      }
      if (leaks.length > 0) {
        const e = leaks[0];
        out.push(
          finding(
            'splits.patient-leak',
            'error',
            `Fold ${i}: ${leaks.length} patient(s) have scans in both train and val, e.g. patient ${e.patient} (${e.train} in train, ${e.val} in val).`,
            'Keep all scans of a patient in one fold: write the split with `bratslab splits DATASET --groups patients.csv` (or --group-by REGEX).',
            { path, evidence: { fold: i, patients: leaks } },
          ),
        );
      }
    }
    for (const id of fold.val) validatedBy.set(id, [...(validatedBy.get(id) ?? []), i]);
  });
  if (unknown.size > 0) {
    const list = [...unknown];
    out.push(
      finding('splits.unknown-id', 'error', `${list.length} id(s) in the split are not cases of the dataset, e.g. ${list.slice(0, 3).join(', ')}.`, 'Regenerate the split after the dataset changed, or fix the ids (no file ending, no channel suffix).', {
        path,
        evidence: { ids: list },
      }),
    );
  }
  const never = [...known].filter((id) => !validatedBy.has(id));
  if (never.length > 0) {
    out.push(
      finding('splits.unvalidated', 'warning', `${never.length} case(s) are in no fold's validation set, e.g. ${never.slice(0, 3).join(', ')}.`, 'In k-fold cross-validation every case is validated exactly once; cases added after the split was written are never validated.', {
        path,
        evidence: { cases: never },
      }),
    );
  }
  const repeated = [...validatedBy].filter(([, f]) => f.length > 1);
  if (repeated.length > 0) {
    out.push(
      finding('splits.repeated-val', 'warning', `${repeated.length} case(s) are validated in more than one fold, e.g. ${repeated[0][0]} (folds ${repeated[0][1].join(', ')}).`, 'Validation sets of k-fold cross-validation should be disjoint.', {
        path,
        evidence: { cases: Object.fromEntries(repeated) },
      }),
    );
  }
  return out;
}

/**
 * The case identifiers nnU-Net derives for a raw dataset folder (`root` inside `source`): the
 * keys of dataset.json's `dataset` list when present, else every top-level regular file in
 * `imagesTr` ending in `file_ending` minus that ending and the 5-character `_XXXX` suffix
 * (nnunetv2/utilities/utils.py, `get_identifiers_from_splitted_dataset_folder`).
 */
export async function datasetCaseIds(source: FileSource, root = ''): Promise<string[]> {
  const jsonPath = joinPath(root, 'dataset.json');
  let meta: { file_ending?: unknown; dataset?: unknown };
  try {
    meta = JSON.parse(await readText(source, jsonPath, 16 * 1024 * 1024));
  } catch (e) {
    throw new Error(`${jsonPath}: cannot read the case list (${(e as Error).message}); run \`bratslab check\` on the dataset first`);
  }
  if (meta.dataset && typeof meta.dataset === 'object') return sortIds(Object.keys(meta.dataset));
  const ending = meta.file_ending;
  if (typeof ending !== 'string' || !ending.startsWith('.')) throw new Error(`${jsonPath}: "file_ending" must be a string starting with a dot`);
  const folder = joinPath(root, 'imagesTr');
  const entries = await source.list(folder);
  const ids = entries
    .filter((e) => e.kind === 'file' && e.path.slice(folder.length + 1).indexOf('/') < 0 && e.path.endsWith(ending))
    .map((e) => e.path.slice(folder.length + 1, e.path.length - ending.length - 5));
  if (ids.length === 0) throw new Error(`${folder}: no images ending in "${ending}"`);
  return sortIds(ids);
}
