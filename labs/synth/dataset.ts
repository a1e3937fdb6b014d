/**
 * Whole datasets: which scans exist (patients, follow-ups), how they are laid out (raw BraTS 2021
 * or an nnU-Net raw dataset), and where the requested faults go. Writes through a FileSink, so the
 * CLI (Node fs), the browser and the tests (memory) share it.
 */
import { joinPath, type FileSink } from '../shared/files';
import { SCHEMES, remapFromBrats2021 } from '../shared/labels';
import { createRng } from '../shared/prng';
import type { Codec } from '../nifti/codec';
import { writeNiftiGz } from '../nifti/write';
import type { NiftiDatatype, TypedArray } from '../nifti/types';
import { generateCase, SIZES, tumourKindOf, type CaseMeta, type ScanSpec, type SizeId, type SynthCase } from './case';
import { MODALITIES, SCANNERS, type ScannerId } from './contrast';
import { FAULTS, appleDoubleBytes, dsStoreBytes, splitFaults, type FaultEntry, type FaultId, type FaultKey } from './faults';

export type Layout = 'brats' | 'nnunet';
export type TrainingScheme = 'nnunet137' | 'keep';

export interface SynthOptions {
  layout: Layout;
  /** One seed per patient; a patient's anatomy and lesion depend on nothing else. */
  seeds: number[];
  size: SizeId;
  followups: boolean;
  scanners: ScannerId[];
  scheme: TrainingScheme;
  /** nnU-Net dataset id and name (`Dataset501_Synth`). */
  datasetId: number;
  name: string;
  faults: FaultId[];
  /**
   * Also write the generator's tissue map (TISSUE_CODES in case.ts) as `tissueTr/<id>.nii.gz`:
   * the label maps that training/randomise.py paints new images from. Not part of nnU-Net's layout.
   */
  tissue?: boolean;
}

/** nnU-Net channel order of nnU-Net's own BraTS 2021 conversion (Dataset137_BraTS21.py). */
export const CHANNELS = [
  { index: '0000', modality: 't1', name: 'T1' },
  { index: '0001', modality: 't1ce', name: 'T1ce' },
  { index: '0002', modality: 't2', name: 'T2' },
  { index: '0003', modality: 'flair', name: 'Flair' },
] as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Patients and their scans. With follow-ups, about 40 % of patients get 2 or 3 scans. */
export function planScans(opts: Pick<SynthOptions, 'seeds' | 'size' | 'followups' | 'scanners' | 'layout'>): ScanSpec[] {
  const out: ScanSpec[] = [];
  for (const seed of opts.seeds) {
    const patientId = `P${pad(seed, 4)}`;
    const scans = opts.followups ? (createRng(seed).fork('followups').chance(0.4) ? createRng(seed).fork('followup-count').int(2, 3) : 1) : 1;
    for (let k = 0; k < scans; k++) {
      const nnId = opts.followups ? `${patientId}_s${k + 1}` : `BraTS2021_${pad(seed, 5)}`;
      const id = opts.layout === 'brats' && opts.followups ? `BraTS2021_${nnId}` : nnId;
      out.push({ id, patientId, patientSeed: seed, scan: k, size: opts.size, scanners: opts.scanners });
    }
  }
  return out;
}

export interface WrittenDataset {
  /** Folder of the dataset inside the sink ('' for the BraTS layout, which writes at the root). */
  folder: string;
  cases: CaseMeta[];
  /** Present when faults were requested. */
  key?: FaultKey;
}

export type ProgressFn = (done: number, total: number, caseId: string) => void;

async function encode(c: SynthCase, data: TypedArray, datatype: NiftiDatatype, codec: Codec, dims = c.dims, affine = c.affine): Promise<Uint8Array> {
  return writeNiftiGz({ dims, datatype, data, affine }, codec);
}

/** A sentence a student can read about a case: where the lesion sits and what it contains. */
export function describeCase(meta: CaseMeta): { title: string; description: string } {
  const [a, b, c] = meta.tumour.centre;
  // Brain frame: +a is the patient's left (LPS storage, first axis increases to the left).
  const side = a > 0 ? 'left' : 'right';
  const lobe = b > 22 ? 'frontal' : b < -40 ? 'occipital' : c < -2 ? 'temporal' : 'parietal';
  const parts = [meta.hasNCR ? 'a necrotic core' : 'no necrosis', meta.hasET ? (meta.hasNCR ? 'an enhancing rim' : 'solid enhancing tumour') : 'no enhancing tumour', 'surrounding edema'];
  const scanner = SCANNERS[meta.acquisition.scanner].title;
  return {
    title: `${meta.id}: ${side} ${lobe} lesion${meta.hasET ? '' : ' without enhancement'}`,
    description: `Synthetic glioma in the ${side} ${lobe} lobe with ${parts[0]}, ${parts[1]} and ${parts[2]}; scanned at ${scanner}.`,
  };
}

