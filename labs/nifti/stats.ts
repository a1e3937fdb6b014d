/**
 * Intensity summary over the scaled voxel values (stored × scl_slope + scl_inter, as nibabel's
 * `get_fdata` returns them), computed chunk by chunk during a scan: what a student checks after a
 * conversion and what `bratslab info` prints.
 */
import type { FileSource } from '../shared/files';
import { scaling } from './header';
import { scanVoxels, type ScanOptions } from './read';
import type { NiftiHeader, TypedArray } from './types';

export interface IntensityStats {
  /** Voxels counted (all of them, including NaN and inf). */
  count: number;
  /** Smallest and largest finite value; null when no voxel is finite. */
  min: number | null;
  max: number | null;
  /** Finite non-zero voxels and their mean (the mean "inside the brain" of a skull-stripped image). */
  nonzeroCount: number;
  nonzeroMean: number | null;
  nanCount: number;
  infCount: number;
}

export interface StatsAccumulator {
  add(values: TypedArray): void;
  result(): IntensityStats;
}

export function createStatsAccumulator(header: Pick<NiftiHeader, 'sclSlope' | 'sclInter' | 'datatype'>, path = ''): StatsAccumulator {
  const { slope, inter } = scaling(header, path);
  const isFloat = header.datatype === 'float32' || header.datatype === 'float64';
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let nzCount = 0;
  let nzSum = 0;
  let nan = 0;
  let inf = 0;
  // Stored values that scale to zero: only the stored zero unless slope/intercept say otherwise.
  const zeroRaw = -inter / slope;
  return {
    add(values) {
      count += values.length;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        for (let i = 0; i < values.length; i++) {
          const x = Number(values[i]);
          if (x < min) min = x;
          if (x > max) max = x;
          if (x !== zeroRaw) {
            nzCount++;
            nzSum += x;
          }
        }
        return;
      }
      const v = values as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
      let lo = min;
      let hi = max;
      let n = 0;
      let s = 0;
      if (isFloat) {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x - x !== 0) {
            // NaN or ±inf
            if (x !== x) nan++;
            else inf++;
            continue;
          }
          if (x < lo) lo = x;
          if (x > hi) hi = x;
          if (x !== zeroRaw) {
            n++;
            s += x;
          }
        }
      } else {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x < lo) lo = x;
          if (x > hi) hi = x;
          if (x !== zeroRaw) {
            n++;
            s += x;
          }
        }
      }
      min = lo;
      max = hi;
      nzCount += n;
      nzSum += s;
    },
    result() {
      const finite = min <= max;
      // Scaling is affine, so it maps the stored extremes and the stored mean onto the scaled ones.
      const a = finite ? min * slope + inter : null;
      const b = finite ? max * slope + inter : null;
      return {
        count,
        min: a === null || b === null ? null : Math.min(a, b),
        max: a === null || b === null ? null : Math.max(a, b),
        nonzeroCount: nzCount,
        nonzeroMean: nzCount > 0 ? (nzSum / nzCount) * slope + inter : null,
        nanCount: nan,
        infCount: inf,
      };
    },
  };
}

/** Scans the file once and returns its header and intensity summary. */
export async function intensityStats(source: FileSource, path: string, opts: ScanOptions = {}): Promise<{ header: NiftiHeader; stats: IntensityStats }> {
  let acc: StatsAccumulator | undefined;
  const header = await scanVoxels(
    source,
    path,
    (values, _first, h) => {
      acc ??= createStatsAccumulator(h, path);
      acc.add(values);
    },
    opts,
  );
  return { header, stats: (acc ?? createStatsAccumulator(header, path)).result() };
}
