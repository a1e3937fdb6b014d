import { describe, expect, it } from 'vitest';
import { ConvertError, convertBrats, detectLayout, type ConvertOptions } from '../../labs/convert';
import { encodeNifti1, readHeader, readImage, writeNiftiGz, type Mat4 } from '../../labs/nifti';
import { memorySource, type FileEntry, type FileSink } from '../../labs/shared/files';

/** A FileSink over a Map, so a test can read back what the converter wrote. */
function memorySink(): FileSink & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    label: 'nnUNet_raw',
    files,
    async mkdir() {},
    async write(path, data) {
      if (data instanceof Uint8Array) {
        files.set(path, data);
        return;
      }
      files.set(path, new Uint8Array(await new Response(data).arrayBuffer()));
    },
    async list(path = '') {
      return [...files]
        .filter(([p]) => p.startsWith(`${path}/`))
        .map(([p, v]): FileEntry => ({ path: p, kind: 'file', size: v.byteLength }));
    },
  };
}

const DIMS = [6, 5, 4];
const N = DIMS[0] * DIMS[1] * DIMS[2];
// BraTS-like LPS affine at 2 mm (x and y flipped), origin away from zero so a lost affine shows.
const AFFINE: Mat4 = [
  [-2, 0, 0, 10],
  [0, -2, 0, 228],
  [0, 0, 2, -3],
  [0, 0, 0, 1],
];

const image = (seed: number) => writeNiftiGz({ dims: DIMS, datatype: 'int16', affine: AFFINE, data: Int16Array.from({ length: N }, (_, i) => (i * seed) % 300) });
/** Raw label voxels cycling through `values`, so every value appears. */
const rawLabel = (values: number[]) => Uint8Array.from({ length: N }, (_, i) => values[(i * 7) % values.length]);
const label = (data: Uint8Array) => writeNiftiGz({ dims: DIMS, datatype: 'uint8', affine: AFFINE, data });

const OPTS: ConvertOptions = { id: 137, name: 'BraTS2021', scheme: 'nnunet137', regions: false, link: false, force: false };

async function brats2021(): Promise<{ files: Record<string, Uint8Array>; raw: Uint8Array }> {
  const raw = rawLabel([0, 1, 2, 4, 0, 0]);
  const files: Record<string, Uint8Array> = {};
  const mods = ['t1', 't1ce', 't2', 'flair'];
  for (const [k, m] of mods.entries()) {
    files[`Train/BraTS2021_00000/BraTS2021_00000_${m}.nii.gz`] = await image(k + 1);
    files[`Val/BraTS2021_00001/BraTS2021_00001_${m}.nii.gz`] = await image(k + 5);
    if (m !== 'flair') files[`Train/BraTS2021_00002/BraTS2021_00002_${m}.nii.gz`] = await image(k + 9);
    files[`Train/BraTS2021_00003/BraTS2021_00003_${m}.nii.gz`] = await image(k + 13);
  }
  files['Train/BraTS2021_00000/BraTS2021_00000_seg.nii.gz'] = await label(raw);
  files['Train/BraTS2021_00002/BraTS2021_00002_seg.nii.gz'] = await label(raw);
  // Label 3 is unused in BraTS 2021: nnU-Net's script raises 'unexpected label' on it.
  files['Train/BraTS2021_00003/BraTS2021_00003_seg.nii.gz'] = await label(rawLabel([0, 3]));
  files['Train/BraTS2021_00000/._BraTS2021_00000_t1.nii.gz'] = new Uint8Array([0]);
  return { files, raw };
}

async function labelOf(sink: ReturnType<typeof memorySink>, path: string) {
  const bytes = sink.files.get(path);
  if (!bytes) throw new Error(`${path} was not written`);
  return readImage(memorySource('out', { [path]: bytes }), path);
}

