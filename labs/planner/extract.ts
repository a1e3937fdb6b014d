/**
 * nnU-Net v2's dataset fingerprint (`DatasetFingerprintExtractor`,
 * nnunetv2/experiment_planning/dataset_fingerprint/fingerprint_extractor.py, with
 * `crop_to_nonzero` from nnunetv2/preprocessing/cropping/cropping.py), reimplemented:
 *
 * - axes and spacing in nnU-Net's reader order (z, y, x): the reversed NIfTI axes and zooms;
 * - the crop: the bounding box of voxels that are non-zero in any channel (nnU-Net fills holes in
 *   that mask first, which cannot change its bounding box);
 * - foreground = label > 0 inside the box; per case a fresh `RandomState(1234)` draws
 *   ⌊10⁸ / cases⌋ foreground voxels with replacement for each channel in turn (`rs.choice`), using
 *   labs/splits' MT19937 and numpy's masked bounded draw, so the draws are numpy's own;
 * - the dataset's intensity properties over all draws of all cases.
 *
 * Files are streamed chunk by chunk with the check's reader (labs/nifti `scanVoxels`). A case keeps
 * the linear index and the per-channel value of its foreground voxels (capped, see MAX_FOREGROUND),
 * and each channel keeps a value → count table, never the 10⁸ draws themselves.
 */
import type { FileSource } from '../shared/files';
import { scanVoxels, scaling, type ChunkCallback, type Codec, type NiftiHeader, type TypedArray } from '../nifti/index';
import { LegacyRandomState } from '../splits/random-state';
import { percentileOfSortedCounts } from './numeric';
import type { Fingerprint, IntensityProperties } from './fingerprint';

/** nnU-Net's `num_foreground_voxels_for_intensitystats` (10e7), shared out over the cases. */
export const TOTAL_INTENSITY_SAMPLES = 1e8;
/** Foreground voxels one case may hold (4 bytes of index + 4 per channel each). */
export const MAX_FOREGROUND = 1 << 25;
const SEED = 1234;

export interface CaseFiles {
  id: string;
  /** Channel files in channel order. */
  images: string[];
  label: string;
}

/** What one case contributes: plain data, so a worker can return it. */
export interface CaseFingerprint {
  id: string;
  /** (z, y, x). */
  spacing: number[];
  shapeAfterCrop: number[];
  relativeSizeAfterCrop: number;
  /** Per channel: distinct sampled values and how often each was drawn. */
  samples: { values: Float64Array; counts: Float64Array }[];
  voxels: number;
}

/**
 * `numpy`: nnU-Net's own draws, so the intensity properties come out identical (about 50 M
 * generator steps per 4-channel case). `expected`: every foreground voxel weighted by the number of
 * times the draws pick it on average (draws / foreground voxels); no generator, the same statistics
 * up to the draws' noise (well under 0.1 % on BraTS-size data).
 */
export type Sampling = 'numpy' | 'expected';

export interface ExtractOptions {
  codec?: Codec;
  /** Number of training cases in the dataset (the draws per case are ⌊10⁸ / cases⌋). */
  cases: number;
  /** Default 'expected'. */
  sampling?: Sampling;
}

/** Growable Int32 list of foreground voxel indices. */
class IndexList {
  data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      if (this.length >= MAX_FOREGROUND) throw new RangeError(`label has more than ${MAX_FOREGROUND} foreground voxels`);
      const next = new Int32Array(Math.min(this.data.length * 2, MAX_FOREGROUND));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * One case's fingerprint, fed chunk by chunk: the label first (`label`), then each channel in order
 * (`image`), then `finish`. `fingerprintCase` drives it from the files; the dataset check drives it
 * from its own full pass, so that the fingerprint costs no second read.
 */
export class CaseFingerprinter {
  private readonly fg = new IndexList();
  private grid: number[] | undefined;
  private readonly lo = [Infinity, Infinity, Infinity];
  private readonly hi = [-1, -1, -1];
  private readonly fgValues: Float32Array[] = [];
  private zooms: number[] | undefined;
  /** Why this case cannot be fingerprinted; `finish` throws it. The callbacks never throw, so a reader that feeds them keeps going. */
  private failed = '';
  voxels = 0;

  constructor(private readonly opts: { cases: number; sampling?: Sampling }) {}

