"""Baseline for bench/fingerprint.mjs: nnU-Net v2's dataset fingerprint extraction, as numpy runs it.

usage: python3 bench/fingerprint-baseline.py DATASET_DIR [PROCESSES]

Mirrors nnunetv2/experiment_planning/dataset_fingerprint/fingerprint_extractor.py with
nnunetv2/preprocessing/cropping/cropping.py (nnU-Net itself is not installed here): per case, read
the channels and the label as float32 (NibabelIO: axes reversed), the non-zero mask of all channels
with holes filled (scipy's binary_fill_holes), crop to its bounding box, and draw 1e8 // cases
foreground intensities per channel with RandomState(1234).choice; then the dataset statistics over
all draws. Cases run in a spawn process pool, as nnU-Net does. Prints one JSON line: seconds, cases,
processes, the shapes after crop and channel 0's statistics.
"""
import json
import os
import sys
import time
from multiprocessing import get_context

import nibabel as nib
import numpy as np
from scipy.ndimage import binary_fill_holes


def read(path):
    img = nib.load(path)
    return np.asarray(img.get_fdata(), dtype=np.float32).transpose(2, 1, 0), img.header.get_zooms()[:3][::-1]


def analyze_case(images, label, num_samples):
    data = np.stack([read(p)[0] for p in images])
    seg, spacing = read(label)
    mask = binary_fill_holes((data != 0).any(0))
    where = np.argwhere(mask)
    lo, hi = where.min(0), where.max(0) + 1
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    data = data[(slice(None),) + box]
    fg = seg[box] > 0
    rs = np.random.RandomState(1234)
    draws = []
    for c in range(len(data)):
        px = data[c][fg]
        draws.append(rs.choice(px, num_samples, replace=True) if len(px) else np.zeros(0, np.float32))
    return [int(s) for s in data.shape[1:]], [float(s) for s in spacing], draws


def main(root, processes):
    meta = json.load(open(os.path.join(root, "dataset.json")))
    ending = meta["file_ending"]
    n_ch = len(meta["channel_names"])
    ids = sorted(f[: -len(ending)] for f in os.listdir(os.path.join(root, "labelsTr")) if f.endswith(ending))
    images = [[os.path.join(root, "imagesTr", f"{i}_{c:04d}{ending}") for c in range(n_ch)] for i in ids]
    labels = [os.path.join(root, "labelsTr", f"{i}{ending}") for i in ids]
    per_case = int(10e7 // len(ids))
    t0 = time.perf_counter()
    with get_context("spawn").Pool(processes) as pool:
        results = pool.starmap(analyze_case, [(im, lb, per_case) for im, lb in zip(images, labels)])
    ch0 = np.concatenate([r[2][0] for r in results])
    p005, med, p995 = np.percentile(ch0, (0.5, 50.0, 99.5))
    stats = {"mean": float(np.mean(ch0)), "std": float(np.std(ch0)), "median": float(med), "p00_5": float(p005), "p99_5": float(p995)}
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "cases": len(ids), "processes": processes, "shapes": [r[0] for r in results], "channel0": stats}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2)
