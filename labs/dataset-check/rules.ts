/**
 * The validator's rule table: every rule id the dataset check reports, its default severity, the
 * lesson that teaches the underlying idea, and the standard fix. The ids are fixed (the fault
 * generator's answer keys use them); the site's Validator rules page explains each one.
 */
import type { Finding, Severity } from '../shared/findings';

const FORMAT = '/weeks/week-06/03-nnunet-dataset-format/';
const CONVERT = '/weeks/week-06/04-converting-brats-2021/';
const LABELS = '/weeks/week-06/05-verifying-labels/';

export interface RuleInfo {
  severity: Severity;
  /** Short title (rule pages, report headings). */
  title: string;
  /** Lesson that explains the background. */
  lesson: string;
  /** The standard fix; call sites may give a more specific one. */
  hint: string;
}

export const RULES = {
  'dataset.folder-name': { severity: 'error', title: 'Dataset folder name', lesson: FORMAT, hint: 'Rename the folder to DatasetXXX_Name: "Dataset", exactly three digits, an underscore, a name (e.g. Dataset137_BraTS2021).' },
  'dataset.reserved-id': { severity: 'warning', title: 'Reserved dataset id', lesson: FORMAT, hint: 'Ids 001–010 are reserved for the Medical Segmentation Decathlon; pick an unused id such as 137 or above 500.' },
  'dataset.missing-folder': { severity: 'error', title: 'Missing imagesTr or labelsTr', lesson: FORMAT, hint: 'Create imagesTr/ (channel files) and labelsTr/ (one label per case) directly inside the dataset folder.' },
  'dataset.json-missing': { severity: 'error', title: 'dataset.json missing', lesson: FORMAT, hint: 'Write dataset.json next to imagesTr/ (nnunetv2.dataset_conversion.generate_dataset_json does it for you).' },
  'dataset.json-syntax': { severity: 'error', title: 'dataset.json is not valid JSON', lesson: FORMAT, hint: 'Fix the file at the line shown: no comments, no trailing commas, double quotes only.' },
  'dataset.json-keys': { severity: 'error', title: 'Required keys and their types', lesson: FORMAT, hint: 'dataset.json needs channel_names (object of strings), labels (object), numTraining (integer) and file_ending (string).' },
  'dataset.json-v1-modality': { severity: 'error', title: 'nnU-Net v1 "modality" key', lesson: FORMAT, hint: 'Rename "modality" to "channel_names" (nnU-Net v2), or run nnUNetv2_convert_old_nnUNet_dataset.' },
  'dataset.labels-background': { severity: 'error', title: 'Background label', lesson: LABELS, hint: 'Declare "background": 0 in labels (v2 maps name → value; v1 files map value → name and must be inverted).' },
  'dataset.labels-consecutive': { severity: 'error', title: 'Consecutive label values', lesson: LABELS, hint: 'Renumber the labels 0, 1, 2, … without gaps, in the label files and in dataset.json.' },
  'dataset.labels-ignore': { severity: 'error', title: 'Ignore label', lesson: LABELS, hint: 'The "ignore" label must be a single integer equal to the highest other label + 1.' },
  'dataset.regions-class-order': { severity: 'error', title: 'regions_class_order', lesson: CONVERT, hint: 'With region labels (lists), add "regions_class_order" with one entry per region, encompassing regions first (BraTS Dataset137: [1, 2, 3]).' },
  'dataset.regions-mixed-scheme': { severity: 'error', title: 'Regions mix two BraTS label schemes', lesson: CONVERT, hint: 'Make the region lists match the values the labels use: Dataset137 (1 edema, 2 necrosis, 3 enhancing) has TC [2, 3]; "keep" (1 necrosis, 2 edema, 3 enhancing) has TC [1, 3].' },
  'dataset.file-ending': { severity: 'error', title: 'file_ending', lesson: FORMAT, hint: 'Set file_ending to the exact, case-sensitive ending of the files, with its leading dot, e.g. ".nii.gz".' },
  'dataset.num-training': { severity: 'error', title: 'numTraining', lesson: FORMAT, hint: 'Set numTraining to the number of training cases in imagesTr.' },
  'dataset.channel-missing': { severity: 'error', title: 'Missing channel', lesson: FORMAT, hint: 'Every case needs one file per entry of channel_names (_0000 … _NNNN); add the missing file or drop the case.' },
  'dataset.channel-gap': { severity: 'error', title: 'Gap in channel numbers', lesson: FORMAT, hint: 'Number the channel files _0000, _0001, … without gaps; nnU-Net silently shifts later channels into the gap.' },
  'dataset.channel-extra': { severity: 'error', title: 'Extra channel', lesson: FORMAT, hint: 'Remove the extra channel file or add its entry to channel_names (for every case).' },
  'dataset.channel-suffix': { severity: 'error', title: 'Channel suffix _XXXX', lesson: FORMAT, hint: 'Name images CASE_XXXX<file_ending> with exactly four digits, e.g. BraTS2021_00000_0000.nii.gz.' },
  'dataset.label-suffix': { severity: 'error', title: 'Label carries a channel suffix', lesson: FORMAT, hint: 'Name labels CASE<file_ending> without the _XXXX suffix, e.g. labelsTr/BraTS2021_00000.nii.gz.' },
  'dataset.image-without-label': { severity: 'error', title: 'Image without label', lesson: FORMAT, hint: 'Add labelsTr/CASE<file_ending>, or move the case to imagesTs if it has no label.' },
  'dataset.label-without-image': { severity: 'warning', title: 'Label without images', lesson: FORMAT, hint: 'Add the case\'s images to imagesTr or delete the orphan label (nnU-Net ignores it silently).' },
  'dataset.wrong-ending': { severity: 'warning', title: 'File with another ending', lesson: FORMAT, hint: 'nnU-Net only sees files ending exactly in file_ending (case-sensitive); rename the file or remove it.' },
  'dataset.hidden-file': { severity: 'warning', title: 'Hidden or system file', lesson: FORMAT, hint: 'Delete .DS_Store, ._* (macOS AppleDouble) and other dot files; with the right ending nnU-Net counts them as cases.' },
  'dataset.case-collision': { severity: 'error', title: 'Case ids differing only in letter case', lesson: FORMAT, hint: 'Rename one of the cases: on case-insensitive file systems (macOS, Windows) they overwrite each other.' },
  'dataset.images-ts-channels': { severity: 'error', title: 'imagesTs channels', lesson: FORMAT, hint: 'Test cases need the same channels (_0000 … _NNNN, same order) as the training cases.' },
  'dataset.non-regular-file': { severity: 'error', title: 'Non-regular file', lesson: FORMAT, hint: 'Replace FIFOs, devices and links that leave the dataset (or loop) with regular files; the check does not open them.' },
  'dataset.unreadable': { severity: 'error', title: 'Unreadable file', lesson: FORMAT, hint: 'Re-export or re-download the file; check that the copy finished (truncated .nii.gz files fail like this).' },
  'dataset.shape-mismatch': { severity: 'error', title: 'Shape mismatch', lesson: LABELS, hint: 'Resample or re-export so every channel and the label of a case have the same voxel grid.' },
  'dataset.spacing-mismatch': { severity: 'error', title: 'Spacing mismatch', lesson: LABELS, hint: 'Give the label the spacing of its images (resample, or copy the header only if the grids really match).' },
  'dataset.geometry-mismatch': { severity: 'warning', title: 'Origin, direction or affine mismatch', lesson: LABELS, hint: 'Check the overlay (nnUNetv2_plot_overlay_pngs); if the label is misplaced, re-export it with the image\'s geometry instead of copying headers blindly.' },
  'dataset.dimensionality': { severity: 'error', title: '3D vs 4D', lesson: FORMAT, hint: 'Store one 3D volume per channel file and a single-channel 3D label; split 4D files into _0000, _0001, …' },
  'dataset.image-nan': { severity: 'error', title: 'NaN in image', lesson: LABELS, hint: 'Replace NaN voxels (e.g. with 0 outside the brain) before training; NaN ruins normalisation and loss.' },
  'dataset.image-inf': { severity: 'error', title: 'Infinite value in image', lesson: LABELS, hint: 'Replace ±inf voxels with finite values; nnU-Net only checks NaN and would normalise with infinite statistics.' },
  'dataset.label-values': { severity: 'error', title: 'Undeclared label value', lesson: LABELS, hint: 'Every value in a label file must be declared in dataset.json labels; remap the file or declare the label.' },
  'dataset.label-unconverted-brats': { severity: 'error', title: 'Unconverted BraTS labels', lesson: CONVERT, hint: 'Remap raw BraTS labels (0, 1, 2, 4) to consecutive values before training.' },
  'dataset.label-non-integer': { severity: 'error', title: 'Non-integer label value', lesson: LABELS, hint: 'Labels must hold whole numbers: resample labels with nearest-neighbour, not linear interpolation, and round.' },
  'dataset.label-float-dtype': { severity: 'warning', title: 'Label stored as floating point', lesson: LABELS, hint: 'Store labels as an integer type (uint8 is enough for BraTS).' },
  'dataset.label-empty': { severity: 'warning', title: 'Empty label', lesson: LABELS, hint: 'A label with background only is allowed, but check it is not a failed export.' },
  'dataset.label-unused': { severity: 'warning', title: 'Declared label never used', lesson: LABELS, hint: 'Check the label mapping: a declared class that no case contains usually means a conversion went wrong.' },
  'dataset.format-unchecked': { severity: 'info', title: 'Pixel checks skipped for this format', lesson: FORMAT, hint: 'Only NIfTI voxels are read; convert to .nii.gz for a full check, or check these files with nnUNetv2_plan_and_preprocess --verify_dataset_integrity.' },
  'dataset.channel-swap': { severity: 'error', title: 'Channels look swapped', lesson: CONVERT, hint: 'Check the conversion of this case: its channel files look like another channel of the other cases (e.g. T1ce and FLAIR swapped).' },
  'dataset.channel-names-mismatch': { severity: 'error', title: 'channel_names do not match the files', lesson: CONVERT, hint: 'Fix the conversion script so that _0000 … _0003 hold the contrasts channel_names declares (nnU-Net\'s Dataset137: T1, T1ce, T2, FLAIR), or change channel_names to what the files hold; then re-check.' },
  'dataset.test-in-train': { severity: 'error', title: 'Test case also in training', lesson: FORMAT, hint: 'Remove the case from imagesTs (or from imagesTr and labelsTr): a test case the model trained on makes its test score meaningless.' },
  'dataset.brats-geometry': { severity: 'info', title: 'BraTS channels on another grid', lesson: CONVERT, hint: 'If the cases were resampled by mistake, convert again from the original BraTS files; if on purpose, plan and train on this grid and resample predictions back to 240×240×155 at 1 mm before scoring them against BraTS labels.' },
  'dataset.duplicate-case': { severity: 'error', title: 'Duplicate case', lesson: CONVERT, hint: 'Remove one copy, or keep both scans of one patient in the same fold (bratslab splits --groups patients.csv).' },
  'dataset.channel-all-zero': { severity: 'error', title: 'All-zero channel', lesson: LABELS, hint: 'Re-export the channel: an all-zero volume is a failed conversion or an empty file.' },
  'dataset.orientation-varies': { severity: 'info', title: 'Orientation differs across cases', lesson: LABELS, hint: 'nnU-Net does not reorient (SimpleITKIO); differing orientations are fine if each case is internally consistent, but check the conversion.' },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** Where a rule is explained on the site. */
export const docsFor = (rule: RuleId) => `/validator-rules/#${rule}`;

export interface FindingInit {
  message: string;
  hint?: string;
  severity?: Severity;
  path?: string;
  case?: string;
  evidence?: Record<string, unknown>;
}

/** Builds a finding with the rule's defaults (severity, standard hint, docs link); the lesson link stays in RULES. */
export function finding(rule: RuleId, init: FindingInit): Finding {
  const r: RuleInfo = RULES[rule];
  const f: Finding = { rule, severity: init.severity ?? r.severity, message: init.message, hint: init.hint ?? r.hint, docs: docsFor(rule) };
  if (init.path !== undefined) f.path = init.path;
  if (init.case !== undefined) f.case = init.case;
  if (init.evidence !== undefined) f.evidence = init.evidence;
  return f;
}