/** Writes the BraTS 2021 layout: one folder per case, plus patients.csv and index.json at the root. */
export async function writeBrats(sink: FileSink, opts: SynthOptions, codec: Codec, progress?: ProgressFn): Promise<WrittenDataset> {
  const scans = planScans(opts);
  const metas: CaseMeta[] = [];
  const index = [];
  const { voxelMm } = SIZES[opts.size];
  for (const [n, spec] of scans.entries()) {
    const c = generateCase(spec);
    const files: Record<string, string> = {};
    for (const m of MODALITIES) {
      files[m] = `${spec.id}/${spec.id}_${m}.nii.gz`;
      await sink.write(files[m], await encode(c, c.images[m], 'int16', codec));
    }
    files.seg = `${spec.id}/${spec.id}_seg.nii.gz`;
    await sink.write(files.seg, await encode(c, c.seg, 'uint8', codec));
    metas.push(c.meta);
    index.push({
      id: spec.id,
      ...describeCase(c.meta),
      hasET: c.meta.hasET,
      hasNCR: c.meta.hasNCR,
      shape: c.dims,
      spacing: [voxelMm, voxelMm, voxelMm],
      files,
      volumesMl: c.meta.volumesMl,
    });
    progress?.(n + 1, scans.length, spec.id);
  }
  await sink.write('patients.csv', patientsCsv(scans.map((s) => [s.id, s.patientId])));
  await sink.write('index.json', new TextEncoder().encode(JSON.stringify({ schemaVersion: 1, cases: index }, null, 2) + '\n'));
  return { folder: '', cases: metas };
}

function patientsCsv(rows: [string, string][]): Uint8Array {
  return new TextEncoder().encode(['case_id,patient_id', ...rows.map(([c, p]) => `${c},${p}`)].join('\n') + '\n');
}

interface Variant {
  folder: string;
  faults: FaultId[];
  entries: FaultEntry[];
  cases: string[];
  patients: [string, string][];
}

/** Which case carries which per-case fault: distinct cases, placed by the seed. */
function placeFaults(faults: FaultId[], scans: ScanSpec[], seed: number, etScore: (s: ScanSpec) => number): Map<FaultId, ScanSpec> {
  const perCase = faults.filter((f) => FAULTS[f].perCase);
  if (perCase.length === 0) return new Map();
  // The duplicate needs a clean source case besides the faulty ones.
  if (scans.length < perCase.length) {
    throw new Error(`--faults: ${perCase.length} per-case faults need at least ${perCase.length} cases, got ${scans.length}; raise --cases`);
  }
  const order = createRng(seed).fork('fault-placement').shuffle([...scans]);
  const placed = new Map<FaultId, ScanSpec>();
  // Label 4 needs enhancing tumour: give it the case that most surely has some.
  if (perCase.includes('label-4')) {
    const best = [...order].sort((x, y) => etScore(y) - etScore(x))[0];
    placed.set('label-4', best);
    order.splice(order.indexOf(best), 1);
  }
  for (const f of perCase) if (f !== 'label-4') placed.set(f, order.shift() as ScanSpec);
  return placed;
}

