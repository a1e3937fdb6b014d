#!/usr/bin/env python3
"""Check the label files of an nnU-Net v2 raw dataset before you preprocess it.

Usage:
    python3 check_labels.py NNUNET_RAW/DatasetXXX_Name

For every training case it checks that labelsTr/{case}.nii.gz exists, holds only whole numbers
that dataset.json declares, and has the shape and affine of the case's first image channel. It
prints one line per case, voxel counts per label value, and exits with status 1 when any error
was found. It also names the raw BraTS 2021 mistake (label 4 left in place) explicitly.
Needs: Python 3.8+, numpy, nibabel. Reads NIfTI datasets (file_ending .nii.gz or .nii).
"""
import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np


def declared_values(labels):
    """All integer values dataset.json uses, whether a label is a single value or a region list."""
    values = set()
    for value in labels.values():
        values.update(value if isinstance(value, list) else [value])
    return values


def raw_brats_hint(labels):
    """How to convert raw BraTS 2021 labels (1 NCR, 2 ED, 4 ET) into the scheme dataset.json declares.

    The tumour-core region tells the schemes apart: [2, 3] is nnU-Net's Dataset137 numbering, [1, 3]
    the "keep" numbering (lesson 4). Remapping only 4 -> 3 under Dataset137 regions would silently
    train edema as tumour core, so the hint never suggests that there.
    """
    regions = [sorted(v) for v in labels.values() if isinstance(v, list)]
    if [2, 3] in regions:
        return "dataset.json declares the Dataset137 scheme (tumour core [2, 3]): remap 1 -> 2, 2 -> 1, 4 -> 3, e.g. convert_brats2021.py --scheme nnunet137 (lesson 4)"
    if [1, 3] in regions:
        return "dataset.json declares the keep scheme (tumour core [1, 3]): remap 4 -> 3, e.g. convert_brats2021.py --scheme keep (lesson 4)"
    return "convert them with convert_brats2021.py and the scheme your dataset.json regions describe (lesson 4)"


def case_ids(images_dir, file_ending):
    # nnU-Net derives case ids by cutting "_XXXX" + file_ending off every image file name
    # (nnunetv2/utilities/utils.py, get_identifiers_from_splitted_dataset_folder).
    names = [p.name for p in images_dir.iterdir() if p.is_file() and p.name.endswith(file_ending)]
    return sorted({n[: -(len(file_ending) + 5)] for n in names})


def main():
    if len(sys.argv) != 2:
        print("usage: python3 check_labels.py NNUNET_RAW/DatasetXXX_Name", file=sys.stderr)
        sys.exit(2)
    root = Path(sys.argv[1])
    spec_path = root / "dataset.json"
    if not spec_path.is_file():
        print(f"error: {spec_path} not found", file=sys.stderr)
        sys.exit(2)
    with open(spec_path) as f:
        spec = json.load(f)
    file_ending = spec.get("file_ending", ".nii.gz")
    allowed = declared_values(spec["labels"])
    errors = 0
    totals = {}

    ids = case_ids(root / "imagesTr", file_ending)
    for case in ids:
        label_path = root / "labelsTr" / f"{case}{file_ending}"
        image_path = root / "imagesTr" / f"{case}_0000{file_ending}"
        problems = []
        if not label_path.is_file():
            print(f"ERROR {case}: no label file {label_path.name} in labelsTr")
            errors += 1
            continue
        label = nib.load(str(label_path))
        data = np.asanyarray(label.dataobj)
        if not np.all(np.isfinite(data)) or not np.all(data == np.round(data)):
            problems.append("label holds values that are not whole numbers (interpolated or probability map?)")
        values = sorted(int(v) for v in np.unique(data[np.isfinite(data)]))
        extra = [v for v in values if v not in allowed]
        if extra:
            hint = ""
            if 4 in extra and 3 not in values:
                hint = " - raw BraTS 2021 labels? " + raw_brats_hint(spec["labels"])
            problems.append(f"values {extra} not declared in dataset.json{hint}")
        if image_path.is_file():
            image = nib.load(str(image_path))
            if image.shape[:3] != label.shape[:3] or len(label.shape) != 3:
                problems.append(f"shape {label.shape} differs from image {image.shape}")
            elif not np.allclose(image.affine, label.affine, atol=1e-4):
                problems.append("affine differs from the image (label not aligned with the scan)")
        else:
            problems.append(f"no first channel {image_path.name} in imagesTr")
        for v in values:
            totals[v] = totals.get(v, 0) + int(np.count_nonzero(data == v))
        if problems:
            errors += len(problems)
            for p in problems:
                print(f"ERROR {case}: {p}")
        else:
            shape = "x".join(str(n) for n in label.shape)
            print(f"OK    {case}: values {values}, shape {shape}")

    orphans = sorted(
        p.name for p in (root / "labelsTr").iterdir() if p.name.endswith(file_ending) and p.name[: -len(file_ending)] not in ids
    )
    for name in orphans:
        print(f"WARN  labelsTr/{name}: no matching images in imagesTr (nnU-Net ignores it)")

    print(f"{len(ids)} cases, {errors} errors")
    print("voxels per label value: " + ", ".join(f"{v}: {n}" for v, n in sorted(totals.items())))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
