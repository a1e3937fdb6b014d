/**
 * Rules the fault generator does not inject, on small in-memory datasets whose problems are
 * stated by hand next to each case (file names and header fields chosen here, so the expected
 * finding follows from nnU-Net's rules, not from the validator's output).
 */
import { describe, expect, it } from 'vitest';
import { checkDataset } from '../../labs/dataset-check/index';
import { memorySource } from '../../labs/shared/files';
import { encodeNifti1 } from '../../labs/nifti/index';
import type { Finding } from '../../labs/shared/findings';

const DIMS = [8, 8, 4];
const LPS = [
  [-1, 0, 0, 7],
  [0, -1, 0, 7],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const RAS = [
  [1, 0, 0, -7],
  [0, 1, 0, -7],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const img = (fill = 100, affine = LPS, dims = DIMS) => encodeNifti1({ dims, datatype: 'int16', data: Int16Array.from({ length: dims.reduce((a, b) => a * b) }, (_, i) => (i % 3 ? fill : fill + 7)), affine });
const seg = (values: number[], dims = DIMS, affine = LPS) => encodeNifti1({ dims, datatype: 'uint8', data: Uint8Array.from({ length: dims.reduce((a, b) => a * b) }, (_, i) => values[i % values.length]), affine });
const json = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ channel_names: { '0': 'T1', '1': 'T2' }, labels: { background: 0, tumour: 1, edema: 2 }, file_ending: '.nii', ...extra });
const find = (fs: Finding[], rule: string, path?: string) => fs.filter((f) => f.rule === rule && (path === undefined || f.path === path));

describe('file and folder rules', () => {
  it('reports gaps, extra channels, case collisions, orphans, wrong endings and imagesTs channels', async () => {
    const files: Record<string, Uint8Array | string> = {
      'dataset.json': json({ numTraining: 5 }),
      // good: channels 0 and 1, label with both classes
      'imagesTr/good_0000.nii': img(),
      'imagesTr/good_0001.nii': img(200),
      'labelsTr/good.nii': seg([0, 1, 2]),
      // gap: _0000 and _0002 for two declared channels -> nnU-Net would use _0002 as channel 1
      'imagesTr/gap_0000.nii': img(),
      'imagesTr/gap_0002.nii': img(200),
      'labelsTr/gap.nii': seg([0, 1]),
      // extra: a third channel
      'imagesTr/extra_0000.nii': img(),
      'imagesTr/extra_0001.nii': img(200),
      'imagesTr/extra_0002.nii': img(300),
      'labelsTr/extra.nii': seg([0, 1]),
      // ids differing only in letter case
      'imagesTr/Case_0000.nii': img(),
      'imagesTr/Case_0001.nii': img(200),
      'labelsTr/Case.nii': seg([0, 1]),
      'imagesTr/case_0000.nii': img(),
      'imagesTr/case_0001.nii': img(200),
      'labelsTr/case.nii': seg([0, 1]),
      // a label without images, a file with another ending, imagesTs with one channel
      'labelsTr/orphan.nii': seg([0, 1]),
      'imagesTr/good_0000.NII': img(),
      'imagesTs/test1_0000.nii': img(),
    };
    const r = await checkDataset(memorySource('Dataset777_Layout', files));
    expect(find(r.findings, 'dataset.channel-gap', 'imagesTr/gap_0001.nii')).toHaveLength(1);
    expect(find(r.findings, 'dataset.channel-extra', 'imagesTr/extra_0002.nii')).toHaveLength(1);
    expect(find(r.findings, 'dataset.case-collision')).toHaveLength(1);
    expect(find(r.findings, 'dataset.label-without-image', 'labelsTr/orphan.nii')).toHaveLength(1);
    expect(find(r.findings, 'dataset.wrong-ending', 'imagesTr/good_0000.NII')).toHaveLength(1);
    expect(find(r.findings, 'dataset.images-ts-channels', 'imagesTs/test1_0001.nii')).toHaveLength(1);
    expect(find(r.findings, 'dataset.num-training')).toEqual([]);
    expect(find(r.findings, 'dataset.folder-name')).toEqual([]);
  });

  it('blames file_ending when no file matches it but the files share another ending', async () => {
    const files = { 'dataset.json': json({ numTraining: 1, file_ending: '.NII' }), 'imagesTr/a_0000.nii': img(), 'imagesTr/a_0001.nii': img(200), 'labelsTr/a.nii': seg([0, 1, 2]) };
    const r = await checkDataset(memorySource('Dataset780_Ending', files));
    const fe = find(r.findings, 'dataset.file-ending', 'dataset.json');
    expect(fe).toHaveLength(1);
    expect(fe[0].hint).toContain('".nii"');
  });

  it('checks the folder name and the reserved ids, in an nnUNet_raw folder', async () => {
    const one = { 'dataset.json': json({ numTraining: 1 }), 'imagesTr/a_0000.nii': img(), 'imagesTr/a_0001.nii': img(200), 'labelsTr/a.nii': seg([0, 1, 2]) };
    const files: Record<string, Uint8Array | string> = {};
    for (const [name, set] of [
      ['Dataset_501_Bad', one],
      ['Dataset004_Hippo', one],
      ['Dataset600_A', one],
      ['Dataset600_B', one],
    ] as const) {
      for (const [p, v] of Object.entries(set)) files[`${name}/${p}`] = v;
    }
    const r = await checkDataset(memorySource('nnUNet_raw', files));
    expect(find(r.findings, 'dataset.folder-name', 'Dataset_501_Bad')).toHaveLength(1);
    expect(find(r.findings, 'dataset.reserved-id', 'Dataset004_Hippo')).toHaveLength(1);
    expect(find(r.findings, 'dataset.folder-name').some((f) => f.message.includes('Dataset600_A and Dataset600_B'))).toBe(true);
    expect(r.details?.casesChecked).toBe(4);
  });
});

