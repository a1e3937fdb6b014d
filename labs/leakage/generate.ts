/**
 * Synthetic subjects made of slice feature vectors. Each slice is summarised by FEATURES numbers
 * (think of a small radiomics profile: intensity statistics, texture, shape of the brain outline).
 * A value is the sum of
 *   - anatomy shared by every subject that changes smoothly along the slice axis,
 *   - the subject's fingerprint, the same on all its slices (head size, scanner, intensity scale),
 *   - a slow subject-specific drift along the slice axis,
 *   - a grade-like signal, shifting all slices of a high-grade subject along one direction,
 *   - a little noise per slice.
 * So neighbouring slices of one subject are almost identical and any two slices of one subject are
 * closer than slices of different subjects: the property that makes slice-level splits leak
 * (Yagis et al. 2021, Sci Rep 11:22544: a network can "recognise the subject").
 */
import type { Rng } from '../shared/prng';

export const FEATURES = 32;
/** Slice positions in one synthetic volume along the slicing axis. */
export const DEPTH = 64;

const ANATOMY_SD = 1.0;
const FINGERPRINT_SD = 0.7;
const DRIFT_SD = 0.3;
const NOISE_SD = 0.1;
/** Distance between the low- and high-grade group means, along one unit direction. */
const SIGNAL = 2.2;

export type Picking = 'adjacent' | 'spread';

export interface Dataset {
  subjects: number;
  slicesPerSubject: number;
  dim: number;
  /** Row-major, one row of `dim` features per slice; slice i belongs to subject floor(i / slicesPerSubject). */
  x: Float64Array;
  subjectOf: Int32Array;
  /** Position of each slice in its volume (0 … DEPTH-1). */
  position: Int32Array;
  /** The grade-like property per subject (0 low, 1 high), the real signal in the features. */
  grade: Uint8Array;
}

/** Slice positions a subject contributes: a contiguous run (random start) or evenly spread over the volume. */
export function pickPositions(count: number, picking: Picking, rng: Rng): number[] {
  if (picking === 'adjacent') {
    const start = rng.int(0, DEPTH - count);
    return Array.from({ length: count }, (_, i) => start + i);
  }
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * DEPTH) / count));
}

export function generateDataset(subjects: number, slicesPerSubject: number, picking: Picking, rng: Rng): Dataset {
  const dim = FEATURES;
  const n = subjects * slicesPerSubject;
  const x = new Float64Array(n * dim);
  const subjectOf = new Int32Array(n);
  const position = new Int32Array(n);
  const grade = new Uint8Array(subjects);

  // Shared anatomy: two slow waves per feature, the same for everyone.
  const a = rng.fork('anatomy');
  const anatomy = Array.from({ length: dim }, () => ({
    amp1: a.normal(0, ANATOMY_SD),
    ph1: a.uniform(0, 2 * Math.PI),
    amp2: a.normal(0, ANATOMY_SD / 2),
    ph2: a.uniform(0, 2 * Math.PI),
  }));
  const anatomyAt = (d: number, z: number) => {
    const t = (2 * Math.PI * z) / DEPTH;
    const f = anatomy[d];
    return f.amp1 * Math.sin(t + f.ph1) + f.amp2 * Math.sin(2 * t + f.ph2);
  };
  // The grade signal's direction: a random unit vector.
  const dir = Array.from({ length: dim }, () => a.normal());
  const norm = Math.hypot(...dir);
  for (let d = 0; d < dim; d++) dir[d] /= norm;

  for (let s = 0; s < subjects; s++) {
    // One stream per subject: adding subjects leaves the earlier ones unchanged.
    const r = rng.fork(`subject-${s}`);
    grade[s] = r.chance(0.5) ? 1 : 0;
    const shift = (grade[s] - 0.5) * SIGNAL;
    const fingerprint = Array.from({ length: dim }, () => r.normal(0, FINGERPRINT_SD));
    const drift = Array.from({ length: dim }, () => ({ amp: r.normal(0, DRIFT_SD), ph: r.uniform(0, 2 * Math.PI) }));
    const positions = pickPositions(slicesPerSubject, picking, r);
    for (let j = 0; j < slicesPerSubject; j++) {
      const i = s * slicesPerSubject + j;
      const z = positions[j];
      subjectOf[i] = s;
      position[i] = z;
      const t = (2 * Math.PI * z) / DEPTH;
      for (let d = 0; d < dim; d++) {
        x[i * dim + d] =
          anatomyAt(d, z) + fingerprint[d] + drift[d].amp * Math.sin(t + drift[d].ph) + shift * dir[d] + r.normal(0, NOISE_SD);
      }
    }
  }
  return { subjects, slicesPerSubject, dim, x, subjectOf, position, grade };
}
