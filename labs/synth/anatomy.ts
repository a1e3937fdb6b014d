/**
 * A procedural, skull-stripped adult brain: cerebrum with a folded cortex, an interhemispheric
 * fissure, lateral and third ventricles with choroid plexus, deep grey nuclei, vessels in the
 * sulci, cerebellum with folia and a brain stem. Positions are millimetres in a brain frame:
 * `a` left-right (0 = midline), `b` posterior(-) to anterior(+), `c` inferior(-) to superior(+).
 *
 * The model is a set of distance-like fields (millimetres to the nearest CSF or outside), turned
 * into tissue fractions with a ramp as wide as the voxel, which gives partial-volume edges at
 * every resolution instead of staircases. Sizes are rounded adult figures: cerebrum about
 * 140 × 170 × 120 mm, cortex 2–3 mm thick (Fischl & Dale 2000, PNAS 97:11050).
 */
import type { Rng } from '../shared/prng';
import { gradientNoise } from './noise';

/** Tissue fractions at one point; they sum to `brain` (0 outside, 1 inside the brain mask). */
export interface Fractions {
  brain: number;
  csf: number;
  gm: number;
  wm: number;
  /** Deep grey nuclei (thalamus, basal ganglia): intensities between grey and white matter. */
  deep: number;
  /** Choroid plexus, inside the lateral ventricles (enhances: no blood-brain barrier). */
  plexus: number;
  /** Vessels running in the sulci and on the surface (enhance; flow voids on T2). */
  vessel: number;
}

export interface AnatomyParams {
  /** Ventricle size factor: 0.8 (young) to 1.6 (atrophy). */
  ventricles: number;
  /** Overall head size factor. */
  scale: number;
  /** Mean sulcal depth in mm. */
  sulcusDepth: number;
}

export type AnatomyField = (a: number, b: number, c: number, out: Fractions) => void;

/** Bounding box of the brain in the brain frame (mm), for the generator's voxel loop. */
export const BRAIN_BOX = { a: [-78, 78], b: [-102, 96], c: [-84, 72] } as const;

const CORTEX_MM = 2.3;
const CEREBELLAR_CORTEX_MM = 1.4;

/**
 * Approximate signed distance (mm) to the surface of an axis-aligned ellipsoid with semi-axes
 * A, B, C: (r² - 1) / (2 |∇(r²/2)|), exact for a sphere and smooth everywhere, so long thin
 * shapes get edges as sharp at their tips as on their sides.
 */
function ellipsoidDistance(x: number, y: number, z: number, A: number, B: number, C: number): number {
  const r2 = (x / A) ** 2 + (y / B) ** 2 + (z / C) ** 2;
  const g = Math.sqrt((x / (A * A)) ** 2 + (y / (B * B)) ** 2 + (z / (C * C)) ** 2);
  return g > 1e-9 ? (r2 - 1) / (2 * g) : -Math.min(A, B, C);
}

export function drawAnatomyParams(rng: Rng): AnatomyParams {
  return {
    ventricles: rng.uniform(0.8, 1.6),
    scale: rng.uniform(0.93, 1.05),
    sulcusDepth: rng.uniform(11, 17),
  };
}

/**
 * Builds the field for one patient. `voxelMm` widens the partial-volume ramp so that coarse
 * grids (web size) show soft edges like a real low-resolution scan.
 */
