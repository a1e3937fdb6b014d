/**
 * The nnU-Net v2 command builder: settings in, the exact commands out, each with what it does.
 * Command names and flags follow nnU-Net v2's console scripts (nnunetv2/run/run_training.py,
 * nnunetv2/experiment_planning/plan_and_preprocess_entrypoints.py,
 * nnunetv2/inference/predict_from_raw_data.py, nnunetv2/evaluation/find_best_configuration.py).
 */
export const CONFIGURATIONS = ['2d', '3d_fullres', '3d_lowres', '3d_cascade_fullres'] as const;
export type Configuration = (typeof CONFIGURATIONS)[number];

/** Plans presets: the default planner and the residual-encoder presets introduced in v2.5. */
export const PLANS = {
  default: { planner: null, plans: 'nnUNetPlans', label: 'default U-Net (nnUNetPlans)' },
  resencM: { planner: 'nnUNetPlannerResEncM', plans: 'nnUNetResEncUNetMPlans', label: 'ResEnc M (about 9–11 GB GPU memory)' },
  resencL: { planner: 'nnUNetPlannerResEncL', plans: 'nnUNetResEncUNetLPlans', label: 'ResEnc L (about 24 GB GPU memory)' },
  resencXL: { planner: 'nnUNetPlannerResEncXL', plans: 'nnUNetResEncUNetXLPlans', label: 'ResEnc XL (about 40 GB GPU memory)' },
} as const;
export type PlansId = keyof typeof PLANS;

export const FOLDS = ['0', '1', '2', '3', '4', 'all'] as const;
export type Fold = (typeof FOLDS)[number];

export interface BuilderSettings {
  datasetId: number;
  configuration: Configuration;
  fold: Fold;
  trainer: string;
  plans: PlansId;
  /** Save softmax outputs of the validation cases (needed for ensembling). */
  npz: boolean;
  /** GPU index for CUDA_VISIBLE_DEVICES; -1 leaves it unset. */
  gpu: number;
}

export const DEFAULT_SETTINGS: BuilderSettings = {
  datasetId: 137,
  configuration: '3d_fullres',
  fold: '0',
  trainer: 'nnUNetTrainer',
  plans: 'default',
  npz: false,
  gpu: -1,
};

export interface BuiltCommand {
  step: string;
  command: string;
  explains: string;
}

export interface BuildResult {
  commands: BuiltCommand[];
  /** Problems with the settings (the commands are still built where possible). */
  warnings: string[];
}

const TRAINER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function buildCommands(s: BuilderSettings): BuildResult {
  const warnings: string[] = [];
  if (!Number.isInteger(s.datasetId) || s.datasetId < 1 || s.datasetId > 999) {
    warnings.push('Dataset ids are whole numbers from 1 to 999 (nnU-Net parses exactly three digits from the folder name).');
  } else if (s.datasetId <= 10) {
    warnings.push('Ids 001–010 are reserved for the Medical Segmentation Decathlon; pick another id for your own data (nnU-Net uses 137 for BraTS 2021).');
  }
  if (!TRAINER.test(s.trainer)) warnings.push(`"${s.trainer}" is not a valid trainer class name.`);
  if (s.configuration === '3d_cascade_fullres') {
    warnings.push('The cascade needs 3d_lowres trained first, for all folds, and only exists when the planner creates a low-resolution stage (large images).');
  }
  const plan = PLANS[s.plans];
  const id = String(s.datasetId);
  const cuda = s.gpu >= 0 ? `CUDA_VISIBLE_DEVICES=${s.gpu} ` : '';
  const trainerArgs = [s.trainer !== 'nnUNetTrainer' ? `-tr ${s.trainer}` : '', plan.plans !== 'nnUNetPlans' ? `-p ${plan.plans}` : ''].filter(Boolean).join(' ');
  const tail = trainerArgs ? ` ${trainerArgs}` : '';
  const commands: BuiltCommand[] = [
    {
      step: 'Check the environment',
      command: 'echo "$nnUNet_raw" "$nnUNet_preprocessed" "$nnUNet_results"',
      explains: 'All three folders must be set, or every nnU-Net command stops with an error about missing paths.',
    },
    {
      step: 'Plan and preprocess',
      command: `nnUNetv2_plan_and_preprocess -d ${id} --verify_dataset_integrity${plan.planner ? ` -pl ${plan.planner}` : ''}`,
      explains:
        'Checks the raw dataset (names, shapes, spacings, label values), extracts the dataset fingerprint, plans the configurations and writes preprocessed data to nnUNet_preprocessed.',
    },
    {
      step: `Train fold ${s.fold}`,
      command: `${cuda}nnUNetv2_train ${id} ${s.configuration} ${s.fold}${tail}${s.npz ? ' --npz' : ''}`,
      explains:
        s.fold === 'all'
          ? 'Trains on every training case with no validation split: no pseudo Dice you can trust, and no cross-validation estimate.'
          : `Trains on four fifths of the cases and validates on fold ${s.fold}; the log and checkpoints go to nnUNet_results. Repeat for folds 0–4 for cross-validation.`,
    },
  ];
  if (s.fold !== 'all') {
    commands.push({
      step: 'Pick the best configuration (after all five folds)',
      command: `nnUNetv2_find_best_configuration ${id} -c ${s.configuration}${tail}`,
      explains: 'Reads the cross-validation results of the trained folds and prints the inference commands and post-processing it recommends.',
    });
  }
  const folds = s.fold === 'all' ? ' -f all' : ' -f 0 1 2 3 4';
  const cascade = s.configuration === '3d_cascade_fullres';
  if (cascade) {
    commands.push({
      step: 'Predict with the low-resolution stage',
      command: `${cuda}nnUNetv2_predict -i INPUT_FOLDER -o OUTPUT_FOLDER_LOWRES -d ${id} -c 3d_lowres${folds}${tail}`,
      explains: 'The cascade’s full-resolution stage takes the 3d_lowres segmentation as an extra input, so that stage predicts first.',
    });
  }
  commands.push({
    step: 'Predict new cases',
    // nnUNetv2_predict: "-prev_stage_predictions: Folder containing the predictions of the previous stage. Required for cascaded models."
    command: `${cuda}nnUNetv2_predict -i INPUT_FOLDER -o OUTPUT_FOLDER -d ${id} -c ${s.configuration}${folds}${tail}${cascade ? ' -prev_stage_predictions OUTPUT_FOLDER_LOWRES' : ''}`,
    explains: 'INPUT_FOLDER holds images named like imagesTr (case_0000.nii.gz … case_0003.nii.gz); the folds listed are ensembled.',
  });
  return { commands, warnings };
}