describe('layout detection', () => {
  it('detects the 2021 and 2023 namings and refuses a mix', () => {
    const e = (path: string): FileEntry => ({ path, kind: 'file', size: 1 });
    const l21 = detectLayout([e('a/BraTS2021_1_t1.nii.gz'), e('a/BraTS2021_1_t1ce.nii.gz'), e('a/BraTS2021_1_seg.nii.gz')]);
    expect(l21.edition).toBe('brats2021');
    expect(l21.cases[0]).toEqual({ id: 'BraTS2021_1', images: { t1: 'a/BraTS2021_1_t1.nii.gz', t1ce: 'a/BraTS2021_1_t1ce.nii.gz' }, seg: 'a/BraTS2021_1_seg.nii.gz' });
    const l23 = detectLayout([e('BraTS-GLI-00000-000/BraTS-GLI-00000-000-t2f.nii.gz'), e('BraTS-GLI-00000-000/BraTS-GLI-00000-000-seg.nii.gz')]);
    expect(l23.edition).toBe('brats2023');
    expect(l23.cases[0].images).toEqual({ flair: 'BraTS-GLI-00000-000/BraTS-GLI-00000-000-t2f.nii.gz' });
    expect(() => detectLayout([e('x_t1.nii.gz'), e('y-t1n.nii.gz')])).toThrow(/mixes the BraTS 2021 naming/);
    expect(() => detectLayout([e('x_t1.nii.gz'), e('y_t2.nii')])).toThrow(/mix \.nii and \.nii\.gz/);
    expect(() => detectLayout([e('readme.txt')])).toThrow(ConvertError);
  });
});

