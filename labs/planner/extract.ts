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
import { scanVoxels, scaling, type Codec, type NiftiHeader } from '../nifti/index';
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
      if (this.length >= MAX_FOREGROUND) throw new RangeError(`more than ${MAX_FOREGROUND} foreground voxels`);
      const next = new Int32Array(Math.min(this.data.length * 2, MAX_FOREGROUND));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

function sameGrid(a: NiftiHeader, b: NiftiHeader): boolean {
  return a.dims.slice(0, 3).every((d, i) => d === b.dims[i]);
}

/** One case: spacing, shape after crop, and the foreground draws per channel. Throws with the file's path on bad input. */
export async function fingerprintCase(source: FileSource, files: CaseFiles, opts: ExtractOptions): Promise<CaseFingerprint> {
  // 1. Label: where the foreground is (linear indices, x fastest).
  const fg = new IndexList();
  let voxels = 0;
  const labelHeader = await scanVoxels(
    source,
    files.label,
    (values, first) => {
      for (let i = 0; i < values.length; i++) if (values[i] > 0) fg.push(first + i);
    },
    { codec: opts.codec, chunkBytes: 4 << 20 },
  ).catch((e: unknown) => {
    throw e instanceof RangeError ? new Error(`${files.label}: ${e.message}; the fingerprint cannot sample this case`) : e;
  });
  const [nx, ny, nz] = labelHeader.dims.slice(0, 3).map((d) => Math.max(1, d));
  const plane = nx * ny;
  voxels += nx * ny * nz;

  // 2. Images: the non-zero bounding box over all channels, and each foreground voxel's value.
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  const fgValues: Float32Array[] = [];
  let header0: NiftiHeader | undefined;
  for (const path of files.images) {
    const vals = new Float32Array(fg.length);
    fgValues.push(vals);
    let cursor = 0;
    let slope = 1;
    let inter = 0;
    const header = await scanVoxels(
      source,
      path,
      (values, first, h) => {
        if (first === 0) ({ slope, inter } = scaling(h, path));
        let x = first % nx;
        let y = Math.floor(first / nx) % ny;
        let z = Math.floor(first / plane);
        for (let i = 0; i < values.length; i++) {
          // nnU-Net's readers hand out float32 after scaling.
          const v = Math.fround(Number(values[i]) * slope + inter);
          if (v !== 0) {
            if (x < lo[0]) lo[0] = x;
            if (x > hi[0]) hi[0] = x;
            if (y < lo[1]) lo[1] = y;
            if (y > hi[1]) hi[1] = y;
            if (z < lo[2]) lo[2] = z;
            if (z > hi[2]) hi[2] = z;
          }
          if (cursor < fg.length && fg.data[cursor] === first + i) vals[cursor++] = v;
          if (++x === nx) {
            x = 0;
            if (++y === ny) {
              y = 0;
              z++;
            }
          }
        }
      },
      { codec: opts.codec, chunkBytes: 4 << 20 },
    );
    if (!sameGrid(header, labelHeader)) {
      throw new Error(`${path}: image is ${header.dims.slice(0, 3).join('×')} but its label is ${labelHeader.dims.slice(0, 3).join('×')}`);
    }
    header0 ??= header;
    voxels += nx * ny * nz;
  }
  if (!header0) throw new Error(`${files.id}: no image files`);

  // An all-zero case keeps its full extent (nnU-Net's bounding box of an empty mask would be empty; such cases are errors in the check).
  const box = hi[0] < 0 ? { lo: [0, 0, 0], hi: [nx - 1, ny - 1, nz - 1] } : { lo, hi };
  const extent = [0, 1, 2].map((a) => box.hi[a] - box.lo[a] + 1);

  // 3. Foreground inside the box, in nnU-Net's order (x fastest, as C order over (z, y, x)).
  const inside = new Int32Array(fg.length);
  let nFg = 0;
  for (let k = 0; k < fg.length; k++) {
    const idx = fg.data[k];
    const x = idx % nx;
    const y = Math.floor(idx / nx) % ny;
    const z = Math.floor(idx / plane);
    if (x >= box.lo[0] && x <= box.hi[0] && y >= box.lo[1] && y <= box.hi[1] && z >= box.lo[2] && z <= box.hi[2]) inside[nFg++] = k;
  }
  const draws = Math.floor(TOTAL_INTENSITY_SAMPLES / opts.cases);
  const rs = opts.sampling === 'numpy' ? new LegacyRandomState(SEED) : undefined;
  const samples = fgValues.map((vals) => {
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

  const zooms = header0.zooms.slice(0, 3);
  return {
    id: files.id,
    spacing: [zooms[2], zooms[1], zooms[0]],
    shapeAfterCrop: [extent[2], extent[1], extent[0]],
    relativeSizeAfterCrop: (extent[0] * extent[1] * extent[2]) / (nx * ny * nz),
    samples,
    voxels,
  };
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
