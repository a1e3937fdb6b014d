/**
 * A glioma-like lesion: a tumour core (necrosis inside an enhancing rim) within a larger, more
 * irregular edema that spreads through white matter, pushing the anatomy around it aside.
 * Enhancement strength varies from patient to patient, vessels run through the edema, and in
 * some patients part of the necrosis holds subacute blood (labelled necrosis, bright on T1 and
 * T1ce alike): the things that make "brightest on T1ce" a poor rule for enhancing tumour.
 *
 * Label meanings follow BraTS 2021 (Baid et al. 2021, arXiv:2107.02314): 1 NCR, 2 ED, 4 ET.
 * Real BraTS 2021 training cases almost all contain every class (ET in 1250, NCR in 1218 of 1251,
 * shared/reference/nnunet-facts.md §4.1); the generator deliberately makes cases without ET or
 * without NCR more common than that, so that students meet them in a handful of samples.
 */
import type { Rng } from '../shared/prng';
import type { AnatomyField, Fractions } from './anatomy';
import { ENHANCEMENT_RANGE } from './contrast';
import { gradientNoise, type Noise3 } from './noise';

export type TumourKind = 'classic' | 'no-ncr' | 'no-et';

/** Share of patients of each kind (the rest are `classic`); tests measure these over many seeds. */
export const TUMOUR_KIND_SHARE = { 'no-et': 0.15, 'no-ncr': 0.15 } as const;

export interface TumourParams {
  kind: TumourKind;
  centre: [number, number, number];
  /** Mean radius of the tumour core (NCR + ET), mm. */
  core: number;
  /** How far the edema reaches beyond the core, mm. */
  edema: number;
  /** Enhancing rim thickness, mm. */
  rim: number;
  /** Shape irregularity (0 = sphere). */
  irregular: number;
  /** Share of the anatomy pushed aside (0..1). */
  mass: number;
  /** ET's T1ce excess over white matter, as a share of the strongest (ENHANCEMENT_RANGE). */
  enhance: number;
  /** How much of the necrosis holds subacute blood: 0 (most patients) to about 0.5. */
  bleed: number;
}

/** Per-voxel result: hard BraTS label plus soft weights for the intensity model. */
export interface TumourSample {
  label: 0 | 1 | 2 | 4;
  ncr: number;
  et: number;
  ed: number;
  /** Blood inside the necrosis (its label stays NCR). */
  bleed: number;
  /** Vessels through the edema (their label stays ED). */
  vessel: number;
  /** Tumour texture in about [-1, 1]. */
  texture: number;
}

export interface TumourModel {
  params: TumourParams;
  /** Radius around the centre beyond which nothing changes, mm. */
  reach: number;
  /** Where the anatomy at `p` comes from (mass effect); writes into `q`. */
  displace(a: number, b: number, c: number, q: [number, number, number]): void;
  sample(a: number, b: number, c: number, tissue: Fractions, out: TumourSample): void;
}

/** The first draw of a patient's lesion: its kind (so planners can know it without generating). */
export function drawKind(rng: Rng): TumourKind {
  const u = rng.next();
  return u < TUMOUR_KIND_SHARE['no-et'] ? 'no-et' : u < TUMOUR_KIND_SHARE['no-et'] + TUMOUR_KIND_SHARE['no-ncr'] ? 'no-ncr' : 'classic';
}

export function drawTumour(rng: Rng, anatomy: AnatomyField): TumourParams {
  const kind = drawKind(rng);
  const f: Fractions = { brain: 0, csf: 0, gm: 0, wm: 0, deep: 0, plexus: 0, vessel: 0 };
  let centre: [number, number, number] = [30, 10, 15];
  // Gliomas grow mostly in the cerebral white matter, usually in one hemisphere.
  for (let i = 0; i < 200; i++) {
    const p: [number, number, number] = [rng.pick([-1, 1]) * rng.uniform(14, 48), rng.uniform(-58, 62), rng.uniform(-22, 44)];
    anatomy(p[0], p[1], p[2], f);
    if (f.wm + f.deep > 0.9) {
      centre = p;
      break;
    }
  }
  const core = kind === 'no-et' ? rng.uniform(8, 20) : rng.uniform(8, 24);
  return {
    kind,
    centre,
    core,
    edema: rng.uniform(4, 16),
    rim: rng.uniform(2, 5.5),
    irregular: rng.uniform(0.12, 0.32),
    mass: rng.uniform(0.25, 0.55),
    enhance: rng.uniform(ENHANCEMENT_RANGE[0], ENHANCEMENT_RANGE[1]),
    // Subacute blood shows in a minority of glioblastomas' necrosis.
    bleed: rng.next() < 0.4 ? rng.uniform(0.25, 0.55) : 0,
  };
}

