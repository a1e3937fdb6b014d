/**
 * Channel identity on real MRI: which contrast each channel file behaves like.
 *
 * Per case, the check keeps the same sparse sample of voxels from every channel and the label
 * (`VoxelSample`), and reduces it to `CaseRelations`: relations between the channels inside the
 * brain, each free of the scanner's intensity scale and offset (robust z-scores), plus, when the
 * case has a label, each channel's intensity in the lesion relative to normal-appearing brain.
 *
 * `physicsScores` judges one ordering of the files against what the four BraTS contrasts do
 * (Menze et al. 2015, IEEE TMI 34:1993; Bradley 1993, Radiology 189:15 for T1ce):
 * - cerebrospinal fluid is the brightest tissue on T2 and dark on T1, T1ce and FLAIR, so T2's
 *   brightest voxels are the other channels' dark ones, and FLAIR's darkest are bright on T2;
 * - T1 and T1ce are nearly the same picture except where contrast agent arrives (vessels, choroid
 *   plexus, enhancing tumour): their difference has a long tail on the T1ce side only;
 * - the lesion (edema, tumour core) is bright on T2 and FLAIR and not on T1 or T1ce; enhancing
 *   tumour is bright on T1ce and not on T1.
 * Each rule is a number (in robust z units) that is positive when the ordering obeys it.
 * `relationCost` compares a case's relations with the dataset's consensus instead (cross-case).
 */

/** Voxels kept per volume, at most: 2^18 gives ~40k brain voxels from a 240×240×155 volume. */
export const SAMPLE_VOXELS = 1 << 18;
/** Fewer brain voxels than this in the sample: no relations (silence). */
export const MIN_BRAIN_SAMPLES = 2000;
/**
 * Real channels of one head share anatomy: some pair correlates at least this strongly (T1 and
 * T1ce about 0.9). Below it the channels look like unrelated noise and nothing is judged.
 */
export const MIN_STRUCTURE = 0.5;
/** Fewer lesion voxels than this in the sample: no lesion rules. */
export const MIN_LESION_SAMPLES = 40;

export type Contrast = 't1' | 't1ce' | 't2' | 'flair';
export const CONTRASTS: Contrast[] = ['t1', 't1ce', 't2', 'flair'];
export const CONTRAST_NAMES: Record<Contrast, string> = { t1: 'T1', t1ce: 'T1ce', t2: 'T2', flair: 'FLAIR' };

/** The contrast a channel name declares (T1, T1w, t1n, T1ce, t1c, T1Gd, T2, t2w, FLAIR, t2f, …), or null. */
export function contrastOf(name: string): Contrast | null {
  const s = name.toLowerCase().replace(/[\s_\-.()]/g, '');
  if (/flair|t2f$|^t2f|fla$/.test(s)) return 'flair';
  if (/^t1(ce|c|gd|post|contrast|km|\+c|\+gd|w?ce|wgd|wpost)/.test(s) || /gado|contrast/.test(s)) return 't1ce';
  if (/^t2(w|n|weighted)?$/.test(s)) return 't2';
  if (/^t1(w|n|pre|native|weighted)?$/.test(s)) return 't1';
  return null;
}

/** The same voxels (every `stride`-th by index) of each volume of a case. */
export class VoxelSample {
  readonly stride: number;
  readonly values: Float32Array;
  constructor(voxels: number) {
    this.stride = Math.max(1, Math.ceil(voxels / SAMPLE_VOXELS));
    this.values = new Float32Array(Math.ceil(voxels / this.stride));
  }
  add(values: ArrayLike<number | bigint>, first: number): void {
    const s = this.stride;
    const out = this.values;
    for (let i = (s - (first % s)) % s; i < values.length; i += s) out[(first + i) / s] = Number(values[i]);
  }
  /** Applies the header's scl_slope/scl_inter to the kept voxels. */
  scale(slope: number, inter: number): void {
    if (slope === 1 && inter === 0) return;
    for (let i = 0; i < this.values.length; i++) this.values[i] = this.values[i] * slope + inter;
  }
}

/** Label values of the tissues the lesion rules need (null: not present or not known). */
export interface LesionValues {
  /** Enhancing tumour's label value. */
  et: number | null;
}

