"""Loading and nnU-Net-style preprocessing of `bratslab synth --layout nnunet` datasets.

Arrays use nnU-Net's axis order (z, y, x): nnU-Net's SimpleITK reader returns that order, and it is
also the memory order of a NIfTI file, so the browser pipeline (labs/inference) can hand the
file's voxels to the model without transposing.
"""
import json
import os

import nibabel as nib
import numpy as np

CHANNELS = 4  # T1, T1ce, T2, FLAIR: channel_names of nnunetv2/dataset_conversion/Dataset137_BraTS21.py


def read_volume(path: str):
    img = nib.load(path)
    data = np.asarray(img.dataobj, dtype=np.float32).transpose(2, 1, 0)
    spacing = tuple(float(s) for s in img.header.get_zooms()[:3][::-1])
    return np.ascontiguousarray(data), spacing


def case_ids(dataset_dir: str):
    names = os.listdir(os.path.join(dataset_dir, "imagesTr"))
    return sorted({n[: -len("_0000.nii.gz")] for n in names if n.endswith("_0000.nii.gz")})


def load_case(dataset_dir: str, case: str):
    chans = []
    spacing = None
    for c in range(CHANNELS):
        vol, spacing = read_volume(os.path.join(dataset_dir, "imagesTr", f"{case}_{c:04d}.nii.gz"))
        chans.append(vol)
    seg, _ = read_volume(os.path.join(dataset_dir, "labelsTr", f"{case}.nii.gz"))
    return np.stack(chans), seg.astype(np.uint8), spacing


def nonzero_bbox(data: np.ndarray):
    """Bounding box of voxels that are non-zero in any channel (nnunetv2/preprocessing/cropping/cropping.py)."""
    mask = np.any(data != 0, axis=0)
    if not mask.any():
        return tuple(slice(0, s) for s in mask.shape), mask
    idx = np.nonzero(mask)
    box = tuple(slice(int(i.min()), int(i.max()) + 1) for i in idx)
    return box, mask


def zscore_in_mask(data: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-channel z-score over brain voxels, zero outside: nnU-Net's ZScoreNormalization with
    use_mask_for_norm (nnunetv2/preprocessing/normalization/default_normalization_schemes.py),
    which the planner enables when cropping shrinks the image, as it does for skull-stripped BraTS."""
    out = np.zeros_like(data, dtype=np.float32)
    for c in range(data.shape[0]):
        vals = data[c][mask]
        mean = vals.mean() if vals.size else 0.0
        std = vals.std() if vals.size else 1.0
        out[c][mask] = (data[c][mask] - mean) / max(std, 1e-8)
    return out


def preprocess(data: np.ndarray, seg=None):
    box, mask = nonzero_bbox(data)
    data = data[(slice(None),) + box]
    mask = mask[box]
    data = zscore_in_mask(data, mask)
    if seg is not None:
        seg = seg[box]
    return data, seg, box


def regions_from_labels(seg: np.ndarray) -> np.ndarray:
    """Dataset137 labels (1 ED, 2 NCR, 3 ET) -> region masks WT [1,2,3], TC [2,3], ET [3]."""
    return np.stack([seg > 0, (seg == 2) | (seg == 3), seg == 3]).astype(np.float32)


def labels_from_regions(pred: np.ndarray, values=(1, 2, 3)) -> np.ndarray:
    """Inverse, as nnU-Net does it with regions_class_order [1, 2, 3]: later regions overwrite earlier ones
    (nnunetv2/utilities/label_handling/label_handling.py, convert_probabilities_to_segmentation).
    `values` are the labels painted for WT, TC, ET: (2, 1, 4) gives raw BraTS 2021 labels."""
    seg = np.zeros(pred.shape[1:], dtype=np.uint8)
    for i, value in enumerate(values):
        seg[pred[i]] = value
    return seg


def load_dataset(dataset_dir: str, cases=None, keep_raw: bool = False):
    """Preprocessed cases as dicts {id, data (4,z,y,x), regions (3,z,y,x), seg, spacing, box}; with
    keep_raw also the cropped images before the z-score ("raw")."""
    out = []
    for case in cases if cases is not None else case_ids(dataset_dir):
        raw, seg, spacing = load_case(dataset_dir, case)
        data, seg, box = preprocess(raw, seg)
        entry = {"id": case, "data": data, "seg": seg, "regions": regions_from_labels(seg), "spacing": spacing, "box": box}
        if keep_raw:
            entry["raw"] = raw[(slice(None),) + box]
        out.append(entry)
    return out


def dataset_json(dataset_dir: str):
    with open(os.path.join(dataset_dir, "dataset.json")) as f:
        return json.load(f)
