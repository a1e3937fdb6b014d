/**
 * One synthetic scan: four int16 MRI volumes, a uint8 BraTS 2021 label map and, for tests, the
 * generator's own tissue map (the answer key that realism checks measure against).
 *
 * Geometry follows BraTS (shared/reference/nnunet-facts.md §4.3): 240 × 240 × 155 voxels of
 * 1 mm, NIfTI affine diag(-1, -1, 1) with translation (0, 239, 0), axis codes L P S. Reduced sizes
 * keep the same field of view with larger voxels.
 */
import { createRng, type Rng } from '../shared/prng';
import { BRAIN_BOX, buildAnatomy, drawAnatomyParams, type AnatomyParams, type Fractions } from './anatomy';
import { CONTRAST, MODALITIES, drawAcquisition, type Acquisition, type Modality, type ScannerId } from './contrast';
import { gaussianSource, gradientNoise } from './noise';
import { buildTumour, drawKind, drawTumour, grownTumour, type TumourKind, type TumourParams, type TumourSample } from './tumour';

export type SizeId = 'full' | 'web' | 'small' | 'tiny';

export const SIZES: Record<SizeId, { dims: [number, number, number]; voxelMm: number }> = {
  full: { dims: [240, 240, 155], voxelMm: 1 },
  web: { dims: [120, 120, 78], voxelMm: 2 },
  // Fault datasets for the browser: big enough for the validator's intensity fingerprints.
  small: { dims: [80, 80, 52], voxelMm: 3 },
  tiny: { dims: [48, 48, 31], voxelMm: 5 },
};

/** Codes of the tissue answer key (`SynthCase.tissue`). */
export const TISSUE_CODES = { background: 0, csf: 1, gm: 2, wm: 3, deep: 4, ed: 5, ncr: 6, et: 7, vessel: 8, plexus: 9, bleed: 10, mixed: 255 } as const;

/** A voxel counts as pure tissue in the answer key when one class holds at least this share. */
export const PURE_SHARE = 0.8;

export interface ScanSpec {
  /** Case id as written into file names. */
  id: string;
  patientId: string;
  /** Everything about the patient (anatomy, lesion) comes from this seed. */
  patientSeed: number;
  /** 0 = first scan; follow-ups count up. */
  scan: number;
  size: SizeId;
  scanners: readonly ScannerId[];
}

export interface CaseMeta {
  id: string;
  patientId: string;
  scan: number;
  hasET: boolean;
  hasNCR: boolean;
  volumesMl: { NCR: number; ED: number; ET: number };
  anatomy: AnatomyParams;
  tumour: TumourParams;
  acquisition: Acquisition;
  /** Head position shift of this scan, mm (follow-ups are never placed identically). */
  shift: [number, number, number];
}

export interface SynthCase {
  spec: ScanSpec;
  dims: [number, number, number];
  voxelMm: number;
  affine: number[][];
  images: Record<Modality, Int16Array>;
  /** Raw BraTS 2021 labels: 0, 1 NCR, 2 ED, 4 ET. */
  seg: Uint8Array;
  /** The generator's tissue answer key (TISSUE_CODES), for realism tests and the montage. */
  tissue: Uint8Array;
  meta: CaseMeta;
}

export function bratsAffine(size: SizeId): number[][] {
  const s = SIZES[size].voxelMm;
  // Voxel centres at the centres of the 1 mm voxels they cover: offset (s - 1) / 2.
  const h = (s - 1) / 2;
  return [
    [-s, 0, 0, (1 - s) / 2],
    [0, -s, 0, 239 - h],
    [0, 0, s, h],
    [0, 0, 0, 1],
  ];
}

/** Side of the periodic texture tile, voxels (a power of two). */
const TILE = 32;

/**
 * Fine tissue texture, precomputed once per patient as a periodic tile: a per-voxel noise call
 * would cost as much as the anatomy itself, and at 3.5 % under the acquisition noise the
 * 32-voxel period is invisible.
 */
function textureTile(rng: Rng): Float32Array {
  const noise = gradientNoise(rng);
  const t = new Float32Array(TILE * TILE * TILE);
  // Frequencies that are whole periods across the tile keep its edges seamless.
  const f = 8 / TILE;
  for (let k = 0; k < TILE; k++)
    for (let j = 0; j < TILE; j++)
      for (let i = 0; i < TILE; i++) {
        const wrap = (u: number) => [u * f, (u - TILE) * f] as const;
        const [x0, x1] = wrap(i);
        const [y0, y1] = wrap(j);
        const [z0, z1] = wrap(k);
        const wx = i / TILE;
        const wy = j / TILE;
        const wz = k / TILE;
        // Blend the eight shifted copies so the tile wraps without a seam.
        let v = 0;
        for (let c = 0; c < 8; c++) {
          const sx = c & 1 ? x1 : x0;
          const sy = c & 2 ? y1 : y0;
          const sz = c & 4 ? z1 : z0;
          const w = (c & 1 ? wx : 1 - wx) * (c & 2 ? wy : 1 - wy) * (c & 4 ? wz : 1 - wz);
          v += w * noise(sx, sy, sz);
        }
        t[(k * TILE + j) * TILE + i] = v * 1.6;
      }
  return t;
}

