/**
 * BraTS → nnU-Net raw dataset conversion over a FileSource (the BraTS folder) and a FileSink (the
 * nnUNet_raw folder), so the CLI and the browser lab run the same code.
 *
 * What nnU-Net's own script does (nnunetv2/dataset_conversion/Dataset137_BraTS21.py, see
 * shared/reference/nnunet-facts.md §4.2): copy the images byte for byte as channels
 * T1 → _0000, T1ce → _0001, T2 → _0002, FLAIR → _0003; rewrite each label with the mapping
 * 2 (ED) → 1, 1 (NCR) → 2, 4 (ET) → 3, keeping the source geometry and pixel type; refuse any other
 * raw value; declare regions WT [1,2,3], TC [2,3], ET [3] with regions_class_order [1,2,3].
 * This converter does the same by default and adds what the script lacks: the BraTS 2023+ naming
 * (t1n/t1c/t2w/t2f, labels 0-3), the "keep" scheme, label mode without regions, cases without a
 * label going to imagesTs, incomplete cases reported and skipped, and a refusal to write into a
 * non-empty dataset folder.
 */
import { basename, joinPath, type FileEntry, type FileSink, type FileSource } from '../shared/files';
import type { Finding } from '../shared/findings';
import { SCHEMES, remapFromBrats2021, remapFromBrats2023, type RegionId, type TissueId } from '../shared/labels';
import { NiftiError, allocateVoxels, encodeNifti1, readImage, scaling, webCodec, type Codec, type NiftiDatatype, type NiftiHeader, type TypedArray } from '../nifti';

export type Edition = 'brats2021' | 'brats2023';
export type TargetScheme = 'nnunet137' | 'keep';
export type Modality = 't1' | 't1ce' | 't2' | 'flair';

/** The channel order of nnU-Net's Dataset137 (and of every BraTS nnU-Net model since). */
export const CHANNELS: readonly Modality[] = ['t1', 't1ce', 't2', 'flair'];
/** channel_names exactly as Dataset137_BraTS21.py writes them. */
export const CHANNEL_NAMES: Record<string, string> = { '0': 'T1', '1': 'T1ce', '2': 'T2', '3': 'Flair' };

/** File-name suffix of each modality per edition: BraTS 2021 `_t1ce`, BraTS 2023+ `-t1c`. */
export const SUFFIXES: Record<Edition, Record<Modality | 'seg', string>> = {
  brats2021: { t1: 't1', t1ce: 't1ce', t2: 't2', flair: 'flair', seg: 'seg' },
  brats2023: { t1: 't1n', t1ce: 't1c', t2: 't2w', flair: 't2f', seg: 'seg' },
};

const NAME_2021 = /^(.+)_(t1|t1ce|t2|flair|seg)(\.nii\.gz|\.nii)$/i;
const NAME_2023 = /^(.+)[-_](t1n|t1c|t2w|t2f|seg)(\.nii\.gz|\.nii)$/i;

export interface BratsCase {
  id: string;
  /** Source paths per modality (absent when missing). */
  images: Partial<Record<Modality, string>>;
  seg?: string;
}

export interface BratsLayout {
  edition: Edition;
  /** `.nii.gz` or `.nii`, the same for every file (nnU-Net needs one file_ending). */
  ending: string;
  cases: BratsCase[];
  /** Problems found while reading the layout (duplicate ids, mixed endings). */
  findings: Finding[];
}

const DOCS = '/weeks/week-06/04-converting-brats-2021/';

function finding(rule: string, severity: Finding['severity'], message: string, hint: string, extra: Partial<Finding> = {}): Finding {
  return { rule, severity, message, hint, docs: DOCS, ...extra };
}

/** Why one case could not be converted: becomes a finding with this rule, and the case is skipped. */
class CaseError extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly evidence?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The user-facing error for a layout that cannot be converted at all. */
export class ConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertError';
  }
}

/**
 * Finds the BraTS cases under a source: files named `<case>_<t1|t1ce|t2|flair|seg>.nii[.gz]`
 * (2021) or `<case>-<t1n|t1c|t2w|t2f|seg>.nii[.gz]` (2023+), anywhere below the root, grouped by
 * the case id in their name. The edition comes from the image names; hidden files are ignored.
 */