  /** A chunk of the label (values > 0 are foreground). */
  label(values: TypedArray, first: number, header: NiftiHeader): void {
    this.grid ??= header.dims.slice(0, 3).map((d) => Math.max(1, d));
    this.voxels += values.length;
    if (this.failed) return;
    const fg = this.fg;
    try {
      if (values instanceof Uint8Array && values.byteOffset % 4 === 0) {
        // Labels are mostly background: four voxels per 32-bit word, zero words skipped.
        const words = new Uint32Array(values.buffer, values.byteOffset, values.length >> 2);
        for (let w = 0; w < words.length; w++) {
          if (words[w] === 0) continue;
          for (let i = w << 2, end = i + 4; i < end; i++) if (values[i] > 0) fg.push(first + i);
        }
        for (let i = words.length << 2; i < values.length; i++) if (values[i] > 0) fg.push(first + i);
      } else {
        for (let i = 0; i < values.length; i++) if (values[i] > 0) fg.push(first + i);
      }
    } catch (e) {
      this.failed = `${(e as Error).message}; the fingerprint cannot sample this case`;
    }
  }

  /** A chunk-callback for the next channel (nnU-Net's float32 after scaling; bounding box; foreground values). */
  image(path: string): ChunkCallback {
    if (!this.grid) {
      this.failed ||= `${path}: the label must be read before the images`;
      return () => undefined;
    }
    const [nx, ny] = this.grid;
    const fg = this.fg;
    const vals = new Float32Array(fg.length);
    this.fgValues.push(vals);
    const { lo, hi } = this;
    let cursor = 0;
    let slope = 1;
    let inter = 0;
    return (values, first, h) => {
      this.voxels += values.length;
      if (first === 0) {
        if (!h.dims.slice(0, 3).every((d, i) => Math.max(1, d) === this.grid![i])) {
          this.failed ||= `${path}: image is ${h.dims.slice(0, 3).join('×')} but its label is ${this.grid!.join('×')}`;
        }
        try {
          ({ slope, inter } = scaling(h, path));
        } catch (e) {
          this.failed ||= (e as Error).message;
        }
        this.zooms ??= h.zooms.slice(0, 3);
      }
      if (this.failed) return;
      const n = values.length;
      const end = first + n;
      // Foreground values: only at the label's foreground indices that fall in this chunk.
      while (cursor < fg.length && fg.data[cursor] < end) vals[cursor] = Math.fround(Number(values[fg.data[cursor++] - first]) * slope + inter);
      // Bounding box row by row: the first and the last non-zero voxel of each row segment.
      const raw = slope === 1 && inter === 0 && !(values instanceof BigInt64Array || values instanceof BigUint64Array);
      const v = values as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
      for (let i = 0; i < n; ) {
        const x0 = (first + i) % nx;
        const stop = i + Math.min(nx - x0, n - i);
        let a = i;
        let b = stop - 1;
        if (raw) {
          while (a < stop && v[a] === 0) a++;
          while (b > a && v[b] === 0) b--;
        } else {
          while (a < stop && Math.fround(Number(values[a]) * slope + inter) === 0) a++;
          while (b > a && Math.fround(Number(values[b]) * slope + inter) === 0) b--;
        }
        if (a < stop) {
          const row = (first + i - x0) / nx;
          const y = row % ny;
          const z = (row - y) / ny;
          if (x0 + a - i < lo[0]) lo[0] = x0 + a - i;
          if (x0 + b - i > hi[0]) hi[0] = x0 + b - i;
          if (y < lo[1]) lo[1] = y;
          if (y > hi[1]) hi[1] = y;
          if (z < lo[2]) lo[2] = z;
          if (z > hi[2]) hi[2] = z;
        }
        i = stop;
      }
    };
  }