export function buildAnatomy(rng: Rng, params: AnatomyParams, voxelMm: number): AnatomyField {
  const surf = gradientNoise(rng.fork('surface'));
  const gyri = gradientNoise(rng.fork('gyri'));
  const gyri2 = gradientNoise(rng.fork('gyri2'));
  const folia = gradientNoise(rng.fork('folia'));
  const vessels = gradientNoise(rng.fork('vessels'));
  const ramp = 0.35 * voxelMm + 0.35;
  const s = params.scale;
  const vent = params.ventricles;
  const sulcD = params.sulcusDepth;
  const sm = (x: number) => {
    const t = x / ramp + 0.5;
    return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
  };

  return (a0, b0, c0, out) => {
    const a = a0 / s;
    const b = b0 / s;
    const c = c0 / s;
    out.brain = out.csf = out.gm = out.wm = out.deep = out.plexus = out.vessel = 0;

    // Cerebrum: an egg (narrower in front, flatter below) with a bumpy surface.
    // The underside is low at the sides (temporal lobes), higher in the midline (the brain stem
    // and basal cisterns sit between the temporal lobes) and at the back, where the occipital
    // lobe rests on the tentorium above the cerebellum.
    const A = 68 * (1 - 0.08 * (b / 85));
    const C = c >= 0 ? 62 : (50 - 24 * Math.min(1, Math.max(0, (-15 - b) / 60))) * (1 - 0.32 * Math.exp(-((a / 22) ** 2)));
    const bb = b - 6;
    const ra = a / A;
    const rb = bb / 86;
    const rc = c / C;
    const r2 = ra * ra + rb * rb + rc * rc;
    // Cerebellum (two lobes under the occipital lobe) and brain stem.
    const cbA = Math.abs(a) - 4;
    const cbr = Math.sqrt((cbA / 48) ** 2 + ((b + 46) / 28) ** 2 + ((c + 42) / 24) ** 2);
    const bsr = Math.sqrt((a / 12) ** 2 + ((b + 18 - 0.12 * (c + 40)) / 13) ** 2);
    const inStemRange = c < -6 && c > -90;
    if (r2 > 1.44 && cbr > 1.2 && !(inStemRange && bsr < 1.3)) return;

    const rr = Math.sqrt(r2) || 1e-6;
    const L = Math.sqrt(a * a + bb * bb + c * c) || 1e-6;
    // Depth below the cerebral surface along the ray from the centre (exact for a sphere). The
    // surface bumps (±3 mm) and the sulci only matter in the outer shell; deep white matter,
    // most of the brain, skips their noise calls.
    // Bounds: sulci reach at most 1.3 sulcD (below), the bumps move the surface by at most 4.5 mm.
    const deepest = sulcD * 1.3 + CORTEX_MM + 1.2;
    const shallow = (1 - rr) * (L / rr) < deepest + 4.5;
    const bumpNoise = shallow ? surf(a / 30, b / 30, c / 30) : 0;
    const depth = (1 - rr / (1 + 0.045 * bumpNoise)) * (L / rr);

    // Brain-stem depth; merges with the cerebrum from below.
    const stemDepth = inStemRange ? (1 - bsr) * 13 : -99;

    // Cortical folding: noise sampled on a shell, so sulci run roughly radially like real ones.
    // Deep white matter cannot reach a sulcus, so the noise is skipped there (most voxels).
    let t = depth - 0.6;
    if (shallow && depth < deepest) {
      const k = 0.45 + 32 / L;
      const qa = a * k;
      const qb = b * k;
      const qc = c * k;
      const n = gyri(qa / 12, qb / 12, qc / 12) + 0.35 * gyri2(qa / 5.5, qb / 5.5, qc / 5.5);
      // Sulci run deeper under the bulges of the surface.
      const dSulc = sulcD * (1 + 0.3 * bumpNoise);
      const below = depth - dSulc;
      const eSulc = Math.abs(n) * 17;
      t = Math.min(t, Math.sqrt(eSulc * eSulc + (below > 0 ? below * below : 0)) - 0.7);
    }

    // Interhemispheric fissure: it separates the hemispheres everywhere except across a bridge
    // (corpus callosum over the diencephalon), an ellipse in the midline plane. The falx keeps the
    // fissure narrow and nearly straight; beyond 6 mm from the midline it is further away than
    // the cortex is thick.
    if (Math.abs(a) < 6) {
      const intoBridge = -ellipsoidDistance(0, b + 6, c - 2, 1, 38, 22);
      const fisA = a - surf(b / 25, c / 25, 7.5);
      t = Math.min(t, Math.sqrt(fisA * fisA + (intoBridge > 0 ? intoBridge * intoBridge : 0)) - 0.5);
    }

    let brain = sm(depth);
    let csf = brain * (1 - sm(t));
    let wm = brain * sm(t - CORTEX_MM);
    let gm = brain - csf - wm;
    let deep = 0;
    // Vessels in the sulcal and surface CSF: where a second noise field crosses zero inside the
    // CSF sheets, the two surfaces meet in curves, about 0.5 mm in radius.
    let vessel = 0;
    if (shallow && csf > 0.05) {
      const along = Math.abs(vessels(a / 18, b / 18, c / 18)) * 18;
      vessel = csf * (1 - sm(along - 0.5));
      csf -= vessel;
    }

    // Cerebellum: thin cortex, folia as horizontal sheets, white-matter core.
    if (cbr < 1.2) {
      const cbDepth = (1 - cbr) * 22;
      const fol = Math.abs(Math.sin(0.85 * (c + 0.35 * b) + 2.5 * folia(a / 14, b / 14, c / 14))) * 2.4;
      const foliaDepth = cbDepth - 9;
      const tc = Math.min(cbDepth - 0.4, Math.sqrt(fol * fol + (foliaDepth > 0 ? foliaDepth * foliaDepth : 0)) - 0.4);
      const inCb = sm(cbDepth) * (1 - brain);
      if (inCb > 0) {
        const cCsf = 1 - sm(tc);
        const cWm = sm(tc - CEREBELLAR_CORTEX_MM - 2.5 * sm(cbDepth - 12));
        csf += inCb * cCsf;
        wm += inCb * cWm;
        gm += inCb * (1 - cCsf - cWm);
        brain += inCb;
      }
    }
    if (stemDepth > -1) {
      // The stem fills the cisterns around it and continues below the cerebrum.
      const inStem = sm(stemDepth);
      const fromCsf = csf * inStem;
      const added = inStem * (1 - brain);
      if (fromCsf + added > 0) {
        csf -= fromCsf;
        wm += (fromCsf + added) * 0.75;
        deep += (fromCsf + added) * 0.25;
        brain += added;
      }
    }
    if (brain <= 0) return;

    // Lateral ventricles: a curved pair, wider at the front horns, bigger with atrophy. The
    // guards skip points at least 3 mm outside every shape (where the fractions are zero anyway).
    const side = Math.abs(a);
    const vb = b + 4;
    let ventF = 0;
    let plexusF = 0;
    if (side < 24 && vb > -37 && vb < 37 && c > -16 && c < 26) {
      const vw = (3 + 2.2 * Math.max(0, vb / 30)) * vent;
      const vCentreA = 1.5 + vw + 0.1 * Math.max(0, -vb);
      const vCentreC = 13 - 0.0045 * vb * vb;
      const lateral = ellipsoidDistance(side - vCentreA, vb, c - vCentreC, vw, 34, 6 * vent);
      // Third ventricle: a thin midline slit.
      const third = ellipsoidDistance(a, vb, c + 3, 1 + 0.4 * vent, 12, 9);
      ventF = 1 - sm(Math.min(lateral, third));
      // Choroid plexus: a band on the floor of each ventricle's body, thickest at the atrium
      // (the glomus, towards the back); never in the front horns.
      if (ventF > 0 && vb < 6) {
        const glomus = 1 + 0.8 * Math.exp(-(((vb + 20) / 9) ** 2));
        const band = ellipsoidDistance(side - vCentreA, vb + 12, c - vCentreC + 2.5 * vent, 1.4 * glomus, 20, 1.6 * glomus);
        plexusF = Math.min(ventF, 1 - sm(band));
      }
    }

    // Deep grey nuclei: thalamus and lentiform nucleus on each side.
    let deepF = 0;
    if (side < 31 && b > -29 && b < 26 && c > -13 && c < 14) {
      const th = ellipsoidDistance(side - 7.5, b + 12, c - 1, 8, 13, 9);
      const le = ellipsoidDistance(side - 22, b - 8, c, 5.5, 14, 10);
      deepF = 1 - sm(Math.min(th, le));
    }
    if (deepF > 0) {
      const take = wm * deepF;
      wm -= take;
      deep += take;
    }
    if (ventF > 0) {
      const keep = 1 - ventF;
      const moved = (gm + wm + deep) * ventF;
      gm *= keep;
      wm *= keep;
      deep *= keep;
      csf += moved;
      const plexus = Math.min(csf, plexusF * brain);
      csf -= plexus;
      out.plexus = plexus;
    }
    out.brain = brain;
    out.csf = csf;
    out.gm = gm;
    out.wm = wm;
    out.deep = deep;
    out.vessel = vessel;
  };
}
