/**
 * A raw nnU-Net dataset (folder or zip, any FileSource) to its fingerprint: the training cases are
 * found with the check's own layout logic (labs/dataset-check `planCheck`), then fingerprinted case
 * by case (or by the caller's workers, through `fingerprintCase`).
 */
import type { FileSource } from '../shared/files';
import { readText } from '../shared/files';
import { planCheck } from '../dataset-check/index';
import type { Codec } from '../nifti/index';
import { combineFingerprint, fingerprintCase, type CaseFiles, type CaseFingerprint, type Sampling } from './extract';
import type { Fingerprint } from './fingerprint';
import { parseDatasetJson } from './inputs';

export interface DatasetCases {
  /** The dataset folder's name, e.g. "Dataset601_SynthFull" (the source's label when it is the root). */
  name: string;
  datasetJson: Record<string, unknown>;
  /** Training cases with a label, sorted by id as nnU-Net lists them. */
  cases: CaseFiles[];
}

/** Finds the one dataset in the source and its training cases; throws with a clear message otherwise. */
export async function listDatasetCases(source: FileSource): Promise<DatasetCases> {
  const plan = await planCheck(source, { mode: 'headers' });
  if (plan.datasets.length !== 1) {
    throw new Error(`${source.label}: holds ${plan.datasets.length} datasets (${plan.datasets.map((d) => d.name).join(', ')}); point at one DatasetXXX_Name folder`);
  }
  const ds = plan.datasets[0];
  const jsonPath = ds.root ? `${ds.root}/dataset.json` : 'dataset.json';
  let text: string;
  try {
    text = await readText(source, jsonPath, 16 << 20);
  } catch {
    throw new Error(`${source.label}: ${jsonPath} is missing or unreadable; the planner needs it`);
  }
  const cases = ds.cases
    .filter((c) => c.split === 'train' && c.label && c.nifti)
    .map((c) => ({ id: c.id, images: [...c.images].sort((a, b) => a.channel - b.channel).map((i) => i.path), label: c.label! }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (cases.length === 0) throw new Error(`${source.label}: no training case with a NIfTI image and label (imagesTr/, labelsTr/)`);
  return { name: ds.name, datasetJson: parseDatasetJson(text, jsonPath), cases };
}

export interface FingerprintRun {
  fingerprint: Fingerprint;
  cases: CaseFingerprint[];
  voxels: number;
}

/** Fingerprints every case in this thread, `concurrency` at a time (I/O overlaps; the CLI uses workers instead). */
export async function fingerprintDataset(source: FileSource, listed: DatasetCases, opts: { codec?: Codec; sampling?: Sampling; concurrency?: number; onCase?: (done: number, total: number) => void } = {}): Promise<FingerprintRun> {
  const results: CaseFingerprint[] = new Array(listed.cases.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < listed.cases.length) {
      const i = next++;
      results[i] = await fingerprintCase(source, listed.cases[i], { codec: opts.codec, sampling: opts.sampling, cases: listed.cases.length });
      opts.onCase?.(++done, listed.cases.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  const channels = Math.max(...listed.cases.map((c) => c.images.length));
  return { fingerprint: combineFingerprint(results, channels), cases: results, voxels: results.reduce((a, c) => a + c.voxels, 0) };
}
