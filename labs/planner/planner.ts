/**
 * nnU-Net v2's experiment planning (`ExperimentPlanner.plan_experiment` and the ResEnc presets),
 * reimplemented from reading nnunetv2/experiment_planning/experiment_planners/ at 2.8.1: target
 * spacing with the anisotropy rule, transposition, the 3d_fullres / 3d_lowres / 2d configurations,
 * the patch-shrinking loop against the memory reference, batch size with its dataset-coverage cap,
 * normalisation schemes and whether the non-zero mask is used. Pure: the inputs are the dataset
 * fingerprint and the few dataset.json fields the planner reads.
 */
import { columnMedian, percentile, product, roundHalfEven } from './numeric';
import { PRESETS, type Preset, type PresetId } from './presets';
import { poolAndConvProps, type Topology } from './topology';
import { featureMapSize, type NetworkShape } from './vram';
import type { Fingerprint } from './fingerprint';

/** nnU-Net's ANISO_THRESHOLD (nnunetv2/configuration.py). */
const ANISOTROPY_THRESHOLD = 3;
/** Feature maps in the bottleneck keep at least this edge. */
const MIN_FEATURE_MAP_EDGE = 4;
const BASE_FEATURES = 32;
const MAX_FEATURES_3D = 320;
const MAX_FEATURES_2D = 512;
const MIN_BATCH_SIZE = 2;
/** A 3d_lowres is planned while the fullres patch covers less than this share of the median image. */
const LOWRES_CREATION_THRESHOLD = 0.25;
const LOWRES_SPACING_STEP = 1.03;

/** What the planner reads from dataset.json. */
export interface DatasetInfo {
  /** channel_names values in order (e.g. ["T1", "T1ce", "T2", "Flair"]). */
  channelNames: string[];
  /** Number of keys under `labels` (nnU-Net uses it as the network's output count when planning). */
  numLabels: number;
  numTraining: number;
}

export type ConfigurationName = '2d' | '3d_fullres' | '3d_lowres';

export interface ConfigurationPlan {
  name: ConfigurationName;
  dataIdentifier: string;
  batchSize: number;
  patchSize: number[];
  medianImageSize: number[];
  spacing: number[];
  normalizationSchemes: string[];
  useMaskForNorm: boolean[];
  network: NetworkShape & { kernelSizes: number[][]; poolsPerAxis: number[] };
  batchDice: boolean;
  /** Set on 3d_lowres when the cascade's second stage exists. */
  nextStage?: '3d_cascade_fullres';
  /** nnU-Net's feature-map count for one patch (see vram.ts). */
  featureMaps: number;
  /** The feature-map budget for the memory target (reference value scaled to the target). */
  featureMapBudget: number;
  /** Memory this configuration is planned to need, in GB of the preset's calibration: feature maps × batch, scaled. */
  estimatedGb: number;
}

export interface ExperimentPlan {
  preset: Preset;
  targetGb: number;
  /** The plans identifier (file name without .json): the preset's, or nnU-Net's -overwrite_plans_name. */
  plansName: string;
  transposeForward: number[];
  transposeBackward: number[];
  originalMedianSpacing: number[];
  originalMedianShape: number[];
  configurations: Partial<Record<ConfigurationName, ConfigurationPlan>>;
  /** True when 3d_lowres and 3d_cascade_fullres are planned. */
  cascade: boolean;
}

export interface PlanOptions {
  preset?: PresetId;
  /** GPU memory target in GB; the preset's own when absent (8 for default and M, 24 for L, 40 for XL). */
  targetGb?: number;
  /** nnU-Net's -overwrite_plans_name; default: the preset's plans name. */
  plansName?: string;
}

/** The plans name `bratslab plan` and the lab suggest: the preset's, with `_<N>GB` for a non-default target. */
export function suggestedPlansName(preset: Preset, targetGb: number): string {
  return targetGb === preset.defaultTargetGb ? preset.plansName : `${preset.plansName}_${targetGb}GB`;
}