  finish(id: string): CaseFingerprint {
    if (this.failed) throw new Error(this.failed);
    if (!this.grid || !this.zooms) throw new Error(`${id}: no label or no image was read`);
    const [nx, ny, nz] = this.grid;
    const plane = nx * ny;
    const fg = this.fg;
    // An all-zero case keeps its full extent (the check reports such channels as errors).
    const box = this.hi[0] < 0 ? { lo: [0, 0, 0], hi: [nx - 1, ny - 1, nz - 1] } : { lo: this.lo, hi: this.hi };
    const extent = [0, 1, 2].map((a) => box.hi[a] - box.lo[a] + 1);

    // Foreground inside the box, in nnU-Net's order (x fastest, as C order over (z, y, x)).
    const inside = new Int32Array(fg.length);
    let nFg = 0;
    for (let k = 0; k < fg.length; k++) {
      const idx = fg.data[k];
      const x = idx % nx;
      const y = Math.floor(idx / nx) % ny;
      const z = Math.floor(idx / plane);
      if (x >= box.lo[0] && x <= box.hi[0] && y >= box.lo[1] && y <= box.hi[1] && z >= box.lo[2] && z <= box.hi[2]) inside[nFg++] = k;
    }
    const draws = Math.floor(TOTAL_INTENSITY_SAMPLES / this.opts.cases);
    const rs = this.opts.sampling === 'numpy' ? new LegacyRandomState(SEED) : undefined;
    const samples = this.fgValues.map((vals) => {
      if (nFg === 0) return { values: new Float64Array(0), counts: new Float64Array(0) };
      const table = new Map<number, number>();
      if (rs) {
        const counts = new Uint32Array(nFg);
        rs.fillIntervalCounts(nFg - 1, draws, counts);
        for (let j = 0; j < nFg; j++) {
          if (counts[j] === 0) continue;
          const v = vals[inside[j]];
          table.set(v, (table.get(v) ?? 0) + counts[j]);
        }
      } else {
        const weight = draws / nFg;
        for (let j = 0; j < nFg; j++) {
          const v = vals[inside[j]];
          table.set(v, (table.get(v) ?? 0) + weight);
        }
      }
      return tableToArrays(table);
    });
    const z = this.zooms;
    return {
      id,
      spacing: [z[2], z[1], z[0]],
      shapeAfterCrop: [extent[2], extent[1], extent[0]],
      relativeSizeAfterCrop: (extent[0] * extent[1] * extent[2]) / (nx * ny * nz),
      samples,
      voxels: this.voxels,
    };
  }
}

/** One case from its files: spacing, shape after crop, and the foreground draws per channel. Throws with the file's path on bad input. */
export async function fingerprintCase(source: FileSource, files: CaseFiles, opts: ExtractOptions): Promise<CaseFingerprint> {
  const fp = new CaseFingerprinter(opts);
  const read = { codec: opts.codec, chunkBytes: 4 << 20 };
  await scanVoxels(source, files.label, (v, first, h) => fp.label(v, first, h), read);
  for (const path of files.images) await scanVoxels(source, path, fp.image(path), read);
  try {
    return fp.finish(files.id);
  } catch (e) {
    throw new Error(`case ${files.id}: ${(e as Error).message}`);
  }
}

function tableToArrays(table: Map<number, number>): { values: Float64Array; counts: Float64Array } {
  const values = Float64Array.from(table.keys()).sort();
  const counts = new Float64Array(values.length);
  values.forEach((v, i) => (counts[i] = table.get(v)!));
  return { values, counts };
}

/** The dataset fingerprint from every case's contribution (cases in nnU-Net's order: sorted ids). */
export function combineFingerprint(cases: readonly CaseFingerprint[], channels: number): Fingerprint {
  if (cases.length === 0) throw new Error('no cases to fingerprint');
  const props: Record<string, IntensityProperties> = {};
  for (let c = 0; c < channels; c++) {
    const table = new Map<number, number>();
    for (const cs of cases) {
      const s = cs.samples[c];
      if (!s) continue;
      s.values.forEach((v, i) => table.set(v, (table.get(v) ?? 0) + s.counts[i]));
    }
    props[String(c)] = intensityProperties(tableToArrays(table));
  }
  const relative = cases.map((c) => c.relativeSizeAfterCrop).sort((a, b) => a - b);
  const mid = relative.length >> 1;
  return {
    spacings: cases.map((c) => c.spacing),
    shapes_after_crop: cases.map((c) => c.shapeAfterCrop),
    foreground_intensity_properties_per_channel: props,
    median_relative_size_after_cropping: relative.length % 2 ? relative[mid] : (relative[mid - 1] + relative[mid]) / 2,
  };
}

/** Mean, std (population), min, max, median and the 0.5/99.5 percentiles of a value → count table, numpy's way (counts may be fractional weights). */
export function intensityProperties({ values, counts }: { values: Float64Array; counts: Float64Array }): IntensityProperties {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    n += counts[i];
    sum += values[i] * counts[i];
  }
  if (n === 0) return { max: NaN, mean: NaN, median: NaN, min: NaN, percentile_00_5: NaN, percentile_99_5: NaN, std: NaN };
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += counts[i] * (values[i] - mean) ** 2;
  return {
    max: values[values.length - 1],
    // numpy reduces float32 samples in float32.
    mean: Math.fround(mean),
    median: percentileOfSortedCounts(values, counts, n, 50),
    min: values[0],
    percentile_00_5: percentileOfSortedCounts(values, counts, n, 0.5),
    percentile_99_5: percentileOfSortedCounts(values, counts, n, 99.5),
    std: Math.fround(Math.sqrt(sq / n)),
  };
}