function datasetJson(opts: SynthOptions, numTraining: number, fault: FaultId | undefined): string {
  const scheme = SCHEMES[opts.scheme];
  const channels = Object.fromEntries(CHANNELS.map((c, i) => [String(i), c.name]));
  let labels: Record<string, number | number[]> = { background: 0 };
  for (const r of scheme.regions) labels[r.name] = r.labels;
  const json: Record<string, unknown> = {
    channel_names: channels,
    labels,
    regions_class_order: scheme.regionsClassOrder,
    numTraining,
    file_ending: '.nii.gz',
    name: opts.name,
    description: "Synthetic BraTS-like glioma cases made by BraTS Lab's generator (bratslab synth).",
    licence: 'CC BY 4.0',
    reference: 'BraTS Lab synthetic generator',
  };
  if (fault === 'json-v1-modality') {
    const { channel_names: _, ...rest } = json;
    return JSON.stringify({ modality: channels, ...rest }, null, 2) + '\n';
  }
  if (fault === 'labels-consecutive') {
    labels = { background: 0 };
    for (const l of scheme.labels) if (l.value > 0) labels[l.name] = l.tissue === 'ET' ? 4 : l.value;
    json.labels = labels;
    delete json.regions_class_order;
  }
  if (fault === 'regions-class-order') delete json.regions_class_order;
  const text = JSON.stringify(json, null, 2) + '\n';
  if (fault === 'json-comments') {
    return text
      .replace('{\n', '{\n  // channel order as in nnU-Net\'s Dataset137 conversion\n')
      .replace('  "numTraining"', '  /* update this when cases are added */\n  "numTraining"');
  }
  return text;
}

/** Cases in each extra dataset that only carries a dataset.json fault. */
export const EXTRA_DATASET_CASES = 2;

const TAGS: Partial<Record<FaultId, string>> = {
  'json-comments': 'JsonComments',
  'json-v1-modality': 'JsonV1',
  'labels-consecutive': 'LabelGap',
  'regions-class-order': 'NoClassOrder',
};

/**
 * Writes an nnU-Net raw dataset (imagesTr, labelsTr, dataset.json, patients.csv). With faults,
 * may write several datasets (see splitFaults) and returns one answer key per dataset.
 */
