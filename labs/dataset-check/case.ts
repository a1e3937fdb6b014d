/**
 * The per-case check: what nnU-Net's `check_cases` and `verify_labels` do for one case
 * (nnunetv2/experiment_planning/verify_dataset_integrity.py, plus the reader checks of
 * simpleitk_reader_writer.py), and the measurements the cross-case checks need (label values,
 * orientation, channel relations (identity.ts), content hash).
 *
 * `checkCase` is self-contained and returns plain data, so the CLI (worker threads) and the
 * browser (Web Workers) can each run cases in parallel and hand the results to `finishCheck`.
 * Every file is streamed chunk by chunk: memory per case is a few MiB whatever the volume size.
 */
import type { FileSource } from '../shared/files';
import { FileSourceError } from '../shared/files';
import type { Finding } from '../shared/findings';
import { SCHEMES } from '../shared/labels';
import { axcodes, NiftiError, readHeader, scanVoxels, scaling, volumeVoxels, type ChunkCallback, type Codec, type NiftiHeader, type TypedArray } from '../nifti/index';
import type { CaseTask } from './layout';
import { finding } from './rules';
import { CaseFingerprinter, type CaseFingerprint, type Sampling } from '../planner/extract';
import { caseRelations, VoxelSample, type CaseRelations } from './identity';

export type CheckMode = 'headers' | 'full';

/** What a case check needs to know about its dataset; plain data (workers receive it). */
export interface CaseContext {
  mode: CheckMode;
  /** Label values a label file may contain (declared values plus ignore). */
  allowed: number[];
  /** False when dataset.json declares no usable labels: values are then not judged. */
  labelsKnown: boolean;
  /** The BraTS scheme dataset.json declares, for remap advice. */
  bratsScheme?: 'nnunet137' | 'keep';
  /** Channel names, for messages. */
  channels: string[];
  /** Report origin/direction/affine differences as errors instead of nnU-Net's warnings. */
  geometryErrors: boolean;
  /** Compute this case's contribution to nnU-Net's dataset fingerprint (full mode, training cases with a label). */
  fingerprint?: { cases: number; sampling: Sampling };
}

export interface CaseResult {
  dataset: string;
  id: string;
  split: 'train' | 'test';
  findings: Finding[];
  /** Distinct integer values found in the label (full mode). */
  labelValues?: number[];
  /** Orientation codes of the first channel, e.g. "LPS". */
  orientation?: string;
  /** Voxel grid of the first channel: shape and spacing (mm). */
  grid?: { shape: number[]; spacing: number[] };
  /** Scale-free relations between the channels (and the label), full mode; null when too little brain. */
  relations?: CaseRelations | null;
  /** Hash of the image voxels of all channels (full mode); equal hashes mean identical content. */
  contentHash?: string;
  /** Voxels read (for speed reports). */
  voxels: number;
  /** The case's part of nnU-Net's dataset fingerprint, when the context asked for it and every file was read. */
  plannerFingerprint?: CaseFingerprint;
}

export interface CaseOptions {
  codec?: Codec;
  /** Bytes per voxel chunk (default 4 MiB). */
  chunkBytes?: number;
}

const FLOAT = new Set(['float32', 'float64']);

/** numpy.allclose(a, b) with its defaults (rtol 1e-5, atol 1e-8), as nnU-Net compares spacing and geometry. */
export function allclose(a: readonly number[], b: readonly number[], rtol = 1e-5, atol = 1e-8): boolean {
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) <= atol + rtol * Math.abs(b[i]));
}

/** Spatial shape with trailing singleton axes beyond the third dropped (a 3D volume stored as 4D with t = 1). */
function spatialDims(h: NiftiHeader): number[] {
  const d = [...h.dims];
  while (d.length > 3 && d[d.length - 1] === 1) d.pop();
  return d;
}

