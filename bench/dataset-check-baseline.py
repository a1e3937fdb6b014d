"""Baseline for bench/dataset-check.mjs: the per-file work of nnU-Net's integrity check, with nibabel.

usage: python3 bench/dataset-check-baseline.py DATASET_DIR [PROCESSES]

Mirrors nnunetv2/experiment_planning/verify_dataset_integrity.py: step 1 reads every label and
collects its unique values (as float32, like nnU-Net's readers); step 2 reads every case's images
and label as float32, checks NaN, shape and spacing. Both steps run in a process pool, as nnU-Net
does. Prints one JSON line: seconds, cases, processes.
"""
import json
import os
import sys
import time
from multiprocessing import get_context

import numpy as np
import nibabel as nib


def read(path):
    img = nib.load(path)
    return np.asarray(img.get_fdata(dtype=np.float32)), img.header.get_zooms()[:3]


def verify_label(path):
    seg, _ = read(path)
    return np.unique(seg).tolist()


def check_case(images, label):
    data = [read(p) for p in images]
    seg, seg_spacing = read(label)
    problems = []
    if any(np.isnan(d).any() for d, _ in data):
        problems.append("nan")
    if np.isnan(seg).any():
        problems.append("seg nan")
    if any(d.shape != seg.shape for d, _ in data):
        problems.append("shape")
    if any(not np.allclose(s, seg_spacing) for _, s in data):
        problems.append("spacing")
    return problems


def main(root, processes):
    meta = json.load(open(os.path.join(root, "dataset.json")))
    ending = meta["file_ending"]
    n_ch = len(meta["channel_names"])
    names = sorted(f for f in os.listdir(os.path.join(root, "imagesTr")) if f.endswith(ending))
    ids = sorted({f[: -len(ending) - 5] for f in names})
    images = [[os.path.join(root, "imagesTr", f"{i}_{c:04d}{ending}") for c in range(n_ch)] for i in ids]
    labels = [os.path.join(root, "labelsTr", f"{i}{ending}") for i in ids]
    t0 = time.perf_counter()
    with get_context("spawn").Pool(processes) as pool:
        pool.map(verify_label, labels)
        problems = pool.starmap(check_case, zip(images, labels))
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "cases": len(ids), "processes": processes, "problems": sum(len(p) for p in problems)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count())
