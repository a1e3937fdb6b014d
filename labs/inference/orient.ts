/**
 * Reorientation by axis permutations and flips only (no resampling), so a case stored in another
 * voxel orientation reaches the model in the orientation it was trained on and its prediction goes
 * back to the file's own grid. nnU-Net itself reads voxels as stored (SimpleITKIO, NibabelIO) unless
 * a reader that reorients is chosen (NibabelIOWithReorient, to RAS; shared/reference/nnunet-facts.md
 * §2); the model card names the orientation of its training data, BraTS's L P S.
 *
 * Orientation codes are nibabel's `aff2axcodes` letters per NIfTI voxel axis (x, y, z), e.g. "LPS":
 * the direction each axis points to. Volumes are flat, x fastest, shape in (z, y, x) as in volume.ts.
 */
import { voxels, type Vec3 } from './volume';

const PAIRS = ['LR', 'PA', 'IS'];

/** For each target axis (x, y, z): the source axis it reads and whether it runs backwards. */
export interface AxisMap {
  from: [number, number, number];
  flip: [boolean, boolean, boolean];
}

function worldAxis(code: string): { axis: number; positive: boolean } | null {
  const axis = PAIRS.findIndex((p) => p.includes(code));
  return axis < 0 ? null : { axis, positive: PAIRS[axis][1] === code };
}

/** Checks a code string: three letters, one from each of L/R, P/A, I/S. */
export function parseCodes(codes: string): string {
  const up = codes.toUpperCase();
  const axes = [...up].map(worldAxis);
  if (up.length !== 3 || axes.some((a) => !a) || new Set(axes.map((a) => a!.axis)).size !== 3) {
    throw new Error(`orientation "${codes}" is not three axis codes, one of each of L/R, P/A and I/S`);
  }
  return up;
}

/** The permutation and flips that turn voxels in orientation `src` into orientation `dst`. */
export function axisMap(src: string, dst: string): AxisMap {
  const s = [...parseCodes(src)].map((c) => worldAxis(c)!);
  const d = [...parseCodes(dst)].map((c) => worldAxis(c)!);
  const from = d.map((t) => s.findIndex((a) => a.axis === t.axis)) as AxisMap['from'];
  const flip = d.map((t, i) => s[from[i]].positive !== t.positive) as AxisMap['flip'];
  return { from, flip };
}

export function isIdentity(m: AxisMap): boolean {
  return m.from.every((a, i) => a === i) && m.flip.every((f) => !f);
}

/** A shape or spacing (z, y, x) after the map. */
export function permuted(zyx: Vec3, m: AxisMap): Vec3 {
  const xyz = [zyx[2], zyx[1], zyx[0]];
  const out = m.from.map((a) => xyz[a]);
  return [out[2], out[1], out[0]];
}

/** Reorders one volume; works for any typed array. */
export function applyAxisMap<T extends Float32Array | Uint8Array>(data: T, shape: Vec3, m: AxisMap): T {
  if (data.length !== voxels(shape)) throw new Error(`reorient: ${data.length} voxels do not match shape ${shape.join('×')}`);
  const xyz = [shape[2], shape[1], shape[0]];
  const stride = [1, xyz[0], xyz[0] * xyz[1]];
  const n = m.from.map((a) => xyz[a]);
  const step = m.from.map((a, t) => (m.flip[t] ? -stride[a] : stride[a]));
  const start = m.from.reduce((s, a, t) => s + (m.flip[t] ? (xyz[a] - 1) * stride[a] : 0), 0);
  const out = new (data.constructor as { new (n: number): T })(data.length);
  let k = 0;
  for (let z = 0, pz = start; z < n[2]; z++, pz += step[2])
    for (let y = 0, py = pz; y < n[1]; y++, py += step[1])
      for (let x = 0, px = py; x < n[0]; x++, px += step[0]) out[k++] = data[px];
  return out;
}

/** The map back: applying `m` and then `inverse(m)` gives the original volume. */
export function inverse(m: AxisMap): AxisMap {
  const from = [0, 0, 0] as AxisMap['from'];
  const flip = [false, false, false] as AxisMap['flip'];
  m.from.forEach((a, t) => {
    from[a] = t;
    flip[a] = m.flip[t];
  });
  return { from, flip };
}

/**
 * An affine whose voxel axes run along the world axes in the directions `codes` names (origin at
 * 0), so a volume written with it lies in a viewer as the source file did, e.g. "LPS" with spacing
 * (1, 1, 2): x towards the patient's left, y posterior, z superior. Spacing in (z, y, x).
 */
export function affineFor(codes: string, spacing: Vec3): number[][] {
  const xyz = [spacing[2], spacing[1], spacing[0]];
  const m = [0, 1, 2].map(() => [0, 0, 0, 0]);
  [...parseCodes(codes)].forEach((c, j) => {
    const { axis, positive } = worldAxis(c)!;
    m[axis][j] = positive ? xyz[j] : -xyz[j];
  });
  return [...m, [0, 0, 0, 1]];
}