export async function writeNnunet(sink: FileSink, opts: SynthOptions, codec: Codec, seed: number, progress?: ProgressFn): Promise<WrittenDataset[]> {
  const scans = planScans(opts);
  const groups = opts.faults.length > 0 ? splitFaults(opts.faults) : [[]];
  if (opts.datasetId < 11 || opts.datasetId + groups.length - 1 > 999) {
    throw new Error(`--id: nnU-Net reserves 001-010 and needs three digits; ${opts.datasetId} does not fit (${groups.length} dataset(s) to write)`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(opts.name)) throw new Error(`--name: use letters, digits, - and _ only (got "${opts.name}")`);
  const variants: Variant[] = groups.map((faults, v) => ({
    folder: `Dataset${pad(opts.datasetId + v, 3)}_${opts.name}${v === 0 ? '' : (TAGS[faults[0]] ?? '')}`,
    faults,
    entries: [],
    cases: [],
    patients: [],
  }));
  const perCaseFaults = variants[0].faults;
  // Solid enhancing lesions survive even the 5 mm tiny grid; rims may not.
  const etScore = (s: ScanSpec) => ({ 'no-ncr': 2, classic: 1, 'no-et': 0 })[tumourKindOf(s.patientSeed)];
  const placed = placeFaults(perCaseFaults, scans, seed, etScore);
  const faultOf = new Map<string, FaultId>();
  for (const [f, s] of placed) faultOf.set(s.id, f);
  const remap = remapFromBrats2021(opts.scheme);
  const etValue = SCHEMES[opts.scheme].labels.find((l) => l.tissue === 'ET')?.value ?? 3;

  const metas: CaseMeta[] = [];
  for (const [n, spec] of scans.entries()) {
    const c = generateCase(spec);
    metas.push(c.meta);
    const label = new Uint8Array(c.seg.length);
    for (let i = 0; i < label.length; i++) label[i] = remap[c.seg[i]];
    const clean = new Map<string, Uint8Array>();
    for (const ch of CHANNELS) clean.set(`imagesTr/${spec.id}_${ch.index}.nii.gz`, await encode(c, c.images[ch.modality], 'int16', codec));
    clean.set(`labelsTr/${spec.id}.nii.gz`, await encode(c, label, 'uint8', codec));
    if (opts.tissue) clean.set(`tissueTr/${spec.id}.nii.gz`, await encode(c, c.tissue, 'uint8', codec));

    for (const v of variants) {
      // The dataset.json-only variants need a few cases, not all of them.
      if (v !== variants[0] && n >= EXTRA_DATASET_CASES) continue;
      let files = clean;
      const fault = v === variants[0] ? faultOf.get(spec.id) : undefined;
      if (fault) files = await applyCaseFault(fault, c, label, etValue, clean, v, codec);
      if (v.faults.includes('labels-consecutive')) {
        // This dataset declares ET as 4, so its label files must say 4 too.
        const four = label.map((x) => (x === etValue ? 4 : x));
        files = new Map(files);
        files.set(`labelsTr/${spec.id}.nii.gz`, await encode(c, four, 'uint8', codec));
      }
      for (const [p, bytes] of files) await sink.write(joinPath(v.folder, p), bytes);
      v.cases.push(spec.id);
      v.patients.push([spec.id, spec.patientId]);
      if (fault === 'duplicate-case') {
        // The same scan copied under a new id and filed as a new patient, as happens when one
        // export is imported twice.
        const nextSeed = Math.max(...opts.seeds) + 1;
        const dupId = opts.followups ? `P${pad(nextSeed, 4)}_s1` : `BraTS2021_${pad(nextSeed, 5)}`;
        for (const [p, bytes] of files) await sink.write(joinPath(v.folder, p.replace(spec.id, dupId)), bytes);
        v.cases.push(dupId);
        v.patients.push([dupId, `P${pad(nextSeed, 4)}`]);
        v.entries.push({ fault, rule: FAULTS[fault].rule, path: null, case: dupId, description: `${dupId} holds exactly the images and label of ${spec.id} (same patient, listed as another one in patients.csv)` });
      }
    }
    progress?.(n + 1, scans.length, spec.id);
  }

  const out: WrittenDataset[] = [];
  for (const v of variants) {
    const jsonFault = v.faults.find((f) => !FAULTS[f].perCase && f !== 'hidden-files' && f !== 'num-training');
    let numTraining = v.cases.length;
    if (v.faults.includes('num-training')) {
      numTraining += 3;
      v.entries.push({ fault: 'num-training', rule: FAULTS['num-training'].rule, path: 'dataset.json', case: null, description: `numTraining says ${numTraining}, imagesTr holds ${v.cases.length} cases` });
    }
    await sink.write(joinPath(v.folder, 'dataset.json'), new TextEncoder().encode(datasetJson(opts, numTraining, jsonFault)));
    if (jsonFault) v.entries.push({ fault: jsonFault, rule: FAULTS[jsonFault].rule, path: 'dataset.json', case: null, description: FAULTS[jsonFault].title });
    if (v.faults.includes('hidden-files')) {
      // On a case without other faults, so the AppleDouble file is the only oddity there.
      const first = v.cases.find((id) => !faultOf.has(id)) ?? v.cases[0];
      await sink.write(joinPath(v.folder, 'imagesTr/.DS_Store'), dsStoreBytes());
      await sink.write(joinPath(v.folder, `imagesTr/._${first}_0000.nii.gz`), appleDoubleBytes());
      v.entries.push({ fault: 'hidden-files', rule: FAULTS['hidden-files'].rule, path: 'imagesTr/.DS_Store', case: null, description: 'Finder metadata file left by macOS' });
      v.entries.push({ fault: 'hidden-files', rule: FAULTS['hidden-files'].rule, path: `imagesTr/._${first}_0000.nii.gz`, case: null, description: 'AppleDouble file: ends in .nii.gz but is not an image' });
    }
    await sink.write(joinPath(v.folder, 'patients.csv'), patientsCsv(v.patients));
    out.push({
      folder: v.folder,
      cases: metas,
      ...(opts.faults.length > 0 ? { key: { schemaVersion: 1 as const, seed, dataset: v.folder, faults: v.entries } } : {}),
    });
  }
  return out;
}

/** Returns the case's files with one fault applied, and records it in the variant's key. */
async function applyCaseFault(
  fault: FaultId,
  c: SynthCase,
  label: Uint8Array,
  etValue: number,
  clean: Map<string, Uint8Array>,
  v: Variant,
  codec: Codec,
): Promise<Map<string, Uint8Array>> {
  const id = c.spec.id;
  const files = new Map(clean);
  const img = (i: number) => `imagesTr/${id}_${CHANNELS[i].index}.nii.gz`;
  const lab = `labelsTr/${id}.nii.gz`;
  const add = (rule: string, path: string | null, description: string) => v.entries.push({ fault, rule, path, case: id, description });
  const [nx, ny, nz] = c.dims;
  // A small cube in the middle of the brain, for NaN and inf voxels.
  const cube = (arr: Float32Array, value: number) => {
    const ci = nx >> 1;
    const cj = ny >> 1;
    const ck = nz >> 1;
    for (let k = ck - 1; k <= ck + 1; k++) for (let j = cj - 1; j <= cj + 1; j++) for (let i = ci - 1; i <= ci + 1; i++) arr[(k * ny + j) * nx + i] = value;
  };
  switch (fault) {
    case 'missing-modality':
      files.delete(img(3));
      add(FAULTS[fault].rule, img(3), 'FLAIR (channel 0003) file missing for this case');
      break;
    case 'channel-swap':
      files.set(img(0), clean.get(img(2)) as Uint8Array);
      files.set(img(2), clean.get(img(0)) as Uint8Array);
      add(FAULTS[fault].rule, img(0), `channel 0000 holds the T2 volume and channel 0002 the T1 volume`);
      break;
    case 'label-4': {
      const raw = label.map((x) => (x === etValue ? 4 : x));
      files.set(lab, await encode(c, raw, 'uint8', codec));
      add(FAULTS[fault].rule, lab, `enhancing tumour written as BraTS's raw 4 instead of ${etValue}`);
      break;
    }
    case 'float-labels': {
      // What linear interpolation of a label map produces: averages across label borders.
      const f = new Float32Array(label.length);
      for (let i = 0; i < label.length; i++) f[i] = (i % nx) + 1 < nx ? (label[i] + label[i + 1]) / 2 : label[i];
      files.set(lab, await encode(c, f, 'float32', codec));
      add(FAULTS[fault].rule, lab, 'label resampled with linear interpolation: values such as 0.5 and 1.5 at borders');
      add('dataset.label-float-dtype', lab, 'label stored as float32');
      break;
    }
    case 'label-shape': {
      const cut = nx * ny * (nz - 2);
      files.set(lab, await encode(c, label.slice(0, cut), 'uint8', codec, [nx, ny, nz - 2]));
      add(FAULTS[fault].rule, lab, `label has ${nz - 2} slices, its images ${nz}`);
      break;
    }
    case 'label-spacing': {
      const affine = c.affine.map((row) => [...row]);
      for (let r = 0; r < 3; r++) affine[r][2] *= 1.25;
      files.set(lab, await encode(c, label, 'uint8', codec, c.dims, affine));
      add(FAULTS[fault].rule, lab, `label slice spacing ${c.voxelMm * 1.25} mm, images ${c.voxelMm} mm`);
      break;
    }
    case 'nan-voxels':
    case 'inf-voxels': {
      const ch = fault === 'nan-voxels' ? 1 : 2;
      const f = Float32Array.from(c.images[CHANNELS[ch].modality]);
      cube(f, fault === 'nan-voxels' ? NaN : Infinity);
      files.set(img(ch), await encode(c, f, 'float32', codec));
      add(FAULTS[fault].rule, img(ch), `27 ${fault === 'nan-voxels' ? 'NaN' : 'infinite'} voxels (a 3×3×3 cube at the volume centre)`);
      break;
    }
    case 'empty-label':
      files.set(lab, await encode(c, new Uint8Array(label.length), 'uint8', codec));
      add(FAULTS[fault].rule, lab, 'label holds background only');
      break;
    case 'channel-suffix': {
      const wrong = `imagesTr/${id}_flair.nii.gz`;
      files.set(wrong, clean.get(img(3)) as Uint8Array);
      files.delete(img(3));
      add(FAULTS[fault].rule, wrong, 'FLAIR kept its BraTS name instead of the _0003 suffix');
      add('dataset.channel-missing', img(3), 'so channel 0003 is missing for this case');
      break;
    }
    case 'label-suffix': {
      const wrong = `labelsTr/${id}_0000.nii.gz`;
      files.set(wrong, clean.get(lab) as Uint8Array);
      files.delete(lab);
      add(FAULTS[fault].rule, wrong, 'label named like an image channel');
      add('dataset.image-without-label', null, `so ${lab} is missing`);
      break;
    }
    case 'truncated': {
      const whole = clean.get(img(1)) as Uint8Array;
      files.set(img(1), whole.slice(0, Math.floor(whole.length * 0.55)));
      add(FAULTS[fault].rule, img(1), `gzip stream cut after ${Math.floor(whole.length * 0.55)} of ${whole.length} bytes`);
      break;
    }
    case 'duplicate-case':
      // Recorded by the caller, which writes the copy under its new id.
      break;
    default:
      throw new Error(`fault ${fault} is not a per-case fault`);
  }
  return files;
}
