/**
 * Reading the planner's two inputs from JSON text, with messages that say what is wrong and where.
 */
import type { Fingerprint } from './fingerprint';
import type { DatasetInfo } from './planner';
import { summarisePlansFile, type PlansFileSummary } from './plans-file';

function parseObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** The fields of dataset.json the planner uses (`channel_names`, or the older `modality`; `labels`; `numTraining`). */
export function datasetInfoFromJson(json: Record<string, unknown>, where = 'dataset.json'): DatasetInfo {
  const channels = (json.channel_names ?? json.modality) as unknown;
  if (typeof channels !== 'object' || channels === null) throw new Error(`${where}: "channel_names" is missing`);
  const labels = json.labels;
  if (typeof labels !== 'object' || labels === null) throw new Error(`${where}: "labels" is missing`);
  const numTraining = json.numTraining;
  if (typeof numTraining !== 'number' || !Number.isInteger(numTraining) || numTraining < 1) {
    throw new Error(`${where}: "numTraining" must be a positive integer`);
  }
  return {
    channelNames: Object.values(channels as Record<string, unknown>).map(String),
    numLabels: Object.keys(labels).length,
    numTraining,
  };
}

export function parseDatasetJson(text: string, where = 'dataset.json'): Record<string, unknown> {
  return parseObject(text, where);
}

export function parseFingerprint(text: string, where = 'dataset_fingerprint.json'): Fingerprint {
  const json = parseObject(text, where);
  for (const key of ['spacings', 'shapes_after_crop', 'median_relative_size_after_cropping', 'foreground_intensity_properties_per_channel']) {
    if (!(key in json)) throw new Error(`${where}: "${key}" is missing — is this nnU-Net's dataset_fingerprint.json?`);
  }
  return json as unknown as Fingerprint;
}

/** What a set of dropped JSON files amounts to: a plans file to read, or a fingerprint to plan. */
export type OwnJson =
  | { kind: 'plans'; name: string; summary: PlansFileSummary }
  | { kind: 'fingerprint'; name: string; fingerprint: Fingerprint; info: DatasetInfo; assumed: boolean };

/**
 * Sorts dropped JSON files by content, not by name: a plans file (`configurations`) wins; else a
 * fingerprint (`shapes_after_crop`) with the dataset.json beside it (`channel_names`). Without a
 * dataset.json the planner assumes one z-score channel per intensity entry, two labels and one
 * training case per spacing (`assumed: true`, for the caller to say so).
 */
export function ownInputFromJson(files: readonly { name: string; text: string }[]): OwnJson {
  const parsed = files.map((f) => ({ name: f.name, json: parseObject(f.text, f.name) }));
  const plans = parsed.find((p) => 'configurations' in p.json);
  if (plans) return { kind: 'plans', name: plans.name, summary: summarisePlansFile(plans.json, plans.name) };
  const fp = parsed.find((p) => 'shapes_after_crop' in p.json);
  if (!fp) throw new Error(`${files.map((f) => f.name).join(', ')}: neither a dataset_fingerprint.json nor an nnUNetPlans.json`);
  const fingerprint = parseFingerprint(JSON.stringify(fp.json), fp.name);
  const ds = parsed.find((p) => 'channel_names' in p.json || 'modality' in p.json);
  if (ds) return { kind: 'fingerprint', name: fp.name, fingerprint, info: datasetInfoFromJson(ds.json, ds.name), assumed: false };
  const channels = Math.max(1, Object.keys(fingerprint.foreground_intensity_properties_per_channel ?? {}).length);
  const info: DatasetInfo = { channelNames: Array.from({ length: channels }, (_, i) => `channel ${i}`), numLabels: 2, numTraining: fingerprint.spacings.length };
  return { kind: 'fingerprint', name: fp.name, fingerprint, info, assumed: true };
}
