/**
 * The BraTS label schemes, in one table (DESIGN.md). Used by the converter, the validator's
 * advice, the viewer, the inference lab and the lessons.
 *
 * Sources: BraTS 2021 labels from Baid et al. 2021 (arXiv:2107.02314); nnU-Net's official
 * conversion from nnunetv2/dataset_conversion/Dataset137_BraTS21.py (see
 * shared/reference/nnunet-facts.md §4).
 */
export type SchemeId = 'brats2021' | 'brats2023' | 'nnunet137' | 'keep';

export type TissueId = 'background' | 'NCR' | 'ED' | 'ET' | 'RC';

export type RegionId = 'WT' | 'TC' | 'ET';

export interface LabelDef {
  value: number;
  tissue: TissueId;
  /** Name as a user sees it. */
  name: string;
}

export interface RegionDef {
  id: RegionId;
  name: string;
  /** Label values (in this scheme) that make up the region. */
  labels: number[];
}

export interface LabelScheme {
  id: SchemeId;
  title: string;
  labels: LabelDef[];
  /** Region definitions for region-based training; empty for raw schemes. */
  regions: RegionDef[];
  /** nnU-Net's regions_class_order, when the scheme is used with regions. */
  regionsClassOrder?: number[];
  note: string;
}

export const TISSUE_NAMES: Record<TissueId, string> = {
  background: 'background',
  NCR: 'necrotic / non-enhancing tumour core',
  ED: 'peritumoral edema',
  ET: 'enhancing tumour',
  RC: 'resection cavity',
};

export const REGION_NAMES: Record<RegionId, string> = {
  WT: 'whole tumour',
  TC: 'tumour core',
  ET: 'enhancing tumour',
};

/** Which tissues each region contains; true for every scheme (BraTS definition). */
export const REGION_TISSUES: Record<RegionId, TissueId[]> = {
  WT: ['NCR', 'ED', 'ET'],
  TC: ['NCR', 'ET'],
  ET: ['ET'],
};

/** Display colours (shared by the viewer, legends and the inference overlay). */
export const TISSUE_COLOURS: Record<Exclude<TissueId, 'background'>, string> = {
  NCR: '#e6194b',
  ED: '#3cb44b',
  ET: '#ffe119',
  RC: '#4363d8',
};

/**
 * Region colours differ from the tissue colours on purpose: switching the viewer from raw labels
 * to regions must visibly change the picture (edema turns from ED green to WT cyan, necrosis from
 * NCR red to TC orange), which is the point of the toggle. ET is one tissue and one region.
 */
export const REGION_COLOURS: Record<RegionId, string> = {
  WT: '#42d4f4',
  TC: '#f58231',
  ET: '#ffe119',
};

const label = (value: number, tissue: TissueId): LabelDef => ({ value, tissue, name: TISSUE_NAMES[tissue] });

function regionsFor(labels: LabelDef[]): RegionDef[] {
  return (Object.keys(REGION_TISSUES) as RegionId[]).map((id) => ({
    id,
    name: REGION_NAMES[id],
    labels: labels.filter((l) => REGION_TISSUES[id].includes(l.tissue)).map((l) => l.value),
  }));
}

const nnunet137Labels = [label(0, 'background'), label(1, 'ED'), label(2, 'NCR'), label(3, 'ET')];
const keepLabels = [label(0, 'background'), label(1, 'NCR'), label(2, 'ED'), label(3, 'ET')];

export const SCHEMES: Record<SchemeId, LabelScheme> = {
  brats2021: {
    id: 'brats2021',
    title: 'raw BraTS 2021 (and 2017–2020)',
    labels: [label(0, 'background'), label(1, 'NCR'), label(2, 'ED'), label(4, 'ET')],
    regions: [],
    note: 'Label 3 is unused; nnU-Net needs consecutive labels, so 4 must be remapped before training.',
  },
  brats2023: {
    id: 'brats2023',
    title: 'raw BraTS 2023+ glioma (t1n/t1c/t2w/t2f)',
    labels: [label(0, 'background'), label(1, 'NCR'), label(2, 'ED'), label(3, 'ET'), label(4, 'RC')],
    regions: [],
    note: 'Enhancing tumour is already 3; label 4 (resection cavity) appears only in the 2024 post-treatment data.',
  },
  nnunet137: {
    id: 'nnunet137',
    title: "nnU-Net official (Dataset137), the converter's default",
    labels: nnunet137Labels,
    regions: regionsFor(nnunet137Labels),
    regionsClassOrder: [1, 2, 3],
    note: "nnU-Net's own BraTS 2021 conversion: edema 1, necrosis 2, enhancing 3.",
  },
  keep: {
    id: 'keep',
    title: '"keep" (only 4 → 3; the common tutorial choice)',
    labels: keepLabels,
    regions: regionsFor(keepLabels),
    regionsClassOrder: [2, 1, 3],
    note: 'Keeps BraTS values and only moves enhancing tumour from 4 to 3.',
  },
};

/** Value map from raw BraTS 2021 labels to a training scheme (index = raw value; -1 = invalid). */
export function remapFromBrats2021(target: 'nnunet137' | 'keep'): Int16Array {
  const map = new Int16Array(256).fill(-1);
  const raw = SCHEMES.brats2021.labels;
  for (const l of raw) {
    const to = SCHEMES[target].labels.find((t) => t.tissue === l.tissue);
    map[l.value] = to ? to.value : -1;
  }
  return map;
}

/** Value map from raw BraTS 2023 glioma labels (0-3) to a training scheme. */
export function remapFromBrats2023(target: 'nnunet137' | 'keep'): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (const l of SCHEMES.brats2023.labels) {
    const to = SCHEMES[target].labels.find((t) => t.tissue === l.tissue);
    if (to) map[l.value] = to.value;
  }
  return map;
}

/** The tissue a value stands for in a scheme, or undefined. */
export function tissueOf(scheme: SchemeId, value: number): TissueId | undefined {
  return SCHEMES[scheme].labels.find((l) => l.value === value)?.tissue;
}

/**
 * Guesses the scheme of a label volume from the set of values it contains. Values alone cannot
 * tell nnunet137 from keep (both use 0-3): `ambiguous` lists the candidates for the user to pick.
 */
export function detectScheme(values: Iterable<number>): { scheme: SchemeId; ambiguous: SchemeId[] } {
  const set = new Set(values);
  if (set.has(4) && !set.has(3)) return { scheme: 'brats2021', ambiguous: [] };
  if (set.has(4)) return { scheme: 'brats2023', ambiguous: [] };
  return { scheme: 'keep', ambiguous: ['keep', 'brats2023', 'nnunet137'] };
}

/**
 * Checks that a region definition matches the scheme its labels use: returns the names of
 * regions whose label lists disagree with BraTS's definition for `scheme`. Mixing schemes
 * (keep values with Dataset137 regions) silently puts edema into the tumour core.
 */
export function regionMismatches(scheme: 'nnunet137' | 'keep', regions: Record<string, number[]>): RegionId[] {
  const expected = SCHEMES[scheme].regions;
  const bad: RegionId[] = [];
  for (const r of expected) {
    const got = regions[r.id];
    if (!got) continue;
    const a = [...got].sort((x, y) => x - y).join(',');
    const b = [...r.labels].sort((x, y) => x - y).join(',');
    if (a !== b) bad.push(r.id);
  }
  return bad;
}