/** ITK-style origin and direction cosines from the affine (both flipped alike, so comparisons hold). */
function geometry(h: NiftiHeader): { origin: number[]; direction: number[] } {
  const A = h.affine;
  const direction: number[] = [];
  for (let j = 0; j < 3; j++) {
    const n = Math.hypot(A[0][j], A[1][j], A[2][j]) || 1;
    for (let i = 0; i < 3; i++) direction.push(A[i][j] / n);
  }
  return { origin: [A[0][3], A[1][3], A[2][3]], direction };
}

/** Largest angle (degrees) between corresponding direction axes. */
function maxAngle(a: number[], b: number[]): number {
  let worst = 0;
  for (let j = 0; j < 3; j++) {
    const dot = a[3 * j] * b[3 * j] + a[3 * j + 1] * b[3 * j + 1] + a[3 * j + 2] * b[3 * j + 2];
    worst = Math.max(worst, (Math.acos(Math.min(1, Math.max(-1, dot))) * 180) / Math.PI);
  }
  return worst;
}

function unreadable(path: string, id: string, e: unknown): Finding {
  const problem = e instanceof NiftiError ? e.problem : e instanceof FileSourceError ? e.reason : (e as Error)?.message ?? String(e);
  const code = e instanceof NiftiError ? e.code : e instanceof FileSourceError ? 'source' : 'other';
  return finding('dataset.unreadable', {
    path,
    case: id,
    message: `${path}: cannot be read as NIfTI: ${problem}.`,
    hint: code === 'truncated-gzip' || code === 'truncated-data' ? 'The file is cut short: copy or download it again and compare its size with the original.' : undefined,
    evidence: { code },
  });
}

/** Most frequent value of `keys` (first one on ties). */
function mode<T>(items: T[], key: (t: T) => string): string {
  const n = new Map<string, number>();
  for (const it of items) n.set(key(it), (n.get(key(it)) ?? 0) + 1);
  let best = '';
  let bestN = -1;
  for (const [k, c] of n) if (c > bestN) [best, bestN] = [k, c];
  return best;
}

/** 64-bit-ish content hash (two 32-bit FNV-style lanes) over a fixed sample of voxels. */
class SampledHash {
  private a = 0x811c9dc5;
  private b = 0x01000193;
  /** Every STRIDE-th voxel (by global index) enters the hash: identical volumes hash alike, cheaply. */
  static STRIDE = 31;
  add(values: TypedArray, first: number): void {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let i = (SampledHash.STRIDE - (first % SampledHash.STRIDE)) % SampledHash.STRIDE; i < values.length; i += SampledHash.STRIDE) this.mix(Number(values[i]));
      return;
    }
    const v = values as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
    // Floats enter at 1/1024 resolution: equal volumes still hash alike, which is all this is for.
    const scale = values instanceof Float32Array || values instanceof Float64Array ? 1024 : 1;
    let a = this.a;
    let b = this.b;
    for (let i = (SampledHash.STRIDE - (first % SampledHash.STRIDE)) % SampledHash.STRIDE; i < v.length; i += SampledHash.STRIDE) {
      const x = (v[i] * scale) | 0;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
  }
  private mix(x: number): void {
    this.a = Math.imul(this.a ^ (x | 0), 0x01000193);
    this.b = Math.imul(this.b ^ (x | 0), 0x5bd1e995) ^ (this.b >>> 15);
  }
  mixText(s: string): void {
    for (let i = 0; i < s.length; i++) this.mix(s.charCodeAt(i));
  }
  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

const EXACT: Record<string, 'u8' | 'i8' | 'i16' | 'u16' | null> = { uint8: 'u8', int8: 'i8', int16: 'i16', uint16: 'u16' };

