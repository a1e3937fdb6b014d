/**
 * `bratslab info` through the built bundle on Node 20 (/usr/bin/node), as a user runs it.
 * Expected values come from nibabel (reference helper) and from hand calculations over files
 * built byte by byte in tests/fixtures/nifti/bad-corpus.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_CASES, validNifti } from '../fixtures/nifti/bad-corpus';
import { CI, nibabel, nibabelPython, type NibabelView } from '../fixtures/nifti/reference';

const ROOT = resolve(__dirname, '../..');
const NODE = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
const BUNDLE = join(ROOT, 'dist-cli/bratslab.mjs');

function bratslab(...args: string[]) {
  const r = spawnSync(NODE, [BUNDLE, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
beforeAll(() => {
  const b = spawnSync(process.platform === 'win32' ? 'node.exe' : 'node', ['scripts/build-cli.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`CLI build failed: ${b.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'bratslab-info-'));
  writeFileSync(join(dir, 'good.nii'), validNifti());
  writeFileSync(join(dir, 'also-good.nii'), validNifti({ dims: [4, 3, 2] }));
  for (const c of BAD_CASES) writeFileSync(join(dir, c.name), c.bytes());
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Intensity range of validNifti's voxels, computed here from its bytes: int16 little-endian. */
function expectedRange(bytes: Uint8Array) {
  const v = new DataView(bytes.buffer, bytes.byteOffset + 352);
  let min = Infinity;
  let max = -Infinity;
  let nz = 0;
  let sum = 0;
  for (let i = 0; i + 1 < v.byteLength; i += 2) {
    const x = v.getInt16(i, true);
    min = Math.min(min, x);
    max = Math.max(max, x);
    if (x !== 0) {
      nz++;
      sum += x;
    }
  }
  return { min, max, nonzeroCount: nz, nonzeroMean: sum / nz };
}

describe('bratslab info', () => {
  it('prints what a student checks, as text', () => {
    const r = bratslab('info', join(dir, 'good.nii'));
    expect(r.code).toBe(0);
    const e = expectedRange(validNifti());
    expect(r.stdout).toContain('shape        9 × 8 × 5');
    expect(r.stdout).toContain('voxel size   1 × 1 × 1 mm');
    expect(r.stdout).toContain('datatype     int16');
    expect(r.stdout).toMatch(/orientation {2}L P S {2}\(affine from sform/);
    expect(r.stdout).toContain('[  0  -1  0  239 ]');
    expect(r.stdout).toContain(`intensity    min ${e.min}, max ${e.max}`);
  });

  it('prints JSON with --json', () => {
    const r = bratslab('info', '--json', join(dir, 'good.nii'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    const f = out.files[0];
    const e = expectedRange(validNifti());
    expect(f).toMatchObject({ ok: true, nifti: 1, gzip: false, shape: [9, 8, 5], zooms: [1, 1, 1], datatype: 'int16', axcodes: ['L', 'P', 'S'] });
    expect(f.affine).toEqual([[-1, 0, 0, 0], [0, -1, 0, 239], [0, 0, 1, 0], [0, 0, 0, 1]]);
    expect(f.intensity.min).toBe(e.min);
    expect(f.intensity.max).toBe(e.max);
    expect(f.intensity.nonzeroCount).toBe(e.nonzeroCount);
    expect(f.intensity.nonzeroMean).toBeCloseTo(e.nonzeroMean, 9);
  });

  it('keeps going after a bad file, prints its error and exits 1', () => {
    const r = bratslab('info', join(dir, 'good.nii'), join(dir, 'sizeof-hdr-350.nii'), join(dir, 'missing.nii.gz'), join(dir, 'also-good.nii'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('shape        9 × 8 × 5');
    expect(r.stdout).toContain('shape        4 × 3 × 2');
    expect(r.stderr).toContain(`error: ${join(dir, 'sizeof-hdr-350.nii')}: sizeof_hdr is 350, expected 348 (NIfTI-1) or 540 (NIfTI-2)`);
    expect(r.stderr).toContain(`error: ${join(dir, 'missing.nii.gz')}: no such file`);
  });

  it('reports every corpus file with its error code in JSON', () => {
    const cases = BAD_CASES.filter((c) => !c.maxVoxels);
    const r = bratslab('info', '--json', ...cases.map((c) => join(dir, c.name)));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    cases.forEach((c, i) => {
      expect(out.files[i].ok, c.name).toBe(false);
      expect(out.files[i].error.code, c.name).toBe(c.code);
      expect(out.files[i].error.message).toMatch(c.says);
    });
  });

  it('reads only headers with --header-only', () => {
    const r = bratslab('info', '--json', '--header-only', join(dir, 'truncated-in-data.nii.gz'));
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).files[0];
    expect(f.shape).toEqual([60, 50, 40]);
    expect(f.gzip).toBe(true);
    expect(f.intensity).toBeUndefined();
  });

  it('honours --max-voxels', () => {
    const r = bratslab('info', '--max-voxels', '100', join(dir, 'good.nii'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/9×8×5 = 3\.600e\+2 voxels, over the limit of 100/);
  });

  it('exits 2 on usage errors', () => {
    expect(bratslab('info').code).toBe(2);
    expect(bratslab('info', '--max-voxels', 'lots', join(dir, 'good.nii')).code).toBe(2);
    expect(bratslab('info', '--no-such-option', join(dir, 'good.nii')).code).toBe(2);
  });
});

describe.skipIf(!nibabelPython() && !CI)('bratslab info agrees with nibabel', () => {
  it('on every file nibabel writes', () => {
    const nb = mkdtempSync(join(tmpdir(), 'bratslab-info-nib-'));
    try {
      const names = nibabel<string[]>(['write', nb]);
      const refs = nibabel<NibabelView[]>(['describe', ...names.map((n) => join(nb, n))]);
      const r = bratslab('info', '--json', ...names.map((n) => join(nb, n)));
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      refs.forEach((ref, i) => {
        const f = out.files[i];
        expect(f.shape, names[i]).toEqual(ref.shape);
        f.zooms.forEach((z: number, k: number) => expect(z).toBeCloseTo(ref.zooms[k], 6));
        f.affine.forEach((row: number[], a: number) => row.forEach((x, b) => expect(x).toBeCloseTo(ref.affine[a][b], 5)));
        expect(f.axcodes, names[i]).toEqual(ref.axcodes);
        expect(f.intensity.min).toBeCloseTo(ref.min!, 4);
        expect(f.intensity.max).toBeCloseTo(ref.max!, 4);
      });
    } finally {
      rmSync(nb, { recursive: true, force: true });
    }
  });
});
