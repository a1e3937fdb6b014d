// Datasets written by labs/synth, read back with labs/nifti: the BraTS and nnU-Net layouts, and
// the fault catalogue — every fault present in the files exactly as the answer key says, the
// rest of the dataset clean, and nothing inside the dataset betraying a fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage, readHeader, axcodes } from '../../labs/nifti/index';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink, nodeSource } from '../../labs/cli/node-files';
import { generateCase } from '../../labs/synth/case';
import { planScans, writeBrats, writeNnunet, type SynthOptions, type WrittenDataset } from '../../labs/synth/dataset';
import { FAULT_IDS, type FaultKey } from '../../labs/synth/faults';
import { tinyNnunet } from '../helpers/synth';
import { CI, nibabel, nibabelPython, type NibabelView } from '../fixtures/nifti/reference';

// The validator's rule ids, copied from the team's fixed list (not from labs/synth).
const RULE_IDS = new Set(
  (
    'folder-name reserved-id missing-folder json-missing json-syntax json-keys json-v1-modality labels-background ' +
    'labels-consecutive labels-ignore regions-class-order regions-mixed-scheme file-ending num-training channel-missing ' +
    'channel-gap channel-extra channel-suffix label-suffix image-without-label label-without-image wrong-ending hidden-file ' +
    'case-collision images-ts-channels non-regular-file unreadable shape-mismatch spacing-mismatch geometry-mismatch ' +
    'dimensionality image-nan image-inf label-values label-unconverted-brats label-non-integer label-float-dtype label-empty ' +
    'label-unused format-unchecked channel-swap duplicate-case channel-all-zero orientation-varies'
  )
    .split(' ')
    .map((r) => `dataset.${r}`),
);

const base: SynthOptions = tinyNnunet(Array.from({ length: 14 }, (_, i) => 40 + i));

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synth-faults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (root: string, path: string) => readImage(nodeSource(root), path, { codec: nodeCodec });

describe('synth: BraTS layout', () => {
  it('writes BraTS 2021 names, int16 images, uint8 raw labels, LPS, patients.csv and index.json', async () => {
    const out = join(dir, 'brats');
    const opts: SynthOptions = { ...base, layout: 'brats', seeds: [5, 6], followups: false };
    await writeBrats(nodeSink(out), opts, nodeCodec);
    expect(readdirSync(out).sort()).toEqual(['BraTS2021_00005', 'BraTS2021_00006', 'index.json', 'patients.csv']);
    for (const m of ['t1', 't1ce', 't2', 'flair']) {
      const { header } = await read(out, `BraTS2021_00005/BraTS2021_00005_${m}.nii.gz`);
      expect(header.datatype).toBe('int16');
      expect(header.dims).toEqual([48, 48, 31]);
      expect(axcodes(header.affine)).toEqual(['L', 'P', 'S']);
      expect(header.descrip).toBe('');
    }
    const seg = await read(out, 'BraTS2021_00005/BraTS2021_00005_seg.nii.gz');
    expect(seg.header.datatype).toBe('uint8');
    for (const v of new Set(seg.data as Uint8Array)) expect([0, 1, 2, 4]).toContain(v);
    expect(readFileSync(join(out, 'patients.csv'), 'utf8')).toBe('case_id,patient_id\nBraTS2021_00005,P0005\nBraTS2021_00006,P0006\n');
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.schemaVersion).toBe(1);
    expect(index.cases[0].files.seg).toBe('BraTS2021_00005/BraTS2021_00005_seg.nii.gz');
    // Volumes in the index agree with the label file (5 mm voxels: 0.125 ml each).
    const counts = { 1: 0, 2: 0, 4: 0 } as Record<number, number>;
    for (const v of seg.data as Uint8Array) if (v) counts[v]++;
    expect(index.cases[0].volumesMl.ED).toBeCloseTo(counts[2] * 0.125, 1);
    expect(index.cases[0].hasET).toBe(counts[4] > 0);
  });

  it('names follow-up scans after the patient and lists them in patients.csv', () => {
    const scans = planScans({ ...base, seeds: Array.from({ length: 30 }, (_, i) => i), followups: true });
    const byPatient = new Map<string, string[]>();
    for (const s of scans) {
      expect(s.id).toMatch(/^P\d{4}_s\d$/);
      expect(s.id.startsWith(s.patientId + '_s')).toBe(true);
      byPatient.set(s.patientId, [...(byPatient.get(s.patientId) ?? []), s.id]);
    }
    const multi = [...byPatient.values()].filter((v) => v.length > 1).length;
    expect(multi).toBeGreaterThan(3);
    expect(multi).toBeLessThan(25);
  });
});

