/**
 * Tumour volumes in millilitres, per label and per BraTS region: the text alternative to the
 * overlay, and the numbers a radiologist would quote. 1 ml = 1000 mm³.
 */
import { REGION_NAMES, SCHEMES, TISSUE_NAMES, type RegionId, type SchemeId, type TissueId } from '../shared/labels';
import { REGIONS_INNER_FIRST, regionValues } from './labels';

export interface LabelCounts {
  /** Voxel count per integer value. */
  counts: Map<number, number>;
  /** Voxels whose value is not a whole number (a label saved as float by mistake, or resampled linearly). */
  nonInteger: number;
  total: number;
}

/** Counts the voxels of each label value; `slope`/`inter` are the NIfTI scaling (scl_slope, scl_inter). */
export function countLabels(data: ArrayLike<number>, slope = 1, inter = 0): LabelCounts {
  const s = slope === 0 || !Number.isFinite(slope) ? 1 : slope;
  const b = Number.isFinite(inter) ? inter : 0;
  const counts = new Map<number, number>();
  let nonInteger = 0;
  const n = data.length;
  if (s === 1 && b === 0 && (data instanceof Uint8Array || data instanceof Int16Array || data instanceof Uint16Array)) {
    // Integer storage: a dense histogram is far quicker than a Map update per voxel.
    const offset = data instanceof Int16Array ? 32768 : 0;
    const hist = new Float64Array(data instanceof Uint8Array ? 256 : 65536);
    for (let i = 0; i < n; i++) hist[data[i] + offset]++;
    for (let k = 0; k < hist.length; k++) if (hist[k] > 0) counts.set(k - offset, hist[k]);
    return { counts, nonInteger, total: n };
  }
  for (let i = 0; i < n; i++) {
    const v = data[i] * s + b;
    if (!Number.isInteger(v)) {
      nonInteger++;
      continue;
    }
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { counts, nonInteger, total: n };
}

/** Millilitres of one voxel with these edge lengths in mm. */
export function voxelMl(spacingMm: readonly number[]): number {
  return (Math.abs(spacingMm[0]) * Math.abs(spacingMm[1]) * Math.abs(spacingMm[2])) / 1000;
}

export interface LabelVolume {
  value: number;
  tissue: TissueId;
  name: string;
  voxels: number;
  ml: number;
}

export interface RegionVolume {
  id: RegionId;
  name: string;
  /** Label values summed into the region. */
  values: number[];
  voxels: number;
  ml: number;
}

export interface VolumeTable {
  scheme: SchemeId;
  voxelMl: number;
  labels: LabelVolume[];
  /** Outermost first: WT, TC, ET. */
  regions: RegionVolume[];
}

/** Per-label and per-region volumes of a label volume read with `scheme`. */
export function volumeTable(counts: LabelCounts, scheme: SchemeId, spacingMm: readonly number[]): VolumeTable {
  const vml = voxelMl(spacingMm);
  const labels = SCHEMES[scheme].labels
    .filter((l) => l.tissue !== 'background')
    .map((l) => {
      const voxels = counts.counts.get(l.value) ?? 0;
      return { value: l.value, tissue: l.tissue, name: TISSUE_NAMES[l.tissue], voxels, ml: voxels * vml };
    });
  const values = regionValues(scheme);
  const regions = [...REGIONS_INNER_FIRST].reverse().map((id) => {
    const voxels = values[id].reduce((sum, v) => sum + (counts.counts.get(v) ?? 0), 0);
    return { id, name: REGION_NAMES[id], values: values[id], voxels, ml: voxels * vml };
  });
  return { scheme, voxelMl: vml, labels, regions };
}

/** Volume as the lab prints it: one decimal below 100 ml, whole millilitres above. */
export function formatMl(ml: number): string {
  return ml >= 100 ? `${Math.round(ml)} ml` : `${ml.toFixed(1)} ml`;
}

/**
 * The voxel nearest the centroid of all non-zero labels (the tumour's centre), or null for an
 * empty label. The viewer opens there, so the first slice a student sees shows tumour.
 */
export function tumourCentre(data: ArrayLike<number>, dims: readonly number[]): [number, number, number] | null {
  const [nx, ny] = dims;
  let n = 0;
  let si = 0;
  let sj = 0;
  let sk = 0;
  for (let idx = 0; idx < data.length; idx++) {
    if (data[idx] === 0) continue;
    const i = idx % nx;
    const j = Math.floor(idx / nx) % ny;
    const k = Math.floor(idx / (nx * ny));
    n++;
    si += i;
    sj += j;
    sk += k;
  }
  if (n === 0) return null;
  return [Math.round(si / n), Math.round(sj / n), Math.round(sk / n)];
}
