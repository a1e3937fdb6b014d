/**
 * The lab registry: one id per lab, used by lesson frontmatter (`labs[]`), URL-state keys,
 * progress keys and report sections.
 */
export type LabId =
  | 'nifti-inspector'
  | 'dataset-validator'
  | 'viewer'
  | 'log-lab'
  | 'leakage'
  | 'inference'
  | 'command-builder'
  | 'checklist'
  | 'planner'
  | 'evaluate';

export type Capability = 'webgl2' | 'webgpu' | 'workers' | 'wasm' | 'fsAccess';

export interface LabInfo {
  id: LabId;
  title: string;
  /** What it does, one sentence. */
  summary: string;
  /** Lesson slug (under weeks/week-06/) that embeds it. */
  lesson: string;
  /** Capabilities it cannot run without. */
  needs: Capability[];
  /** Capabilities it uses when present, with what happens otherwise. */
  optional: { capability: Capability; fallback: string }[];
}

export const LABS: readonly LabInfo[] = [
  {
    id: 'nifti-inspector',
    title: 'NIfTI inspector',
    summary: 'Drop a NIfTI file or a DICOM series: header, voxel sizes, orientation codes and a preview, all computed on your machine.',
    lesson: '02-dicom-to-nifti',
    needs: [],
    optional: [{ capability: 'wasm', fallback: 'NIfTI files only: DICOM conversion (dcm2niix in WebAssembly) is unavailable' }],
  },
  {
    id: 'dataset-validator',
    title: 'Dataset validator and BraTS converter',
    summary: 'Checks an nnU-Net raw dataset (folder or zip) for every problem nnU-Net would stop on, and more; converts the BraTS 2021 layout.',
    lesson: '03-nnunet-dataset-format',
    needs: ['workers'],
    optional: [{ capability: 'fsAccess', fallback: 'folder upload field or drag and drop instead of the folder picker' }],
  },
  {
    id: 'viewer',
    title: 'BraTS viewer',
    summary: 'Four MRI modalities with the tumour labels, raw labels versus the nested WT/TC/ET regions, volumes in ml.',
    lesson: '06-regions',
    needs: ['webgl2'],
    optional: [],
  },
  {
    id: 'log-lab',
    title: 'Training-log lab',
    summary: 'Reads nnU-Net training logs: curves of real runs, a diagnosis quiz, and a check of your own log.',
    lesson: '09-reading-training-logs',
    needs: [],
    optional: [],
  },
  {
    id: 'leakage',
    title: 'Leakage simulator',
    summary: 'Trains small classifiers live to show how slice-level splits inflate accuracy compared with patient-level splits.',
    lesson: '11-data-leakage',
    needs: [],
    optional: [{ capability: 'workers', fallback: 'runs on the page itself; the page may pause during a run' }],
  },
  {
    id: 'inference',
    title: 'Inference demo',
    summary: 'Runs a small tumour segmentation model in your browser with sliding-window inference, as nnU-Net does.',
    lesson: '14-inference-in-the-browser',
    needs: ['wasm'],
    optional: [
      { capability: 'webgpu', fallback: 'WebAssembly on the CPU (slower)' },
      { capability: 'webgl2', fallback: 'numbers without the image overlay' },
    ],
  },
  {
    id: 'command-builder',
    title: 'nnU-Net command builder',
    summary: 'Builds the exact nnU-Net commands for a dataset id, configuration, fold and trainer.',
    lesson: '08-running-nnunet',
    needs: [],
    optional: [],
  },
  {
    id: 'checklist',
    title: 'Pre-training checklist',
    summary: 'The checks to make before spending GPU hours, each linked to the tool that performs it; ticks persist.',
    lesson: '13-pre-training-checklist',
    needs: [],
    optional: [],
  },
  {
    id: 'planner',
    title: 'GPU memory planner',
    summary: "nnU-Net v2's experiment planner, reimplemented: patch, batch, spacing and network for your dataset, GPU memory and preset (default or ResEnc M/L/XL).",
    lesson: '07-patches-batches-memory',
    needs: [],
    optional: [{ capability: 'workers', fallback: 'your own dataset is fingerprinted on the page itself; the page may pause meanwhile' }],
  },
  {
    id: 'evaluate',
    title: 'Evaluation lab',
    summary: "Scores predictions against labels with nnU-Net's and the BraTS 2023 metrics (lesion-wise Dice and HD95), shows where a case goes wrong, and tabulates an nnUNet_results folder across folds.",
    lesson: '15-evaluating-your-model',
    needs: [],
    optional: [],
  },
];

export function labById(id: string): LabInfo | undefined {
  return LABS.find((l) => l.id === id);
}

export function isLabId(id: string): id is LabId {
  return LABS.some((l) => l.id === id);
}

export type Capabilities = Record<Capability, boolean>;

export interface LabSupport {
  id: LabId;
  runs: boolean;
  /** Missing hard requirements. */
  missing: Capability[];
  /** Fallbacks in effect. */
  fallbacks: string[];
}

/** Which labs run on a browser with these capabilities, and with which fallbacks. */
export function labSupport(caps: Capabilities): LabSupport[] {
  return LABS.map((lab) => {
    const missing = lab.needs.filter((c) => !caps[c]);
    const fallbacks = lab.optional.filter((o) => !caps[o.capability]).map((o) => o.fallback);
    return { id: lab.id, runs: missing.length === 0, missing, fallbacks };
  });
}
