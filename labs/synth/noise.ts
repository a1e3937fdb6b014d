/**
 * Seeded noise sources for the generator: 3D gradient noise (Perlin's "improved noise",
 * SIGGRAPH 2002) for shapes and textures, and a table-driven Gaussian source for per-voxel
 * acquisition noise. Everything is derived from the project's one PRNG (labs/shared/prng.ts).
 */
import type { Rng } from '../shared/prng';

export type Noise3 = (x: number, y: number, z: number) => number;

const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);

// The 12 edge directions of a cube (Perlin 2002), padded to 16 by repeating four of them, as
// tables so that a gradient is three multiplies instead of a chain of branches.
const GX = Float64Array.from([1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0, 0, 1, 0, -1, 0]);
const GY = Float64Array.from([1, 1, -1, -1, 0, 0, 0, 0, 1, -1, 1, -1, 1, -1, 1, -1]);
const GZ = Float64Array.from([0, 0, 0, 0, 1, 1, -1, -1, 1, 1, -1, -1, 0, 1, 0, -1]);

/** Gradient noise in about [-1, 1], zero at integer lattice points, smooth everywhere. */
export function gradientNoise(rng: Rng): Noise3 {
  const base = rng.shuffle(Array.from({ length: 256 }, (_, i) => i));
  const p = new Uint8Array(512);
  for (let i = 0; i < 512; i++) p[i] = base[i & 255];
  const dot = (h: number, x: number, y: number, z: number) => {
    const g = h & 15;
    return GX[g] * x + GY[g] * y + GZ[g] * z;
  };
  return (x, y, z) => {
    const fx = Math.floor(x);
    const fy = Math.floor(y);
    const fz = Math.floor(z);
    const X = fx & 255;
    const Y = fy & 255;
    const Z = fz & 255;
    x -= fx;
    y -= fy;
    z -= fz;
    const u = fade(x);
    const v = fade(y);
    const w = fade(z);
    const A = p[X] + Y;
    const AA = p[A] + Z;
    const AB = p[A + 1] + Z;
    const B = p[X + 1] + Y;
    const BA = p[B] + Z;
    const BB = p[B + 1] + Z;
    const x1 = x - 1;
    const y1 = y - 1;
    const z1 = z - 1;
    const g000 = dot(p[AA], x, y, z);
    const g100 = dot(p[BA], x1, y, z);
    const g010 = dot(p[AB], x, y1, z);
    const g110 = dot(p[BB], x1, y1, z);
    const g001 = dot(p[AA + 1], x, y, z1);
    const g101 = dot(p[BA + 1], x1, y, z1);
    const g011 = dot(p[AB + 1], x, y1, z1);
    const g111 = dot(p[BB + 1], x1, y1, z1);
    const l00 = g000 + u * (g100 - g000);
    const l10 = g010 + u * (g110 - g010);
    const l01 = g001 + u * (g101 - g001);
    const l11 = g011 + u * (g111 - g011);
    const l0 = l00 + v * (l10 - l00);
    const l1 = l01 + v * (l11 - l01);
    return l0 + w * (l1 - l0);
  };
}

/**
 * Standard normal deviates for acquisition noise. Box-Muller per voxel would cost more than the
 * whole anatomy model, so a table of 2^16 deviates is drawn once and indexed by a xorshift32
 * stream; for noise that only has to look and compress like thermal noise this is plenty.
 */
export interface GaussianSource {
  next(): number;
}

const TABLE_BITS = 16;
let sharedTable: Float32Array | null = null;

function normalTable(): Float32Array {
  if (sharedTable) return sharedTable;
  // A fixed table (its own constant seed) so that every case shares it; cases differ by stream.
  const t = new Float32Array(1 << TABLE_BITS);
  let s = 0x2545f491;
  const u = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  for (let i = 0; i < t.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const a = 2 * Math.PI * u();
    t[i] = r * Math.cos(a);
    t[i + 1] = r * Math.sin(a);
  }
  sharedTable = t;
  return t;
}

export function gaussianSource(rng: Rng): GaussianSource {
  const table = normalTable();
  const mask = table.length - 1;
  let s = (rng.int(1, 0x7fffffff) | 1) >>> 0;
  return {
    next() {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return table[(s >>> 8) & mask];
    },
  };
}
