import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runCli } from './cli-bundle';

let cli = '';
const root = mkdtempSync(join(tmpdir(), 'splits-cli-'));

/** A raw dataset whose image files are empty: `splits` only needs the names. */
function dataset(name: string, ids: string[]): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'imagesTr'), { recursive: true });
  writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'T1' }, labels: { background: 0, tumor: 1 }, numTraining: ids.length, file_ending: '.nii.gz' }));
  for (const id of ids) writeFileSync(join(dir, 'imagesTr', `${id}_0000.nii.gz`), '');
  return dir;
}

beforeAll(async () => {
  cli = await bundleCli();
});

describe('bratslab splits', () => {
  it("writes nnU-Net's default split into $nnUNet_preprocessed/DatasetXXX_Name (test vector, nnunet-facts.md §5.7)", () => {
    const ds = dataset('Dataset501_Vector', Array.from({ length: 10 }, (_, i) => `case_${String(i).padStart(3, '0')}`));
    const pre = join(root, 'preprocessed');
    const r = runCli(cli, ['splits', ds], { nnUNet_preprocessed: pre });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const folds = JSON.parse(readFileSync(join(pre, 'Dataset501_Vector', 'splits_final.json'), 'utf8'));
    expect(folds.map((f: { val: string[] }) => f.val.map((v) => v.slice(5)))).toEqual([
      ['000', '007'],
      ['003', '009'],
      ['004', '006'],
      ['001', '008'],
      ['002', '005'],
    ]);
    // Existing file: refused without --force (exit 2), replaced with it.
    const again = runCli(cli, ['splits', ds], { nnUNet_preprocessed: pre });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/splits_final\.json exists.*--force/);
    expect(runCli(cli, ['splits', ds, '--force'], { nnUNet_preprocessed: pre }).code).toBe(0);
  });

  it('groups follow-up scans by patient and audits leaks with --check', () => {
    const ids: string[] = [];
    const csv = ['case_id,patient_id'];
    for (let p = 1; p <= 12; p++) {
      for (let s = 1; s <= (p % 3 === 0 ? 3 : 1); s++) {
        ids.push(`P${String(p).padStart(4, '0')}_s${s}`);
        csv.push(`${ids.at(-1)},P${String(p).padStart(4, '0')}`);
      }
    }
    const ds = dataset('Dataset502_FollowUps', ids);
    writeFileSync(join(ds, 'patients.csv'), csv.join('\n'));
    const out = join(root, 'out502');

    const grouped = runCli(cli, ['splits', ds, '--groups', join(ds, 'patients.csv'), '--out', out]);
    expect(grouped.code).toBe(0);
    const folds: { train: string[]; val: string[] }[] = JSON.parse(readFileSync(join(out, 'splits_final.json'), 'utf8'));
    for (const f of folds) {
      const trainPatients = new Set(f.train.map((id) => id.slice(0, 5)));
      for (const id of f.val) expect(trainPatients.has(id.slice(0, 5))).toBe(false);
    }
    expect(folds.flatMap((f) => f.val).sort()).toEqual([...ids].sort());
    const ok = runCli(cli, ['splits', ds, '--group-by', '^(P\\d{4})_s\\d$', '--check', join(out, 'splits_final.json')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/No problems found/);

    // A hand-made split that puts P0003_s1 in train and P0003_s2 in val of fold 0, plus an unknown id.
    const leaky = join(root, 'leaky.json');
    const val0 = ['P0003_s2', 'P0001_s1', 'P0002_s1'];
    writeFileSync(
      leaky,
      JSON.stringify([{ train: [...ids.filter((id) => !val0.includes(id)), 'P9999_s1'], val: val0 }, ...folds.slice(1)]),
    );
    const bad = runCli(cli, ['splits', ds, '--groups', join(ds, 'patients.csv'), '--check', leaky, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    const leak = report.findings.find((f: { rule: string }) => f.rule === 'splits.patient-leak');
    expect(leak.evidence.patients.map((p: { patient: string }) => p.patient)).toEqual(['P0003']);
    expect(report.findings.find((f: { rule: string }) => f.rule === 'splits.unknown-id').evidence.ids).toEqual(['P9999_s1']);
  });

  it('usage errors exit 2 with a message naming the problem', () => {
    const ds = dataset('Dataset503_Small', ['a', 'b', 'c', 'd', 'e', 'f']);
    const noTarget = runCli(cli, ['splits', ds], { nnUNet_preprocessed: '' });
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/nnUNet_preprocessed or pass --out/);
    const both = runCli(cli, ['splits', ds, '--groups', 'x.csv', '--group-by', '(.)', '--out', root]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --groups or --group-by/);
    const missing = runCli(cli, ['splits', join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope: no such folder/);
  });
});