describe('synth: clean nnU-Net dataset', () => {
  it('matches the Dataset137 conventions: channels, labels, dataset.json', async () => {
    const out = join(dir, 'clean');
    const [w] = await writeNnunet(nodeSink(out), { ...base, seeds: [1, 2, 3] }, nodeCodec, 1);
    const root = join(out, w.folder);
    expect(w.folder).toBe('Dataset501_Synth');
    expect(w.key).toBeUndefined();
    const json = JSON.parse(readFileSync(join(root, 'dataset.json'), 'utf8'));
    // nnunetv2/dataset_conversion/Dataset137_BraTS21.py
    expect(json.channel_names).toEqual({ 0: 'T1', 1: 'T1ce', 2: 'T2', 3: 'Flair' });
    expect(Object.values(json.labels)).toEqual([0, [1, 2, 3], [2, 3], [3]]);
    expect(json.regions_class_order).toEqual([1, 2, 3]);
    expect(json.numTraining).toBe(3);
    expect(json.file_ending).toBe('.nii.gz');
    expect(readdirSync(join(root, 'imagesTr')).length).toBe(12);
    // Labels converted: raw ET 4 -> 3, NCR 1 -> 2, ED 2 -> 1.
    const raw = generateCase(planScans({ ...base, seeds: [1] })[0]).seg;
    const { data } = await read(root, 'labelsTr/BraTS2021_00001.nii.gz');
    const map: Record<number, number> = { 0: 0, 1: 2, 2: 1, 4: 3 };
    let diff = 0;
    for (let i = 0; i < raw.length; i++) if (map[raw[i]] !== (data as Uint8Array)[i]) diff++;
    expect(diff).toBe(0);
    // T1 channel holds the T1 volume.
    const t1 = await read(root, 'imagesTr/BraTS2021_00001_0000.nii.gz');
    expect(Buffer.from((t1.data as Int16Array).buffer).equals(Buffer.from(generateCase(planScans({ ...base, seeds: [1] })[0]).images.t1.buffer))).toBe(true);
  });
});

