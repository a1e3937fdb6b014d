// training/randomise.py, the domain randomisation the inference model is trained with, checked on
// the generator's tissue maps (`bratslab synth --tissue`) by measuring the images it paints:
// - the tissue map written to tissueTr/ (read with nibabel) is the generator's own answer key
//   (generateCase().tissue), voxel for voxel in memory order;
// - a painted whole volume is z-scored over the brain (mean 0, sd 1 within tolerance), although the
//   painter normalises with statistics of the class mixture, not of the image;
// - "ordered" draws keep the radiological orderings in the painted pixels (FLAIR: edema above grey
//   matter; T2: CSF above white matter; T1ce minus T1 larger in enhancing tumour than in white
//   matter), while "random" draws break them in a good share of images.
// Needs Debian's python3-nibabel and python3-scipy: skipped without them, a failure under CI=true.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink } from '../../labs/cli/node-files';
import { generateCase } from '../../labs/synth/case';
import { planScans, writeNnunet } from '../../labs/synth/dataset';
import { tinyNnunet } from '../helpers/synth';
import { requirePython } from '../helpers/python';

const PY = requirePython('nibabel, scipy, sklearn', 'python3-nibabel python3-scipy python3-sklearn');
const tmp = mkdtempSync(join(tmpdir(), 'bratslab-randomise-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Small (3 mm) cases: enough voxels per tissue class for class means.
const opts = tinyNnunet([5100, 5101, 5102, 5103], { size: 'small', tissue: true });

const SCRIPT = `
import json, sys
sys.path.insert(0, "training")
import numpy as np
from data import case_ids, load_dataset
from randomise import ET, ED, GM, WM, CSF, load_tissue_case, paint, reference_means
import nibabel as nib
d = sys.argv[1]
maps = {i: np.asarray(nib.load(f"{d}/tissueTr/{i}.nii.gz").dataobj).ravel(order="F").tolist() for i in case_ids(d)}
cases = [load_tissue_case(d, c) for c in load_dataset(d, case_ids(d), keep_raw=True)]
ref = reference_means(cases)
rng = np.random.default_rng(7)
out = {"stats": [], "ordered": [], "random": [], "maps": maps}
for mode in ("ordered", "random"):
    for i in range(24):
        c = cases[i % len(cases)]
        img = paint(c["tissue"], c, mode, ref, rng)
        brain = c["tissue"] > 0
        if mode == "ordered" and i < len(cases):
            out["stats"].append([float(img[ch][brain].mean()) for ch in range(4)] + [float(img[ch][brain].std()) for ch in range(4)])
        m = lambda ch, k: float(img[ch][c["tissue"] == k].mean())
        et = (c["tissue"] == ET).sum() >= 5
        out[mode].append({
            "flair": m(3, ED) > m(3, GM),
            "t2": m(2, CSF) > m(2, WM),
            "enh": (m(1, ET) - m(0, ET) > m(1, WM) - m(0, WM)) if et else None,
        })
print(json.dumps(out))
`;

describe('domain randomisation (training/randomise.py)', () => {
  it.skipIf(!PY)('paints z-scored volumes from the generator tissue maps, ordered mode keeping the orderings', async () => {
    const [ds] = await writeNnunet(nodeSink(tmp), opts, nodeCodec, opts.seeds[0]);
    const out = JSON.parse(execFileSync(PY!, ['-c', SCRIPT, join(tmp, ds.folder)], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 }));
    for (const spec of planScans(opts)) expect(out.maps[spec.id], spec.id).toEqual(Array.from(generateCase(spec).tissue));
    for (const row of out.stats as number[][]) {
      for (let ch = 0; ch < 4; ch++) {
        expect(Math.abs(row[ch]), `channel ${ch} brain mean`).toBeLessThan(0.15);
        expect(Math.abs(row[4 + ch] - 1), `channel ${ch} brain sd`).toBeLessThan(0.2);
      }
    }
    const share = (rows: Record<string, boolean | null>[], key: string) => {
      const v = rows.map((r) => r[key]).filter((x) => x !== null);
      return v.filter(Boolean).length / v.length;
    };
    for (const key of ['flair', 't2', 'enh']) {
      expect(share(out.ordered, key), `ordered: ${key}`).toBe(1);
      expect(share(out.random, key), `random: ${key}`).toBeLessThan(0.9);
    }
  }, 150_000);
});
