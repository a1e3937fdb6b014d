// `bratslab plan` through the Node 20 bundle, against nnU-Net 2.8.1's own plans
// (tests/fixtures/nnunet-plans): from a fingerprint file, and from a generated full-size dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, runCli } from './cli-bundle';

const REF = 'tests/fixtures/nnunet-plans';
let cli = '';
let dir = '';
beforeAll(async () => {
  cli = await bundleCli();
  dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Numbers equal to 1e-12 relative, everything else equal (JSON.stringify writes 1.0 as 1). */
function same(a: unknown, b: unknown): boolean {
  if (typeof b === 'number') return typeof a === 'number' && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length && b.every((v, i) => same(a[i], v));
  if (b && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b);
    return ka.join() === kb.join() && kb.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

describe('bratslab plan', () => {
  it('--fingerprint/--dataset-json --write gives the nnUNetPlans.json nnU-Net wrote (cascade dataset)', () => {
    const out = join(dir, 'plans702.json');
    const d = `${REF}/Dataset702_BigCT`;
    const r = runCli(cli, ['plan', '--fingerprint', `${d}/dataset_fingerprint.json`, '--dataset-json', `${d}/dataset.json`, '--write', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(same(JSON.parse(readFileSync(out, 'utf8')), JSON.parse(readFileSync(`${d}/nnUNetPlans.json`, 'utf8')))).toBe(true);
    expect(r.stdout).toMatch(/3d_lowres: patch 128×128×128 voxels, batch 2/);
    expect(r.stdout).toMatch(/3d_cascade_fullres/);
    expect(r.stdout).toMatch(/Plan: {2}nnUNetv2_plan_experiment -d 702\n/);
  });

  it('--preset and --gpu-memory: the ResEnc L plan and a 4 GB target, with the commands that make them', () => {
    const d = `${REF}/Dataset601_SynthFull`;
    const args = ['plan', '--fingerprint', `${d}/dataset_fingerprint.json`, '--dataset-json', `${d}/dataset.json`, '--json'];
    const l = JSON.parse(runCli(cli, [...args, '--preset', 'resenc-l']).stdout);
    expect(l.configurations['3d_fullres']).toMatchObject({ patchSize: [160, 192, 160], batchSize: 3 });
    expect(l.commands.plan).toBe('nnUNetv2_plan_experiment -d 601 -pl nnUNetPlannerResEncL');
    expect(l.commands.train).toBe('nnUNetv2_train 601 3d_fullres 0 -p nnUNetResEncUNetLPlans');
    const small = JSON.parse(runCli(cli, [...args, '--gpu-memory', '4']).stdout);
    expect(small.configurations['3d_fullres']).toMatchObject({ patchSize: [96, 128, 96], batchSize: 2 });
    expect(small.commands.plan).toBe('nnUNetv2_plan_experiment -d 601 -gpu_memory_target 4 -overwrite_plans_name nnUNetPlans_4GB');
    expect(same(small.plans, JSON.parse(readFileSync(`${d}/nnUNetPlans_4GB.json`, 'utf8')))).toBe(true);
  });

  it('says what is wrong: missing pair, bad memory, unknown preset, not a fingerprint', () => {
    const d = `${REF}/Dataset601_SynthFull`;
    expect(runCli(cli, ['plan', '--fingerprint', `${d}/dataset_fingerprint.json`]).stderr).toMatch(/--fingerprint and --dataset-json go together/);
    expect(runCli(cli, ['plan', 'x', '--gpu-memory', 'lots']).stderr).toMatch(/GPU memory in GB/);
    expect(runCli(cli, ['plan', 'x', '--preset', 'resenc-s']).stderr).toMatch(/Allowed choices are default, resenc-m, resenc-l, resenc-xl/);
    const r = runCli(cli, ['plan', '--fingerprint', `${d}/dataset.json`, '--dataset-json', `${d}/dataset.json`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"spacings" is missing — is this nnU-Net's dataset_fingerprint.json\?/);
    expect(runCli(cli, ['plan', join(dir, 'nowhere')]).stderr).toMatch(/nowhere: no such folder or file/);
  });

  it('on the full-size generated Dataset601 prints 128×160×112, batch 2 for the default 8 GB 3d_fullres', () => {
    const gen = runCli(cli, ['synth', join(dir, 'raw'), '--layout', 'nnunet', '--cases', '8', '--seed', '100', '--size', 'full', '--id', '601', '--name', 'SynthFull']);
    expect(gen.code, gen.stderr).toBe(0);
    const fp = join(dir, 'fp601.json');
    const r = runCli(cli, ['plan', join(dir, 'raw/Dataset601_SynthFull'), '--write-fingerprint', fp]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3d_fullres: patch 128×160×112 voxels, batch 2, spacing 1 × 1 × 1 mm/);
    const ref = JSON.parse(readFileSync(`${REF}/Dataset601_SynthFull/dataset_fingerprint.json`, 'utf8'));
    const got = JSON.parse(readFileSync(fp, 'utf8'));
    expect(got.shapes_after_crop).toEqual(ref.shapes_after_crop);
    expect(got.spacings).toEqual(ref.spacings);
    // The check's full pass writes the same fingerprint (same sampling), and still finds no error.
    const fromCheck = join(dir, 'check601.json');
    const c = runCli(cli, ['check', join(dir, 'raw/Dataset601_SynthFull'), '--fingerprint', fromCheck, '--jobs', '2', '--no-progress']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(JSON.parse(readFileSync(fromCheck, 'utf8'))).toEqual(got);
    expect(runCli(cli, ['check', join(dir, 'raw/Dataset601_SynthFull'), '--headers', '--fingerprint', fromCheck]).stderr).toMatch(/--fingerprint needs the full pass/);
  }, 400_000);
});