/** Voxel statistics of one image channel: NaN, ±inf, all-zero, fingerprint, hash. */
async function scanImage(source: FileSource, path: string, hash: SampledHash, opts: CaseOptions, also?: ChunkCallback) {
  let sample: VoxelSample | undefined;
  let nan = 0;
  let inf = 0;
  let anyNonzero = false;
  let voxels = 0;
  const header = await scanVoxels(
    source,
    path,
    (values, first, h) => {
      sample ??= new VoxelSample(volumeVoxels(h));
      also?.(values, first, h);
      voxels += values.length;
      hash.add(values, first);
      sample.add(values, first);
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        if (!anyNonzero) for (let i = 0; i < values.length; i++) if (values[i] !== 0n) { anyNonzero = true; break; }
        return;
      }
      const v = values as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
      if (FLOAT.has(h.datatype)) {
        let n = 0;
        let f = 0;
        let nz = anyNonzero;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x - x !== 0) {
            if (x !== x) n++;
            else f++;
          } else if (x !== 0) nz = true;
        }
        nan += n;
        inf += f;
        anyNonzero = nz;
      } else if (!anyNonzero) {
        for (let i = 0; i < v.length; i++) if (v[i] !== 0) { anyNonzero = true; break; }
      }
    },
    { codec: opts.codec, chunkBytes: opts.chunkBytes ?? 4 << 20 },
  );
  const { slope, inter } = scaling(header, path);
  // All-zero after scaling: stored zeros map to `inter`.
  const allZero = !anyNonzero && inter === 0 && slope !== 0;
  sample?.scale(slope, inter);
  return { header, nan, inf, allZero, sample, voxels };
}

/** Distinct values of a label volume, with non-integer and NaN counts (scaled as nibabel scales). */
async function scanLabel(source: FileSource, path: string, opts: CaseOptions, also?: ChunkCallback) {
  let sample: VoxelSample | undefined;
  const exact = new Uint32Array(65536);
  const other = new Map<number, number>();
  let nan = 0;
  let voxels = 0;
  let exactKind: string | null = null;
  const header = await scanVoxels(
    source,
    path,
    (values, first, h) => {
      also?.(values, first, h);
      voxels += values.length;
      exactKind ??= EXACT[h.datatype] ?? 'none';
      sample ??= new VoxelSample(volumeVoxels(h));
      sample.add(values, first);
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        for (let i = 0; i < values.length; i++) {
          const x = Number(values[i]);
          if (other.size < 4096 || other.has(x)) other.set(x, (other.get(x) ?? 0) + 1);
        }
        return;
      }
      const v = values as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
      if (exactKind === 'u8' && v.byteOffset % 4 === 0) {
        // Labels are mostly background: skip four zero voxels per 32-bit word.
        const words = new Uint32Array(v.buffer, v.byteOffset, v.length >> 2);
        const bytes = v as Uint8Array;
        let zeros = 0;
        for (let w = 0; w < words.length; w++) {
          if (words[w] === 0) {
            zeros += 4;
            continue;
          }
          for (let i = w << 2, end = i + 4; i < end; i++) exact[bytes[i]]++;
        }
        for (let i = words.length << 2; i < bytes.length; i++) exact[bytes[i]]++;
        exact[0] += zeros;
        return;
      }
      if (exactKind !== 'none') {
        const off = exactKind === 'i16' ? 32768 : exactKind === 'i8' ? 128 : 0;
        for (let i = 0; i < v.length; i++) exact[v[i] + off]++;
        return;
      }
      // Wide integer or float labels: count distinct values (capped) and non-integers.
      let prev = NaN;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === prev) continue;
        prev = x;
        if (x !== x) {
          nan++;
          continue;
        }
        if (other.size < 4096 || other.has(x)) other.set(x, (other.get(x) ?? 0) + 1);
      }
    },
    { codec: opts.codec, chunkBytes: opts.chunkBytes ?? 4 << 20 },
  );
  const off = exactKind === 'i16' ? 32768 : exactKind === 'i8' ? 128 : 0;
  for (let b = 0; b < 65536; b++) if (exact[b] > 0) other.set(b - off, (other.get(b - off) ?? 0) + exact[b]);
  const { slope, inter } = scaling(header, path);
  const found = new Set<number>();
  for (const raw of other.keys()) {
    const x = raw * slope + inter;
    if (!Number.isFinite(x)) nan++;
    found.add(x);
  }
  const values = [...found].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  sample?.scale(slope, inter);
  return { header, values, nan, voxels, sample, capped: other.size >= 4096 };
}

