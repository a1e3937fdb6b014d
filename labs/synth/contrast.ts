/**
 * How each tissue looks in each MRI sequence, and how scanners differ.
 *
 * Relative intensities follow the textbook appearance of glioblastoma and normal brain, as the
 * BraTS task description summarises it (Menze et al. 2015, IEEE TMI 34:1993): T1 — white matter brighter than grey, CSF and tumour dark; T1ce — the
 * enhancing rim brightest, necrosis dark; T2 — CSF and edema bright, white matter darkest;
 * FLAIR — edema bright, CSF suppressed (dark). The numbers are arbitrary units near the ranges
 * of BraTS's skull-stripped int16 volumes, not physical relaxation times.
 *
 * Three more tissues keep a T1ce threshold from finding the enhancing tumour on its own, as in
 * real scans: the choroid plexus in the ventricles enhances (it has no blood-brain barrier),
 * vessels in the sulci and around the lesion carry the contrast agent (and are dark on T2 where
 * blood flows fast: a flow void), and subacute blood in necrosis is bright on T1 *before*
 * contrast, so it is bright on T1ce too without enhancing (methaemoglobin; Bradley 1993,
 * Radiology 189:15). Telling them from tumour needs T1 beside T1ce and the shape around a voxel,
 * not one intensity.
 */
import type { Rng } from '../shared/prng';

export const MODALITIES = ['t1', 't1ce', 't2', 'flair'] as const;
export type Modality = (typeof MODALITIES)[number];

export type TissueClass = 'csf' | 'gm' | 'wm' | 'deep' | 'plexus' | 'vessel' | 'ed' | 'ncr' | 'bleed' | 'et';

export const CONTRAST: Record<Modality, Record<TissueClass, number>> = {
  t1: { csf: 260, gm: 540, wm: 720, deep: 620, plexus: 520, vessel: 480, ed: 560, ncr: 280, bleed: 980, et: 500 },
  t1ce: { csf: 290, gm: 580, wm: 740, deep: 650, plexus: 1150, vessel: 1200, ed: 480, ncr: 250, bleed: 1050, et: 1250 },
  t2: { csf: 1750, gm: 930, wm: 620, deep: 800, plexus: 1050, vessel: 380, ed: 1380, ncr: 1600, bleed: 1450, et: 1050 },
  flair: { csf: 170, gm: 640, wm: 470, deep: 560, plexus: 700, vessel: 560, ed: 1100, ncr: 760, bleed: 1050, et: 880 },
};

/**
 * How strongly a patient's tumour enhances: ET's T1ce excess over white matter is scaled by a
 * per-patient factor in this range (contrast dose, timing and tumour perfusion all vary).
 */
export const ENHANCEMENT_RANGE = [0.5, 1] as const;

/**
 * Scanner settings. A dataset draws each scan's setting from the allowed list, so a model can be
 * trained on some settings and tested on one it never saw (the inference lab does that).
 */
export type ScannerId = 'a' | 'b' | 'c';

export interface ScannerProfile {
  id: ScannerId;
  title: string;
  /** Overall intensity gain range (each modality draws its own gain inside it). */
  gain: [number, number];
  /** Contrast curve exponent around white matter (1 = linear). */
  gamma: number;
  /** Noise standard deviation as a share of white-matter signal. */
  noise: [number, number];
}

export const SCANNERS: Record<ScannerId, ScannerProfile> = {
  a: { id: 'a', title: 'site A (reference scale)', gain: [0.9, 1.1], gamma: 1, noise: [0.03, 0.045] },
  b: { id: 'b', title: 'site B (about twice the scale)', gain: [1.7, 2.1], gamma: 1, noise: [0.025, 0.04] },
  c: { id: 'c', title: 'site C (half the scale, flatter contrast)', gain: [0.45, 0.6], gamma: 0.85, noise: [0.035, 0.05] },
};

export const DEFAULT_SCANNERS: ScannerId[] = ['a', 'b'];

export function parseScanners(text: string): ScannerId[] {
  const ids = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (ids.length === 0) throw new Error('--scanner: give at least one of a, b, c');
  for (const id of ids) if (!(id in SCANNERS)) throw new Error(`--scanner: unknown setting "${id}" (known: ${Object.keys(SCANNERS).join(', ')})`);
  return [...new Set(ids)] as ScannerId[];
}

/** Acquisition settings of one scan: gain, bias field and noise per modality. */
export interface Acquisition {
  scanner: ScannerId;
  gain: Record<Modality, number>;
  gamma: number;
  /** Noise sd as a share of the white-matter signal. */
  noise: number;
  /** Bias field: peak-to-centre log amplitude and the polynomial coefficients per modality. */
  biasAmplitude: number;
  bias: Record<Modality, number[]>;
}

/**
 * The log bias field is a polynomial in coordinates scaled to about [-1, 1], with ten terms in
 * this order: x, y, z, x²-0.33, y²-0.33, z²-0.33, xy, yz, xz, xyz (smooth over the head, like the
 * low-order fields that N3 fits). case.ts evaluates it.
 */
export const BIAS_TERMS = 10;

export function drawAcquisition(rng: Rng, allowed: readonly ScannerId[]): Acquisition {
  const scanner = rng.pick(allowed);
  const prof = SCANNERS[scanner];
  // Radio-frequency inhomogeneity: typically 10-30 % across the head at 1.5-3 T (Sled et al. 1998,
  // IEEE TMI 17:87, the N3 paper), so the amplitude draws from that range.
  const biasAmplitude = rng.uniform(0.1, 0.4);
  const gain = {} as Record<Modality, number>;
  const bias = {} as Record<Modality, number[]>;
  for (const m of MODALITIES) {
    gain[m] = rng.uniform(prof.gain[0], prof.gain[1]);
    const coef = Array.from({ length: BIAS_TERMS }, () => rng.normal());
    const norm = Math.sqrt(coef.reduce((s, v) => s + v * v, 0)) || 1;
    bias[m] = coef.map((v) => (v / norm) * biasAmplitude);
  }
  return { scanner, gain, gamma: prof.gamma, noise: rng.uniform(prof.noise[0], prof.noise[1]), biasAmplitude, bias };
}
