/**
 * course-scripts/pretrain_checks.sh, run end to end with bash on a generated BraTS 2021 dataset
 * (`bratslab synth --followups`: ten scans of six patients). Everything real runs for real: the
 * Python course scripts, the bundled `bratslab` CLI, df, the split and its audit. Only nnU-Net's
 * two commands are stubbed (nnunetv2 and PyTorch are not installed here): the stub for
 * nnUNetv2_plan_and_preprocess records its arguments, refuses to run before the raw dataset exists,
 * and creates the preprocessed dataset folder as nnU-Net would. Expected values come from the
 * generator's own patients.csv and from counting by hand, not from the script.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePython } from '../helpers/python';
import { bundleCli, runCli } from './cli-bundle';

const ROOT = resolve(__dirname, '../..');
const SCRIPT = join(ROOT, 'course-scripts/pretrain_checks.sh');
const PYTHON = requirePython('nibabel, numpy', 'python3-nibabel') ?? undefined;
const NODE = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;

const STUB_PREPROCESS = `#!/usr/bin/env bash
# Stub of nnU-Net's nnUNetv2_plan_and_preprocess (nnunetv2 is not installed in the test machine).
set -eu
echo "$*" >> "$STUB_LOG"
[ -f "$nnUNet_raw/Dataset137_BraTS2021/dataset.json" ] || { echo "stub: no raw dataset yet" >&2; exit 1; }
mkdir -p "$nnUNet_preprocessed/Dataset137_BraTS2021"
echo '{}' > "$nnUNet_preprocessed/Dataset137_BraTS2021/nnUNetPlans.json"
`;

let tmp = '';
let cli = '';
let brats = '';
let stubs = '';

function env(name: string, extra: Record<string, string> = {}) {
  const base = join(tmp, name);
  return {
    ...process.env,
    PATH: `${stubs}:${process.env.PATH}`,
    nnUNet_raw: join(base, 'raw'),
    nnUNet_preprocessed: join(base, 'pre'),
    nnUNet_results: join(base, 'results'),
    STUB_LOG: join(base, 'stub.log'),
    PYTHON: PYTHON!,
    BRATSLAB: `${NODE} ${cli}`,
    EXPECT_SHAPE: '48 48 31',
    EXPECT_SPACING: '5 5 5',
    MIN_FREE_GB: '0',
    ...extra,
  };
}

function run(args: string[], e: NodeJS.ProcessEnv) {
  const r = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: e, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!PYTHON)('pretrain_checks.sh end to end', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pretrain-checks-'));
    cli = await bundleCli();
    brats = join(tmp, 'brats');
    const s = runCli(cli, ['synth', brats, '--cases', '6', '--seed', '3', '--size', 'tiny', '--followups']);
    expect(s.code, s.stderr).toBe(0);
    stubs = join(tmp, 'bin');
    mkdirSync(stubs);
    writeFileSync(join(stubs, 'nnUNetv2_plan_and_preprocess'), STUB_PREPROCESS);
    writeFileSync(join(stubs, 'nnUNetv2_train'), '#!/usr/bin/env bash\necho "stub: nnUNetv2_train is not run in tests" >&2\nexit 1\n');
    chmodSync(join(stubs, 'nnUNetv2_plan_and_preprocess'), 0o755);
    chmodSync(join(stubs, 'nnUNetv2_train'), 0o755);
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('checks, converts, preprocesses, writes a patient-grouped split and audits it, in that order', () => {
    const e = env('ok');
    const r = run([brats, join(brats, 'patients.csv')], e);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    const steps = ['1/5 check', '2/5 convert', '3/5 preprocess', '4/5 split', '5/5 audit', 'All checks passed'];
    const at = steps.map((s) => r.out.indexOf(s));
    for (const [i, s] of steps.entries()) expect(at[i], `"${s}" printed`).toBeGreaterThan(-1);
    expect([...at].sort((a, b) => a - b)).toEqual(at);

    // Conversion: ten scans, 4 channels each (counted by hand: 10 × 4 = 40 image files).
    expect(r.out).toContain('(10 cases, scheme nnunet137)');
    expect(r.out).toContain('40 files, 0 with problems');
    expect(r.out).toContain('10 cases, 0 errors');
    // nnU-Net was called once, with the integrity check, after the raw dataset existed.
    expect(readFileSync(e.STUB_LOG, 'utf8').trim()).toBe('-d 137 -c 3d_fullres --verify_dataset_integrity');

    // The split: 5 folds, every case validated once, no patient on both sides (patients from the
    // generator's own table).
    const patientOf = new Map(
      readFileSync(join(brats, 'patients.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',') as [string, string]),
    );
    const split = join(e.nnUNet_preprocessed, 'Dataset137_BraTS2021', 'splits_final.json');
    const folds = JSON.parse(readFileSync(split, 'utf8')) as { train: string[]; val: string[] }[];
    expect(folds).toHaveLength(5);
    expect(folds.flatMap((f) => f.val).sort()).toEqual([...patientOf.keys()].sort());
    for (const f of folds) {
      const train = new Set(f.train.map((id) => patientOf.get(id)));
      for (const id of f.val) expect(train.has(patientOf.get(id)), `${id} leaks`).toBe(false);
    }
    expect(r.out).toContain('Grouped by patient (6 patients)');
    expect(r.out).toContain('No problems found.');
    // The copy that survives deleting nnUNet_preprocessed.
    expect(readFileSync(join(e.nnUNet_raw, 'Dataset137_BraTS2021', 'splits_final.json'), 'utf8')).toBe(readFileSync(split, 'utf8'));
  }, 300_000);

  it('stops at the label check: a raw value BraTS never uses means no preprocessing and no split', () => {
    const bad = join(tmp, 'brats-bad');
    cpSync(brats, bad, { recursive: true });
    const seg = join(bad, 'BraTS2021_P0004_s1', 'BraTS2021_P0004_s1_seg.nii.gz');
    const write3 = `import nibabel as nib, numpy as np; i = nib.load("${seg}"); d = np.asanyarray(i.dataobj).copy(); d[0, 0, 0] = 3; nib.save(nib.Nifti1Image(d, i.affine, i.header), "${seg}")`;
    expect(spawnSync(PYTHON!, ['-c', write3]).status).toBe(0);
    const e = env('bad');
    const r = run([bad], e);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('BraTS2021_P0004_s1_seg.nii.gz: unexpected label values [3]');
    expect(r.out).not.toContain('3/5 preprocess');
    expect(existsSync(e.STUB_LOG)).toBe(false);
    expect(existsSync(join(e.nnUNet_preprocessed, 'Dataset137_BraTS2021', 'splits_final.json'))).toBe(false);
  }, 120_000);

  it('stops before anything else on a missing variable or too little disk space', () => {
    const noVar = env('novar');
    delete (noVar as Record<string, string | undefined>).nnUNet_results;
    const r1 = run([brats], noVar);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain('$nnUNet_results is not set');
    expect(r1.out).not.toContain('2/5 convert');

    const r2 = run([brats], env('disk', { MIN_FREE_GB: '999999999' }));
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/STOP: only \d+ GB free where \$nnUNet_preprocessed lives/);
    expect(r2.out).not.toContain('2/5 convert');
  }, 60_000);
});