const fmt = (xs: readonly number[]) => `(${xs.map((x) => +x.toFixed(6)).join(', ')})`;

/** Remap advice for raw BraTS labels, for the scheme the dataset declares (labs/shared/labels.ts). */
function bratsRemap(scheme: 'nnunet137' | 'keep' | undefined): string {
  const one = (s: 'nnunet137' | 'keep') => {
    const target = SCHEMES[s];
    const pairs = SCHEMES.brats2021.labels
      .filter((l) => l.value !== 0)
      .map((l) => `${l.value}→${target.labels.find((t) => t.tissue === l.tissue)!.value}`)
      .filter((p) => p.split('→')[0] !== p.split('→')[1]);
    return `${pairs.join(', ')} (${target.title})`;
  };
  if (scheme) return `Remap ${one(scheme)}, as your dataset.json declares; bratslab convert does it.`;
  return `Remap ${one('nnunet137')}, or ${one('keep')}; make the regions in dataset.json match. bratslab convert does it.`;
}

/** Checks one case. Never throws for bad files: every problem becomes a finding. */
export async function checkCase(source: FileSource, task: CaseTask, ctx: CaseContext, opts: CaseOptions = {}): Promise<CaseResult> {
  const res: CaseResult = { dataset: task.dataset, id: task.id, split: task.split, findings: [], voxels: 0 };
  const out = res.findings;
  const id = task.id;
  if (!task.nifti) return res;
  const full = ctx.mode === 'full';
  const headers: { path: string; header: NiftiHeader; isLabel: boolean; channel: number }[] = [];
  const samples: (VoxelSample | undefined)[] = [];
  let labelSample: VoxelSample | undefined;
  const hash = new SampledHash();
  let hashable = full;

  // The planner's fingerprint needs the label before the images (where the foreground is).
  let fp = full && ctx.fingerprint && task.label ? new CaseFingerprinter(ctx.fingerprint) : undefined;
  const readImages = async () => {
    for (const img of task.images) {
      try {
        if (full) {
          const s = await scanImage(source, img.path, hash, opts, fp?.image(img.path));
          res.voxels += s.voxels;
          headers.push({ path: img.path, header: s.header, isLabel: false, channel: img.channel });
          samples[img.channel] = s.sample;
          hash.mixText(s.header.dims.join('x') + s.header.datatype);
          const ch = ctx.channels[img.channel] ? ` (${ctx.channels[img.channel]})` : '';
          if (s.nan) out.push(finding('dataset.image-nan', { path: img.path, case: id, message: `${img.path}: ${s.nan} NaN voxel${s.nan > 1 ? 's' : ''}${ch}; nnU-Net stops with "Images contain NaN pixel values".`, evidence: { count: s.nan } }));
          if (s.inf) out.push(finding('dataset.image-inf', { path: img.path, case: id, message: `${img.path}: ${s.inf} infinite voxel${s.inf > 1 ? 's' : ''}${ch}; nnU-Net does not check for them.`, evidence: { count: s.inf } }));
          if (s.allZero) out.push(finding('dataset.channel-all-zero', { path: img.path, case: id, message: `${img.path}: every voxel is 0${ch}.` }));
        } else {
          headers.push({ path: img.path, header: await readHeader(source, img.path, { codec: opts.codec }), isLabel: false, channel: img.channel });
        }
      } catch (e) {
        out.push(unreadable(img.path, id, e));
        hashable = false;
        fp = undefined;
      }
    }
  };
  const readLabel = async () => {
    if (task.label) {
      try {
        if (full) {
          const s = await scanLabel(source, task.label, opts, fp && ((v, first, h) => fp!.label(v, first, h)));
          res.voxels += s.voxels;
          headers.push({ path: task.label, header: s.header, isLabel: true, channel: -1 });
          labelFindings(task.label, id, s, ctx, out);
          res.labelValues = s.values;
          labelSample = s.sample;
        } else {
          const header = await readHeader(source, task.label, { codec: opts.codec });
          headers.push({ path: task.label, header, isLabel: true, channel: -1 });
        }
      } catch (e) {
        out.push(unreadable(task.label, id, e));
        fp = undefined;
      }
      const lab = headers.find((h) => h.isLabel);
      if (lab && FLOAT.has(lab.header.datatype)) {
        out.push(finding('dataset.label-float-dtype', { path: lab.path, case: id, message: `${lab.path}: label stored as ${lab.header.datatype}.`, evidence: { datatype: lab.header.datatype } }));
      }
    }
  };
  if (fp) {
    await readLabel();
    await readImages();
  } else {
    await readImages();
    await readLabel();
  }
  if (fp && task.images.length) {
    try {
      res.plannerFingerprint = fp.finish(id);
    } catch {
      // A label too large to sample or grids that differ (reported by the header checks): no fingerprint.
    }
  }

  headerFindings(headers, id, ctx, out);
  const first = headers.find((h) => !h.isLabel);
  if (first) {
    res.orientation = axcodes(first.header.affine).map((c) => c ?? '?').join('');
    res.grid = { shape: spatialDims(first.header).slice(0, 3), spacing: first.header.zooms.slice(0, 3).map((z) => Math.abs(z)) };
  }
  if (full) {
    const channels = Array.from(samples, (x) => x?.values);
    if (channels.length && channels.every((x) => x !== undefined)) {
      // Enhancing tumour is 4 in raw BraTS 2021 labels, 3 in the converted schemes and BraTS 2023.
      const v = res.labelValues ?? [];
      const et = v.includes(4) ? 4 : ctx.bratsScheme || v.includes(3) ? 3 : null;
      res.relations = caseRelations(channels as Float32Array[], labelSample?.values ?? null, { et });
    } else res.relations = null;
    if (hashable && task.images.length) res.contentHash = hash.digest();
  }
  return res;
}

