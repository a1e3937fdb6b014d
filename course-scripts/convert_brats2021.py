#!/usr/bin/env python3
"""Convert the BraTS 2021 training data into an nnU-Net v2 raw dataset.

Usage:
    python3 convert_brats2021.py BRATS_DIR NNUNET_RAW [--id 137] [--name BraTS2021]
                                 [--scheme nnunet137|keep] [--force]

BRATS_DIR holds one folder per case (BraTS2021_00000, ...), each with
{case}_t1.nii.gz, {case}_t1ce.nii.gz, {case}_t2.nii.gz, {case}_flair.nii.gz and {case}_seg.nii.gz.
The BraTS 2017-2019 releases put their case folders (Brats18_..., BraTS19_...) into HGG/ and LGG/
sub-folders; the script reads those too, so one run converts both grades.
The script writes NNUNET_RAW/DatasetXXX_NAME/ with imagesTr/, labelsTr/ and dataset.json.

Two label schemes are offered; both are correct as long as the values and the regions in
dataset.json agree, which this script guarantees by writing both from one table:
  nnunet137  nnU-Net's own conversion (nnunetv2/dataset_conversion/Dataset137_BraTS21.py):
             edema 1, necrosis 2, enhancing 3; regions WT [1,2,3], TC [2,3], ET [3]
  keep       only moves enhancing tumour from 4 to 3: necrosis 1, edema 2, enhancing 3;
             regions WT [1,2,3], TC [1,3], ET [3]
Needs: Python 3.8+, numpy, nibabel.
"""
import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import nibabel as nib
import numpy as np

# Channel order of nnU-Net's Dataset137 conversion: _0000 T1, _0001 T1ce, _0002 T2, _0003 FLAIR.
MODALITIES = [("t1", "T1"), ("t1ce", "T1ce"), ("t2", "T2"), ("flair", "Flair")]

# Raw BraTS 2021 labels (Baid et al. 2021): 1 necrotic core, 2 edema, 4 enhancing; 3 is unused.
RAW_TISSUES = {0: "background", 1: "NCR", 2: "ED", 4: "ET"}

SCHEMES = {
    "nnunet137": {
        "values": {"background": 0, "ED": 1, "NCR": 2, "ET": 3},
        "regions": {"whole tumor": [1, 2, 3], "tumor core": [2, 3], "enhancing tumor": [3]},
        # Entry i is the value painted where region i is predicted; later regions overwrite earlier ones.
        "regions_class_order": [1, 2, 3],
    },
    "keep": {
        "values": {"background": 0, "NCR": 1, "ED": 2, "ET": 3},
        "regions": {"whole tumor": [1, 2, 3], "tumor core": [1, 3], "enhancing tumor": [3]},
        "regions_class_order": [2, 1, 3],
    },
}


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def remap_table(scheme):
    """Raw BraTS value -> training value, as a lookup array (255 marks values BraTS never uses)."""
    table = np.full(256, 255, dtype=np.int64)
    for raw_value, tissue in RAW_TISSUES.items():
        table[raw_value] = SCHEMES[scheme]["values"][tissue]
    return table


def convert_label(src, dst, table):
    img = nib.load(str(src))
    data = np.asanyarray(img.dataobj)
    if not np.all(np.isfinite(data)) or not np.all(data == np.round(data)):
        fail(f"{src}: label values must be whole numbers")
    values = np.unique(data).astype(np.int64)
    unexpected = [int(v) for v in values if v < 0 or v > 255 or table[v] == 255]
    if unexpected:
        fail(f"{src}: unexpected label values {unexpected}; raw BraTS 2021 uses only 0, 1, 2 and 4")
    remapped = table[data.astype(np.int64)].astype(data.dtype)
    # Same affine and header as the source, so the label stays aligned with the images.
    nib.save(nib.Nifti1Image(remapped, img.affine, img.header), str(dst))
    return {int(v): int(np.count_nonzero(data == v)) for v in values}


