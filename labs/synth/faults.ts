/**
 * The fault catalogue: mistakes people really make when they build an nnU-Net raw dataset by
 * hand (shared/reference/nnunet-facts.md §1.3, §2, §6), each mapped to the validator rule that
 * must report it. The answer key is written outside the dataset; nothing inside the dataset
 * (no header text, no side file) tells where a fault is.
 */

export const FAULTS = {
  'missing-modality': { rule: 'dataset.channel-missing', perCase: true, title: 'one case lacks its FLAIR file' },
  'channel-swap': { rule: 'dataset.channel-swap', perCase: true, title: 'T1 and T2 swapped in one case' },
  'label-4': { rule: 'dataset.label-unconverted-brats', perCase: true, title: 'raw BraTS label 4 left in one label file' },
  'float-labels': { rule: 'dataset.label-non-integer', perCase: true, title: 'a float32 label with non-integer values' },
  'label-shape': { rule: 'dataset.shape-mismatch', perCase: true, title: 'a label with fewer slices than its images' },
  'label-spacing': { rule: 'dataset.spacing-mismatch', perCase: true, title: 'a label with another slice spacing than its images' },
  'nan-voxels': { rule: 'dataset.image-nan', perCase: true, title: 'NaN voxels in one image' },
  'inf-voxels': { rule: 'dataset.image-inf', perCase: true, title: 'infinite voxels in one image' },
  'empty-label': { rule: 'dataset.label-empty', perCase: true, title: 'a label with background only' },
  'channel-suffix': { rule: 'dataset.channel-suffix', perCase: true, title: 'an image named _flair instead of _0003' },
  'label-suffix': { rule: 'dataset.label-suffix', perCase: true, title: 'a label named with a channel suffix' },
  'truncated': { rule: 'dataset.unreadable', perCase: true, title: 'a .nii.gz cut off in the middle' },
  'duplicate-case': { rule: 'dataset.duplicate-case', perCase: true, title: 'one patient present under two case ids' },
  'hidden-files': { rule: 'dataset.hidden-file', perCase: false, title: 'macOS .DS_Store and ._ files' },
  'num-training': { rule: 'dataset.num-training', perCase: false, title: 'numTraining does not match the cases' },
  'json-comments': { rule: 'dataset.json-syntax', perCase: false, title: 'dataset.json with comments' },
  'json-v1-modality': { rule: 'dataset.json-v1-modality', perCase: false, title: 'v1 "modality" key instead of channel_names' },
  'labels-consecutive': { rule: 'dataset.labels-consecutive', perCase: false, title: 'labels 0, 1, 2, 4 (not consecutive)' },
  'regions-class-order': { rule: 'dataset.regions-class-order', perCase: false, title: 'regions without regions_class_order' },
} as const;

export type FaultId = keyof typeof FAULTS;

export const FAULT_IDS = Object.keys(FAULTS) as FaultId[];

/**
 * dataset.json can carry only one of these: a file with comments cannot also be checked for its
 * keys, and two label definitions cannot share one file. Each goes into its own extra dataset
 * (next dataset ids), so that every fault, numTraining included, is detectable on its own.
 */
export const EXCLUSIVE_JSON_FAULTS: FaultId[] = ['json-comments', 'json-v1-modality', 'labels-consecutive', 'regions-class-order'];

export interface FaultEntry {
  fault: FaultId;
  rule: string;
  /** Path relative to the dataset folder, or null for faults of a whole case. */
  path: string | null;
  case: string | null;
  description: string;
}

export interface FaultKey {
  schemaVersion: 1;
  seed: number;
  dataset: string;
  faults: FaultEntry[];
}

export function parseFaults(text: string): FaultId[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...FAULT_IDS];
  for (const n of names) {
    if (!(n in FAULTS)) throw new Error(`--faults: unknown fault "${n}" (known: all, ${FAULT_IDS.join(', ')})`);
  }
  if (names.length === 0) throw new Error('--faults: name at least one fault, or all');
  return [...new Set(names)] as FaultId[];
}

/** Splits a fault list into one list per dataset (see EXCLUSIVE_JSON_FAULTS). */
export function splitFaults(faults: readonly FaultId[]): FaultId[][] {
  const rest = faults.filter((f) => !EXCLUSIVE_JSON_FAULTS.includes(f));
  const extra = faults.filter((f) => EXCLUSIVE_JSON_FAULTS.includes(f)).map((f) => [f]);
  return rest.length > 0 ? [rest, ...extra] : extra;
}

/** Bytes of a Finder `.DS_Store` (buddy allocator magic "Bud1"), enough to look real. */
export function dsStoreBytes(): Uint8Array {
  const b = new Uint8Array(6148);
  b.set([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31], 0);
  return b;
}

/** An AppleDouble resource file (magic 0x00051607, version 2), what macOS leaves as `._name`. */
export function appleDoubleBytes(): Uint8Array {
  const b = new Uint8Array(4096);
  b.set([0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00], 0);
  b.set(new TextEncoder().encode('Mac OS X        '), 8);
  return b;
}
