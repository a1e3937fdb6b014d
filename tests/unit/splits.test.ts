import { execFileSync } from 'node:child_process';
import { requirePython } from '../helpers/python';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../labs/shared/files';
import {
  LegacyRandomState,
  checkSplits,
  datasetCaseIds,
  groupedSplit,
  nnunetDefaultSplit,
  parsePatientsCsv,
  parseSplits,
  patientsFromRegex,
  shuffledIndices,
} from '../../labs/splits';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `case_${String(i).padStart(3, '0')}`);
// Live scikit-learn: a skip without it, a failure under CI=true.
const PY = requirePython('sklearn, numpy', 'python3-sklearn');

function python(code: string): string {
  return execFileSync(PY!, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

describe('numpy legacy RandomState', () => {
  it('seeds like init_genrand: first outputs of MT19937(5489), the reference generator\'s default seed', () => {
    // Matsumoto & Nishimura's mt19937ar.c with init_genrand(5489) starts 3499211612, 581869302, 3890346734.
    const r = new LegacyRandomState(5489);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });

  it('reproduces the permutation in nnunet-facts.md §5.7 for 10 ids', () => {
    expect(shuffledIndices(10)).toEqual([0, 7, 3, 9, 6, 4, 1, 8, 5, 2]);
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new LegacyRandomState(-1)).toThrow(/seed/);
    expect(() => new LegacyRandomState(2 ** 32)).toThrow(/seed/);
  });
});

describe("nnU-Net's default split", () => {
  it('matches the test vector for case_000..case_009 (nnunet-facts.md §5.7)', () => {
    const folds = nnunetDefaultSplit(ids(10).reverse());
    expect(folds.map((f) => f.val)).toEqual([
      ['case_000', 'case_007'],
      ['case_003', 'case_009'],
      ['case_004', 'case_006'],
      ['case_001', 'case_008'],
      ['case_002', 'case_005'],
    ]);
    for (const f of folds) {
      expect(f.train).toEqual(ids(10).filter((id) => !f.val.includes(id)));
    }
  });

  it('matches the test vector for case_000..case_006', () => {
    expect(nnunetDefaultSplit(ids(7)).map((f) => f.val)).toEqual([['case_003', 'case_006'], ['case_000', 'case_004'], ['case_001'], ['case_005'], ['case_002']]);
  });

  it('refuses fewer cases than folds, as KFold does', () => {
    expect(() => nnunetDefaultSplit(ids(4))).toThrow(/at least 5 cases/);
  });

  it.skipIf(!PY)("equals scikit-learn's KFold(5, shuffle=True, random_state=12345) on 1,251 BraTS-like ids", () => {
    const caseIds = Array.from({ length: 1251 }, (_, i) => `BraTS2021_${String(i * 2 + (i % 2)).padStart(5, '0')}`);
    const out = python(
      [
        'import json, sys',
        'import numpy as np',
        'from sklearn.model_selection import KFold',
        `keys = np.sort(np.array(json.loads(${JSON.stringify(JSON.stringify(caseIds))})))`,
        'res = []',
        'for tr, va in KFold(n_splits=5, shuffle=True, random_state=12345).split(keys):',
        '    res.append({"train": [str(k) for k in keys[tr]], "val": [str(k) for k in keys[va]]})',
        'print(json.dumps(res))',
      ].join('\n'),
    );
    expect(nnunetDefaultSplit(caseIds)).toEqual(JSON.parse(out));
  });
});

describe('grouped split', () => {
  // 60 patients; every third one has 2 follow-ups and every seventh 3 (sizes 1-3 scans).
  const patients = new Map<string, string>();
  for (let p = 1; p <= 60; p++) {
    const scans = p % 7 === 0 ? 3 : p % 3 === 0 ? 2 : 1;
    for (let s = 1; s <= scans; s++) patients.set(`P${String(p).padStart(4, '0')}_s${s}`, `P${String(p).padStart(4, '0')}`);
  }
  const all = [...patients.keys()];

  it('puts every patient in one fold, validates each case once, keeps folds balanced', () => {
    const folds = groupedSplit(all, patients);
    expect(folds).toHaveLength(5);
    const valFold = new Map<string, number>();
    folds.forEach((f, i) => f.val.forEach((c) => valFold.set(c, i)));
    expect(valFold.size).toBe(all.length);
    for (const [c, p] of patients) {
      for (const [c2, p2] of patients) if (p === p2) expect(valFold.get(c2)).toBe(valFold.get(c));
    }
    const sizes = folds.map((f) => f.val.length);
    // Greedy placement into the lightest fold: sizes differ by at most the largest patient (3 scans).
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(checkSplits(folds, all, patients)).toEqual([]);
  });

  it('the default split leaks these patients; the audit names them', () => {
    const leaks = checkSplits(nnunetDefaultSplit(all), all, patients).filter((f) => f.rule === 'splits.patient-leak');
    expect(leaks.length).toBeGreaterThan(0);
    const ev = leaks[0].evidence as { patients: { patient: string; train: string; val: string }[] };
    for (const l of ev.patients) {
      expect(patients.get(l.train)).toBe(l.patient);
      expect(patients.get(l.val)).toBe(l.patient);
    }
  });

  it('reads patients.csv and a --group-by regex', () => {
    const map = parsePatientsCsv('case_id,patient_id\nP0001_s1,P0001\r\nP0001_s2,P0001\n\nP0002_s1,P0002\n');
    expect([...map]).toEqual([['P0001_s1', 'P0001'], ['P0001_s2', 'P0001'], ['P0002_s1', 'P0002']]);
    expect(() => parsePatientsCsv('a,b\na,c', 'p.csv')).toThrow(/p.csv, line 2: case "a" is given two patients/);
    expect(() => parsePatientsCsv('case,patient\nonlyone')).toThrow(/line 2/);
    expect([...patientsFromRegex(['P0001_s1', 'P0002_s2'], '^(P\\d+)_s\\d+$')]).toEqual([['P0001_s1', 'P0001'], ['P0002_s2', 'P0002']]);
    expect(() => patientsFromRegex(['x'], '^(P\\d+)')).toThrow(/do not match, e.g. x/);
    expect(() => patientsFromRegex(['x'], '(')).toThrow(/not a valid regular expression/);
  });
});

describe('splits audit', () => {
  const cases = ids(10);

  it('finds unknown ids, train/val overlap, unvalidated and repeated cases', () => {
    const folds = [
      { train: ['case_001', 'case_002', 'ghost'], val: ['case_000', 'case_001'] },
      { train: ['case_000'], val: ['case_000', 'case_003'] },
    ];
    const found = checkSplits(folds, cases);
    const rules = found.map((f) => f.rule).sort();
    expect(rules).toEqual(['splits.overlap', 'splits.overlap', 'splits.repeated-val', 'splits.unknown-id', 'splits.unvalidated']);
    expect(found.find((f) => f.rule === 'splits.unknown-id')!.evidence).toEqual({ ids: ['ghost'] });
    // case_002 and case_004..009 are in no validation set: 7 cases.
    expect((found.find((f) => f.rule === 'splits.unvalidated')!.evidence as { cases: string[] }).cases).toHaveLength(7);
    expect(found.find((f) => f.rule === 'splits.repeated-val')!.evidence).toEqual({ cases: { case_000: [0, 1] } });
  });

  it('rejects malformed files with a finding', () => {
    for (const text of ['{"train": []}', '[{"train": ["a"]}]', '[1,', '[{"train": [1], "val": []}]']) {
      const r = parseSplits(text, 'x/splits_final.json');
      expect('finding' in r && r.finding.rule).toBe('splits.format');
    }
    expect(parseSplits('[{"train": ["a"], "val": ["b"]}]')).toEqual({ folds: [{ train: ['a'], val: ['b'] }] });
  });
});

describe('case ids of a raw dataset', () => {
  it('derives them as nnU-Net does (chop file_ending and _XXXX, top level only)', async () => {
    const src = memorySource('d', {
      'Dataset500_X/dataset.json': '{"file_ending": ".nii.gz"}',
      'Dataset500_X/imagesTr/b_0000.nii.gz': '',
      'Dataset500_X/imagesTr/b_0001.nii.gz': '',
      'Dataset500_X/imagesTr/a_0000.nii.gz': '',
      'Dataset500_X/imagesTr/notes.txt': '',
      'Dataset500_X/imagesTr/sub/c_0000.nii.gz': '',
    });
    expect(await datasetCaseIds(src, 'Dataset500_X')).toEqual(['a', 'b']);
  });
});