describe('BraTS 2021 → nnU-Net', () => {
  it('remaps labels voxel for voxel (Dataset137: 2→1, 1→2, 4→3), sorts cases, keeps geometry', async () => {
    const { files, raw } = await brats2021();
    const sink = memorySink();
    const report = await convertBrats(memorySource('brats', files), sink, OPTS);
    expect(report.dataset).toBe('Dataset137_BraTS2021');
    expect(report.edition).toBe('brats2021');
    expect(report.training).toEqual(['BraTS2021_00000']);
    expect(report.test).toEqual(['BraTS2021_00001']);
    expect(report.skipped.map((s) => s.case).sort()).toEqual(['BraTS2021_00002', 'BraTS2021_00003']);
    expect(report.findings.find((f) => f.case === 'BraTS2021_00002')!.rule).toBe('convert.incomplete-case');
    const bad = report.findings.find((f) => f.case === 'BraTS2021_00003')!;
    expect(bad.rule).toBe('convert.unexpected-label');
    expect(bad.message).toMatch(/label value 3 is not a raw BraTS 2021 label/);

    // nnunet-facts.md §4.2, by hand: 0→0, 1 (NCR)→2, 2 (ED)→1, 4 (ET)→3.
    const byHand: Record<number, number> = { 0: 0, 1: 2, 2: 1, 4: 3 };
    const out = await labelOf(sink, 'Dataset137_BraTS2021/labelsTr/BraTS2021_00000.nii.gz');
    expect(out.header.datatype).toBe('uint8');
    expect(out.header.dims).toEqual(DIMS);
    for (let i = 0; i < N; i++) expect(out.data[i]).toBe(byHand[raw[i]]);
    expect(out.header.affine).toEqual(AFFINE);

    // Images: byte-for-byte copies under the channel order T1, T1ce, T2, FLAIR.
    for (const [ch, m] of ['t1', 't1ce', 't2', 'flair'].entries()) {
      expect(sink.files.get(`Dataset137_BraTS2021/imagesTr/BraTS2021_00000_000${ch}.nii.gz`)).toEqual(files[`Train/BraTS2021_00000/BraTS2021_00000_${m}.nii.gz`]);
      expect(sink.files.get(`Dataset137_BraTS2021/imagesTs/BraTS2021_00001_000${ch}.nii.gz`)).toEqual(files[`Val/BraTS2021_00001/BraTS2021_00001_${m}.nii.gz`]);
    }
    expect([...sink.files.keys()].some((p) => p.includes('BraTS2021_00002') || p.includes('BraTS2021_00003'))).toBe(false);

    const json = JSON.parse(new TextDecoder().decode(sink.files.get('Dataset137_BraTS2021/dataset.json')));
    expect(Object.keys(json).slice(0, 4)).toEqual(['channel_names', 'labels', 'numTraining', 'file_ending']);
    expect(json.channel_names).toEqual({ 0: 'T1', 1: 'T1ce', 2: 'T2', 3: 'Flair' });
    expect(Object.values(json.labels)).toEqual([0, 1, 2, 3]);
    expect(Object.keys(json.labels)).toEqual(['background', 'edema', 'necrosis', 'enhancing tumor']);
    expect(json.numTraining).toBe(1);
    expect(json.file_ending).toBe('.nii.gz');
    expect(json.regions_class_order).toBeUndefined();
    // Voxel counts before and after agree tissue by tissue (nnunet-facts.md §7.1).
    const count = (v: number) => raw.filter((x) => x === v).length;
    expect(report.labelCounts.raw).toEqual({ 0: count(0), 1: count(1), 2: count(2), 4: count(4) });
    expect(report.labelCounts.written).toEqual({ '0 (background)': count(0), '1 (ED)': count(2), '2 (NCR)': count(1), '3 (ET)': count(4) });
  });

  it('"keep" maps only 4→3; --regions writes the regions of the chosen scheme', async () => {
    const { files, raw } = await brats2021();
    const sink = memorySink();
    await convertBrats(memorySource('brats', files), sink, { ...OPTS, scheme: 'keep', regions: true, id: 500, name: 'Keep' });
    const out = await labelOf(sink, 'Dataset500_Keep/labelsTr/BraTS2021_00000.nii.gz');
    for (let i = 0; i < N; i++) expect(out.data[i]).toBe(raw[i] === 4 ? 3 : raw[i]);
    const json = JSON.parse(new TextDecoder().decode(sink.files.get('Dataset500_Keep/dataset.json')));
    // keep: 1 NCR, 2 ED, 3 ET → WT [1,2,3], TC [1,3] (NCR + ET), ET [3]; reconstruction writes ED (2) for WT, then NCR (1), then ET (3).
    expect(Object.values(json.labels)).toEqual([0, [1, 2, 3], [1, 3], [3]]);
    expect(json.regions_class_order).toEqual([2, 1, 3]);

    const sink137 = memorySink();
    await convertBrats(memorySource('brats', files), sink137, { ...OPTS, regions: true });
    const j137 = JSON.parse(new TextDecoder().decode(sink137.files.get('Dataset137_BraTS2021/dataset.json')));
    // Dataset137_BraTS21.py: whole tumor [1,2,3], tumor core [2,3], enhancing tumor [3], regions_class_order [1,2,3].
    expect(Object.entries(j137.labels)).toEqual([['background', 0], ['whole tumor', [1, 2, 3]], ['tumor core', [2, 3]], ['enhancing tumor', [3]]]);
    expect(j137.regions_class_order).toEqual([1, 2, 3]);
  });

  it('refuses a non-empty target without force, and lists leftovers with it', async () => {
    const { files } = await brats2021();
    const sink = memorySink();
    sink.files.set('Dataset137_BraTS2021/imagesTr/old_0000.nii.gz', new Uint8Array(3));
    await expect(convertBrats(memorySource('brats', files), sink, OPTS)).rejects.toThrow(/Dataset137_BraTS2021 is not empty \(1 files\); pass --force/);
    const report = await convertBrats(memorySource('brats', files), sink, { ...OPTS, force: true });
    expect(report.leftovers).toEqual(['Dataset137_BraTS2021/imagesTr/old_0000.nii.gz']);
    expect(report.findings.some((f) => f.rule === 'convert.leftover-files')).toBe(true);
  });

  it('refuses reserved ids and odd names', async () => {
    const { files } = await brats2021();
    await expect(convertBrats(memorySource('b', files), memorySink(), { ...OPTS, id: 4 })).rejects.toThrow(/reserved for the Medical Segmentation Decathlon/);
    await expect(convertBrats(memorySource('b', files), memorySink(), { ...OPTS, name: 'my data' })).rejects.toThrow(/must be letters/);
  });

  it('reports an unreadable label by file and skips the case', async () => {
    const { files } = await brats2021();
    files['Train/BraTS2021_00000/BraTS2021_00000_seg.nii.gz'] = files['Train/BraTS2021_00000/BraTS2021_00000_seg.nii.gz'].subarray(0, 40);
    const report = await convertBrats(memorySource('b', files), memorySink(), OPTS);
    const f = report.findings.find((x) => x.case === 'BraTS2021_00000')!;
    expect(f.rule).toBe('convert.unreadable');
    expect(f.message).toContain('BraTS2021_00000_seg.nii.gz');
    expect(report.findings.some((x) => x.rule === 'convert.no-training')).toBe(true);
  });
});