describe('voxel and header rules', () => {
  it('reports 4D labels, 0/255 masks, unused labels, orientation and geometry (as errors on request)', async () => {
    const files: Record<string, Uint8Array | string> = {
      'dataset.json': json({ numTraining: 4 }),
      'imagesTr/a_0000.nii': img(),
      'imagesTr/a_0001.nii': img(200),
      'labelsTr/a.nii': seg([0, 1], [8, 8, 4, 2]),
      'imagesTr/b_0000.nii': img(),
      'imagesTr/b_0001.nii': img(200),
      'labelsTr/b.nii': seg([0, 255]),
      'imagesTr/c_0000.nii': img(100, RAS),
      'imagesTr/c_0001.nii': img(200, RAS),
      'labelsTr/c.nii': seg([0, 1], DIMS, RAS),
      // label origin shifted by 2 mm
      'imagesTr/d_0000.nii': img(),
      'imagesTr/d_0001.nii': img(200),
      'labelsTr/d.nii': seg([0, 1], DIMS, LPS.map((row, i) => (i === 2 ? [0, 0, 1, 2] : row))),
    };
    const r = await checkDataset(memorySource('Dataset778_Voxels', files));
    expect(find(r.findings, 'dataset.dimensionality', 'labelsTr/a.nii')).toHaveLength(1);
    const mask = find(r.findings, 'dataset.label-values', 'labelsTr/b.nii');
    expect(mask).toHaveLength(1);
    expect(mask[0].hint).toContain('255');
    // Label 2 ("edema") occurs in no file.
    expect(find(r.findings, 'dataset.label-unused').map((f) => f.evidence?.label)).toEqual(['edema']);
    expect(find(r.findings, 'dataset.orientation-varies')).toHaveLength(1);
    const geo = find(r.findings, 'dataset.geometry-mismatch', 'labelsTr/d.nii');
    expect(geo.map((f) => [f.severity, f.evidence?.originShiftMm])).toEqual([['warning', 2]]);
    const strict = await checkDataset(memorySource('Dataset778_Voxels', files), { geometryErrors: true });
    expect(find(strict.findings, 'dataset.geometry-mismatch', 'labelsTr/d.nii')[0].severity).toBe('error');
  });

  it('says which checks it skipped for other formats instead of passing them silently', async () => {
    const files = { 'dataset.json': json({ numTraining: 1, file_ending: '.nrrd' }), 'imagesTr/a_0000.nrrd': 'NRRD0004', 'imagesTr/a_0001.nrrd': 'NRRD0004', 'labelsTr/a.nrrd': 'NRRD0004' };
    const r = await checkDataset(memorySource('Dataset779_Nrrd', files));
    const skipped = find(r.findings, 'dataset.format-unchecked');
    expect(skipped).toHaveLength(1);
    expect(skipped[0].message).toMatch(/NOT checked/);
    expect(r.summary.error).toBe(0);
  });
});