export function planExperiment(fingerprint: Fingerprint, dataset: DatasetInfo, options: PlanOptions = {}): ExperimentPlan {
  const preset = PRESETS[options.preset ?? 'default'];
  const targetGb = options.targetGb ?? preset.defaultTargetGb;
  if (!(targetGb > 0)) throw new RangeError(`GPU memory target must be positive, got ${targetGb}`);
  validateFingerprint(fingerprint, dataset);
  const plansName = options.plansName ?? preset.plansName;
  const ctx: Context = { preset, targetGb, plansName, fingerprint, dataset, cache: new Map() };

  const fullresSpacing = fullresTargetSpacing(fingerprint);
  const transposeForward = transposeFor(fullresSpacing);
  const transposeBackward = [0, 1, 2].map((i) => transposeForward.indexOf(i));
  const spacingT = transposeForward.map((i) => fullresSpacing[i]);

  const newShapes = fingerprint.shapes_after_crop.map((shape, c) =>
    shape.map((s, i) => roundHalfEven((fingerprint.spacings[c][i] / fullresSpacing[i]) * s)),
  );
  const medianShape = columnMedian(newShapes);
  const medianShapeT = transposeForward.map((i) => medianShape[i]);
  const datasetVoxels = product(medianShapeT) * dataset.numTraining;

  const configurations: ExperimentPlan['configurations'] = {};
  let cascade = false;
  if (medianShapeT[0] !== 1) {
    const fullres = planConfiguration(ctx, '3d_fullres', spacingT, medianShapeT, datasetVoxels);
    let medianVoxels = product(medianShapeT);
    let patchVoxels = product(fullres.patchSize);
    let lowres: ConfigurationPlan | undefined;
    const lowresSpacing = [...fullres.spacing];
    while (patchVoxels / medianVoxels < LOWRES_CREATION_THRESHOLD) {
      // Coarsen the anisotropic axes first, until they are within a factor 2 of the others.
      const maxSpacing = Math.max(...lowresSpacing);
      const coarse = lowresSpacing.map((s) => maxSpacing / s > 2);
      for (let i = 0; i < 3; i++) {
        if (!coarse.some(Boolean) || coarse[i]) lowresSpacing[i] *= LOWRES_SPACING_STEP;
      }
      const lowresShape = fullres.spacing.map((s, i) => (s / lowresSpacing[i]) * medianShapeT[i]);
      medianVoxels = product(lowresShape);
      lowres = planConfiguration(ctx, '3d_lowres', [...lowresSpacing], lowresShape.map(roundHalfEven), medianVoxels * dataset.numTraining);
      patchVoxels = product(lowres.patchSize);
    }
    if (product(medianShapeT) / medianVoxels < 2) lowres = undefined;
    if (lowres) {
      lowres.batchDice = false;
      lowres.nextStage = '3d_cascade_fullres';
      fullres.batchDice = true;
      cascade = true;
      configurations['3d_lowres'] = lowres;
    } else {
      fullres.batchDice = false;
    }
    configurations['3d_fullres'] = fullres;
  }
  const plan2d = planConfiguration(ctx, '2d', spacingT.slice(1), medianShapeT.slice(1), datasetVoxels);
  plan2d.batchDice = true;

  const medianSpacing = columnMedian(fingerprint.spacings);
  const medianCropShape = columnMedian(fingerprint.shapes_after_crop);
  return {
    preset,
    targetGb,
    plansName,
    transposeForward,
    transposeBackward,
    originalMedianSpacing: transposeForward.map((i) => medianSpacing[i]),
    originalMedianShape: transposeForward.map((i) => roundHalfEven(medianCropShape[i])),
    configurations: { '2d': plan2d, ...configurations },
    cascade,
  };
}

interface Context {
  preset: Preset;
  targetGb: number;
  plansName: string;
  fingerprint: Fingerprint;
  dataset: DatasetInfo;
  /** Feature-map counts already computed, by patch and strides (nnU-Net caches them the same way). */
  cache: Map<string, number>;
}

/**
 * The median spacing, except on a clearly anisotropic dataset (the coarsest axis more than 3× the
 * others in spacing, and more than 3× fewer voxels): there that axis takes the 10th percentile of
 * its spacings, but never finer than the other axes.
 */
