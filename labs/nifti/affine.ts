/**
 * Affine helpers: the NIfTI quaternion (qform) in both directions, nibabel's fallback affine,
 * and orientation codes computed the way nibabel's `io_orientation` + `ornt2axcodes` do.
 */
import type { Mat4 } from './types';

export function identity4(): Mat4 {
  return [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
}

/**
 * qform from the quaternion (nifti1.h "METHOD 2"): rotation from (b, c, d) with a = sqrt(1 - b² - c² - d²),
 * voxel sizes `zooms` (already made positive), the third flipped when qfac is -1. Like nibabel,
 * a slightly negative 1 - b² - c² - d² (down to -3 float32 eps) counts as zero and the quaternion is
 * normalised (nibabel's `quat2mat`).
 */
export function quaternToAffine(
  b: number,
  c: number,
  d: number,
  qfac: 1 | -1,
  zooms: readonly [number, number, number],
  offset: readonly [number, number, number],
): Mat4 {
  let w2 = 1 - (b * b + c * c + d * d);
  if (w2 < 0) {
    if (w2 < -3 * 1.1920928955078125e-7) throw new RangeError('quaternion (b, c, d) longer than 1');
    w2 = 0;
  }
  const a = Math.sqrt(w2);
  const n = a * a + b * b + c * c + d * d;
  const s = n < Number.EPSILON ? 0 : 2 / n;
  const [X, Y, Z] = [b * s, c * s, d * s];
  const R =
    s === 0
      ? [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]
      : [
          [1 - (c * Y + d * Z), b * Y - a * Z, b * Z + a * Y],
          [b * Y + a * Z, 1 - (b * X + d * Z), c * Z - a * X],
          [b * Z - a * Y, c * Z + a * X, 1 - (b * X + c * Y)],
        ];
  const zoom = [zooms[0], zooms[1], zooms[2] * qfac];
  const out = identity4();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i][j] = R[i][j] * zoom[j];
    out[i][3] = offset[i];
  }
  return out;
}

/**
 * The affine nibabel falls back to when neither sform nor qform is set (`shape_zoom_affine` with
 * x flipped): voxel sizes on the diagonal, x negated, the volume's centre at the origin.
 */
export function pixdimAffine(dims: readonly number[], zooms: readonly number[]): Mat4 {
  const out = identity4();
  for (let i = 0; i < 3; i++) {
    const n = dims[i] ?? 1;
    const z = (zooms[i] ?? 1) * (i === 0 ? -1 : 1);
    out[i][i] = z;
    out[i][3] = (-(n - 1) / 2) * z;
  }
  return out;
}

/** Singular value decomposition of a 3×3 matrix by one-sided Jacobi rotations: A = U diag(s) Vᵀ. */
function svd3(A: readonly number[][]): { U: number[][]; s: number[]; V: number[][] } {
  const W = A.map((r) => [...r]);
  const V = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < 2; p++) {
      for (let q = p + 1; q < 3; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < 3; i++) {
          alpha += W[i][p] * W[i][p];
          beta += W[i][q] * W[i][q];
          gamma += W[i][p] * W[i][q];
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < 3; i++) {
          const wp = W[i][p];
          const wq = W[i][q];
          W[i][p] = c * wp - s * wq;
          W[i][q] = s * wp + c * wq;
          const vp = V[i][p];
          const vq = V[i][q];
          V[i][p] = c * vp - s * vq;
          V[i][q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const s = [0, 1, 2].map((j) => Math.hypot(W[0][j], W[1][j], W[2][j]));
  const U = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (s[j] > 0 ? W[i][j] / s[j] : 0)));
  return { U, s, V };
}

/**
 * For each voxel axis, the world axis it runs along and its sign: nibabel's `io_orientation`
 * (polar decomposition of the column-normalised rotation/zoom part, then a greedy choice of
 * the largest remaining component per column). `null` for an axis with no direction.
 */
export function ioOrientation(affine: Mat4): ([number, 1 | -1] | null)[] {
  const RS = [0, 1, 2].map(() => [0, 0, 0]);
  for (let j = 0; j < 3; j++) {
    let z = Math.hypot(affine[0][j], affine[1][j], affine[2][j]);
    if (z === 0) z = 1;
    for (let i = 0; i < 3; i++) RS[i][j] = affine[i][j] / z;
  }
  const { U, s, V } = svd3(RS);
  const tol = Math.max(...s) * 3 * Number.EPSILON;
  const R = [0, 1, 2].map(() => [0, 0, 0]);
  for (let k = 0; k < 3; k++) {
    if (!(s[k] > tol)) continue;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) R[i][j] += U[i][k] * V[j][k];
  }
  const out: ([number, 1 | -1] | null)[] = [];
  for (let j = 0; j < 3; j++) {
    // numpy's allclose(col, 0) with its default atol of 1e-8.
    if (R.every((row) => Math.abs(row[j]) <= 1e-8)) {
      out.push(null);
      continue;
    }
    let best = 0;
    for (let i = 1; i < 3; i++) if (Math.abs(R[i][j]) > Math.abs(R[best][j])) best = i;
    out.push([best, R[best][j] < 0 ? -1 : 1]);
    R[best] = [0, 0, 0];
  }
  return out;
}

const AXIS_LABELS: [string, string][] = [
  ['L', 'R'],
  ['P', 'A'],
  ['I', 'S'],
];

/** nibabel's `aff2axcodes`: the world direction each voxel axis points to, e.g. ['L', 'P', 'S'] for BraTS. */
export function axcodes(affine: Mat4): (string | null)[] {
  return ioOrientation(affine).map((o) => (o ? AXIS_LABELS[o[0]][o[1] < 0 ? 0 : 1] : null));
}

/**
 * The qform parameters for an affine (nifti1_io's `nifti_mat44_to_quatern`): column lengths
 * become pixdim[1..3], the nearest rotation comes from the polar decomposition, a reflection is
 * carried by qfac = -1 on the third axis.
 */
export function affineToQuatern(affine: Mat4): {
  b: number;
  c: number;
  d: number;
  qfac: 1 | -1;
  zooms: [number, number, number];
  offset: [number, number, number];
} {
  const M = [0, 1, 2].map((i) => [affine[i][0], affine[i][1], affine[i][2]]);
  const zooms = [0, 1, 2].map((j) => Math.hypot(M[0][j], M[1][j], M[2][j])) as [number, number, number];
  for (let j = 0; j < 3; j++) {
    if (zooms[j] === 0) {
      zooms[j] = 1;
      for (let i = 0; i < 3; i++) M[i][j] = i === j ? 1 : 0;
    } else for (let i = 0; i < 3; i++) M[i][j] /= zooms[j];
  }
  const { U, V } = svd3(M);
  const R = [0, 1, 2].map((i) => [0, 1, 2].map((j) => U[i][0] * V[j][0] + U[i][1] * V[j][1] + U[i][2] * V[j][2]));
  const det =
    R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1]) -
    R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0]) +
    R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]);
  let qfac: 1 | -1 = 1;
  if (det < 0) {
    qfac = -1;
    for (let i = 0; i < 3; i++) R[i][2] = -R[i][2];
  }
  const [r11, r12, r13] = R[0];
  const [r21, r22, r23] = R[1];
  const [r31, r32, r33] = R[2];
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac, zooms, offset: [affine[0][3], affine[1][3], affine[2][3]] };
}
