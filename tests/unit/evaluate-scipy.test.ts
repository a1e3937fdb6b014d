/**
 * HD95 and the lesion steps on anisotropic voxels, checked against scipy (Debian python3-scipy):
 * random blobs on a 1.0 × 0.8 × 2.5 mm grid go to bench/evaluate-baseline.py's `surface_hd95`
 * (DeepMind's procedure with scipy's correlate and distance_transform_edt) and to scipy.ndimage's
 * label and binary_dilation. The reference pairs are isotropic; this covers the spacing weights.
 * Skips on a machine without scipy, fails under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { components26, dilate18, robustHausdorff, type Dims } from '../../labs/evaluate/index';
import { surfelAreas } from '../../labs/evaluate/surfels';
import { createRng } from '../../labs/shared/prng';
import { requirePython } from '../helpers/python';

const python = requirePython('scipy, numpy, nibabel', 'python3-scipy python3-nibabel');

const SCRIPT = String.raw`
import importlib.util, json, sys
import numpy as np
from scipy import ndimage
spec = importlib.util.spec_from_file_location("baseline", "bench/evaluate-baseline.py")
baseline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(baseline)
job = json.load(sys.stdin)
dims = job["dims"]
out = []
for pair in job["pairs"]:
    # Arrays arrive x fastest (Fortran order), as the TypeScript side stores them.
    g = np.array(pair["gt"], bool).reshape(dims, order="F")
    p = np.array(pair["pred"], bool).reshape(dims, order="F")
    hd = baseline.surface_hd95(g, p, tuple(job["spacing"]), np.array(job["areas"]))
    _, n_pred = ndimage.label(p, np.ones((3, 3, 3), bool))
    dil = ndimage.binary_dilation(g, ndimage.generate_binary_structure(3, 2), iterations=3)
    out.append({"hd95": None if np.isinf(hd) else float(hd), "components": int(n_pred), "dilated": int(dil.sum())})
print(json.dumps(out))
`;

function blobs(dims: Dims, seed: number, count: number): Uint8Array {
  const rng = createRng(seed);
  const [nx, ny, nz] = dims;
  const m = new Uint8Array(nx * ny * nz);
  for (let b = 0; b < count; b++) {
    const c = [rng.uniform(4, nx - 4), rng.uniform(4, ny - 4), rng.uniform(2, nz - 2)];
    const r = [rng.uniform(1.5, 5), rng.uniform(1.5, 5), rng.uniform(1, 2.5)];
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) if (((x - c[0]) / r[0]) ** 2 + ((y - c[1]) / r[1]) ** 2 + ((z - c[2]) / r[2]) ** 2 <= 1) m[x + nx * (y + ny * z)] = 1;
  }
  return m;
}

describe.skipIf(!python)('evaluate core against scipy on anisotropic voxels', () => {
  it('HD95, 26-connected components and the 3-round dilation agree', () => {
    const dims: Dims = [40, 36, 16];
    const spacing = [1.0, 0.8, 2.5] as const;
    const pairs = Array.from({ length: 6 }, (_, i) => ({ gt: blobs(dims, 10 + i, 1 + (i % 3)), pred: blobs(dims, 40 + i, 1 + ((i + 1) % 3)) }));
    const job = { dims, spacing, areas: [...surfelAreas(spacing)], pairs: pairs.map((p) => ({ gt: [...p.gt], pred: [...p.pred] })) };
    const r = spawnSync(python!, ['-c', SCRIPT], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.stderr).toBe('');
    const expected = JSON.parse(r.stdout) as { hd95: number | null; components: number; dilated: number }[];
    // Non-trivial cases: finite, positive and different distances.
    expect(new Set(expected.map((e) => e.hd95).filter((h) => h !== null && h > 0)).size).toBeGreaterThanOrEqual(4);
    for (const [i, p] of pairs.entries()) {
      const hd = robustHausdorff(p.gt, p.pred, dims, spacing);
      expect(Math.abs(hd - expected[i].hd95!), `pair ${i}: ${hd} vs ${expected[i].hd95}`).toBeLessThanOrEqual(1e-9);
      expect(components26(p.pred, dims).count).toBe(expected[i].components);
      expect(dilate18(p.gt, dims, 3).reduce((a, b) => a + b, 0)).toBe(expected[i].dilated);
    }
  });
});
