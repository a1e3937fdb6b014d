#!/usr/bin/env python3
"""Print shape, voxel spacing, orientation and data type of NIfTI files, and check them.

Usage:
    python3 verify_nifti.py PATH [PATH ...] [--expect-shape X Y Z] [--expect-spacing X Y Z]

PATH may be a file or a folder (every .nii / .nii.gz file inside, not recursive). Files in one
call are also compared with each other: the channels of one case must share shape and affine.
Exits with status 1 when a file breaks an expectation or disagrees with the first file.
Needs: Python 3.8+, numpy, nibabel.
"""
import argparse
import sys
from pathlib import Path

import nibabel as nib
import numpy as np


def nifti_files(paths):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.name.endswith((".nii", ".nii.gz")))
        else:
            yield path


def main():
    parser = argparse.ArgumentParser(description="Check shape, spacing and orientation of NIfTI files.")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--expect-shape", nargs=3, type=int, metavar=("X", "Y", "Z"))
    parser.add_argument("--expect-spacing", nargs=3, type=float, metavar=("X", "Y", "Z"))
    args = parser.parse_args()

    failures = 0
    first = None
    files = list(nifti_files(args.paths))
    if not files:
        print("error: no .nii or .nii.gz files found", file=sys.stderr)
        sys.exit(2)
    for path in files:
        try:
            img = nib.load(str(path))
        except Exception as exc:  # nibabel raises several types for damaged files
            print(f"FAIL  {path}: cannot be read as NIfTI ({exc})")
            failures += 1
            continue
        shape = tuple(int(n) for n in img.shape)
        spacing = tuple(float(z) for z in img.header.get_zooms()[:3])
        # Orientation codes say which way each voxel axis points (RAS: towards Right, Anterior, Superior).
        axcodes = "".join(nib.aff2axcodes(img.affine))
        dtype = img.get_data_dtype().name
        problems = []
        if len(shape) != 3:
            problems.append(f"{len(shape)}D image; nnU-Net expects one 3D volume per channel file")
        if args.expect_shape and shape[:3] != tuple(args.expect_shape):
            problems.append(f"shape differs from expected {tuple(args.expect_shape)}")
        if args.expect_spacing and not np.allclose(spacing, args.expect_spacing, atol=1e-3):
            problems.append(f"spacing differs from expected {tuple(args.expect_spacing)}")
        if first is None:
            first = (path, shape, img.affine)
        else:
            if shape != first[1]:
                problems.append(f"shape differs from {first[0].name} {first[1]}")
            elif not np.allclose(img.affine, first[2], atol=1e-4):
                problems.append(f"affine differs from {first[0].name}")
        text = (
            f"{path}: shape {'x'.join(map(str, shape))}, "
            f"spacing {'x'.join(f'{s:.2f}' for s in spacing)} mm, orientation {axcodes}, dtype {dtype}"
        )
        if problems:
            failures += 1
            print(f"FAIL  {text}")
            for p in problems:
                print(f"      - {p}")
        else:
            print(f"OK    {text}")
    print(f"{len(files)} files, {failures} with problems")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
