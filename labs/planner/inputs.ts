/**
 * Reading the planner's two inputs from JSON text, with messages that say what is wrong and where.
 */
import type { Fingerprint } from './fingerprint';
import type { DatasetInfo } from './planner';

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
