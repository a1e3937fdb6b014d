import { describe, expect, it } from 'vitest';
import { buildCommands, DEFAULT_SETTINGS } from '../../labs/command-builder';
import { CHECKLIST, checklistScore } from '../../labs/checklist';

describe('command builder', () => {
  it('builds the nnU-Net v2 commands for Dataset137 fold 0 (written by hand from nnU-Net’s CLI)', () => {
    const r = buildCommands(DEFAULT_SETTINGS);
    expect(r.warnings).toEqual([]);
    expect(r.commands.map((c) => c.command)).toEqual([
      'echo "$nnUNet_raw" "$nnUNet_preprocessed" "$nnUNet_results"',
      'nnUNetv2_plan_and_preprocess -d 137 --verify_dataset_integrity',
      'nnUNetv2_train 137 3d_fullres 0',
      'nnUNetv2_find_best_configuration 137 -c 3d_fullres',
      'nnUNetv2_predict -i INPUT_FOLDER -o OUTPUT_FOLDER -d 137 -c 3d_fullres -f 0 1 2 3 4',
    ]);
  });

  it('adds planner, plans, trainer, --npz and the GPU where chosen', () => {
    const r = buildCommands({ ...DEFAULT_SETTINGS, datasetId: 501, fold: '3', trainer: 'nnUNetTrainer_250epochs', plans: 'resencM', npz: true, gpu: 1 });
    const cmds = r.commands.map((c) => c.command);
    expect(cmds[1]).toBe('nnUNetv2_plan_and_preprocess -d 501 --verify_dataset_integrity -pl nnUNetPlannerResEncM');
    expect(cmds[2]).toBe('CUDA_VISIBLE_DEVICES=1 nnUNetv2_train 501 3d_fullres 3 -tr nnUNetTrainer_250epochs -p nnUNetResEncUNetMPlans --npz');
  });

  it('warns about reserved ids, bad trainer names and fold all', () => {
    const r = buildCommands({ ...DEFAULT_SETTINGS, datasetId: 4, trainer: 'my trainer', fold: 'all' });
    expect(r.warnings.join(' ')).toMatch(/reserved for the Medical Segmentation Decathlon/);
    expect(r.warnings.join(' ')).toMatch(/not a valid trainer class name/);
    expect(r.commands.some((c) => c.command.startsWith('nnUNetv2_find_best_configuration'))).toBe(false);
    expect(r.commands.at(-1)!.command).toContain('-f all');
  });
});

describe('command builder: the cascade', () => {
  it('predicts with 3d_lowres first and hands its output to the cascade (-prev_stage_predictions, nnUNetv2_predict)', () => {
    const cmds = buildCommands({ ...DEFAULT_SETTINGS, configuration: '3d_cascade_fullres' }).commands.map((c) => c.command);
    expect(cmds.slice(-2)).toEqual([
      'nnUNetv2_predict -i INPUT_FOLDER -o OUTPUT_FOLDER_LOWRES -d 137 -c 3d_lowres -f 0 1 2 3 4',
      'nnUNetv2_predict -i INPUT_FOLDER -o OUTPUT_FOLDER -d 137 -c 3d_cascade_fullres -f 0 1 2 3 4 -prev_stage_predictions OUTPUT_FOLDER_LOWRES',
    ]);
  });
});

describe('checklist', () => {
  it('scores ticked items and ignores unknown ids', () => {
    expect(checklistScore([])).toBe(0);
    expect(checklistScore([CHECKLIST[0].id, CHECKLIST[0].id, 'nope'])).toBeCloseTo(1 / CHECKLIST.length);
    expect(checklistScore(CHECKLIST.map((c) => c.id))).toBe(1);
  });
});