/** Scale-free relations between a case's channels; plain data (workers post it back). */
export interface CaseRelations {
  /** Brain voxels in the sample (all channels non-zero). */
  brainSamples: number;
  /** Pearson correlation of the robust z-scores (clipped at ±5), channel by channel. */
  corr: number[][];
  /** top[i][j]: median z of channel j over channel i's brightest 5 % of brain voxels. */
  top: number[][];
  /** bottom[i][j]: the same over channel i's darkest 5 %. */
  bottom: number[][];
  /** tail[i][j]: 99.5th plus 0.5th percentile of z_i − z_j (positive: i has bright outliers j lacks). */
  tail: number[][];
  /** With a label: per channel, median z in the lesion (label > 0) relative to normal-appearing brain. */
  lesion?: number[];
  /** With enhancing tumour in the label: per channel, its median z relative to normal-appearing brain. */
  enhancing?: number[];
  /** Lesion voxels in the sample. */
  lesionSamples?: number;
}

function quantile(sorted: Float32Array, q: number): number {
  if (!sorted.length) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** xs[ids[0]], xs[ids[1]], … as a new array (a plain loop: much faster than a mapping Float32Array.from). */
function pick(xs: ArrayLike<number>, ids: ArrayLike<number>): Float32Array {
  const out = new Float32Array(ids.length);
  for (let k = 0; k < ids.length; k++) out[k] = xs[ids[k]];
  return out;
}

/** Median; sorts `xs` in place. */
function median(xs: Float32Array): number {
  return quantile(xs.sort(), 0.5);
}

/** Robust centre and spread (median, interquartile range) of some values. */
function centre(xs: Float32Array): { med: number; iqr: number } {
  const s = Float32Array.from(xs).sort();
  const med = quantile(s, 0.5);
  const iqr = quantile(s, 0.75) - quantile(s, 0.25);
  return { med, iqr: iqr > 0 ? iqr : Math.max(1e-6, Math.abs(med) * 1e-3) };
}

const round = (x: number) => +x.toFixed(3);

/**
 * Relations of one case's channels from their voxel samples (same stride, same length) and the
 * label's sample, if any. Null when the sample holds too little brain to judge.
 */
export function caseRelations(channels: Float32Array[], label: Float32Array | null, lesionValues: LesionValues): CaseRelations | null {
  const n = channels.length;
  if (n < 2 || channels.some((c) => c.length !== channels[0].length)) return null;
  const len = channels[0].length;
  if (label && label.length !== len) label = null;
  // Brain: every channel non-zero and finite (skull-stripped volumes are exactly zero outside).
  const idx: number[] = [];
  for (let v = 0; v < len; v++) {
    let ok = true;
    for (let c = 0; c < n && ok; c++) {
      const x = channels[c][v];
      ok = x !== 0 && x - x === 0;
    }
    if (ok) idx.push(v);
  }
  const m = idx.length;
  // Too little brain, or no zero background at all (not skull-stripped: no brain mask to trust).
  if (m < MIN_BRAIN_SAMPLES || m > 0.9 * len) return null;
  const raw = channels.map((c) => pick(c, idx));
  const z = raw.map((x) => {
    const { med, iqr } = centre(x);
    const out = new Float32Array(m);
    for (let v = 0; v < m; v++) out[v] = Math.max(-5, Math.min(5, (x[v] - med) / iqr));
    return out;
  });
  const mat = () => Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const corr = mat();
  const means = z.map((x) => x.reduce((s, y) => s + y, 0) / m);
  const sds = z.map((x, c) => Math.sqrt(x.reduce((s, y) => s + (y - means[c]) ** 2, 0) / m) || 1e-9);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let v = 0; v < m; v++) s += (z[i][v] - means[i]) * (z[j][v] - means[j]);
      corr[i][j] = corr[j][i] = round(s / m / sds[i] / sds[j]);
    }
  const top = mat();
  const bottom = mat();
  const tail = mat();
  for (let i = 0; i < n; i++) {
    const s = Float32Array.from(z[i]).sort();
    const hi = quantile(s, 0.95);
    const lo = quantile(s, 0.05);
    const hiIdx: number[] = [];
    const loIdx: number[] = [];
    for (let v = 0; v < m; v++) {
      if (z[i][v] >= hi) hiIdx.push(v);
      if (z[i][v] <= lo) loIdx.push(v);
    }
    for (let j = 0; j < n; j++) {
      top[i][j] = round(median(pick(z[j], hiIdx)));
      bottom[i][j] = round(median(pick(z[j], loIdx)));
      if (j > i) {
        const d = new Float32Array(m);
        for (let v = 0; v < m; v++) d[v] = z[i][v] - z[j][v];
        d.sort();
        tail[i][j] = round(quantile(d, 0.995) + quantile(d, 0.005));
        tail[j][i] = -tail[i][j];
      }
    }
  }
  const rel: CaseRelations = { brainSamples: m, corr, top, bottom, tail };
  if (label) {
    const lab = pick(label, idx);
    const nab: number[] = [];
    const les: number[] = [];
    const et: number[] = [];
    for (let v = 0; v < m; v++) {
      if (lab[v] === 0) nab.push(v);
      else {
        les.push(v);
        if (lab[v] === lesionValues.et) et.push(v);
      }
    }
    rel.lesionSamples = les.length;
    if (les.length >= MIN_LESION_SAMPLES && nab.length >= MIN_BRAIN_SAMPLES) {
      const ref = raw.map((x) => centre(pick(x, nab)));
      const zIn = (ids: number[]) => raw.map((x, c) => round((median(pick(x, ids)) - ref[c].med) / ref[c].iqr));
      rel.lesion = zIn(les);
      if (et.length >= MIN_LESION_SAMPLES) rel.enhancing = zIn(et);
    }
  }
  return rel;
}

