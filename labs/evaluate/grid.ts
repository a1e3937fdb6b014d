/**
 * Binary masks on a 3D voxel grid (x fastest: index = x + nx·(y + ny·z)) and the two
 * morphological operations the BraTS 2023 lesion-wise metrics need: 26-connected components and
 * dilation with the 18-connected structuring element (scipy's generate_binary_structure(3, 2)).
 */
export type Dims = readonly [number, number, number];

/** Inclusive voxel ranges per axis. */
export interface Box {
  min: [number, number, number];
  max: [number, number, number];
}

/** The bounding box of the voxels where `mask` is non-zero, or null when there are none. */
export function boundingBox(mask: ArrayLike<number>, dims: Dims): Box | null {
  const [nx, ny, nz] = dims;
  const min: [number, number, number] = [nx, ny, nz];
  const max: [number, number, number] = [-1, -1, -1];
  let v = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, v++) {
        if (!mask[v]) continue;
        if (x < min[0]) min[0] = x;
        if (x > max[0]) max[0] = x;
        if (y < min[1]) min[1] = y;
        if (y > max[1]) max[1] = y;
        if (z < min[2]) min[2] = z;
        if (z > max[2]) max[2] = z;
      }
  return max[0] < 0 ? null : { min, max };
}

/** Find with path halving over a parent array. */
function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/**
 * Labels the 26-connected components of `mask` 1..count in raster order of their first voxel
 * (0 = background). Two passes with union-find over the 13 neighbours already visited.
 */
export function components26(mask: Uint8Array, dims: Dims): { labels: Int32Array; count: number } {
  const [nx, ny, nz] = dims;
  const sxy = nx * ny;
  const labels = new Int32Array(mask.length);
  let voxels = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) voxels++;
  // At most one provisional label per voxel; parent[i] links equivalent labels.
  const parent = new Int32Array(voxels + 1);
  let next = 1;
  // The 13 neighbours that come earlier in raster order, as offsets and as (dx, dy, dz).
  const back: [number, number, number][] = [];
  for (let dz = -1; dz <= 0; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (dz < 0 || dy < 0 || (dy === 0 && dx < 0)) back.push([dx, dy, dz]);
  const offsets = back.map(([dx, dy, dz]) => dx + nx * dy + sxy * dz);
  const merge = (label: number, n: number): number => {
    if (!label) return find(parent, n);
    const r = find(parent, n);
    if (r === label) return label;
    if (r < label) {
      parent[label] = r;
      return r;
    }
    parent[r] = label;
    return label;
  };
  let v = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, v++) {
        if (!mask[v]) continue;
        let label = 0;
        if (z > 0 && y > 0 && y < ny - 1 && x > 0 && x < nx - 1) {
          for (let k = 0; k < 13; k++) {
            const n = labels[v + offsets[k]];
            if (n) label = merge(label, n);
          }
        } else {
          for (let k = 0; k < 13; k++) {
            const [dx, dy, dz] = back[k];
            const xx = x + dx;
            const yy = y + dy;
            if (z + dz < 0 || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
            const n = labels[v + offsets[k]];
            if (n) label = merge(label, n);
          }
        }
        if (!label) {
          label = next++;
          parent[label] = label;
        }
        labels[v] = label;
      }
  // Final labels are consecutive, in order of each component's first voxel.
  const final = new Int32Array(next);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    const root = find(parent, l);
    if (!final[root]) final[root] = ++count;
    labels[i] = final[root];
  }
  return { labels, count };
}

/**
 * `iterations` rounds of binary dilation with the 18-connected 3×3×3 structure (the cube minus
 * its 8 corners), nothing outside the grid (scipy's border_value=0). Each round only spreads from
 * the voxels the previous round added, which gives the same set as dilating the whole mask again.
 */
export function dilate18(mask: Uint8Array, dims: Dims, iterations: number): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = mask.slice();
  const offsets: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const n = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (n === 1 || n === 2) offsets.push([dx, dy, dz]);
      }
  const steps = offsets.map(([dx, dy, dz]) => dx + nx * (dy + ny * dz));
  let size = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) size++;
  let frontier = new Int32Array(size);
  size = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v]) frontier[size++] = v;
  let count = size;
  for (let it = 0; it < iterations && count; it++) {
    const added: number[] = [];
    for (let f = 0; f < count; f++) {
      const v = frontier[f];
      const x = v % nx;
      const t = (v - x) / nx;
      const y = t % ny;
      const z = (t - y) / ny;
      const inside = x > 0 && y > 0 && z > 0 && x < nx - 1 && y < ny - 1 && z < nz - 1;
      for (let k = 0; k < 18; k++) {
        if (!inside) {
          const [dx, dy, dz] = offsets[k];
          const xx = x + dx;
          const yy = y + dy;
          const zz = z + dz;
          if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
        }
        const n = v + steps[k];
        if (!out[n]) {
          out[n] = 1;
          added.push(n);
        }
      }
    }
    frontier = Int32Array.from(added);
    count = frontier.length;
  }
  return out;
}
