/**
 * Reading an nnUNetPlans.json someone already has: its configurations, and the memory nnU-Net's
 * estimate gives them (the feature-map count of vram.ts for the planned patch and network, scaled by
 * the batch and the planner's calibration).
 */
import { PRESETS, type Preset } from './presets';
import { featureMapSize, type NetworkShape } from './vram';

export interface PlannedConfiguration {
  name: string;
  patchSize: number[];
  batchSize: number;
  spacing: number[];
  stages: number;
  poolsPerAxis: number[];
  featureMaps: number;
  /** Memory in GB of the planner's calibration for this patch and batch. */
  estimatedGb: number;
}

export interface PlansFileSummary {
  plansName: string;
  planner: string;
  /** The preset whose calibration the estimate uses. */
  preset: Preset;
  configurations: PlannedConfiguration[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0);

function presetFor(planner: string, networkClass: string): Preset {
  const byPlanner = Object.values(PRESETS).find((p) => p.plannerClass === planner);
  if (byPlanner) return byPlanner;
  return networkClass.endsWith('ResidualEncoderUNet') ? PRESETS['resenc-m'] : PRESETS.default;
}

/** Throws an Error naming the file and the first problem. */
export function summarisePlansFile(json: unknown, where = 'nnUNetPlans.json'): PlansFileSummary {
  if (!isObj(json) || !isObj(json.configurations)) throw new Error(`${where}: no "configurations" — is this an nnU-Net plans file?`);
  const planner = typeof json.experiment_planner_used === 'string' ? json.experiment_planner_used : 'unknown planner';
  let preset: Preset | undefined;
  const configurations: PlannedConfiguration[] = [];
  for (const [name, raw] of Object.entries(json.configurations)) {
    if (!isObj(raw) || !isObj(raw.architecture)) continue; // 3d_cascade_fullres only points at others
    const arch = raw.architecture;
    const kw = arch.arch_kwargs;
    const at = `${where}: configurations.${name}`;
    if (!isNums(raw.patch_size) || typeof raw.batch_size !== 'number' || !isNums(raw.spacing) || !isObj(kw)) throw new Error(`${at}: patch_size, batch_size, spacing or arch_kwargs missing`);
    const networkClass = String(arch.network_class_name ?? '');
    preset ??= presetFor(planner, networkClass);
    const strides = kw.strides as number[][];
    const features = kw.features_per_stage as number[];
    const units = (kw.n_blocks_per_stage ?? kw.n_conv_per_stage) as number[];
    const decoder = kw.n_conv_per_stage_decoder as number[];
    if (![strides, features, units, decoder].every(Array.isArray)) throw new Error(`${at}: arch_kwargs lacks strides, features_per_stage, blocks per stage or n_conv_per_stage_decoder`);
    const net: NetworkShape = { kind: networkClass.endsWith('ResidualEncoderUNet') ? 'resenc' : 'plain', featuresPerStage: features, strides, encoderUnits: units, decoderConvs: decoder };
    const numLabels = 4; // plans do not record the label count; BraTS-like (background + 3). Small effect: one output map.
    const featureMaps = featureMapSize(net, raw.patch_size, numLabels);
    const dim = raw.patch_size.length;
    const refValue = dim === 2 ? preset.reference2d : preset.reference3d;
    const refBatch = dim === 2 ? preset.referenceBatch2d : preset.referenceBatch3d;
    configurations.push({
      name,
      patchSize: raw.patch_size,
      batchSize: raw.batch_size,
      spacing: raw.spacing,
      stages: features.length,
      poolsPerAxis: raw.patch_size.map((_, i) => strides.filter((s) => s[i] === 2).length),
      featureMaps,
      estimatedGb: ((featureMaps * (raw.batch_size / refBatch)) / refValue) * preset.referenceGb,
    });
  }
  if (!preset || configurations.length === 0) throw new Error(`${where}: no configuration with an architecture`);
  return { plansName: typeof json.plans_name === 'string' ? json.plans_name : 'nnUNetPlans', planner, preset, configurations };
}