/** Follow-up scans: the same lesion, grown (or shrunk under treatment) by `growth`. */
export function grownTumour(p: TumourParams, growth: number): TumourParams {
  return { ...p, core: p.core * growth, edema: p.edema * Math.sqrt(growth) };
}

export function buildTumour(rng: Rng, p: TumourParams, voxelMm: number): TumourModel {
  const shape: Noise3 = gradientNoise(rng.fork('shape'));
  const halo: Noise3 = gradientNoise(rng.fork('halo'));
  const patch: Noise3 = gradientNoise(rng.fork('patch'));
  const tex: Noise3 = gradientNoise(rng.fork('texture'));
  const blood: Noise3 = gradientNoise(rng.fork('blood'));
  const vesselA: Noise3 = gradientNoise(rng.fork('vessel-a'));
  const vesselB: Noise3 = gradientNoise(rng.fork('vessel-b'));
  const [ca, cb, cc] = p.centre;
  const R = p.core;
  const RE = p.core + p.edema;
  const massL = R + 0.5 * p.edema;
  // Beyond this nothing changes: edema ends by 1.45 RE, the push fades to 0.2 % at 2.5 massL.
  const coreMax = R * (1 + p.irregular * 1.6) + 2;
  const edMax = RE * 1.45 + 2;
  const reach = Math.max(edMax, 2.5 * massL);
  const ramp = 0.35 * voxelMm + 0.35;
  const soft = (x: number) => {
    const t = x / ramp + 0.5;
    return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
  };

  return {
    params: p,
    reach,
    displace(a, b, c, q) {
      const da = a - ca;
      const db = b - cb;
      const dc = c - cc;
      const d2 = da * da + db * db + dc * dc;
      const f = 1 - p.mass * Math.exp(-d2 / (massL * massL));
      q[0] = ca + da * f;
      q[1] = cb + db * f;
      q[2] = cc + dc * f;
    },
    sample(a, b, c, tissue, out) {
      out.label = 0;
      out.ncr = out.et = out.ed = out.bleed = out.vessel = 0;
      out.texture = 0;
      const da = a - ca;
      const db = b - cb;
      const dc = c - cc;
      const d = Math.sqrt(da * da + db * db + dc * dc);
      if (d > edMax || tissue.brain < 0.5) return;
      // Distance outside the (irregular) core surface, mm; negative inside.
      const coreOut = d > coreMax ? d - R : d - R * (1 + p.irregular * 1.6 * shape(a / 14, b / 14, c / 14));
      // Edema spreads along white matter and stops at CSF.
      const spread = (tissue.wm + tissue.deep) / tissue.brain;
      // Across the midline only through the corpus callosum: elsewhere the falx stops it.
      const crossed = a * ca < 0 && Math.abs(a) > 1 ? Math.abs(a) * (c > 8 && c < 30 && Math.abs(b) < 35 ? 0.5 : 4) : 0;
      const edOut = d - RE * (1 + 0.45 * halo(a / 16, b / 16, c / 16)) * (0.55 + 0.45 * spread) + crossed;
      const inCore = 1 - soft(coreOut);
      const inEd = (1 - soft(edOut)) * (1 - tissue.csf / tissue.brain);
      if (inCore <= 0 && inEd <= 0) return;
      out.texture = tex(a / 5, b / 5, c / 5) * 1.6;
      let et = 0;
      let ncr = 0;
      if (p.kind === 'no-ncr') et = inCore;
      else if (p.kind === 'no-et') ncr = inCore;
      else {
        // The rim is patchy: where it thins out, necrosis reaches the edema.
        const depthIn = -coreOut;
        const rimHere = p.rim * (0.75 + 0.6 * patch(a / 9, b / 9, c / 9));
        const inner = 1 - soft(rimHere - depthIn);
        ncr = inCore * inner;
        et = inCore - ncr;
      }
      let ed = Math.max(0, Math.min(1 - inCore, inEd));
      if (inCore >= 0.5) out.label = et >= ncr ? 4 : 1;
      else if (ed >= 0.5) out.label = 2;
      if (p.bleed > 0 && ncr > 0) {
        const w = (blood(a / 6, b / 6, c / 6) - 0.45 + p.bleed) * 4;
        const bleed = ncr * (w <= 0 ? 0 : w >= 1 ? 1 : w);
        out.bleed = bleed;
        ncr -= bleed;
      }
      if (ed > 0) {
        // Tubes where two noise fields cross zero together, about 1 mm in radius.
        const u = vesselA(a / 10, b / 10, c / 10);
        const v = vesselB(a / 10, b / 10, c / 10);
        const vessel = ed * (1 - soft(Math.sqrt(u * u + v * v) * 10 - 1));
        out.vessel = vessel;
        ed -= vessel;
      }
      out.ncr = ncr;
      out.et = et;
      out.ed = ed;
    },
  };
}
