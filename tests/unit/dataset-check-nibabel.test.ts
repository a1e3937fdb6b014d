/**
 * The validator on datasets written by nibabel (an outside NIfTI writer): the hand-listed problems
 * of tests/fixtures/dataset-check/make_dataset.py, and the two real glioma cases of
 * ../shared/eval/real laid out as an nnU-Net dataset (skipped when that folder is absent).
 * Needs Debian's python3-nibabel: skipped without it locally, a failure when CI=true.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { requirePython } from '../helpers/python';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSource } from '../../labs/cli/node-files';
import { checkDataset } from '../../labs/dataset-check/index';

const PY = requirePython('nibabel', 'python3-nibabel');

const REAL = join(__dirname, '../../../shared/eval/real');
const tmp = mkdtempSync(join(tmpdir(), 'dc-nib-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!PY)('dataset check on nibabel-written datasets', () => {
  execFileSync(PY!, [join(__dirname, '../fixtures/dataset-check/make_dataset.py'), tmp]);

  it('reports nothing on the clean dataset', async () => {
    const r = await checkDataset(nodeSource(join(tmp, 'Dataset501_Clean')), { codec: nodeCodec });
    // Channels named like BraTS on a 24×24×16 grid: only the information that this is not the BraTS grid.
    expect(r.findings.map((f) => f.rule)).toEqual(['dataset.brats-geometry']);
    expect(r.details?.casesChecked).toBe(6);
  });

  it('reports each hand-listed problem with its rule and file', async () => {
    const expected = JSON.parse(readFileSync(join(tmp, 'Dataset502_Broken.expected.json'), 'utf8')).findings as { rule: string; path: string }[];
    const r = await checkDataset(nodeSource(join(tmp, 'Dataset502_Broken')), { codec: nodeCodec });
    for (const e of expected) expect(r.findings.some((f) => f.rule === e.rule && f.path === e.path), `${e.rule} ${e.path}`).toBe(true);
    // The renamed label leaves its case without a label: nnU-Net's own complaint, reported too.
    expect(r.findings.some((f) => f.rule === 'dataset.image-without-label' && f.case === 'case_010')).toBe(true);
  });

  it('reads headers only in --headers mode: shape and spacing still found, voxel problems not', async () => {
    const r = await checkDataset(nodeSource(join(tmp, 'Dataset502_Broken')), { codec: nodeCodec, mode: 'headers' });
    const rules = new Set(r.findings.map((f) => f.rule));
    expect(rules.has('dataset.shape-mismatch')).toBe(true);
    expect(rules.has('dataset.spacing-mismatch')).toBe(true);
    expect(rules.has('dataset.label-float-dtype')).toBe(true);
    expect(rules.has('dataset.image-nan')).toBe(false);
    expect(rules.has('dataset.label-unconverted-brats')).toBe(false);
  });
});

describe.skipIf(!PY || !existsSync(REAL))('dataset check on the real glioma cases', () => {
  /**
   * Lays the two cases out as Dataset137 does (t1, t1c, t2, flair → 0000..0003). Their tumour maps
   * use raw BraTS values (README: 1 necrosis, 2 edema, 4 enhancing); nibabel found {0,1,2,4} in
   * one case and {0,1,2} in the other. `remap` applies Dataset137's 2→1, 1→2, 4→3 with numpy.
   */
  const layout = (name: string, remap: boolean) => {
    const d = join(tmp, name);
    mkdirSync(join(d, 'imagesTr'), { recursive: true });
    mkdirSync(join(d, 'labelsTr'), { recursive: true });
    const script = `
import json, os, sys, shutil
import numpy as np, nibabel as nib
real, d, remap = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
ids = sorted(os.listdir(real))
ids = [i for i in ids if os.path.isdir(os.path.join(real, i))]
for cid in ids:
    for ch, m in enumerate(['t1', 't1c', 't2', 'fla']):
        shutil.copy(os.path.join(real, cid, f'{cid}_{m}_bet.nii.gz'), os.path.join(d, 'imagesTr', f'{cid}_{ch:04d}.nii.gz'))
    seg = nib.load(os.path.join(real, cid, f'{cid}_fusion_simple.nii.gz'))
    a = np.asarray(seg.dataobj)
    if remap:
        out = np.zeros_like(a); out[a == 2] = 1; out[a == 1] = 2; out[a == 4] = 3
    else:
        out = a
    nib.save(nib.Nifti1Image(out, seg.affine, seg.header), os.path.join(d, 'labelsTr', f'{cid}.nii.gz'))
labels = {"background": 0, "whole tumor": [1, 2, 3], "tumor core": [2, 3], "enhancing tumor": [3]}
json.dump({"channel_names": {"0": "T1", "1": "T1ce", "2": "T2", "3": "Flair"}, "labels": labels, "numTraining": len(ids),
           "file_ending": ".nii.gz", "regions_class_order": [1, 2, 3]}, open(os.path.join(d, 'dataset.json'), 'w'), indent=1)
print(json.dumps({cid: sorted(np.unique(np.asarray(nib.load(os.path.join(real, cid, f'{cid}_fusion_simple.nii.gz')).dataobj)).tolist()) for cid in ids}))
`;
    const raw = JSON.parse(execFileSync(PY!, ['-c', script, REAL, d, remap ? '1' : '0'], { encoding: 'utf8' })) as Record<string, number[]>;
    return { dir: d, raw };
  };

  it('finds no error once the labels are converted as Dataset137 does', async () => {
    const { dir } = layout('Dataset137_RealGlioma', true);
    const r = await checkDataset(nodeSource(dir), { codec: nodeCodec });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.details?.casesChecked).toBe(2);
  });

  it('names the unconverted label 4 where nibabel saw it, and only there', async () => {
    const { dir, raw } = layout('Dataset138_RealGliomaRaw', false);
    const r = await checkDataset(nodeSource(dir), { codec: nodeCodec });
    const flagged = r.findings.filter((f) => f.rule === 'dataset.label-unconverted-brats').map((f) => f.case).sort();
    expect(flagged).toEqual(Object.keys(raw).filter((id) => raw[id].includes(4)).sort());
  });
});
