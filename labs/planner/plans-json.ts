/**
 * An `nnUNetPlans.json` nnU-Net can read, from an ExperimentPlan: the same keys in the same order
 * as nnU-Net 2.8.1's `plan_experiment` writes them.
 */
import type { ConfigurationPlan, ExperimentPlan } from './planner';
import type { Fingerprint } from './fingerprint';

export interface PlansJsonContext {
  /** e.g. "Dataset601_SynthFull". */
  datasetName: string;
  /** The reader nnU-Net would pick (see `imageReaderWriter`). */
  imageReaderWriter: string;
  fingerprint: Fingerprint;
}

/** nnU-Net's reader for a dataset: `overwrite_image_reader_writer` if set, else by file ending. */
export function imageReaderWriter(datasetJson: { overwrite_image_reader_writer?: unknown; file_ending?: unknown }): string {
  if (typeof datasetJson.overwrite_image_reader_writer === 'string') return datasetJson.overwrite_image_reader_writer;
  const ending = typeof datasetJson.file_ending === 'string' ? datasetJson.file_ending.toLowerCase() : '.nii.gz';
  if (['.png', '.bmp'].includes(ending)) return 'NaturalImage2DIO';
  if (['.tif', '.tiff'].includes(ending)) return 'Tiff3DIO';
  return 'SimpleITKIO';
}

const RESAMPLING = 'resample_data_or_seg_to_shape';

function configurationJson(c: ConfigurationPlan): Record<string, unknown> {
  const dim = c.spacing.length;
  const conv = dim === 2 ? 'torch.nn.modules.conv.Conv2d' : 'torch.nn.modules.conv.Conv3d';
  const norm = dim === 2 ? 'torch.nn.modules.instancenorm.InstanceNorm2d' : 'torch.nn.modules.instancenorm.InstanceNorm3d';
  const net = c.network;
  const unitsKey = net.kind === 'plain' ? 'n_conv_per_stage' : 'n_blocks_per_stage';
  const out: Record<string, unknown> = {
    data_identifier: c.dataIdentifier,
    preprocessor_name: 'DefaultPreprocessor',
    batch_size: c.batchSize,
    patch_size: c.patchSize,
    median_image_size_in_voxels: c.medianImageSize,
    spacing: c.spacing,
    normalization_schemes: c.normalizationSchemes,
    use_mask_for_norm: c.useMaskForNorm,
    resampling_fn_data: RESAMPLING,
    resampling_fn_seg: RESAMPLING,
    resampling_fn_data_kwargs: { is_seg: false, order: 3, order_z: 0, force_separate_z: null },
    resampling_fn_seg_kwargs: { is_seg: true, order: 1, order_z: 0, force_separate_z: null },
    resampling_fn_probabilities: RESAMPLING,
    resampling_fn_probabilities_kwargs: { is_seg: false, order: 1, order_z: 0, force_separate_z: null },
    architecture: {
      network_class_name: net.kind === 'plain'
        ? 'dynamic_network_architectures.architectures.unet.PlainConvUNet'
        : 'dynamic_network_architectures.architectures.unet.ResidualEncoderUNet',
      arch_kwargs: {
        n_stages: net.featuresPerStage.length,
        features_per_stage: net.featuresPerStage,
        conv_op: conv,
        kernel_sizes: net.kernelSizes,
        strides: net.strides,
        [unitsKey]: net.encoderUnits,
        n_conv_per_stage_decoder: net.decoderConvs,
        conv_bias: true,
        norm_op: norm,
        norm_op_kwargs: { eps: 1e-5, affine: true },
        dropout_op: null,
        dropout_op_kwargs: null,
        nonlin: 'torch.nn.LeakyReLU',
        nonlin_kwargs: { inplace: true },
      },
      _kw_requires_import: ['conv_op', 'norm_op', 'dropout_op', 'nonlin'],
    },
    batch_dice: c.batchDice,
  };
  if (c.nextStage) out.next_stage = c.nextStage;
  return out;
}

export function plansJson(plan: ExperimentPlan, ctx: PlansJsonContext): Record<string, unknown> {
  const configurations: Record<string, unknown> = {};
  for (const name of ['2d', '3d_lowres', '3d_fullres'] as const) {
    const c = plan.configurations[name];
    if (c) configurations[name] = configurationJson(c);
  }
  if (plan.cascade) configurations['3d_cascade_fullres'] = { inherits_from: '3d_fullres', previous_stage: '3d_lowres' };
  return {
    dataset_name: ctx.datasetName,
    plans_name: plan.plansName,
    original_median_spacing_after_transp: plan.originalMedianSpacing,
    original_median_shape_after_transp: plan.originalMedianShape,
    image_reader_writer: ctx.imageReaderWriter,
    transpose_forward: plan.transposeForward,
    transpose_backward: plan.transposeBackward,
    configurations,
    experiment_planner_used: plan.preset.plannerClass,
    label_manager: 'LabelManager',
    foreground_intensity_properties_per_channel: ctx.fingerprint.foreground_intensity_properties_per_channel,
  };
}
