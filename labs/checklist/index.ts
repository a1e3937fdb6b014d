/**
 * The pre-training checklist: what to verify before spending GPU hours, each item tied to the
 * tool that checks it and to the lesson that explains it.
 */
export interface ChecklistItem {
  id: string;
  text: string;
  /** How to check it, in one sentence. */
  how: string;
  /** Site-relative link to the tool or lesson that performs the check. */
  link: string;
  linkText: string;
  /** A command that performs the check on a server, when there is one. */
  command?: string;
}

export const CHECKLIST: readonly ChecklistItem[] = [
  {
    id: 'env',
    text: 'nnUNet_raw, nnUNet_preprocessed and nnUNet_results are set in the shell that will train.',
    how: 'Print the three variables; each must be an existing, writable folder.',
    link: '/weeks/week-06/01-week-at-a-glance/',
    linkText: 'Lesson 1',
    command: 'echo "$nnUNet_raw" "$nnUNet_preprocessed" "$nnUNet_results"',
  },
  {
    id: 'nifti',
    text: 'Every converted image has the shape, voxel spacing and orientation you expect.',
    how: 'Inspect a few files after conversion: shape, zooms and orientation codes.',
    link: '/weeks/week-06/02-dicom-to-nifti/',
    linkText: 'NIfTI inspector',
    command: 'npx bratslab info imagesTr/CASE_0000.nii.gz',
  },
  {
    id: 'format',
    text: 'The dataset folder, file names, channel suffixes and dataset.json follow nnU-Net v2’s format.',
    how: 'Run the validator on the whole dataset folder; fix every error.',
    link: '/weeks/week-06/03-nnunet-dataset-format/',
    linkText: 'Dataset validator',
    command: 'npx bratslab check "$nnUNet_raw/Dataset137_BraTS2021"',
  },
  {
    id: 'labels',
    text: 'Label values are consecutive integers matching dataset.json (no raw BraTS 4), and the regions agree with the label scheme.',
    how: 'The validator’s label checks report unconverted, float or undeclared values and mixed schemes.',
    link: '/weeks/week-06/04-converting-brats-2021/',
    linkText: 'Lesson 4',
  },
  {
    id: 'visual',
    text: 'A few cases, viewed with their labels, show the tumour where the label says it is.',
    how: 'Open cases in the viewer, toggle raw labels and regions, compare with each modality.',
    link: '/weeks/week-06/06-regions/',
    linkText: 'BraTS viewer',
  },
  {
    id: 'splits',
    text: 'Scans of the same patient stay in the same fold.',
    how: 'Write splits_final.json grouped by patient, or audit the one you have.',
    link: '/weeks/week-06/11-data-leakage/',
    linkText: 'Lesson 11',
    command:
      'npx bratslab splits "$nnUNet_raw/Dataset137_BraTS2021" --groups patients.csv && npx bratslab splits "$nnUNet_raw/Dataset137_BraTS2021" --groups patients.csv --check "$nnUNet_preprocessed/Dataset137_BraTS2021/splits_final.json"',
  },
  {
    id: 'integrity',
    text: 'nnU-Net’s own integrity check passes during planning.',
    how: 'Plan and preprocess with --verify_dataset_integrity and read its output.',
    link: '/weeks/week-06/08-running-nnunet/',
    linkText: 'Command builder',
    command: 'nnUNetv2_plan_and_preprocess -d 137 --verify_dataset_integrity',
  },
  {
    id: 'memory',
    text: 'The plan fits the GPU you will train on, and you chose it on purpose.',
    how: 'nnU-Net plans for 8 GB whatever the card (about 8 GB in use; its guide asks for 10 GB cards). On a larger card, plan a ResEnc preset or a -gpu_memory_target deliberately and keep the default run as the baseline; on a smaller one, plan for less. The planner shows patch, batch and memory for each choice.',
    link: '/weeks/week-06/07-patches-batches-memory/',
    linkText: 'GPU memory planner (lesson 7)',
    command: 'node bratslab.mjs plan "$nnUNet_raw/Dataset137_BraTS2021" --preset resenc-m --gpu-memory 16',
  },
  {
    id: 'first-epochs',
    text: 'The first epochs of the log look healthy: finite losses, pseudo Dice above zero for every class, the learning rate following the poly schedule.',
    how: 'Check the training log after a few epochs.',
    link: '/weeks/week-06/10-diagnosing-failures/',
    linkText: 'Log lab',
    command: 'npx bratslab log "$nnUNet_results"/Dataset137_BraTS2021/*/fold_0/training_log_*.txt',
  },
];

/** Share of the list that is ticked, in [0, 1]; unknown ids are ignored. */
export function checklistScore(ticked: readonly string[]): number {
  const known = new Set(CHECKLIST.map((i) => i.id));
  return new Set(ticked.filter((t) => known.has(t))).size / CHECKLIST.length;
}
