/**
 * Reads a case for the pipeline: four NIfTI images in nnU-Net's channel order (T1, T1ce, T2, FLAIR,
 * the `channel_names` of nnunetv2/dataset_conversion/Dataset137_BraTS21.py) and an optional label,
 * through any FileSource (browser files, Node folders, memory). Every channel must share the grid of
 * the first (shape, spacing and voxel orientation); a mismatch names the file and both values.
 */
import type { FileSource } from '../shared/files';
import { axcodes, readImage, scaling, type NiftiHeader, type ReadOptions } from '../nifti';
import { fromNiftiOrder, voxels, type MultiVolume, type Vec3 } from './volume';

export const CHANNEL_KEYS = ['t1', 't1ce', 't2', 'flair'] as const;
export type ChannelKey = (typeof CHANNEL_KEYS)[number];

export interface CasePaths {
  t1: string;
  t1ce: string;
  t2: string;
  flair: string;
  seg?: string;
}

export interface LoadedCase {
  input: MultiVolume;
  /** Reference label values as stored (any scheme), when a label was given. */
  reference?: Uint8Array;
}

/** "LPS"-style voxel orientation of a header's affine, or undefined when an axis has no direction. */
function orientationOf(h: NiftiHeader): string | undefined {
  const codes = axcodes(h.affine);
  return codes.every((c) => c) ? codes.join('') : undefined;
}

function grid(h: NiftiHeader, path: string): { shape: Vec3; spacing: Vec3; orientation?: string } {
  const spatial = h.dims.slice(0, 3);
  if (h.dims.length > 3 && h.dims.slice(3).some((d) => d > 1)) {
    throw new Error(`${path}: has ${h.dims.length} dimensions (${h.dims.join('×')}); give one 3D volume per channel`);
  }
  while (spatial.length < 3) spatial.push(1);
  const zooms = h.zooms.slice(0, 3).map(Math.abs);
  while (zooms.length < 3) zooms.push(1);
  return { shape: fromNiftiOrder(spatial), spacing: fromNiftiOrder(zooms), orientation: orientationOf(h) };
}

const same = (a: readonly number[], b: readonly number[], tol = 0) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

/** Loads the four channels (as float, NIfTI scaling applied) and the optional label. */
export async function loadCase(source: FileSource, paths: CasePaths, opts: ReadOptions = {}): Promise<LoadedCase> {
  const channels: Float32Array[] = [];
  let ref: { shape: Vec3; spacing: Vec3; orientation?: string; path: string } | undefined;
  for (const key of CHANNEL_KEYS) {
    const path = paths[key];
    const { header, data } = await readImage(source, path, opts);
    const g = grid(header, path);
    if (!ref) ref = { ...g, path };
    else {
      if (!same(g.shape, ref.shape)) throw new Error(`${path}: shape ${g.shape.join('×')} (z×y×x) differs from ${ref.path} (${ref.shape.join('×')})`);
      if (!same(g.spacing, ref.spacing, 1e-3)) throw new Error(`${path}: voxel spacing ${g.spacing.join(' × ')} mm differs from ${ref.path} (${ref.spacing.join(' × ')} mm)`);
      if (g.orientation !== ref.orientation) throw new Error(`${path}: voxel orientation ${g.orientation ?? 'unknown'} differs from ${ref.path} (${ref.orientation ?? 'unknown'})`);
    }
    const { slope, inter } = scaling(header, path);
    const n = voxels(g.shape);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = Number(data[i]) * slope + inter;
      if (!Number.isFinite(v)) throw new Error(`${path}: voxel ${i} is ${v}; the model needs finite intensities`);
      out[i] = v;
    }
    channels.push(out);
  }
  const input: MultiVolume = { channels, shape: ref!.shape, spacing: ref!.spacing, orientation: ref!.orientation };
  if (!paths.seg) return { input };
  const { header, data } = await readImage(source, paths.seg, opts);
  const g = grid(header, paths.seg);
  if (!same(g.shape, input.shape)) throw new Error(`${paths.seg}: label shape ${g.shape.join('×')} differs from the images (${input.shape.join('×')})`);
  if (g.orientation !== input.orientation) throw new Error(`${paths.seg}: label orientation ${g.orientation ?? 'unknown'} differs from the images (${input.orientation ?? 'unknown'})`);
  const { slope, inter } = scaling(header, paths.seg);
  const reference = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]) * slope + inter;
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`${paths.seg}: voxel ${i} has label value ${v}; labels must be whole numbers 0-255`);
    reference[i] = v;
  }
  return { input, reference };
}