/** Brain-frame origin in the 1 mm BraTS grid (voxel coordinates of a = b = c = 0). */
const ORIGIN = [119.5, 127.5, 82] as const;

/** A patient's lesion kind, without generating the scan (same draw as generateCase makes). */
export function tumourKindOf(patientSeed: number): TumourKind {
  return drawKind(createRng(patientSeed).fork('tumour-params'));
}

export function generateCase(spec: ScanSpec): SynthCase {
  const { dims, voxelMm: s } = SIZES[spec.size];
  const [nx, ny, nz] = dims;
  const patient = createRng(spec.patientSeed);
  const anatomyParams = drawAnatomyParams(patient.fork('anatomy-params'));
  const anatomy = buildAnatomy(patient.fork('anatomy'), anatomyParams, s);
  const baseTumour = drawTumour(patient.fork('tumour-params'), anatomy);
  const scanRng = patient.fork(`scan-${spec.scan}`);
  // Follow-ups: the lesion grows (or shrinks under treatment); the head sits a little elsewhere.
  const growth = spec.scan === 0 ? 1 : Math.max(0.6, 1 + scanRng.uniform(-0.15, 0.3) * spec.scan);
  const tumourParams = grownTumour(baseTumour, growth);
  const tumour = buildTumour(patient.fork('tumour'), tumourParams, s);
  const acq = drawAcquisition(scanRng.fork('acquisition'), spec.scanners);
  const shift: [number, number, number] =
    spec.scan === 0 ? [0, 0, 0] : [scanRng.uniform(-4, 4), scanRng.uniform(-4, 4), scanRng.uniform(-3, 3)];
  const texture = textureTile(patient.fork('texture'));
  const noise = gaussianSource(scanRng.fork('noise'));

  const n = nx * ny * nz;
  const images = {} as Record<Modality, Int16Array>;
  for (const m of MODALITIES) images[m] = new Int16Array(n);
  const seg = new Uint8Array(n);
  const tissue = new Uint8Array(n);

  // Per-modality constants pulled out of the voxel loop.
  const mods = MODALITIES.map((m) => {
    const c = CONTRAST[m];
    return {
      out: images[m],
      c,
      gain: acq.gain[m],
      bias: Float64Array.from(acq.bias[m]),
      sigma: acq.noise * c.wm * acq.gain[m],
      wmRef: c.wm,
      // This patient's enhancing tumour: only its T1ce excess over white matter varies.
      et: m === 't1ce' ? c.wm + (c.et - c.wm) * tumourParams.enhance : c.et,
    };
  });
  // Bias polynomial per modality, regrouped so the inner loop only adds x terms:
  // log bias = x (A + c3 x) + B, with A and B per row (term order: BIAS_TERMS in contrast.ts).
  const rowA = new Float64Array(4);
  const rowB = new Float64Array(4);
  const f: Fractions = { brain: 0, csf: 0, gm: 0, wm: 0, deep: 0, plexus: 0, vessel: 0 };
  const t: TumourSample = { label: 0, ncr: 0, et: 0, ed: 0, bleed: 0, vessel: 0, texture: 0 };
  const q: [number, number, number] = [0, 0, 0];
  const [ta, tb, tc] = tumourParams.centre;
  const reach2 = tumour.reach * tumour.reach;

  // Voxel index range that can hold brain (the rest stays zero, as in skull-stripped BraTS data).
  const range = (lo: number, hi: number, origin: number, sign: number, shiftMm: number, count: number): [number, number] => {
    const g0 = origin + sign * (lo + shiftMm);
    const g1 = origin + sign * (hi + shiftMm);
    const a0 = Math.floor((Math.min(g0, g1) - (s - 1) / 2) / s) - 1;
    const a1 = Math.ceil((Math.max(g0, g1) - (s - 1) / 2) / s) + 1;
    return [Math.max(0, a0), Math.min(count - 1, a1)];
  };
  const [i0, i1] = range(BRAIN_BOX.a[0], BRAIN_BOX.a[1], ORIGIN[0], 1, shift[0], nx);
  const [j0, j1] = range(BRAIN_BOX.b[0], BRAIN_BOX.b[1], ORIGIN[1], -1, shift[1], ny);
  const [k0, k1] = range(BRAIN_BOX.c[0], BRAIN_BOX.c[1], ORIGIN[2], 1, shift[2], nz);

  let nNcr = 0;
  let nEd = 0;
  let nEt = 0;
  for (let k = k0; k <= k1; k++) {
    const c = k * s + (s - 1) / 2 - ORIGIN[2] - shift[2];
    const zn = c / 80;
    for (let j = j0; j <= j1; j++) {
      const b = ORIGIN[1] - (j * s + (s - 1) / 2) - shift[1];
      const yn = b / 100;
      const row = (k * ny + j) * nx;
      for (let m = 0; m < 4; m++) {
        const cf = mods[m].bias;
        rowA[m] = cf[0] + cf[6] * yn + cf[8] * zn + cf[9] * yn * zn;
        rowB[m] = cf[1] * yn + cf[2] * zn + cf[3] * -0.33 + cf[4] * (yn * yn - 0.33) + cf[5] * (zn * zn - 0.33) + cf[7] * yn * zn;
      }
      const tj = (j & (TILE - 1)) * TILE + (k & (TILE - 1)) * TILE * TILE;
      for (let i = i0; i <= i1; i++) {
        const a = i * s + (s - 1) / 2 - ORIGIN[0] - shift[0];
        const da = a - ta;
        const db = b - tb;
        const dc = c - tc;
        const nearTumour = da * da + db * db + dc * dc < reach2;
        if (nearTumour) {
          tumour.displace(a, b, c, q);
          anatomy(q[0], q[1], q[2], f);
        } else anatomy(a, b, c, f);
        if (f.brain < 0.5) continue;
        const idx = row + i;
        let tumourW = 0;
        if (nearTumour) {
          tumour.sample(a, b, c, f, t);
          tumourW = t.ncr + t.et + t.ed + t.bleed + t.vessel;
        } else {
          t.ncr = t.et = t.ed = t.bleed = t.vessel = 0;
          t.texture = 0;
          t.label = 0;
        }
        const keep = 1 - tumourW;
        const csf = f.csf * keep;
        const gm = f.gm * keep;
        const wm = f.wm * keep;
        const deep = f.deep * keep;
        const plexus = f.plexus * keep;
        const vessel = f.vessel * keep + t.vessel;
        const lab = t.label;
        seg[idx] = lab;
        if (lab === 1) nNcr++;
        else if (lab === 2) nEd++;
        else if (lab === 4) nEt++;

        // Answer key: the dominant class when it is pure enough.
        let best: number = TISSUE_CODES.mixed;
        const total = f.brain;
        if (csf >= PURE_SHARE * total) best = TISSUE_CODES.csf;
        else if (gm >= PURE_SHARE * total) best = TISSUE_CODES.gm;
        else if (wm >= PURE_SHARE * total) best = TISSUE_CODES.wm;
        else if (deep >= PURE_SHARE * total) best = TISSUE_CODES.deep;
        else if (t.ed >= PURE_SHARE * total) best = TISSUE_CODES.ed;
        else if (t.ncr >= PURE_SHARE * total) best = TISSUE_CODES.ncr;
        else if (t.et >= PURE_SHARE * total) best = TISSUE_CODES.et;
        else if (vessel >= PURE_SHARE * total) best = TISSUE_CODES.vessel;
        else if (plexus >= PURE_SHARE * total) best = TISSUE_CODES.plexus;
        else if (t.bleed >= PURE_SHARE * total) best = TISSUE_CODES.bleed;
        tissue[idx] = best;

        const xn = a / 75;
        const texA = 0.035 * texture[tj + (i & (TILE - 1))];
        const texT = 0.12 * t.texture;
        for (let m = 0; m < 4; m++) {
          const md = mods[m];
          const C = md.c;
          const anat = csf * C.csf + gm * C.gm + wm * C.wm + deep * C.deep + plexus * C.plexus + vessel * C.vessel;
          const tum = t.ed * C.ed + t.ncr * C.ncr + t.et * md.et + t.bleed * C.bleed;
          let sig = anat * (1 + texA) + tum * (1 + texT);
          if (acq.gamma !== 1) sig = md.wmRef * Math.pow(sig / md.wmRef, acq.gamma);
          const lb = xn * (rowA[m] + md.bias[3] * xn) + rowB[m];
          // exp() by its cubic Taylor polynomial: |lb| < 0.5 here, error below 0.3 %.
          sig *= md.gain * (1 + lb * (1 + lb * (0.5 + lb / 6)));
          // Magnitude images carry Rician noise: |signal + complex Gaussian| (Gudbjartsson & Patz 1995).
          const re = sig + md.sigma * noise.next();
          const im = md.sigma * noise.next();
          const v = Math.sqrt(re * re + im * im);
          md.out[idx] = v > 32767 ? 32767 : Math.round(v);
        }
      }
    }
  }
  const mlPerVoxel = (s * s * s) / 1000;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    spec,
    dims: [nx, ny, nz],
    voxelMm: s,
    affine: bratsAffine(spec.size),
    images,
    seg,
    tissue,
    meta: {
      id: spec.id,
      patientId: spec.patientId,
      scan: spec.scan,
      hasET: nEt > 0,
      hasNCR: nNcr > 0,
      volumesMl: { NCR: round(nNcr * mlPerVoxel), ED: round(nEd * mlPerVoxel), ET: round(nEt * mlPerVoxel) },
      anatomy: anatomyParams,
      tumour: tumourParams,
      acquisition: acq,
      shift,
    },
  };
}
