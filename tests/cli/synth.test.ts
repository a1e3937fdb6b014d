// `bratslab synth` through the Node 20 bundle: both layouts, faults with the key outside the
// dataset, zips, and clear errors for bad options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { bundleCli, runCli } from './cli-bundle';

let cli = '';
let dir = '';
beforeAll(async () => {
  cli = await bundleCli();
  dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bratslab synth', () => {
  it('writes BraTS 2021 folders with patients.csv', () => {
    const out = join(dir, 'brats');
    const r = runCli(cli, ['synth', out, '--size', 'tiny', '--cases', '2', '--seed', '7']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['BraTS2021_00007', 'BraTS2021_00008', 'index.json', 'patients.csv']);
    expect(readdirSync(join(out, 'BraTS2021_00007')).sort()).toEqual(
      ['flair', 'seg', 't1', 't1ce', 't2'].map((m) => `BraTS2021_00007_${m}.nii.gz`),
    );
    // Refuses to write over existing files without --force.
    const again = runCli(cli, ['synth', out, '--size', 'tiny', '--cases', '2']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('writes an nnU-Net dataset with follow-ups named after the patient', () => {
    const out = join(dir, 'nn');
    const r = runCli(cli, ['synth', out, '--layout', 'nnunet', '--size', 'tiny', '--seeds', '0-9', '--followups', '--id', '520', '--name', 'Leak']);
    expect(r.code).toBe(0);
    const root = join(out, 'Dataset520_Leak');
    const csv = readFileSync(join(root, 'patients.csv'), 'utf8').trim().split('\n').slice(1);
    expect(csv.length).toBeGreaterThan(10);
    for (const line of csv) {
      const [caseId, patient] = line.split(',');
      expect(caseId.startsWith(`${patient}_s`)).toBe(true);
      expect(existsSync(join(root, 'labelsTr', `${caseId}.nii.gz`))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(root, 'dataset.json'), 'utf8')).numTraining).toBe(csv.length);
  });

  it('injects faults and writes the key beside the dataset, or zips', () => {
    const out = join(dir, 'faulty');
    const r = runCli(cli, ['synth', out, '--layout', 'nnunet', '--size', 'tiny', '--cases', '4', '--faults', 'nan-voxels,hidden-files,json-comments']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['Dataset501_Synth', 'Dataset501_Synth.faults.json', 'Dataset502_SynthJsonComments', 'Dataset502_SynthJsonComments.faults.json']);
    const key = JSON.parse(readFileSync(join(out, 'Dataset501_Synth.faults.json'), 'utf8'));
    expect(key.faults.map((f: { rule: string }) => f.rule).sort()).toEqual(['dataset.hidden-file', 'dataset.hidden-file', 'dataset.image-nan']);

    const zdir = join(dir, 'zip');
    const z = runCli(cli, ['synth', zdir, '--layout', 'nnunet', '--size', 'tiny', '--cases', '2', '--faults', 'empty-label', '--zip', '--keys', join(zdir, 'keys')]);
    expect(z.code).toBe(0);
    const files = Object.keys(unzipSync(readFileSync(join(zdir, 'Dataset501_Synth.zip'))));
    expect(files).toContain('Dataset501_Synth/dataset.json');
    expect(files.filter((f) => f.startsWith('Dataset501_Synth/imagesTr/'))).toHaveLength(8);
    expect(files.some((f) => f.includes('faults'))).toBe(false);
    expect(existsSync(join(zdir, 'keys', 'Dataset501_Synth.faults.json'))).toBe(true);
  });

  it('explains bad options', () => {
    const a = runCli(cli, ['synth', join(dir, 'x'), '--faults', 'all']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--layout nnunet');
    const b = runCli(cli, ['synth', join(dir, 'y'), '--layout', 'nnunet', '--faults', 'nope']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('unknown fault "nope"');
    const c = runCli(cli, ['synth', join(dir, 'z'), '--layout', 'nnunet', '--size', 'tiny', '--cases', '3', '--faults', 'all']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('at least 13 cases');
    const d = runCli(cli, ['synth', join(dir, 'w'), '--size', 'huge']);
    expect(d.code).toBe(2);
  });
});