describe('BraTS 2023+ → nnU-Net', () => {
  const id = 'BraTS-GLI-00005-000';
  async function brats2023(values: number[]) {
    const raw = rawLabel(values);
    const files: Record<string, Uint8Array> = {};
    for (const [k, m] of ['t1n', 't1c', 't2w', 't2f'].entries()) files[`${id}/${id}-${m}.nii.gz`] = await image(k + 2);
    files[`${id}/${id}-seg.nii.gz`] = await label(raw);
    return { files, raw };
  }

  it('maps t1n/t1c/t2w/t2f to channels 0-3 and labels 0-3 to Dataset137 (1↔2 swapped, 3 stays)', async () => {
    const { files, raw } = await brats2023([0, 1, 2, 3, 0]);
    const sink = memorySink();
    const report = await convertBrats(memorySource('b23', files), sink, { ...OPTS, name: 'BraTS2023' });
    expect(report.edition).toBe('brats2023');
    const out = await labelOf(sink, `Dataset137_BraTS2023/labelsTr/${id}.nii.gz`);
    const byHand: Record<number, number> = { 0: 0, 1: 2, 2: 1, 3: 3 };
    for (let i = 0; i < N; i++) expect(out.data[i]).toBe(byHand[raw[i]]);
    expect(sink.files.get(`Dataset137_BraTS2023/imagesTr/${id}_0001.nii.gz`)).toEqual(files[`${id}/${id}-t1c.nii.gz`]);
    expect(sink.files.get(`Dataset137_BraTS2023/imagesTr/${id}_0003.nii.gz`)).toEqual(files[`${id}/${id}-t2f.nii.gz`]);
  });

  it('refuses the 2024 resection cavity (label 4) with a message naming it', async () => {
    const { files } = await brats2023([0, 4]);
    const report = await convertBrats(memorySource('b23', files), memorySink(), OPTS);
    expect(report.findings[0].message).toMatch(/resection cavity/);
  });

  it('writes float labels with integral values as uint8, keeping the header geometry', async () => {
    const { files, raw } = await brats2023([0, 3, 1]);
    files[`${id}/${id}-seg.nii.gz`] = encodeNifti1({ dims: DIMS, datatype: 'float32', affine: AFFINE, data: Float32Array.from(raw) });
    const sink = memorySink();
    // Uncompressed seg inside a .nii.gz-named file: the reader goes by magic bytes, the converter writes gzip.
    await convertBrats(memorySource('b23', files), sink, { ...OPTS, scheme: 'keep' });
    const path = `Dataset137_BraTS2021/labelsTr/${id}.nii.gz`;
    const h = await readHeader(memorySource('o', { [path]: sink.files.get(path)! }), path);
    expect(h.datatype).toBe('uint8');
    expect(h.affine).toEqual(AFFINE);
    expect(h.zooms).toEqual([2, 2, 2]);
  });
});