function labelFindings(path: string, id: string, s: Awaited<ReturnType<typeof scanLabel>>, ctx: CaseContext, out: Finding[]): void {
  const nonInt = s.values.filter((v) => !Number.isInteger(v));
  if (s.nan || nonInt.length) {
    out.push(
      finding('dataset.label-non-integer', {
        path,
        case: id,
        message: `${path}: label has non-integer values${nonInt.length ? ` such as ${fmt(nonInt.slice(0, 5))}` : ''}${s.nan ? ` and ${s.nan} NaN/inf values` : ''}; typical of linear interpolation.`,
        evidence: { examples: nonInt.slice(0, 10), nan: s.nan },
      }),
    );
  }
  const ints = s.values.filter((v) => Number.isInteger(v));
  const allowed = new Set(ctx.allowed);
  const unexpected = ctx.labelsKnown ? ints.filter((v) => !allowed.has(v)) : [];
  if (unexpected.length) {
    const raw = new Set(ints);
    const brats = raw.has(4) && !allowed.has(4) && !raw.has(3) && [...raw].every((v) => [0, 1, 2, 4].includes(v));
    if (brats) {
      out.push(
        finding('dataset.label-unconverted-brats', {
          path,
          case: id,
          message: `${path}: values ${fmt(ints)} are the raw BraTS 2021 labels (4 = enhancing tumour); dataset.json declares ${fmt(ctx.allowed)}.`,
          hint: bratsRemap(ctx.bratsScheme),
          evidence: { found: ints, declared: ctx.allowed },
        }),
      );
    } else {
      const hint255 = unexpected.includes(255) && ints.every((v) => v === 0 || v === 255) ? 'A 0/255 mask: divide by 255 (write 1 for the object).' : undefined;
      out.push(
        finding('dataset.label-values', {
          path,
          case: id,
          message: `${path}: label value${unexpected.length > 1 ? 's' : ''} ${fmt(unexpected.slice(0, 10))} not declared in dataset.json (declared ${fmt(ctx.allowed)}).`,
          hint: hint255,
          evidence: { found: ints.slice(0, 50), unexpected: unexpected.slice(0, 50), declared: ctx.allowed, capped: s.capped },
        }),
      );
    }
  }
  if (ints.length === 1 && ints[0] === 0 && !nonInt.length) {
    out.push(finding('dataset.label-empty', { path, case: id, message: `${path}: the label holds background (0) only.` }));
  }
}

