/**
 * Surface distances the way DeepMind's surface-distance library computes them (the BraTS 2023
 * metrics use it for HD95): surfaces live on the corners between voxels; a corner is on the
 * surface when its 2×2×2 neighbourhood is neither empty nor full; each such corner carries the
 * area of its marching-cubes piece (surfels.ts); distances are exact Euclidean distances in mm
 * between surface corners; the robust Hausdorff distance at p % is, in each direction, the
 * distance where the area-weighted cumulative share first reaches p, and the larger of the two.
 */
import { boundingBox, type Dims } from './grid';
import { surfelAreas } from './surfels';

export type Spacing = readonly [number, number, number];

const FAR = 1e300;

/**
 * Squared distance transform along one line (Felzenszwalb & Huttenlocher 2012, lower envelope of
 * parabolas), for samples `w` mm apart. `f` holds squared distances so far (FAR = no feature).
 */
function line(f: Float64Array, n: number, w2: number, out: Float64Array, v: Int32Array, zz: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] >= FAR) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      zz[0] = -Infinity;
      zz[1] = Infinity;
      continue;
    }
    let s: number;
    for (;;) {
      const p = v[k];
      s = (f[q] + w2 * q * q - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
      // zz[0] is -Infinity, so k never drops below 0.
      if (s <= zz[k]) k--;
      else break;
    }
    k++;
    v[k] = q;
    zz[k] = s;
    zz[k + 1] = Infinity;
  }
  if (k < 0) {
    out.fill(FAR, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (zz[j + 1] < q) j++;
    const d = q - v[j];
    out[q] = w2 * d * d + f[v[j]];
  }
}

/**
 * Exact squared Euclidean distance (mm²) to the nearest `feature` point, valid wherever `query`
 * is set (elsewhere it may be left at FAR): lines with no feature, and in the last pass lines with
 * no query point, are skipped, which matters when a far-away blob makes the box mostly empty.
 */
function squaredDistance(feature: Uint8Array, query: Uint8Array, dims: Dims, spacing: Spacing): Float64Array {
  const [nx, ny, nz] = dims;
  const d = new Float64Array(feature.length).fill(FAR);
  const n = Math.max(nx, ny, nz);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const zz = new Float64Array(n + 1);
  const pass = (start: number, stride: number, len: number, w2: number) => {
    let any = false;
    for (let q = 0; q < len; q++) {
      const x = d[start + q * stride];
      f[q] = x;
      if (x < FAR) any = true;
    }
    if (!any) return;
    line(f, len, w2, out, v, zz);
    for (let q = 0; q < len; q++) d[start + q * stride] = out[q];
  };
  const [sx, sy, sz] = spacing;
  for (let i = 0; i < feature.length; i++) if (feature[i]) d[i] = 0;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) pass(nx * (y + ny * z), 1, nx, sx * sx);
  for (let z = 0; z < nz; z++) for (let x = 0; x < nx; x++) pass(x + nx * ny * z, nx, ny, sy * sy);
  const column = new Uint8Array(nx * ny);
  for (let i = 0; i < query.length; i++) if (query[i]) column[i % (nx * ny)] = 1;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (column[x + nx * y]) pass(x + nx * y, nx * ny, nz, sz * sz);
  return d;
}

/** The 2×2×2 neighbourhood code of every corner of the box's voxels (corner grid one larger per axis). */
function cornerCodes(mask: Uint8Array, dims: Dims, min: readonly number[], cdims: Dims): Uint8Array {
  const [nx, ny] = dims;
  const [cx, cy, cz] = cdims;
  const codes = new Uint8Array(cx * cy * cz);
  // Each set voxel adds its bit to the 8 corners around it: voxel (x, y, z) is the upper
  // neighbour (offset 1) of corner x and the lower (offset 0) of corner x + 1 along each axis.
  for (let z = 0; z < cz - 1; z++)
    for (let y = 0; y < cy - 1; y++) {
      const row = min[0] + nx * (min[1] + y + ny * (min[2] + z));
      for (let x = 0; x < cx - 1; x++) {
        if (!mask[row + x]) continue;
        for (let a = 0; a < 2; a++)
          for (let b = 0; b < 2; b++)
            for (let c = 0; c < 2; c++) {
              const corner = x + 1 - a + cx * (y + 1 - b + cy * (z + 1 - c));
              codes[corner] |= 1 << (7 - (4 * a + 2 * b + c));
            }
      }
    }
  return codes;
}

/**
 * The p-th area-weighted percentile of one direction's distances: the library sorts surfels by
 * distance and takes the first whose cumulative area share reaches p (np.searchsorted). Equal
 * distances are pooled first, which picks the same distance without sorting every surfel.
 */
function weightedPercentile(dist: Float64Array, area: Float64Array, percent: number): number {
  const n = dist.length;
  if (n === 0) return Infinity;
  const pooled = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    pooled.set(dist[i], (pooled.get(dist[i]) ?? 0) + area[i]);
    total += area[i];
  }
  const keys = Float64Array.from(pooled.keys()).sort();
  const p = percent / 100;
  let cum = 0;
  for (const k of keys) {
    cum += pooled.get(k)!;
    if (cum / total >= p) return k;
  }
  return keys[keys.length - 1];
}

/**
 * The robust Hausdorff distance (mm) at `percent` between two masks on the same grid: Infinity
 * when one of them is empty (and when both are, as the library does; callers decide what an empty
 * pair scores).
 */
export function robustHausdorff(gt: Uint8Array, pred: Uint8Array, dims: Dims, spacing: Spacing, percent = 95): number {
  const union = new Uint8Array(gt.length);
  for (let i = 0; i < gt.length; i++) union[i] = gt[i] | pred[i];
  const box = boundingBox(union, dims);
  if (!box) return Infinity;
  const cdims: Dims = [box.max[0] - box.min[0] + 2, box.max[1] - box.min[1] + 2, box.max[2] - box.min[2] + 2];
  const codesG = cornerCodes(gt, dims, box.min, cdims);
  const codesP = cornerCodes(pred, dims, box.min, cdims);
  const borderG = new Uint8Array(codesG.length);
  const borderP = new Uint8Array(codesP.length);
  let nG = 0;
  let nP = 0;
  for (let i = 0; i < codesG.length; i++) {
    if (codesG[i] !== 0 && codesG[i] !== 255) (borderG[i] = 1), nG++;
    if (codesP[i] !== 0 && codesP[i] !== 255) (borderP[i] = 1), nP++;
  }
  const areas = surfelAreas(spacing);
  const direction = (from: Uint8Array, fromCodes: Uint8Array, count: number, toHas: number, to: Uint8Array): number => {
    if (count === 0) return Infinity;
    const dist = new Float64Array(count);
    const area = new Float64Array(count);
    const d2 = toHas ? squaredDistance(to, from, cdims, spacing) : null;
    let k = 0;
    for (let i = 0; i < from.length; i++) {
      if (!from[i]) continue;
      dist[k] = d2 ? Math.sqrt(d2[i]) : Infinity;
      area[k++] = areas[fromCodes[i]];
    }
    return weightedPercentile(dist, area, percent);
  };
  return Math.max(direction(borderG, codesG, nG, nP, borderP), direction(borderP, codesP, nP, nG, borderG));
}
