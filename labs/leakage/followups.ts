/**
 * The nnU-Net angle: nnU-Net's default split looks only at case ids (`crossval_split.py`: sorted
 * ids, KFold(5, shuffle=True, random_state=12345)), so two scans of one patient can fall on both
 * sides of a fold (MIC-DKFZ/nnUNet#1871). The split itself, the patient-grouped fix and the audit
 * come from labs/splits (the code behind `bratslab splits`); this file only makes a dataset with
 * follow-up scans and summarises where its patients land.
 */
import type { Rng } from '../shared/prng';
import { checkSplits, groupedSplit, nnunetDefaultSplit, type Fold } from '../splits';

export interface FollowUpCase {
  caseId: string;
  patient: string;
}

/**
 * Cases named the way the project's generated datasets name follow-ups (`P0042_s1`, `P0042_s2`;
 * patients.csv maps case → patient). About a third of the patients get a second scan, a third of
 * those a third one.
 */
export function followUpCases(patients: number, rng: Rng): FollowUpCase[] {
  if (!Number.isInteger(patients) || patients < 5 || patients > 9999) {
    throw new RangeError(`followUpCases: patients must be a whole number from 5 to 9999, got ${patients}`);
  }
  const out: FollowUpCase[] = [];
  for (let p = 1; p <= patients; p++) {
    const patient = `P${String(p).padStart(4, '0')}`;
    const scans = rng.chance(1 / 3) ? (rng.chance(1 / 3) ? 3 : 2) : 1;
    for (let s = 1; s <= scans; s++) out.push({ caseId: `${patient}_s${s}`, patient });
  }
  return out;
}

export interface FoldLeak {
  fold: number;
  val: string[];
  /** Patients with scans in this fold's validation set and in its training set. */
  leakedPatients: string[];
  /** Validation cases whose patient also has a scan in training. */
  leakedCases: string[];
}

export interface SplitComparison {
  cases: FollowUpCase[];
  nnunet: FoldLeak[];
  grouped: FoldLeak[];
}

function leaks(folds: readonly Fold[], cases: readonly FollowUpCase[], patientOf: Map<string, string>): FoldLeak[] {
  const perFold = new Map<number, Set<string>>();
  for (const f of checkSplits(folds, cases.map((c) => c.caseId), patientOf)) {
    if (f.rule !== 'splits.patient-leak') continue;
    const ev = f.evidence as { fold: number; patients: { patient: string }[] };
    perFold.set(ev.fold, new Set(ev.patients.map((p) => p.patient)));
  }
  return folds.map((fold, i) => {
    const leaked = perFold.get(i) ?? new Set<string>();
    return {
      fold: i,
      val: fold.val,
      leakedPatients: [...leaked].sort(),
      leakedCases: fold.val.filter((c) => leaked.has(patientOf.get(c)!)),
    };
  });
}

/** nnU-Net's default split of a follow-up dataset next to the patient-grouped split `bratslab splits --groups` writes. */
export function compareSplits(patients: number, rng: Rng): SplitComparison {
  const cases = followUpCases(patients, rng);
  const patientOf = new Map(cases.map((c) => [c.caseId, c.patient]));
  const ids = cases.map((c) => c.caseId);
  return {
    cases,
    nnunet: leaks(nnunetDefaultSplit(ids), cases, patientOf),
    grouped: leaks(groupedSplit(ids, patientOf), cases, patientOf),
  };
}
