/** The synthetic dataset most tests start from: a clean nnU-Net layout of tiny (5 mm) cases. */
import { DEFAULT_SCANNERS } from '../../labs/synth/contrast';
import type { SynthOptions } from '../../labs/synth/dataset';

/** Options for a clean Dataset501_Synth of tiny cases with the given seeds; `over` changes any field. */
export function tinyNnunet(seeds: number[], over: Partial<SynthOptions> = {}): SynthOptions {
  return { layout: 'nnunet', seeds, size: 'tiny', followups: false, scanners: [...DEFAULT_SCANNERS], scheme: 'nnunet137', datasetId: 501, name: 'Synth', faults: [], ...over };
}

/** `count` consecutive seeds starting at `block * 100`, so each test block has its own patients. */
export const seedBlock = (block: number, count: number): number[] => Array.from({ length: count }, (_, i) => block * 100 + i);
