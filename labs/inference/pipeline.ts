/**
 * The whole inference path for one case, in nnU-Net's order (nnunetv2/inference/predict_from_raw_data.py,
 * preprocessing by nnunetv2/preprocessing/preprocessors/default_preprocessor.py; export by
 * nnunetv2/inference/export_prediction.py):
 * (reorient to the model's orientation, when the two are known and differ) → crop to non-zero →
 * z-score per channel inside the brain → resample to the model's spacing (cubic spline) → sliding
 * window (optionally mirrored) → logits resampled back to the cropped shape (linear) → sigmoid > 0.5
 * (logit > 0) per region → regions to labels → put back into the uncropped volume → back to the
 * input's orientation → optionally, a tiny enhancing tumour becomes necrosis (`suppressSmallEnhancing`).
 */
import type { RegionId, SchemeId } from '../shared/labels';
import type { NetworkShape } from './plan';
import { boxShape, crop, nonzeroBox, uncrop, zscoreInMask, type Box } from './preprocess';
import { regionsToLabels, suppressSmallEnhancing } from './regions';
import { applyAxisMap, axisMap, inverse, isIdentity, permuted } from './orient';
import { newShape, resampleLinear, resampleSpline } from './resample';
import { slidingWindow, type PatchModel } from './sliding';
import { voxels, type MultiVolume, type Vec3 } from './volume';

/** What the pipeline needs to know about a model (the model card's `pipeline` block). */
export interface ModelSpec {
  /** Voxel spacing the model was trained at, (z, y, x) mm. */
  spacing: Vec3;
  /** Default patch size, (z, y, x). */
  patch: Vec3;
  net: NetworkShape;
  regions: RegionId[];
  /** Predicted enhancing tumour below this volume (ml) becomes necrosis; 0 or absent = off. */
  minEnhancingMl?: number;
  /** Voxel orientation of the training data (orient.ts codes, e.g. "LPS"); absent = use inputs as stored. */
  orientation?: string;
}

export type Stage = 'preprocess' | 'predict' | 'export';

export interface SegmentOptions {
  spec: ModelSpec;
  model: PatchModel;
  /** Patch size to run with (default: the model's). */
  patch?: Vec3;
  /** Window overlap (default 0.5, nnU-Net's tile_step_size). */
  overlap?: number;
  /** Test-time mirroring along all three axes, nnU-Net's default (8 passes per window); off by default. */
  mirror?: boolean;
  /** Label scheme of the output (default raw BraTS 2021: 1 NCR, 2 ED, 4 ET). */
  scheme?: SchemeId;
  onStage?: (stage: Stage) => void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Segmentation {
  /** Labels in the input's grid and the requested scheme. */
  labels: Uint8Array;
  scheme: SchemeId;
  /** Non-zero bounding box in the grid the model's orientation gives the input. */
  box: Box;
  /** The input's orientation when it was reoriented to the model's, e.g. { from: "RAS", to: "LPS" }. */
  reoriented?: { from: string; to: string };
  /** Shape the network saw (cropped, resampled). */
  modelShape: Vec3;
  patches: number;
  /** Enhancing voxels relabelled as necrosis by the small-ET rule (0 when it did not fire). */
  suppressedEnhancing: number;
}

/** Checks an input against a model and says what is wrong, naming the channel. */
export function checkInput(input: MultiVolume, spec: ModelSpec): void {
  if (input.channels.length !== spec.net.inChannels) {
    throw new Error(`the model expects ${spec.net.inChannels} channels (T1, T1ce, T2, FLAIR), got ${input.channels.length}`);
  }
  const n = voxels(input.shape);
  input.channels.forEach((c, i) => {
    if (c.length !== n) throw new Error(`channel ${i} has ${c.length} voxels, but the shape ${input.shape.join('×')} needs ${n}`);
  });
  if (!input.spacing.every((s) => Number.isFinite(s) && s > 0)) throw new Error(`voxel spacing ${input.spacing.join(' × ')} mm is not usable`);
}

export async function segment(given: MultiVolume, opts: SegmentOptions): Promise<Segmentation> {
  const { spec } = opts;
  checkInput(given, spec);
  const patch = opts.patch ?? spec.patch;
  const scheme = opts.scheme ?? 'brats2021';
  opts.onStage?.('preprocess');
  const toModel = given.orientation && spec.orientation ? axisMap(given.orientation, spec.orientation) : null;
  const turn = toModel && !isIdentity(toModel) ? toModel : null;
  const input: MultiVolume = turn
    ? { channels: given.channels.map((c) => applyAxisMap(c, given.shape, turn)), shape: permuted(given.shape, turn), spacing: permuted(given.spacing, turn) }
    : given;
  const { box, mask } = nonzeroBox(input.channels, input.shape);
  const cropShape = boxShape(box);
  const cropMask = crop(mask, input.shape, box);
  const modelShape = newShape(cropShape, input.spacing, spec.spacing);
  const prepared = input.channels.map((c) => resampleSpline(zscoreInMask(crop(c, input.shape, box), cropMask), cropShape, modelShape));
  opts.signal?.throwIfAborted();

  opts.onStage?.('predict');
  let patches = 0;
  const logits = await slidingWindow(prepared, modelShape, {
    patch,
    overlap: opts.overlap ?? 0.5,
    mirror: opts.mirror ? [0, 1, 2] : [],
    outChannels: spec.net.outChannels,
    model: opts.model,
    signal: opts.signal,
    onProgress: (done, total) => {
      patches = total;
      opts.onProgress?.(done, total);
    },
  });

  opts.onStage?.('export');
  const masks = logits.map((l) => {
    const back = resampleLinear(l, modelShape, cropShape);
    const m = new Uint8Array(back.length);
    for (let k = 0; k < back.length; k++) m[k] = back[k] > 0 ? 1 : 0;
    return m;
  });
  const modelLabels = uncrop(regionsToLabels(masks, scheme), box, input.shape);
  const labels = turn ? applyAxisMap(modelLabels, input.shape, inverse(turn)) : modelLabels;
  const voxelMl = (input.spacing[0] * input.spacing[1] * input.spacing[2]) / 1000;
  const suppressedEnhancing = spec.minEnhancingMl ? suppressSmallEnhancing(labels, scheme, voxelMl, spec.minEnhancingMl) : 0;
  const reoriented = turn ? { from: given.orientation!, to: spec.orientation! } : undefined;
  return { labels, scheme, box, reoriented, modelShape, patches, suppressedEnhancing };
}