/** Whether the channels share enough anatomy to be judged at all (see MIN_STRUCTURE). */
export function structured(r: CaseRelations): boolean {
  return r.corr.some((row, i) => row.some((c, j) => i !== j && Math.abs(c) >= MIN_STRUCTURE));
}

const clip = (x: number, lim = 3) => Math.max(-lim, Math.min(lim, x));

/** Every ordering of n items (n ≤ 6). */
export function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/**
 * The physics rules for one assignment of the four contrasts to files (`file[c]` holds contrast c,
 * in CONTRASTS order), each positive when the files obey it. Rule names are the evidence keys.
 */
export function physicsScores(r: CaseRelations, file: number[]): Record<string, number> {
  const [t1, t1ce, t2, fl] = file;
  const out: Record<string, number> = {
    // CSF: T2's brightest voxels are dark on the three others.
    csfBrightOnlyOnT2: clip(-(r.top[t2][t1] + r.top[t2][t1ce] + r.top[t2][fl]) / 3),
    // CSF: FLAIR's darkest voxels (fluid) are bright on T2, and T2's brightest are dark on FLAIR.
    fluidDarkOnFlair: clip((r.bottom[fl][t2] - r.top[t2][fl]) / 2),
    // T1 and T1ce: nearly the same picture (their correlation beats both with FLAIR).
    t1LikeT1ce: clip(5 * (r.corr[t1][t1ce] - (r.corr[t1][fl] + r.corr[t1ce][fl]) / 2)),
    // T1ce has bright outliers T1 lacks (vessels, plexus, enhancement), not the other way round.
    t1ceOutliers: clip(r.tail[t1ce][t1]),
    // FLAIR's brightest voxels (lesion, grey matter) are brighter on T2 than T1's brightest (white matter).
    flairTopBrightOnT2: clip(r.top[fl][t2] - (r.top[t1][t2] + r.top[t1ce][t2]) / 2),
  };
  if (r.lesion) {
    // The lesion is bright on T2 and FLAIR, not on T1 or T1ce.
    out.lesionBrightOnT2Flair = clip((r.lesion[t2] + r.lesion[fl] - r.lesion[t1] - r.lesion[t1ce]) / 2);
    // Edema and tumour are bright on FLAIR where CSF is not: FLAIR beats T1 and T1ce in the lesion.
    out.lesionBrightOnFlair = clip(r.lesion[fl] - Math.max(r.lesion[t1], r.lesion[t1ce]));
  }
  if (r.enhancing) out.enhancingOnT1ce = clip(r.enhancing[t1ce] - r.enhancing[t1]);
  return out;
}

/** The relation features of a case as one vector, with its channels reordered by `perm` (perm[i] = file shown as channel i). */
export function relationVector(r: CaseRelations, perm: number[]): number[] {
  const out: number[] = [];
  const n = perm.length;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const a = perm[i];
      const b = perm[j];
      out.push(r.top[a][b], r.bottom[a][b], r.tail[a][b], 3 * r.corr[a][b]);
    }
  return out;
}
