/**
 * One pass over a NIfTI file that gives everything a student checks after a conversion: the
 * header, gzip or not, orientation codes, the intensity summary, and (optionally) a copy of the
 * first 3D volume for a preview. Shared by `bratslab info` and the NIfTI inspector lab.
 */
import type { FileSource } from '../shared/files';
import { axcodes } from './affine';
import { isGzip } from './codec';
import { readHeader, readVolumes, type ScanOptions } from './read';
import { createStatsAccumulator, intensityStats, type IntensityStats, type StatsAccumulator } from './stats';
import type { NiftiHeader, TypedArray } from './types';

export interface Inspection {
  header: NiftiHeader;
  gzip: boolean;
  axcodes: (string | null)[];
  /** Absent with `headerOnly`. */
  stats?: IntensityStats;
  /** With `keepFirstVolume`: the first 3D volume (raw stored values, unscaled). */
  firstVolume?: TypedArray;
}

export interface InspectOptions extends ScanOptions {
  headerOnly?: boolean;
  keepFirstVolume?: boolean;
}

export async function inspectNifti(source: FileSource, path: string, opts: InspectOptions = {}): Promise<Inspection> {
  const gzip = isGzip(await source.read(path, 0, 2).catch(() => new Uint8Array(0)));
  if (opts.headerOnly) {
    const header = await readHeader(source, path, opts);
    return { header, gzip, axcodes: axcodes(header.affine) };
  }
  if (!opts.keepFirstVolume) {
    const { header, stats } = await intensityStats(source, path, opts);
    return { header, gzip, axcodes: axcodes(header.affine), stats };
  }
  let acc: StatsAccumulator | undefined;
  let firstVolume: TypedArray | undefined;
  const header = await readVolumes(
    source,
    path,
    (volume, t, h) => {
      acc ??= createStatsAccumulator(h, path);
      acc.add(volume);
      // readVolumes reuses its buffer for the next volume; keep a copy of the first.
      if (t === 0) firstVolume = volume.slice() as TypedArray;
    },
    opts,
  );
  return { header, gzip, axcodes: axcodes(header.affine), stats: acc!.result(), firstVolume };
}