describe('imagesTs and the BraTS grid', () => {
  it('reports a case id that is in imagesTr and imagesTs, naming its test file, in both modes', async () => {
    const files: Record<string, Uint8Array | string> = {
      'dataset.json': json({ numTraining: 2 }),
      'imagesTr/a_0000.nii': img(),
      'imagesTr/a_0001.nii': img(200),
      'labelsTr/a.nii': seg([0, 1, 2]),
      'imagesTr/b_0000.nii': img(),
      'imagesTr/b_0001.nii': img(200),
      'labelsTr/b.nii': seg([0, 1, 2]),
      // b is also a test case (a leak); c is a proper test case.
      'imagesTs/b_0000.nii': img(),
      'imagesTs/b_0001.nii': img(200),
      'imagesTs/c_0000.nii': img(),
      'imagesTs/c_0001.nii': img(200),
    };
    for (const mode of ['full', 'headers'] as const) {
      const r = await checkDataset(memorySource('Dataset777_Leak', files), { mode });
      const leak = find(r.findings, 'dataset.test-in-train');
      expect(leak.map((f) => [f.case, f.path, f.severity])).toEqual([['b', 'imagesTs/b_0000.nii', 'error']]);
    }
  });

  it('says when BraTS-named channels are not 240×240×155 at 1 mm, and not otherwise', async () => {
    const brats = JSON.stringify({ channel_names: { '0': 'T1', '1': 'T1ce', '2': 'T2', '3': 'FLAIR' }, labels: { background: 0, tumour: 1, edema: 2 }, file_ending: '.nii', numTraining: 1 });
    const files = (names: string) => ({
      'dataset.json': names,
      'imagesTr/a_0000.nii': img(),
      'imagesTr/a_0001.nii': img(200),
      'imagesTr/a_0002.nii': img(300),
      'imagesTr/a_0003.nii': img(400),
      'labelsTr/a.nii': seg([0, 1, 2]),
    });
    const named = await checkDataset(memorySource('Dataset778_Small', files(brats)), { mode: 'headers' });
    const info = find(named.findings, 'dataset.brats-geometry');
    expect(info.map((f) => f.severity)).toEqual(['info']);
    expect(info[0].message).toContain('8×4');
    expect(info[0].message).toContain('240×240×155');
    const other = JSON.stringify({ channel_names: { '0': 'CT', '1': 'PET', '2': 'a', '3': 'b' }, labels: { background: 0, tumour: 1, edema: 2 }, file_ending: '.nii', numTraining: 1 });
    expect(find((await checkDataset(memorySource('Dataset779_Other', files(other)), { mode: 'headers' })).findings, 'dataset.brats-geometry')).toEqual([]);
  });
});

describe('a root without an nnU-Net dataset', () => {
  it('names raw BraTS data (2021 and 2023+ names) and points to the converter', async () => {
    const b21 = memorySource('BraTS2021_Training', Object.fromEntries(['t1', 't1ce', 't2', 'flair', 'seg'].flatMap((m) => ['00000', '00001'].map((id) => [`BraTS2021_${id}/BraTS2021_${id}_${m}.nii.gz`, '']))));
    await expect(checkDataset(b21)).rejects.toThrow(/BraTS2021_Training: this is raw BraTS 2021 data \(2 cases\), not an nnU-Net dataset: convert it first, with the converter of lesson 4 or `bratslab convert BraTS2021_Training/);
    const b23 = memorySource('GLI', Object.fromEntries(['t1n', 't1c', 't2w', 't2f', 'seg'].map((m) => [`BraTS-GLI-00002-000/BraTS-GLI-00002-000-${m}.nii.gz`, ''])));
    await expect(checkDataset(b23)).rejects.toMatchObject({ brats: { edition: 'brats2023', cases: 1 }, message: expect.stringContaining('raw BraTS 2023+ data (1 case)') });
  });
  it('says what it expected when the folder is neither', async () => {
    await expect(checkDataset(memorySource('photos', { 'a.jpg': '' }))).rejects.toThrow(/photos: no nnU-Net dataset found \(expected dataset.json/);
  });
});
