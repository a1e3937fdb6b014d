#!/usr/bin/env python3
"""Writes the site's real sample case, public/data/samples/TCGA-DU-7294/, from ../shared/eval/real.

Input: BraTS Toolkit's outputs for TCGA-DU-7294 (TCIA TCGA-LGG; skull-stripped, SRI24,
240 x 240 x 155 at 1 mm, LPS): <id>_{t1,t1c,t2,fla}_bet.nii.gz and <id>_fusion_simple.nii.gz
(consensus of five BraTS algorithms, raw BraTS labels 1, 2, 4).

Output, in the format of the synthetic web samples (bratslab synth --size web): 120 x 120 x 78
at 2 mm, LPS, int16 images and a uint8 label, BraTS 2021 names
<id>_{t1,t1ce,t2,flair,seg}.nii.gz. Images are the mean of each 2 x 2 x 2 block (a block with
fewer than four brain voxels stays 0, so the background stays exactly zero); the label is the
block's most frequent value (ties go to the tumour label). The 155th slice has no partner and is
dropped, and one empty slice is added on top to reach 78 slices. The affine is the 1 mm one
composed with the block grid, so both describe the same place in space.

Also updates the case's entry in public/data/samples/index.json (first in the list) and writes the
folder's SOURCE.json with the attribution. Run: /usr/bin/python3 scripts/real-sample.py,
then npm run data:manifest.
"""
import json
import os
import sys

import nibabel as nib
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASE = 'TCGA-DU-7294'
SRC = os.path.join(ROOT, '..', 'shared', 'eval', 'real', CASE)
SAMPLES = os.path.join(ROOT, 'public', 'data', 'samples')
OUT = os.path.join(SAMPLES, CASE)
INPUTS = {'t1': 't1_bet', 't1ce': 't1c_bet', 't2': 't2_bet', 'flair': 'fla_bet', 'seg': 'fusion_simple'}
SHAPE = (120, 120, 78)

ATTRIBUTION = (
    'Image data: TCGA-DU-7294 from The Cancer Imaging Archive (TCIA), TCGA-LGG collection, '
    'CC BY 3.0 and the TCIA data usage policy. Co-registered to SRI24, skull-stripped and segmented '
    'with BraTS Toolkit (BrainLesion/tutorials). The tumour labels are a consensus of five BraTS '
    'algorithms, not expert ground truth. Averaged to 2 mm by BraTS Lab (scripts/real-sample.py).'
)


def blocks(a):
    """(120, 120, 77, 8): the eight 1 mm voxels of each 2 mm block."""
    a = a[:240, :240, :154]
    return a.reshape(120, 2, 120, 2, 77, 2).transpose(0, 2, 4, 1, 3, 5).reshape(120, 120, 77, 8)


def pad(a):
    out = np.zeros(SHAPE, dtype=a.dtype)
    out[:, :, :77] = a
    return out


def main():
    if not os.path.isdir(SRC):
        sys.exit(f'{SRC} not found: this script needs the real cases in ../shared/eval/real')
    os.makedirs(OUT, exist_ok=True)
    ref = nib.load(os.path.join(SRC, f'{CASE}_t1_bet.nii.gz'))
    assert ref.shape == (240, 240, 155) and nib.aff2axcodes(ref.affine) == ('L', 'P', 'S'), (ref.shape, ref.affine)
    # Voxel (i, j, k) of the 2 mm grid is the block whose 1 mm voxels are 2i, 2i + 1: its centre is at 2i + 0.5.
    to_fine = np.diag([2.0, 2.0, 2.0, 1.0])
    to_fine[:3, 3] = 0.5
    affine = ref.affine @ to_fine
    files = {}
    for role, name in INPUTS.items():
        img = nib.load(os.path.join(SRC, f'{CASE}_{name}.nii.gz'))
        b = blocks(np.asanyarray(img.dataobj))
        if role == 'seg':
            values = np.array([0, 1, 2, 4])
            counts = np.stack([(b == v).sum(-1) for v in values], -1)
            # argmax over reversed values: ties go to the higher (tumour) label.
            data = pad(values[::-1][np.argmax(counts[..., ::-1], -1)].astype(np.uint8))
        else:
            bf = b.astype(np.float64)
            mean = np.where((b != 0).sum(-1) >= 4, bf.mean(-1), 0.0)
            data = pad(np.clip(np.round(mean), -32768, 32767).astype(np.int16))
        out = nib.Nifti1Image(data, affine)
        out.header.set_xyzt_units('mm', 'sec')
        out.set_qform(affine, code=1)
        out.set_sform(affine, code=1)
        fname = f'{CASE}_{role}.nii.gz'
        nib.save(out, os.path.join(OUT, fname))
        files[role] = f'{CASE}/{fname}'
        if role == 'seg':
            ml = {k: round(float((data == v).sum()) * 8 / 1000, 2) for k, v in (('NCR', 1), ('ED', 2), ('ET', 4))}
    with open(os.path.join(OUT, 'SOURCE.json'), 'w') as f:
        json.dump(
            {
                'source': 'TCGA-DU-7294, The Cancer Imaging Archive (TCIA), TCGA-LGG collection; preprocessed and segmented (consensus of five BraTS algorithms, not expert ground truth) with BraTS Toolkit; averaged to 2 mm by scripts/real-sample.py',
                'licence': 'CC BY 3.0 and the TCIA data usage policy',
                'reproduce': '/usr/bin/python3 scripts/real-sample.py',
            },
            f,
            indent=2,
        )
        f.write('\n')
    entry = {
        'id': CASE,
        'title': f'{CASE}: real lower-grade glioma (TCIA)',
        'description': 'A real scan: a lower-grade glioma from the TCGA-LGG collection, with no enhancing tumour. Labels are a consensus of five BraTS algorithms, not expert ground truth.',
        'hasET': ml['ET'] > 0,
        'hasNCR': ml['NCR'] > 0,
        'shape': list(SHAPE),
        'spacing': [2, 2, 2],
        'files': files,
        'volumesMl': ml,
        'attribution': ATTRIBUTION,
    }
    index_path = os.path.join(SAMPLES, 'index.json')
    with open(index_path) as f:
        index = json.load(f)
    index['cases'] = [entry] + [c for c in index['cases'] if c['id'] != CASE]
    with open(index_path, 'w') as f:
        json.dump(index, f, indent=2)
        f.write('\n')
    print(f'{OUT}: {", ".join(sorted(os.listdir(OUT)))}; label volumes (ml) {ml}')


if __name__ == '__main__':
    main()