export function detectLayout(entries: readonly FileEntry[]): BratsLayout {
  const files = entries.filter((e) => e.kind === 'file' && !basename(e.path).startsWith('.'));
  const hits: Record<Edition, { id: string; suffix: string; ending: string; path: string }[]> = { brats2021: [], brats2023: [] };
  for (const f of files) {
    const name = basename(f.path);
    const m21 = NAME_2021.exec(name);
    const m23 = NAME_2023.exec(name);
    if (m21) hits.brats2021.push({ id: m21[1], suffix: m21[2].toLowerCase(), ending: m21[3].toLowerCase(), path: f.path });
    if (m23) hits.brats2023.push({ id: m23[1], suffix: m23[2].toLowerCase(), ending: m23[3].toLowerCase(), path: f.path });
  }
  // A seg file matches both patterns; the images decide.
  const images = (e: Edition) => hits[e].filter((h) => h.suffix !== 'seg').length;
  const n21 = images('brats2021');
  const n23 = images('brats2023');
  if (n21 === 0 && n23 === 0) {
    throw new ConvertError(
      'no BraTS images found: expected files named like BraTS2021_00000_t1.nii.gz (BraTS 2021) or BraTS-GLI-00000-000-t1n.nii.gz (BraTS 2023+)',
    );
  }
  if (n21 > 0 && n23 > 0) {
    const a = hits.brats2021.find((h) => h.suffix !== 'seg')!;
    const b = hits.brats2023.find((h) => h.suffix !== 'seg')!;
    throw new ConvertError(`the folder mixes the BraTS 2021 naming (${a.path}) and the 2023+ naming (${b.path}); convert each edition separately`);
  }
  const edition: Edition = n21 > 0 ? 'brats2021' : 'brats2023';
  const suffixToModality = Object.fromEntries(Object.entries(SUFFIXES[edition]).map(([m, s]) => [s, m])) as Record<string, Modality | 'seg'>;
  const endings = new Set(hits[edition].map((h) => h.ending));
  if (endings.size > 1) {
    throw new ConvertError('the BraTS files mix .nii and .nii.gz; nnU-Net needs one file_ending: compress the .nii files (gzip) first');
  }
  const findings: Finding[] = [];
  const cases = new Map<string, BratsCase>();
  const folderOf = new Map<string, string>();
  for (const h of hits[edition]) {
    const folder = h.path.slice(0, h.path.length - basename(h.path).length);
    const known = folderOf.get(h.id);
    if (known !== undefined && known !== folder) {
      findings.push(
        finding('convert.duplicate-case', 'error', `Case ${h.id} appears in two folders (${known || '.'} and ${folder || '.'}); the copy in ${folder || '.'} is skipped.`, 'Keep one copy of each case, or convert the two folders separately.', {
          path: h.path,
          case: h.id,
        }),
      );
      continue;
    }
    folderOf.set(h.id, folder);
    const c = cases.get(h.id) ?? { id: h.id, images: {} };
    const m = suffixToModality[h.suffix];
    if (m === 'seg') c.seg = h.path;
    else c.images[m] = h.path;
    cases.set(h.id, c);
  }
  const sorted = [...cases.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { edition, ending: [...endings][0], cases: sorted, findings };
}

export interface ConvertOptions {
  /** nnU-Net dataset id, 11-999 (001-010 are reserved for the Medical Segmentation Decathlon). */
  id: number;
  name: string;
  scheme: TargetScheme;
  /** Declare WT/TC/ET regions (region-based training, as Dataset137) instead of plain labels. */
  regions: boolean;
  /** Hard-link images where the sink can; otherwise they are copied. */
  link: boolean;
  /** Write into a non-empty dataset folder. */
  force: boolean;
  codec?: Codec;
  /** Cases converted at the same time (the CLI uses 2, one per core). */
  concurrency?: number;
  onProgress?: (done: number, total: number, caseId: string) => void;
}

export interface LabelCounts {
  /** Voxels per raw value, over all converted labels. */
  raw: Record<string, number>;
  /** Voxels per written value. */
  written: Record<string, number>;
}

export interface ConvertReport {
  schemaVersion: 1;
  tool: 'bratslab convert';
  dataset: string;
  edition: Edition;
  scheme: TargetScheme;
  regions: boolean;
  training: string[];
  test: string[];
  skipped: { case: string; reason: string }[];
  images: { linked: number; copied: number };
  labelCounts: LabelCounts;
  datasetJson: Record<string, unknown>;
  /** Files that were in the target before a --force run and were not rewritten by it. */
  leftovers: string[];
  findings: Finding[];
}

/** `DatasetXXX_Name`, after checking the id and name as nnU-Net resolves them (dataset_name_id_conversion.py). */
export function datasetFolderName(id: number, name: string): string {
  if (!Number.isInteger(id) || id < 1 || id > 999) throw new ConvertError(`dataset id must be an integer from 1 to 999 (three digits, as nnU-Net parses it), got ${id}`);
  if (id <= 10) throw new ConvertError(`dataset ids 001-010 are reserved for the Medical Segmentation Decathlon (nnU-Net documentation/dataset_format.md); pick another id, e.g. 137`);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new ConvertError(`dataset name "${name}" must be letters, digits, "_", "-" or "." (it becomes part of a folder name)`);
  return `Dataset${String(id).padStart(3, '0')}_${name}`;
}

/** Region names as nnU-Net's Dataset137_BraTS21.py writes them, so the file reads like the official one. */
export const REGION_JSON_NAMES: Record<RegionId, string> = { WT: 'whole tumor', TC: 'tumor core', ET: 'enhancing tumor' };
/** Label names in label mode, as the course's lessons write them. */
export const LABEL_JSON_NAMES: Record<TissueId, string> = { background: 'background', NCR: 'necrosis', ED: 'edema', ET: 'enhancing tumor', RC: 'resection cavity' };

/** The `labels` of dataset.json: the scheme's values, or its regions (from labs/shared/labels.ts). */
function labelsFor(scheme: TargetScheme, regions: boolean): Record<string, number | number[]> {
  const s = SCHEMES[scheme];
  if (regions) {
    const out: Record<string, number | number[]> = { background: 0 };
    for (const r of s.regions) out[REGION_JSON_NAMES[r.id]] = r.labels;
    return out;
  }
  return Object.fromEntries([...s.labels].sort((a, b) => a.value - b.value).map((l) => [LABEL_JSON_NAMES[l.tissue], l.value]));
}

/** dataset.json in the key order of nnU-Net's generate_dataset_json (nnunet-facts.md §2.7). */
export function makeDatasetJson(opts: Pick<ConvertOptions, 'scheme' | 'regions' | 'name'>, numTraining: number, ending: string, edition: Edition): Record<string, unknown> {
  const s = SCHEMES[opts.scheme];
  const json: Record<string, unknown> = {
    channel_names: CHANNEL_NAMES,
    labels: labelsFor(opts.scheme, opts.regions),
    numTraining,
    file_ending: ending,
    licence: 'see the BraTS data terms: https://www.synapse.org/#!Synapse:syn25829067/wiki/610863',
    converted_by: 'bratslab convert',
    name: opts.name,
    description: `${edition === 'brats2021' ? 'BraTS 2021' : 'BraTS 2023+'} converted with label scheme "${opts.scheme}" (${s.labels
      .filter((l) => l.value !== 0)
      .map((l) => `${l.value} = ${l.tissue}`)
      .join(', ')})${opts.regions ? ', region-based training (WT/TC/ET)' : ''}.`,
  };
  if (opts.regions) json.regions_class_order = s.regionsClassOrder;
  return json;
}

type NumberArray = Exclude<TypedArray, BigInt64Array | BigUint64Array>;

/** Integer voxel types a label keeps; float and 64-bit labels are written as uint8 (values 0-3 fit). */
const KEPT_TYPES: ReadonlySet<NiftiDatatype> = new Set(['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32']);

/**
 * Remaps one label volume with `map` (index = raw value, -1 = not allowed). Returns the new voxels
 * and their type, the voxel counts per raw and per written value, or the first value the map
 * refuses (non-integer values included) with its voxel count.
 */
export function remapLabels(
  header: NiftiHeader,
  data: TypedArray,
  map: Int16Array,
): { datatype: NiftiDatatype; data: NumberArray; raw: Map<number, number>; written: Map<number, number> } | { bad: number; count: number } {
  const { slope, inter } = scaling(header);
  const n = data.length;
  const value = (i: number) => Number(data[i]) * slope + inter;
  const raw = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = value(i);
    raw.set(v, (raw.get(v) ?? 0) + 1);
  }
  for (const [v, count] of raw) {
    if (!Number.isInteger(v) || v < 0 || v >= map.length || map[v] < 0) return { bad: v, count };
  }
  const written = new Map<number, number>();
  for (const [v, count] of raw) written.set(map[v], (written.get(map[v]) ?? 0) + count);
  const datatype: NiftiDatatype = KEPT_TYPES.has(header.datatype) ? header.datatype : 'uint8';
  const out = allocateVoxels(datatype, n) as NumberArray;
  if (slope === 1 && inter === 0 && KEPT_TYPES.has(header.datatype)) {
    const src = data as NumberArray;
    for (let i = 0; i < n; i++) out[i] = map[src[i]];
  } else {
    for (let i = 0; i < n; i++) out[i] = map[value(i)];
  }
  return { datatype, data: out, raw, written };
}