def find_cases(brats_dir):
    """Case folders in BRATS_DIR itself (2020, 2021) and in its HGG/ and LGG/ sub-folders (2017-2019)."""
    parents = [brats_dir] + [brats_dir / grade for grade in ("HGG", "LGG") if (brats_dir / grade).is_dir()]
    found = [p for parent in parents for p in parent.iterdir() if p.is_dir() and p.name.lower().startswith("brats")]
    return sorted(found, key=lambda p: p.name)


def main():
    parser = argparse.ArgumentParser(description="Convert BraTS 2021 training data to an nnU-Net v2 raw dataset.")
    parser.add_argument("brats_dir", type=Path, help="folder with one sub-folder per BraTS2021_xxxxx case")
    parser.add_argument("nnunet_raw", type=Path, help="your nnUNet_raw folder")
    parser.add_argument("--id", type=int, default=137, help="dataset id, 11-999 (default 137, as nnU-Net's own conversion)")
    parser.add_argument("--name", default="BraTS2021", help="dataset name after the id (default BraTS2021)")
    parser.add_argument("--scheme", choices=sorted(SCHEMES), default="nnunet137", help="label scheme (default nnunet137)")
    parser.add_argument("--force", action="store_true", help="replace an existing dataset folder of the same name")
    args = parser.parse_args()

    # IDs 001-010 belong to the Medical Segmentation Decathlon (nnU-Net documentation/dataset_format.md);
    # nnU-Net's id helper parses exactly three digits (dataset_name_id_conversion.py).
    if not 11 <= args.id <= 999:
        fail(f"--id {args.id}: use an id from 11 to 999 (001-010 are reserved for the Medical Segmentation Decathlon)")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", args.name):
        fail(f"--name {args.name!r}: use letters, digits, '-' and '_' only")
    if not args.brats_dir.is_dir():
        fail(f"{args.brats_dir}: not a folder")

    cases = find_cases(args.brats_dir)
    if not cases:
        fail(f"{args.brats_dir}: no case folders starting with 'BraTS' found (here or in HGG/, LGG/)")
    for case in cases:
        needed = [case / f"{case.name}_{suffix}.nii.gz" for suffix, _ in MODALITIES] + [case / f"{case.name}_seg.nii.gz"]
        missing = [p.name for p in needed if not p.is_file()]
        if missing:
            fail(f"{case}: missing {', '.join(missing)}")

    out = args.nnunet_raw / f"Dataset{args.id:03d}_{args.name}"
    if out.exists():
        if not args.force:
            fail(f"{out} already exists; delete it or pass --force")
        shutil.rmtree(out)
    images, labels = out / "imagesTr", out / "labelsTr"
    images.mkdir(parents=True)
    labels.mkdir()

    table = remap_table(args.scheme)
    raw_totals = {v: 0 for v in RAW_TISSUES}
    for case in cases:
        for channel, (suffix, _) in enumerate(MODALITIES):
            # A byte copy: image geometry and intensities stay exactly as BraTS released them.
            shutil.copyfile(case / f"{case.name}_{suffix}.nii.gz", images / f"{case.name}_{channel:04d}.nii.gz")
        counts = convert_label(case / f"{case.name}_seg.nii.gz", labels / f"{case.name}.nii.gz", table)
        for value, n in counts.items():
            raw_totals[value] += n

    scheme = SCHEMES[args.scheme]
    dataset = {
        "channel_names": {str(i): name for i, (_, name) in enumerate(MODALITIES)},
        # Order matters: regions are read in this order and matched with regions_class_order.
        "labels": {"background": 0, **scheme["regions"]},
        "numTraining": len(cases),
        "file_ending": ".nii.gz",
        "regions_class_order": scheme["regions_class_order"],
        "name": args.name,
        "description": f"BraTS 2021 training cases, label scheme '{args.scheme}'",
        "reference": "Baid et al. 2021, arXiv:2107.02314",
    }
    with open(out / "dataset.json", "w") as f:
        json.dump(dataset, f, indent=2)
        f.write("\n")

    print(f"wrote {out} ({len(cases)} cases, scheme {args.scheme})")
    for raw_value, tissue in RAW_TISSUES.items():
        if raw_value:
            print(f"  {tissue}: raw value {raw_value} -> {scheme['values'][tissue]} ({raw_totals[raw_value]} voxels)")


if __name__ == "__main__":
    main()
