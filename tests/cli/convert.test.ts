import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePython } from '../helpers/python';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runCli } from './cli-bundle';

// nibabel is the reference reader: a skip without it, a failure under CI=true.
const PY = requirePython('nibabel, numpy', 'python3-nibabel');
let cli = '';
const root = mkdtempSync(join(tmpdir(), 'convert-cli-'));
const brats = join(root, 'BraTS');
const raw = join(root, 'nnUNet_raw');

beforeAll(async () => {
  cli = await bundleCli();
  const synth = runCli(cli, ['synth', brats, '--layout', 'brats', '--cases', '4', '--size', 'tiny', '--seed', '700']);
  expect(synth.code, synth.stderr).toBe(0);
  // Case 703 becomes a validation case (no segmentation); a copy of 702 loses its FLAIR (incomplete).
  rmSync(join(brats, 'BraTS2021_00703', 'BraTS2021_00703_seg.nii.gz'));
  cpSync(join(brats, 'BraTS2021_00702'), join(brats, 'BraTS2021_00799'), { recursive: true });
  for (const f of readdirSync(join(brats, 'BraTS2021_00799'))) renameSync(join(brats, 'BraTS2021_00799', f), join(brats, 'BraTS2021_00799', f.replace('00702', '00799')));
  rmSync(join(brats, 'BraTS2021_00799', 'BraTS2021_00799_flair.nii.gz'));
});

describe('bratslab convert', () => {
  it('converts, hard-links images, skips the incomplete case, and the validator finds no error', () => {
    const r = runCli(cli, ['convert', brats, raw, '--link', '--regions', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.dataset).toBe('Dataset137_BraTS2021');
    expect(report.training).toEqual(['BraTS2021_00700', 'BraTS2021_00701', 'BraTS2021_00702']);
    expect(report.test).toEqual(['BraTS2021_00703']);
    expect(report.skipped).toEqual([{ case: 'BraTS2021_00799', reason: 'missing flair (found t1, t1ce, t2, seg)' }]);
    expect(report.images).toEqual({ linked: 16, copied: 0 });
    expect(report.check.summary.error).toBe(0);
    const ds = join(raw, 'Dataset137_BraTS2021');
    // Hard links: same inode as the BraTS file.
    expect(statSync(join(ds, 'imagesTr', 'BraTS2021_00700_0001.nii.gz')).ino).toBe(statSync(join(brats, 'BraTS2021_00700', 'BraTS2021_00700_t1ce.nii.gz')).ino);
    expect(existsSync(join(ds, 'imagesTs', 'BraTS2021_00703_0003.nii.gz'))).toBe(true);
    const json = JSON.parse(readFileSync(join(ds, 'dataset.json'), 'utf8'));
    expect(json.regions_class_order).toEqual([1, 2, 3]);
    expect(json.numTraining).toBe(3);
  });

  it.skipIf(!PY)('nibabel agrees: labels remapped 0→0, 1→2, 2→1, 4→3 with the source affine and grid', () => {
    const code = `
import nibabel as nib, numpy as np, sys
src, dst = sys.argv[1], sys.argv[2]
a, b = nib.load(src), nib.load(dst)
ra, rb = np.asanyarray(a.dataobj), np.asanyarray(b.dataobj)
assert ra.shape == rb.shape, (ra.shape, rb.shape)
assert np.allclose(a.affine, b.affine), (a.affine, b.affine)
assert b.get_data_dtype() == np.uint8, b.get_data_dtype()
expected = np.select([ra == 1, ra == 2, ra == 4], [2, 1, 3], 0)
assert set(np.unique(ra)) <= {0, 1, 2, 4}
assert (rb == expected).all(), int((rb != expected).sum())
print('ok', int((ra > 0).sum()))
`;
    const out = execFileSync(PY!, ['-c', code, join(brats, 'BraTS2021_00700', 'BraTS2021_00700_seg.nii.gz'), join(raw, 'Dataset137_BraTS2021', 'labelsTr', 'BraTS2021_00700.nii.gz')], { encoding: 'utf8' });
    expect(out).toMatch(/^ok [1-9]\d*/);
  });

  it('refuses to write into the non-empty dataset folder without --force', () => {
    const again = runCli(cli, ['convert', brats, raw]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/Dataset137_BraTS2021 is not empty .*--force/);
    const forced = runCli(cli, ['convert', brats, raw, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/Converted BraTS 2021 into .*3 training case/);
    expect(forced.stdout).toMatch(/Validator on the result/);
  });

  it('usage errors: reserved id, missing folder, nothing to convert', () => {
    expect(runCli(cli, ['convert', brats, raw, '--id', '5']).stderr).toMatch(/reserved for the Medical Segmentation Decathlon/);
    const missing = runCli(cli, ['convert', join(root, 'nope'), raw]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope: no such folder/);
    const empty = runCli(cli, ['convert', raw, join(root, 'other')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no BraTS images found/);
  });
});
