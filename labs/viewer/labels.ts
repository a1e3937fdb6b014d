/**
 * The label overlay: which scheme a label volume uses, and the colour maps that show it either as
 * raw labels (NCR / ED / ET) or as BraTS's nested evaluation regions (WT ⊃ TC ⊃ ET, Menze et al.
 * 2015, IEEE TMI 34(10); Baid et al. 2021, arXiv:2107.02314). Names, values, regions and colours
 * all come from the one table in labs/shared/labels.ts.
 */
import {
  REGION_COLOURS,
  REGION_NAMES,
  REGION_TISSUES,
  SCHEMES,
  TISSUE_COLOURS,
  detectScheme,
  type RegionId,
  type SchemeId,
  type TissueId,
} from '../shared/labels';
import type { Naming } from './modalities';

export type DisplayMode = 'raw' | 'regions';

/** Regions from the innermost out (ET ⊂ TC ⊂ WT): a smaller tissue list is further inside. */
export const REGIONS_INNER_FIRST: readonly RegionId[] = (Object.keys(REGION_TISSUES) as RegionId[]).sort(
  (a, b) => REGION_TISSUES[a].length - REGION_TISSUES[b].length,
);

/** Regions (outermost first) that contain a tissue. */
export function regionsOfTissue(tissue: TissueId): RegionId[] {
  return [...REGIONS_INNER_FIRST].reverse().filter((r) => REGION_TISSUES[r].includes(tissue));
}

/** Label values that make up each region in a scheme (raw schemes included: the BraTS definition holds for all). */
export function regionValues(scheme: SchemeId): Record<RegionId, number[]> {
  const out = {} as Record<RegionId, number[]>;
  for (const r of REGIONS_INNER_FIRST) {
    out[r] = SCHEMES[scheme].labels.filter((l) => REGION_TISSUES[r].includes(l.tissue)).map((l) => l.value);
  }
  return out;
}

export interface SchemeGuess {
  scheme: SchemeId;
  /** Schemes the values fit equally well (the user picks; empty when the values decide). */
  candidates: SchemeId[];
  /** Why this scheme was picked, for the user. */
  reason: string;
  /** Values present in the volume that the picked scheme does not define. */
  unknownValues: number[];
}

/**
 * Picks the label scheme from the values present and, where values cannot decide, from the file
 * naming: 0-3 fits "keep", raw 2023 and Dataset137 alike, and 0-2 (a case without enhancing
 * tumour) also fits raw 2021.
 */
export function guessScheme(values: Iterable<number>, naming: Naming): SchemeGuess {
  const set = new Set(values);
  const base = detectScheme(set);
  let scheme = base.scheme;
  let candidates = [...base.ambiguous];
  let reason: string;
  if (candidates.length === 0) {
    reason = set.has(3) ? 'values 3 and 4 both occur: raw BraTS 2023+ (4 = resection cavity)' : 'value 4 without 3: raw BraTS 2021';
  } else {
    if (!set.has(3)) candidates = ['brats2021', ...candidates];
    if (naming === 'brats2021' && !set.has(3)) {
      scheme = 'brats2021';
      reason = 'values fit several schemes; BraTS 2021 file names (t1ce, flair) point to raw BraTS 2021';
    } else if (naming === 'brats2023') {
      scheme = 'brats2023';
      reason = 'values fit several schemes; BraTS 2023 file names (t1n, t1c, t2w, t2f) point to raw BraTS 2023+';
    } else if (naming === 'nnunet') {
      scheme = 'nnunet137';
      reason = "values fit several schemes; nnU-Net channel files point to a converted dataset, and Dataset137 is the converter's default";
    } else {
      reason = 'values fit several schemes and the names do not decide: check the legend against the image';
    }
  }
  return { scheme, candidates, reason, unknownValues: undefinedValues(set, scheme) };
}

/** Values present in a label volume that a scheme does not define (they are not drawn or counted). */
export function undefinedValues(values: Iterable<number>, scheme: SchemeId): number[] {
  const defined = new Set(SCHEMES[scheme].labels.map((l) => l.value));
  return [...new Set(values)].filter((v) => !defined.has(v)).sort((a, b) => a - b);
}

export type Rgba = [number, number, number, number];

export function hexToRgba(hex: string, alpha = 255): Rgba {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16), alpha];
}

/** One row of a label colour table: the colour a label value is drawn in (alpha 0 = not drawn). */
export interface ColourEntry {
  value: number;
  rgba: Rgba;
  /** What the colour stands for at this value: a tissue (raw) or a region (regions), or '' when hidden. */
  shows: TissueId | RegionId | '';
}

const CLEAR: Rgba = [0, 0, 0, 0];

/** Raw display: each label value in its tissue colour, unless that tissue is hidden. */
export function rawColours(scheme: SchemeId, visible: ReadonlySet<TissueId>): ColourEntry[] {
  return SCHEMES[scheme].labels.map((l) => {
    if (l.tissue === 'background' || !visible.has(l.tissue)) return { value: l.value, rgba: CLEAR, shows: '' };
    return { value: l.value, rgba: hexToRgba(TISSUE_COLOURS[l.tissue]), shows: l.tissue };
  });
}

/**
 * Region display: each label value in the colour of the innermost visible region that contains
 * it. With only WT visible the whole tumour, core and enhancing rim included, turns WT's colour:
 * the nesting made visible.
 */
export function regionColours(scheme: SchemeId, visible: ReadonlySet<RegionId>): ColourEntry[] {
  return SCHEMES[scheme].labels.map((l) => {
    const region = REGIONS_INNER_FIRST.find((r) => visible.has(r) && REGION_TISSUES[r].includes(l.tissue));
    return region ? { value: l.value, rgba: hexToRgba(REGION_COLOURS[region]), shows: region } : { value: l.value, rgba: CLEAR, shows: '' };
  });
}

/** A label colour table in NiiVue's plain-object shape (R, G, B, A, I arrays and names). */
export interface LabelColormap {
  R: number[];
  G: number[];
  B: number[];
  A: number[];
  I: number[];
  labels: string[];
}

/**
 * Dense table from 0 to the largest value, so every integer in range has an entry: values the
 * scheme does not define stay transparent instead of borrowing a neighbour's colour.
 */
export function toLabelColormap(entries: ColourEntry[], maxValue: number): LabelColormap {
  const top = Math.max(maxValue, ...entries.map((e) => e.value));
  const cm: LabelColormap = { R: [], G: [], B: [], A: [], I: [], labels: [] };
  for (let v = 0; v <= top; v++) {
    const e = entries.find((x) => x.value === v);
    const [r, g, b, a] = e ? e.rgba : CLEAR;
    cm.R.push(r);
    cm.G.push(g);
    cm.B.push(b);
    cm.A.push(a);
    cm.I.push(v);
    cm.labels.push(e && e.shows ? e.shows : '');
  }
  return cm;
}

/** "WT = NCR + ED + ET" lines that spell out the hierarchy for a scheme's values. */
export function regionFormulas(scheme: SchemeId): { region: RegionId; name: string; tissues: TissueId[]; values: number[] }[] {
  const values = regionValues(scheme);
  return [...REGIONS_INNER_FIRST].reverse().map((r) => ({ region: r, name: REGION_NAMES[r], tissues: REGION_TISSUES[r], values: values[r] }));
}