export function fullresTargetSpacing(fingerprint: Pick<Fingerprint, 'spacings' | 'shapes_after_crop'>): number[] {
  const target = columnMedian(fingerprint.spacings);
  const targetSize = columnMedian(fingerprint.shapes_after_crop);
  const worst = argmax(target);
  const others = [0, 1, 2].filter((i) => i !== worst);
  const otherSpacings = others.map((i) => target[i]);
  const otherSizes = others.map((i) => targetSize[i]);
  const anisoSpacing = target[worst] > ANISOTROPY_THRESHOLD * Math.max(...otherSpacings);
  const anisoVoxels = targetSize[worst] * ANISOTROPY_THRESHOLD < Math.min(...otherSizes);
  if (anisoSpacing && anisoVoxels) {
    let axisTarget = percentile(fingerprint.spacings.map((s) => s[worst]), 10);
    if (axisTarget < Math.max(...otherSpacings)) axisTarget = Math.max(Math.max(...otherSpacings), axisTarget) + 1e-5;
    target[worst] = axisTarget;
  }
  return target;
}

/** The coarsest axis first (nnU-Net's `determine_transpose`). */
function transposeFor(spacing: readonly number[]): number[] {
  const first = argmax(spacing);
  return [first, ...[0, 1, 2].filter((i) => i !== first)];
}

/** Index of the first maximum, as `np.argmax`. */
function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function planConfiguration(
  ctx: Context,
  name: ConfigurationName,
  spacing: number[],
  medianShape: number[],
  datasetVoxels: number,
): ConfigurationPlan {
  const { preset } = ctx;
  const dim = spacing.length;
  const maxFeatures = dim === 2 ? MAX_FEATURES_2D : MAX_FEATURES_3D;

  // Start from a patch with the spacing's aspect ratio and the volume of 256³ (2048² in 2d),
  // clipped to the median image.
  const inverse = spacing.map((s) => 1 / s);
  const edge = dim === 3 ? 256 ** 3 : 2048 ** 2;
  const scale = (edge / product(inverse)) ** (1 / dim);
  const initial = inverse.map((v, i) => Math.min(roundHalfEven(v * scale), medianShape[i]));

  let topo = poolAndConvProps(spacing, initial, MIN_FEATURE_MAP_EDGE);
  let net = networkFor(preset, topo, maxFeatures);
  let estimate = estimateFor(ctx, topo, net);
  const budget = (dim === 2 ? preset.reference2d : preset.reference3d) * (ctx.targetGb / preset.referenceGb);
  const referenceBatch = dim === 2 ? preset.referenceBatch2d : preset.referenceBatch3d;
  const tooLarge = (e: number) => (preset.shrinkUntil === 'batch-of-two' ? (e / referenceBatch) * MIN_BATCH_SIZE : e) > budget;

  while (tooLarge(estimate)) {
    // Shrink the axis that is largest relative to the median image (the last one on a tie).
    const ratios = topo.patchSize.map((p, i) => p / medianShape[i]);
    let axis = 0;
    for (let i = 1; i < dim; i++) if (ratios[i] >= ratios[axis]) axis = i;
    // Step by the divisor the smaller patch would have, so that no valid size is skipped.
    const trial = [...topo.patchSize];
    trial[axis] -= topo.divisibleBy[axis];
    const step = poolAndConvProps(spacing, trial, MIN_FEATURE_MAP_EDGE).divisibleBy[axis];
    const patch = [...topo.patchSize];
    patch[axis] -= step;
    topo = poolAndConvProps(spacing, patch, MIN_FEATURE_MAP_EDGE);
    net = networkFor(preset, topo, maxFeatures);
    estimate = estimateFor(ctx, topo, net);
  }

  const memoryBatch = roundHalfEven((budget / estimate) * referenceBatch);
  const coverageBatch = roundHalfEven((datasetVoxels * preset.maxDatasetCovered) / product(topo.patchSize));
  const batchSize = Math.max(Math.min(memoryBatch, coverageBatch), MIN_BATCH_SIZE);
  const { schemes, useMask } = normalization(ctx);
  const referenceValue = dim === 2 ? preset.reference2d : preset.reference3d;

  return {
    name,
    dataIdentifier: dataIdentifier(ctx, name),
    batchSize,
    patchSize: topo.patchSize,
    medianImageSize: medianShape,
    spacing,
    normalizationSchemes: schemes,
    useMaskForNorm: useMask,
    network: { ...net, kernelSizes: topo.kernelSizes, poolsPerAxis: topo.poolsPerAxis },
    batchDice: false,
    featureMaps: estimate,
    featureMapBudget: budget,
    estimatedGb: ((estimate * (batchSize / referenceBatch)) / referenceValue) * preset.referenceGb,
  };
}

