/**
 * Voxel ↔ world geometry and the crosshair readout. Voxel indices are the file's own (i, j, k),
 * as nibabel and ITK-SNAP report them; world coordinates are the NIfTI RAS+ millimetres given by
 * the voxel-to-world affine (NIfTI-1 standard, nifti1.h).
 */
import { REGION_NAMES, SCHEMES, TISSUE_NAMES, type SchemeId } from '../shared/labels';
import { regionsOfTissue } from './labels';
import type { Channel } from './modalities';

export type Vec3 = [number, number, number];

/** World position (mm) of a voxel index under a 4×4 (or 3×4) row-major affine. */
export function voxToWorld(affine: readonly (readonly number[])[], v: readonly number[]): Vec3 {
  const out: Vec3 = [0, 0, 0];
  for (let r = 0; r < 3; r++) out[r] = affine[r][0] * v[0] + affine[r][1] * v[1] + affine[r][2] * v[2] + affine[r][3];
  return out;
}

/** Continuous voxel index of a world position: inverts the affine's 3×3 part and translation. */
export function worldToVox(affine: readonly (readonly number[])[], mm: readonly number[]): Vec3 {
  const [a, b, c] = affine[0];
  const [d, e, f] = affine[1];
  const [g, h, i] = affine[2];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (det === 0 || !Number.isFinite(det)) throw new Error('the voxel-to-world affine is singular');
  const x = mm[0] - affine[0][3];
  const y = mm[1] - affine[1][3];
  const z = mm[2] - affine[2][3];
  return [
    ((e * i - f * h) * x - (b * i - c * h) * y + (b * f - c * e) * z) / det,
    (-(d * i - f * g) * x + (a * i - c * g) * y - (a * f - c * d) * z) / det,
    ((d * h - e * g) * x - (a * h - b * g) * y + (a * e - b * d) * z) / det,
  ];
}

/** Rounds a continuous index to the voxel that contains it, clamped into the volume. */
export function nearestVoxel(v: readonly number[], dims: readonly number[]): Vec3 {
  return [0, 1, 2].map((k) => Math.min(dims[k] - 1, Math.max(0, Math.round(v[k])))) as Vec3;
}

export type ViewId = 'axial' | 'coronal' | 'sagittal' | 'multiplanar' | 'render';

/** World axis normal to each 2D view: sagittal ⟂ x (R-L), coronal ⟂ y (A-P), axial ⟂ z (S-I). */
const VIEW_WORLD_AXIS: Record<ViewId, 0 | 1 | 2> = { sagittal: 0, coronal: 1, axial: 2, multiplanar: 2, render: 2 };

/**
 * The voxel axis that steps through slices of a view: the one whose direction is closest to the
 * view's normal. BraTS's LPS volumes step axial slices along k; a sagittally acquired file along i.
 */
export function sliceAxis(affine: readonly (readonly number[])[], view: ViewId): 0 | 1 | 2 {
  const w = VIEW_WORLD_AXIS[view];
  let best: 0 | 1 | 2 = 0;
  let bestShare = -1;
  for (const axis of [0, 1, 2] as const) {
    const col = [affine[0][axis], affine[1][axis], affine[2][axis]];
    const len = Math.hypot(col[0], col[1], col[2]) || 1;
    const share = Math.abs(col[w]) / len;
    if (share > bestShare) {
      bestShare = share;
      best = axis;
    }
  }
  return best;
}

/** Moves a voxel by `step` slices along a view's slice axis, staying inside the volume. */
export function stepSlice(v: Vec3, affine: readonly (readonly number[])[], view: ViewId, step: number, dims: readonly number[]): Vec3 {
  const axis = sliceAxis(affine, view);
  const next: Vec3 = [v[0], v[1], v[2]];
  next[axis] = Math.min(dims[axis] - 1, Math.max(0, v[axis] + step));
  return next;
}

/** Intensities print as integers when they are, else with three significant decimals at most. */
export function formatValue(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

const CHANNEL_LABEL: Record<Channel, string> = { t1: 'T1', t1ce: 'T1ce', t2: 'T2', flair: 'FLAIR' };

export interface Readout {
  position: string;
  channels: string;
  label: string;
}

/** The crosshair readout: position, the four channel values and the label with its regions. */
export function formatReadout(
  vox: Vec3,
  mm: Vec3,
  values: Partial<Record<Channel, number | null>>,
  label: number | null,
  scheme: SchemeId,
): Readout {
  const f1 = (x: number) => (Object.is(Math.round(x * 10) / 10, -0) ? '0.0' : (Math.round(x * 10) / 10).toFixed(1));
  const position = `voxel (${vox.join(', ')}) · world (${mm.map(f1).join(', ')}) mm`;
  const channels = (Object.keys(CHANNEL_LABEL) as Channel[])
    .filter((c) => c in values)
    .map((c) => `${CHANNEL_LABEL[c]} ${formatValue(values[c] ?? null)}`)
    .join(' · ');
  let text: string;
  if (label === null) text = 'label –';
  else {
    const def = SCHEMES[scheme].labels.find((l) => l.value === label);
    if (!def) text = `label ${formatValue(label)}: not defined in this scheme`;
    else if (def.tissue === 'background') text = `label ${label}: background`;
    else {
      const regions = regionsOfTissue(def.tissue);
      const inside = regions.length ? `; inside ${regions.map((r) => `${r} (${REGION_NAMES[r]})`).join(', ')}` : '; in no region';
      text = `label ${label}: ${def.tissue}, ${TISSUE_NAMES[def.tissue]}${inside}`;
    }
  }
  return { position, channels, label: text };
}
