/**
 * nnU-Net v2's planners as numbers. Values from nnU-Net 2.8.1:
 * `ExperimentPlanner.__init__` (default_experiment_planner.py) and `nnUNetPlannerResEncM/L/XL`
 * (residual_unets/residual_encoder_unet_planners.py). The reference values are feature-map counts
 * (see vram.ts) that nnU-Net's authors calibrated to fit a GPU of `referenceGb` at the reference
 * batch size; a memory target scales them linearly.
 */
import type { UNetKind } from './vram';

export type PresetId = 'default' | 'resenc-m' | 'resenc-l' | 'resenc-xl';

export const PRESET_IDS: readonly PresetId[] = ['default', 'resenc-m', 'resenc-l', 'resenc-xl'];

export interface Preset {
  id: PresetId;
  /** Planner class name, as `-pl` takes it and as the plans record it. */
  plannerClass: string;
  plansName: string;
  networkClass: string;
  kind: UNetKind;
  /** The GPU target nnU-Net uses when none is given. */
  defaultTargetGb: number;
  referenceGb: number;
  reference3d: number;
  reference2d: number;
  referenceBatch3d: number;
  referenceBatch2d: number;
  encoderUnits: readonly number[];
  decoderConvs: readonly number[];
  /** Largest fraction of the dataset's voxels one batch may cover. */
  maxDatasetCovered: number;
  /**
   * How the patch-shrinking loop tests the budget. The default planner shrinks until a batch of 2
   * fits (estimate / reference batch × 2 > budget), which in 2d (reference batch 12) allows patches
   * six times over the reference; the ResEnc planners shrink until the reference batch fits.
   */
  shrinkUntil: 'batch-of-two' | 'reference-batch';
}

const PLAIN_ENCODER = new Array<number>(14).fill(2);
const PLAIN_DECODER = new Array<number>(13).fill(2);
const RESENC_ENCODER = [1, 3, 4, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6];
const RESENC_DECODER = new Array<number>(12).fill(1);

const PLAIN_NET = 'dynamic_network_architectures.architectures.unet.PlainConvUNet';
const RESENC_NET = 'dynamic_network_architectures.architectures.unet.ResidualEncoderUNet';

export const PRESETS: Readonly<Record<PresetId, Preset>> = {
  default: {
    id: 'default', plannerClass: 'ExperimentPlanner', plansName: 'nnUNetPlans', networkClass: PLAIN_NET, kind: 'plain',
    defaultTargetGb: 8, referenceGb: 8, reference3d: 560_000_000, reference2d: 85_000_000,
    referenceBatch3d: 2, referenceBatch2d: 12, encoderUnits: PLAIN_ENCODER, decoderConvs: PLAIN_DECODER, maxDatasetCovered: 0.05,
    shrinkUntil: 'batch-of-two',
  },
  'resenc-m': {
    id: 'resenc-m', plannerClass: 'nnUNetPlannerResEncM', plansName: 'nnUNetResEncUNetMPlans', networkClass: RESENC_NET, kind: 'resenc',
    defaultTargetGb: 8, referenceGb: 8, reference3d: 680_000_000, reference2d: 135_000_000,
    referenceBatch3d: 2, referenceBatch2d: 12, encoderUnits: RESENC_ENCODER, decoderConvs: RESENC_DECODER, maxDatasetCovered: 1,
    shrinkUntil: 'reference-batch',
  },
  'resenc-l': {
    id: 'resenc-l', plannerClass: 'nnUNetPlannerResEncL', plansName: 'nnUNetResEncUNetLPlans', networkClass: RESENC_NET, kind: 'resenc',
    defaultTargetGb: 24, referenceGb: 24, reference3d: 2_100_000_000, reference2d: 380_000_000,
    referenceBatch3d: 2, referenceBatch2d: 12, encoderUnits: RESENC_ENCODER, decoderConvs: RESENC_DECODER, maxDatasetCovered: 1,
    shrinkUntil: 'reference-batch',
  },
  'resenc-xl': {
    id: 'resenc-xl', plannerClass: 'nnUNetPlannerResEncXL', plansName: 'nnUNetResEncUNetXLPlans', networkClass: RESENC_NET, kind: 'resenc',
    defaultTargetGb: 40, referenceGb: 40, reference3d: 3_600_000_000, reference2d: 560_000_000,
    referenceBatch3d: 2, referenceBatch2d: 12, encoderUnits: RESENC_ENCODER, decoderConvs: RESENC_DECODER, maxDatasetCovered: 1,
    shrinkUntil: 'reference-batch',
  },
};

export function isPresetId(value: string): value is PresetId {
  return (PRESET_IDS as readonly string[]).includes(value);
}