function networkFor(preset: Preset, topo: Topology, maxFeatures: number): NetworkShape {
  const stages = topo.strides.length;
  return {
    kind: preset.kind,
    featuresPerStage: Array.from({ length: stages }, (_, i) => Math.min(maxFeatures, BASE_FEATURES * 2 ** i)),
    strides: topo.strides,
    encoderUnits: preset.encoderUnits.slice(0, stages),
    decoderConvs: preset.decoderConvs.slice(0, stages - 1),
  };
}

function estimateFor(ctx: Context, topo: Topology, net: NetworkShape): number {
  const key = `${topo.patchSize.join(',')}_${topo.strides.map((s) => s.join(',')).join(';')}`;
  let value = ctx.cache.get(key);
  if (value === undefined) {
    value = featureMapSize(net, topo.patchSize, ctx.dataset.numLabels);
    ctx.cache.set(key, value);
  }
  return value;
}

/** The ResEnc presets reuse the default plans' preprocessed data for 2d and 3d_fullres. */
function dataIdentifier(ctx: Context, name: ConfigurationName): string {
  const plans = ctx.preset.kind === 'resenc' && name !== '3d_lowres' ? 'nnUNetPlans' : ctx.plansName;
  return `${plans}_${name}`;
}

/** Channel name → scheme (nnU-Net's `get_normalization_scheme`; anything unknown is z-score). */
const SCHEMES: Record<string, string> = {
  ct: 'CTNormalization',
  nonorm: 'NoNormalization',
  zscore: 'ZScoreNormalization',
  rescale_to_0_1: 'RescaleTo01Normalization',
  rgb_to_0_1: 'RGBTo01Normalization',
};

/**
 * Z-score normalises inside the non-zero mask when cropping removed at least a quarter of the
 * image (median relative size below 3/4); the other schemes never use the mask.
 */
function normalization(ctx: Context): { schemes: string[]; useMask: boolean[] } {
  const schemes = ctx.dataset.channelNames.map((n) => SCHEMES[n.toLowerCase()] ?? 'ZScoreNormalization');
  const cropped = ctx.fingerprint.median_relative_size_after_cropping < 3 / 4;
  return { schemes, useMask: schemes.map((s) => cropped && s === 'ZScoreNormalization') };
}

function validateFingerprint(fp: Fingerprint, dataset: DatasetInfo): void {
  const where = 'dataset_fingerprint.json';
  if (!Array.isArray(fp.spacings) || fp.spacings.length === 0) throw new Error(`${where}: "spacings" must be a non-empty list`);
  if (!Array.isArray(fp.shapes_after_crop) || fp.shapes_after_crop.length !== fp.spacings.length) {
    throw new Error(`${where}: "shapes_after_crop" must list one shape per case (${fp.spacings.length} spacings)`);
  }
  fp.spacings.forEach((s, i) => {
    if (!Array.isArray(s) || s.length !== 3 || !s.every((v) => Number.isFinite(v) && v > 0)) {
      throw new Error(`${where}: spacings[${i}] must be three positive numbers, got ${JSON.stringify(s)}`);
    }
  });
  fp.shapes_after_crop.forEach((s, i) => {
    if (!Array.isArray(s) || s.length !== 3 || !s.every((v) => Number.isInteger(v) && v > 0)) {
      throw new Error(`${where}: shapes_after_crop[${i}] must be three positive integers, got ${JSON.stringify(s)}`);
    }
  });
  if (!Number.isFinite(fp.median_relative_size_after_cropping)) {
    throw new Error(`${where}: "median_relative_size_after_cropping" must be a number`);
  }
  if (dataset.channelNames.length === 0) throw new Error('dataset.json: "channel_names" is empty');
  if (!(dataset.numTraining > 0)) throw new Error('dataset.json: "numTraining" must be a positive number');
  if (!(dataset.numLabels > 0)) throw new Error('dataset.json: "labels" is empty');
}