function headerFindings(headers: { path: string; header: NiftiHeader; isLabel: boolean; channel: number }[], id: string, ctx: CaseContext, out: Finding[]): void {
  if (!headers.length) return;
  // Dimensionality: one 3D volume per file (a 4D file would count as several channels in SimpleITKIO).
  for (const h of headers) {
    const d = spatialDims(h.header);
    if (d.length > 3 || d.length < 2) {
      out.push(
        finding('dataset.dimensionality', {
          path: h.path,
          case: id,
          message: `${h.path}: ${d.length}D ${h.isLabel ? 'label' : 'image'} (${d.join('×')}); ${h.isLabel ? 'a label must be a single 3D volume (one channel)' : 'each channel file must hold one 3D volume'}.`,
          evidence: { dims: h.header.dims },
        }),
      );
    }
  }
  // Shape: exact equality against the case's majority (so the odd file is the one named).
  const shapeKey = (h: (typeof headers)[number]) => spatialDims(h.header).slice(0, 3).join('×');
  const refShape = mode(headers, shapeKey);
  const shapeOk = new Set<string>();
  for (const h of headers) {
    if (shapeKey(h) !== refShape) {
      out.push(
        finding('dataset.shape-mismatch', {
          path: h.path,
          case: id,
          message: `${h.path}: shape ${shapeKey(h)}, the rest of case "${id}" has ${refShape}; nnU-Net stops with "Shape mismatch between segmentation and corresponding images".`,
          evidence: { shape: spatialDims(h.header), expected: refShape.split('×').map(Number) },
        }),
      );
    } else shapeOk.add(h.path);
  }
  // Spacing: np.allclose against the majority spacing, as verify_dataset_integrity.py does.
  const sp = (h: (typeof headers)[number]) => h.header.zooms.slice(0, 3).map(Math.abs);
  const refKey = mode(headers, (h) => sp(h).join(','));
  const ref = refKey.split(',').map(Number);
  for (const h of headers) {
    if (!allclose(sp(h), ref)) {
      out.push(
        finding('dataset.spacing-mismatch', {
          path: h.path,
          case: id,
          message: `${h.path}: voxel spacing ${fmt(sp(h))} mm, the rest of case "${id}" has ${fmt(ref)} mm (nnU-Net tolerance: numpy.allclose, rtol 1e-5).`,
          evidence: { spacing: sp(h), expected: ref },
        }),
      );
    }
  }
  // Origin and direction of every file against the first channel (nnU-Net compares the first channel with the label; warning only).
  const base = headers.find((h) => !h.isLabel) ?? headers[0];
  const g0 = geometry(base.header);
  for (const h of headers) {
    if (h === base) continue;
    const g = geometry(h.header);
    const originOk = allclose(g.origin, g0.origin);
    const dirOk = allclose(g.direction, g0.direction);
    if (originOk && dirOk) continue;
    const shift = Math.hypot(g.origin[0] - g0.origin[0], g.origin[1] - g0.origin[1], g.origin[2] - g0.origin[2]);
    const angle = maxAngle(g.direction, g0.direction);
    out.push(
      finding('dataset.geometry-mismatch', {
        path: h.path,
        case: id,
        severity: ctx.geometryErrors ? 'error' : 'warning',
        message: `${h.path}: ${!originOk ? `origin differs by ${shift.toFixed(3)} mm` : ''}${!originOk && !dirOk ? ' and ' : ''}${!dirOk ? `axes differ by up to ${angle.toFixed(2)}°` : ''} from ${base.path}${h.isLabel ? '; the label may sit in the wrong place' : ''}.`,
        evidence: { originShiftMm: +shift.toFixed(6), maxAngleDeg: +angle.toFixed(6), origin: g.origin, expectedOrigin: g0.origin, orientation: axcodes(h.header.affine).join(''), expectedOrientation: axcodes(base.header.affine).join('') },
      }),
    );
  }
}