function describeValue(edition: Edition, v: number): string {
  if (edition === 'brats2023' && v === 4) return 'label 4 (resection cavity, BraTS 2024 post-treatment data) has no place in the Dataset137 and keep schemes';
  const known = SCHEMES[edition].labels.map((l) => l.value).join(', ');
  return `label value ${v} is not a raw ${edition === 'brats2021' ? 'BraTS 2021' : 'BraTS 2023+'} label (expected ${known})`;
}

async function mapPool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

const tissueOfWritten = (scheme: TargetScheme, value: number): TissueId | undefined => SCHEMES[scheme].labels.find((l) => l.value === value)?.tissue;

/**
 * Converts every complete case under `source` into `sink/DatasetXXX_Name/`. Throws ConvertError
 * for a layout it cannot convert at all (nothing found, mixed editions, a non-empty target without
 * `force`); per-case problems become findings and the case is skipped.
 */
export async function convertBrats(source: FileSource, sink: FileSink, opts: ConvertOptions): Promise<ConvertReport> {
  const folder = datasetFolderName(opts.id, opts.name);
  const layout = detectLayout(await source.list());
  const existing = (await sink.list(folder)).filter((e) => e.kind === 'file');
  if (existing.length > 0 && !opts.force) {
    throw new ConvertError(`${joinPath(sink.label, folder)} is not empty (${existing.length} files); pass --force to write into it`);
  }
  const codec = opts.codec ?? webCodec;
  const map = layout.edition === 'brats2021' ? remapFromBrats2021(opts.scheme) : remapFromBrats2023(opts.scheme);
  const findings = [...layout.findings];
  const skipped: ConvertReport['skipped'] = [];
  const training: string[] = [];
  const test: string[] = [];
  const images = { linked: 0, copied: 0 };
  const raw = new Map<number, number>();
  const written = new Map<number, number>();
  const wrote = new Set<string>();
  const sfx = SUFFIXES[layout.edition];

  const complete = layout.cases.filter((c) => {
    const missing = CHANNELS.filter((m) => !c.images[m]);
    if (missing.length === 0) return true;
    const have = [...CHANNELS.filter((m) => c.images[m]).map((m) => sfx[m]), ...(c.seg ? ['seg'] : [])];
    const reason = `missing ${missing.map((m) => sfx[m]).join(', ')}${have.length ? ` (found ${have.join(', ')})` : ''}`;
    skipped.push({ case: c.id, reason });
    findings.push(
      finding('convert.incomplete-case', 'warning', `Case ${c.id} is incomplete: ${reason}; skipped.`, 'nnU-Net needs the same four channels in every case: find the missing file or leave the case out.', {
        case: c.id,
        path: c.seg ?? Object.values(c.images)[0],
        evidence: { missing: missing.map((m) => sfx[m]) },
      }),
    );
    return false;
  });
  if (complete.length === 0) throw new ConvertError(`no complete case (all four of ${CHANNELS.map((m) => sfx[m]).join(', ')}) found in ${source.label}`);

  await sink.mkdir(folder);
  let done = 0;
  await mapPool(complete, opts.concurrency ?? 2, async (c) => {
    const labelled = !!c.seg;
    const imgDir = joinPath(folder, labelled ? 'imagesTr' : 'imagesTs');
    let labelOut: { path: string; bytes: Uint8Array } | undefined;
    let counted: { raw: Map<number, number>; written: Map<number, number> } | undefined;
    try {
      if (c.seg) {
        let label: { header: NiftiHeader; data: TypedArray };
        try {
          label = await readImage(source, c.seg, { codec });
        } catch (e) {
          const why = e instanceof NiftiError ? e.problem : (e as Error).message;
          throw new CaseError('convert.unreadable', `${c.seg}: ${why}`);
        }
        const r = remapLabels(label.header, label.data, map);
        if ('bad' in r) {
          throw new CaseError('convert.unexpected-label', `${c.seg}: ${describeValue(layout.edition, r.bad)} (${r.count} voxels)`, { value: r.bad, voxels: r.count });
        }
        const h = label.header;
        const bytes = encodeNifti1({
          dims: h.dims,
          datatype: r.datatype,
          data: r.data,
          affine: h.affine,
          pixdim: h.pixdim.slice(1, 1 + h.dims.length),
          qformCode: h.qformCode || 1,
          sformCode: h.sformCode || 1,
          description: 'bratslab convert',
        });
        // Written after the images: a case whose label cannot be read leaves no file behind.
        labelOut = { path: joinPath(folder, 'labelsTr', `${c.id}${layout.ending}`), bytes: layout.ending === '.nii.gz' ? await codec.gzip(bytes) : bytes };
        counted = r;
      }
      for (const [ch, m] of CHANNELS.entries()) {
        const to = joinPath(imgDir, `${c.id}_${String(ch).padStart(4, '0')}${layout.ending}`);
        const from = c.images[m]!;
        if (opts.link && sink.link) {
          if (await sink.link(source, from, to)) images.linked++;
          else images.copied++;
        } else {
          await sink.write(to, await source.open(from));
          images.copied++;
        }
        wrote.add(to);
      }
      if (labelOut && counted) {
        await sink.write(labelOut.path, labelOut.bytes);
        wrote.add(labelOut.path);
        for (const [v, n] of counted.raw) raw.set(v, (raw.get(v) ?? 0) + n);
        for (const [v, n] of counted.written) written.set(v, (written.get(v) ?? 0) + n);
      }
      (labelled ? training : test).push(c.id);
    } catch (e) {
      // Anything else (an image that cannot be copied, a sink that refuses a write) is reported the same way.
      const err = e instanceof CaseError ? e : new CaseError('convert.unreadable', (e as Error).message);
      skipped.push({ case: c.id, reason: err.message });
      findings.push(
        finding(err.rule, 'error', `Case ${c.id} was not converted: ${err.message}`, 'Fix or remove this case in the BraTS folder and run the conversion again (with --force).', {
          case: c.id,
          path: c.seg,
          evidence: err.evidence,
        }),
      );
    } finally {
      opts.onProgress?.(++done, complete.length, c.id);
    }
  });
  training.sort();
  test.sort();
  if (training.length === 0) {
    findings.push(finding('convert.no-training', 'error', 'No case with a segmentation was converted, so imagesTr is empty.', 'nnU-Net trains only on labelled cases: point the converter at the BraTS training data (the folders with *_seg files).'));
  }

  const datasetJson = makeDatasetJson(opts, training.length, layout.ending, layout.edition);
  const jsonPath = joinPath(folder, 'dataset.json');
  // nnU-Net writes dataset.json with save_json(sort_keys=False), indent 4.
  await sink.write(jsonPath, new TextEncoder().encode(`${JSON.stringify(datasetJson, null, 4)}\n`));
  wrote.add(jsonPath);
  const leftovers = existing.map((e) => e.path).filter((p) => !wrote.has(p));
  if (leftovers.length > 0) {
    findings.push(
      finding('convert.leftover-files', 'warning', `${leftovers.length} file(s) from an earlier run are still in ${folder}, e.g. ${leftovers[0]}.`, 'Delete the dataset folder and convert again, or remove these files: nnU-Net would treat them as cases.', {
        evidence: { files: leftovers.slice(0, 50) },
      }),
    );
  }

  const counts = (m: Map<number, number>, scheme?: TargetScheme) =>
    Object.fromEntries([...m].sort((a, b) => a[0] - b[0]).map(([v, n]) => [scheme ? `${v} (${tissueOfWritten(scheme, v)})` : String(v), n]));
  return {
    schemaVersion: 1,
    tool: 'bratslab convert',
    dataset: folder,
    edition: layout.edition,
    scheme: opts.scheme,
    regions: opts.regions,
    training,
    test,
    skipped,
    images,
    labelCounts: { raw: counts(raw), written: counts(written, opts.scheme) },
    datasetJson,
    leftovers,
    findings,
  };
}
