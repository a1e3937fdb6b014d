/**
 * Where each lab lives on the site: the page and the island that holds it. Shared by the screenshot
 * suite (labs-visual.spec.ts), the control-size and contrast check (labs-controls.spec.ts) and
 * scripts/lab-screenshots.mjs (the before/after pictures under docs/).
 */
export interface LabPlace {
  /** File-name stem of its screenshots. */
  name: string;
  path: string;
  /** Component name in the island's component-url. */
  component: string;
}

export const LAB_PLACES: readonly LabPlace[] = [
  { name: 'nifti-inspector', path: 'weeks/week-06/02-dicom-to-nifti/', component: 'NiftiInspector' },
  { name: 'validator', path: 'weeks/week-06/03-nnunet-dataset-format/', component: 'ValidatorLab' },
  { name: 'converter', path: 'weeks/week-06/04-converting-brats-2021/', component: 'ValidatorLab' },
  { name: 'viewer', path: 'weeks/week-06/06-regions/', component: 'ViewerLab' },
  { name: 'planner', path: 'weeks/week-06/07-patches-batches-memory/', component: 'PlannerLab' },
  { name: 'patch-explorer', path: 'weeks/week-06/07-patches-batches-memory/', component: 'PatchExplorer' },
  { name: 'command-builder', path: 'weeks/week-06/08-running-nnunet/', component: 'CommandBuilder' },
  { name: 'log-lab', path: 'weeks/week-06/09-reading-training-logs/', component: 'LogLab' },
  { name: 'log-quiz', path: 'weeks/week-06/10-diagnosing-failures/', component: 'LogLab' },
  { name: 'leakage', path: 'weeks/week-06/11-data-leakage/', component: 'LeakageLab' },
  { name: 'checklist', path: 'weeks/week-06/13-pre-training-checklist/', component: 'Checklist' },
  { name: 'inference', path: 'weeks/week-06/14-inference-in-the-browser/', component: 'InferenceLab' },
  { name: 'evaluate', path: 'weeks/week-06/15-evaluating-your-model/', component: 'EvaluateLab' },
];

/** CSS selector of a lab's island (`display: contents`, so pictures are taken of its root element). */
export const islandOf = (p: LabPlace): string => `astro-island[component-url*="/${p.component}."]`;
export const labRootOf = (p: LabPlace): string => `${islandOf(p)} > :first-child`;