describe('synth: fault catalogue', () => {
  let written: WrittenDataset[] = [];
  const out = () => join(dir, 'faulty');
  beforeAll(async () => {
    written = await writeNnunet(nodeSink(out()), { ...base, faults: [...FAULT_IDS] }, nodeCodec, 40);
  });

  it('covers every fault of issue 3 with a rule id from the validator list', () => {
    const entries = written.flatMap((w) => (w.key as FaultKey).faults);
    expect(new Set(entries.map((e) => e.fault))).toEqual(new Set(FAULT_IDS));
    for (const e of entries) expect(RULE_IDS.has(e.rule), e.rule).toBe(true);
    for (const w of written) {
      expect(w.key?.schemaVersion).toBe(1);
      expect(w.key?.seed).toBe(40);
      expect(w.key?.dataset).toBe(w.folder);
    }
  });

  it('puts each fault in the files exactly where the key says', async () => {
    for (const w of written) {
      const root = join(out(), w.folder);
      const src = nodeSource(root);
      const json = () => readFileSync(join(root, 'dataset.json'), 'utf8');
      for (const e of (w.key as FaultKey).faults) {
        const at = e.path ?? '';
        const label = `${e.fault} ${e.rule} ${at}`;
        switch (e.rule) {
          case 'dataset.channel-missing':
            expect(existsSync(join(root, at)), label).toBe(false);
            break;
          case 'dataset.channel-swap': {
            const spec = planScans(base).find((s) => s.id === e.case)!;
            const c = generateCase(spec);
            const got = (await read(root, at)).data as Int16Array;
            expect(Buffer.from(got.buffer).equals(Buffer.from(c.images.t2.buffer)), label).toBe(true);
            break;
          }
          case 'dataset.label-unconverted-brats': {
            const v = new Set((await read(root, at)).data as Uint8Array);
            expect(v.has(4), label).toBe(true);
            expect(v.has(3), label).toBe(false);
            break;
          }
          case 'dataset.label-non-integer': {
            const d = (await read(root, at)).data as Float32Array;
            expect(d.some((x) => x !== Math.round(x)), label).toBe(true);
            break;
          }
          case 'dataset.label-float-dtype':
            expect((await readHeader(src, at, { codec: nodeCodec })).datatype).toBe('float32');
            break;
          case 'dataset.shape-mismatch': {
            const h = await readHeader(src, at, { codec: nodeCodec });
            expect(h.dims, label).not.toEqual([48, 48, 31]);
            break;
          }
          case 'dataset.spacing-mismatch': {
            const h = await readHeader(src, at, { codec: nodeCodec });
            expect(h.dims).toEqual([48, 48, 31]);
            expect(h.zooms, label).not.toEqual([5, 5, 5]);
            break;
          }
          case 'dataset.image-nan':
          case 'dataset.image-inf': {
            const d = (await read(root, at)).data as Float32Array;
            const bad = d.filter((x) => (e.rule === 'dataset.image-nan' ? Number.isNaN(x) : x === Infinity || x === -Infinity)).length;
            expect(bad, label).toBe(27);
            break;
          }
          case 'dataset.label-empty': {
            const d = (await read(root, at)).data as Uint8Array;
            expect(d.every((x) => x === 0), label).toBe(true);
            break;
          }
          case 'dataset.channel-suffix':
            expect(existsSync(join(root, at)), label).toBe(true);
            expect(at).toMatch(/_flair\.nii\.gz$/);
            break;
          case 'dataset.label-suffix':
            expect(existsSync(join(root, at)), label).toBe(true);
            expect(at).toMatch(/^labelsTr\/.+_\d{4}\.nii\.gz$/);
            break;
          case 'dataset.image-without-label':
            expect(existsSync(join(root, `labelsTr/${e.case}.nii.gz`)), label).toBe(false);
            expect(existsSync(join(root, `imagesTr/${e.case}_0000.nii.gz`)), label).toBe(true);
            break;
          case 'dataset.unreadable':
            await expect(read(root, at), label).rejects.toThrow();
            break;
          case 'dataset.duplicate-case': {
            const copy = readdirSync(join(root, 'imagesTr')).filter((f) => f.startsWith(`${e.case}_`));
            expect(copy.length).toBe(4);
            const original = e.description.match(/of (\S+) /)![1];
            for (const f of copy) {
              expect(readFileSync(join(root, 'imagesTr', f)).equals(readFileSync(join(root, 'imagesTr', f.replace(e.case!, original)))), label).toBe(true);
            }
            const csv = readFileSync(join(root, 'patients.csv'), 'utf8');
            const pid = (id: string) => csv.split('\n').find((l) => l.startsWith(id + ','))!.split(',')[1];
            expect(pid(e.case!)).not.toBe(pid(original));
            break;
          }
          case 'dataset.hidden-file':
            expect(existsSync(join(root, at)), label).toBe(true);
            break;
          case 'dataset.num-training': {
            const n = new Set(readdirSync(join(root, 'imagesTr')).filter((f) => /_\d{4}\.nii\.gz$/.test(f) && !f.startsWith('.')).map((f) => f.slice(0, -12))).size;
            expect(JSON.parse(json()).numTraining, label).not.toBe(n);
            break;
          }
          case 'dataset.json-syntax':
            expect(() => JSON.parse(json()), label).toThrow();
            break;
          case 'dataset.json-v1-modality': {
            const j = JSON.parse(json());
            expect(j.modality).toBeDefined();
            expect(j.channel_names).toBeUndefined();
            break;
          }
          case 'dataset.labels-consecutive': {
            const values = (Object.values(JSON.parse(json()).labels) as number[]).sort();
            expect(values).toEqual([0, 1, 2, 4]);
            break;
          }
          case 'dataset.regions-class-order': {
            const j = JSON.parse(json());
            expect(Object.values(j.labels).some(Array.isArray)).toBe(true);
            expect(j.regions_class_order).toBeUndefined();
            break;
          }
          default:
            throw new Error(`no check for ${e.rule}`);
        }
      }
    }
  });

  it('keeps everything the key does not name clean and hides nothing inside the dataset', async () => {
    const [primary] = written;
    const root = join(out(), primary.folder);
    const named = new Set((primary.key as FaultKey).faults.map((e) => e.path));
    const touchedCases = new Set((primary.key as FaultKey).faults.map((e) => e.case));
    // Only the expected kinds of files exist; no side files, no key inside the dataset.
    const top = readdirSync(root).sort();
    expect(top).toEqual(['dataset.json', 'imagesTr', 'labelsTr', 'patients.csv']);
    for (const f of readdirSync(join(root, 'labelsTr'))) {
      const path = `labelsTr/${f}`;
      const { header, data } = await read(root, path);
      // No header text field carries a marker, faulty or not.
      expect(header.descrip).toBe('');
      expect(header.auxFile).toBe('');
      if (named.has(path)) continue;
      expect(header.datatype).toBe('uint8');
      expect(header.dims).toEqual([48, 48, 31]);
      for (const v of new Set(data as Uint8Array)) expect([0, 1, 2, 3]).toContain(v);
    }
    for (const f of readdirSync(join(root, 'imagesTr'))) {
      const path = `imagesTr/${f}`;
      if (named.has(path) || f.startsWith('.')) continue;
      const id = f.slice(0, -12);
      expect(f, path).toMatch(/_000[0-3]\.nii\.gz$/);
      const { header } = await read(root, path);
      expect(header.descrip).toBe('');
      if (!touchedCases.has(id)) expect(header.datatype).toBe('int16');
    }
  });

  it.skipIf(!nibabelPython() && !CI)('shows nibabel, a reader no one here wrote, the same faults', () => {
    expect(nibabelPython(), 'install python3-nibabel').not.toBeNull();
    const [primary] = written;
    const root = join(out(), primary.folder);
    const entries = (primary.key as FaultKey).faults;
    const byRule = (rule: string) => entries.find((e) => e.rule === rule)!;
    const clean = readdirSync(join(root, 'imagesTr')).find((f) => /_0000\.nii\.gz$/.test(f) && !f.startsWith('.') && !entries.some((e) => e.case && f.startsWith(e.case)))!;
    const paths = ['dataset.image-nan', 'dataset.image-inf', 'dataset.label-float-dtype', 'dataset.shape-mismatch', 'dataset.spacing-mismatch'].map((r) => byRule(r).path!);
    const views = nibabel<NibabelView[]>(['describe', ...[...paths, `imagesTr/${clean}`].map((p) => join(root, p))]);
    const [nan, inf, float, shape, spacing, ok] = views;
    expect(nan.nan).toBe(27);
    expect(inf.inf).toBe(27);
    expect(float.dtype).toBe('float32');
    expect(shape.shape).not.toEqual(ok.shape);
    expect(spacing.shape).toEqual(ok.shape);
    expect(spacing.zooms).not.toEqual(ok.zooms);
    expect(ok.shape).toEqual([48, 48, 31]);
    expect(ok.zooms).toEqual([5, 5, 5]);
    expect(ok.axcodes).toEqual(['L', 'P', 'S']);
    expect(ok.dtype).toBe('int16');
  });

  it('places faults by seed: same seed, same key', async () => {
    const again = await writeNnunet(nodeSink(join(dir, 'again')), { ...base, faults: [...FAULT_IDS] }, nodeCodec, 40);
    expect(again.map((w) => w.key)).toEqual(written.map((w) => w.key));
    const other = await writeNnunet(nodeSink(join(dir, 'other')), { ...base, faults: ['nan-voxels', 'empty-label'] }, nodeCodec, 41);
    expect(other).toHaveLength(1);
    expect(other[0].key?.faults.map((f) => f.rule).sort()).toEqual(['dataset.image-nan', 'dataset.label-empty']);
  });
});
