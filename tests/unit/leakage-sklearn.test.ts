/**
 * The leakage core checked against scikit-learn (Debian python3-sklearn): the same features,
 * labels and folds go to KNeighborsClassifier, LogisticRegression and NearestNeighbors; fold sizes
 * go to KFold/GroupKFold; the follow-up case ids go to nnU-Net's KFold(5, shuffle=True, random_state=12345).
 * Skips on a machine without scikit-learn, fails under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { requirePython } from '../helpers/python';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../labs/shared/prng';
import {
  DEFAULT_OPTIONS,
  compareSplits,
  kFoldAssignment,
  makeDataset,
  makeLabels,
  runExperiment,
  type LeakageOptions,
} from '../../labs/leakage';

const python = requirePython('sklearn, numpy', 'python3-sklearn');

const SCRIPT = String.raw`
import json, sys
import numpy as np
from sklearn.model_selection import KFold, GroupKFold
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.linear_model import LogisticRegression

job = json.load(sys.stdin)
out = {"runs": [], "kfold": [], "groupkfold": []}
for run in job["runs"]:
    X = np.array(run["x"]); y = np.array(run["y"]); subj = np.array(run["subjectOf"])
    res = {}
    for split, fold_of in run["folds"].items():
        fold_of = np.array(fold_of)
        accs = []; same = []
        for f in range(fold_of.max() + 1):
            tr = fold_of != f; te = fold_of == f
            if run["classifier"] == "knn":
                clf = KNeighborsClassifier(n_neighbors=run["k"], algorithm="brute")
            else:
                clf = LogisticRegression(C=1.0, tol=1e-10, max_iter=100000)
            clf.fit(X[tr], y[tr])
            accs.append(float((clf.predict(X[te]) == y[te]).mean()))
            nn = NearestNeighbors(n_neighbors=1, algorithm="brute").fit(X[tr])
            idx = nn.kneighbors(X[te], return_distance=False)[:, 0]
            same.append(float((subj[tr][idx] == subj[te]).mean()))
        res[split] = {"acc": accs, "same": same}
    out["runs"].append(res)
for n, k in job["sizes"]:
    out["kfold"].append([len(te) for _, te in KFold(n_splits=k).split(np.zeros(n))])
    groups = np.repeat(np.arange(n), 3)
    out["groupkfold"].append(sorted(len(te) // 3 for _, te in GroupKFold(n_splits=k).split(np.zeros(3 * n), groups=groups)))
ids = np.sort(np.array(job["caseIds"]))
out["nnunet"] = [sorted(ids[te].tolist()) for _, te in KFold(n_splits=5, shuffle=True, random_state=12345).split(ids)]
print(json.dumps(out))
`;

const CONFIGS: LeakageOptions[] = [
  { ...DEFAULT_OPTIONS, subjects: 20, slicesPerSubject: 6, labels: 'random-subject', classifier: 'knn', k: 5, seed: 3 },
  { ...DEFAULT_OPTIONS, subjects: 20, slicesPerSubject: 6, labels: 'signal', picking: 'spread', classifier: 'knn', k: 3, seed: 4 },
  { ...DEFAULT_OPTIONS, subjects: 20, slicesPerSubject: 6, labels: 'signal', picking: 'spread', classifier: 'logistic', seed: 5 },
  { ...DEFAULT_OPTIONS, subjects: 20, slicesPerSubject: 6, labels: 'random-subject', classifier: 'logistic', seed: 6 },
];
const SIZES: [number, number][] = [[10, 3], [23, 5], [40, 5], [7, 2], [101, 10]];

describe.skipIf(!python)('leakage core versus scikit-learn', () => {
  const reports = CONFIGS.map((o) => runExperiment(o));
  const followUps = compareSplits(30, createRng(11));
  const cases = followUps.cases.map((c) => c.caseId);
  const job = {
    runs: CONFIGS.map((o, i) => {
      const data = makeDataset(o);
      const foldsOf = (split: 'slice' | 'subject') => {
        const foldOf = new Array<number>(data.subjectOf.length).fill(-1);
        for (const f of reports[i][split].folds) for (const t of f.test) foldOf[t.slice] = f.fold;
        return foldOf;
      };
      return {
        x: Array.from({ length: data.subjectOf.length }, (_, r) => Array.from(data.x.subarray(r * data.dim, (r + 1) * data.dim))),
        y: Array.from(makeLabels(data, o.labels, o.seed)),
        subjectOf: Array.from(data.subjectOf),
        folds: { slice: foldsOf('slice'), subject: foldsOf('subject') },
        classifier: o.classifier,
        k: o.k,
      };
    }),
    sizes: SIZES,
    caseIds: cases,
  };
  const py = python ? spawnSync(python, ['-c', SCRIPT], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 64 << 20 }) : null;
  const ref = py && py.status === 0 ? JSON.parse(py.stdout) : null;

  it('scikit-learn ran', () => {
    expect(py?.stderr ?? '', 'python stderr').not.toMatch(/Traceback/);
    expect(ref).not.toBeNull();
  });

  it('per-fold accuracies match KNeighborsClassifier / LogisticRegression', () => {
    CONFIGS.forEach((o, i) => {
      for (const split of ['slice', 'subject'] as const) {
        const ours = reports[i][split].folds.map((f) => f.accuracy);
        const theirs: number[] = ref.runs[i][split].acc;
        // kNN is exact; logistic regression may differ on a slice lying on the decision boundary
        // (at most one of 24 test slices per fold).
        const tol = o.classifier === 'knn' ? 1e-9 : 1 / 24 + 1e-9;
        ours.forEach((a, f) => expect(Math.abs(a - theirs[f]), `${o.classifier} ${split} fold ${f}`).toBeLessThanOrEqual(tol));
      }
    });
  });

  it('same-subject nearest neighbours match NearestNeighbors', () => {
    CONFIGS.forEach((_, i) => {
      for (const split of ['slice', 'subject'] as const) {
        const ours = reports[i][split].folds.map((f) => f.sameSubjectNeighbour);
        ours.forEach((v, f) => expect(v).toBeCloseTo(ref.runs[i][split].same[f], 12));
      }
      expect(ref.runs[i].subject.same.every((v: number) => v === 0)).toBe(true);
    });
  });

  it('fold sizes match KFold and GroupKFold', () => {
    SIZES.forEach(([n, k], i) => {
      const counts = new Array<number>(k).fill(0);
      for (const f of kFoldAssignment(n, k, createRng(i))) counts[f]++;
      expect(counts).toEqual(ref.kfold[i]);
      expect([...counts].sort((a, b) => a - b)).toEqual(ref.groupkfold[i]);
    });
  });

  it("the lab's nnU-Net split of case ids matches KFold(5, shuffle=True, random_state=12345)", () => {
    expect(followUps.nnunet.map((f) => f.val)).toEqual(ref.nnunet);
  });
});
