#!/usr/bin/env python3
"""Montage of synthetic cases for review: per case, the axial slice with the most tumour in the
four modalities plus FLAIR with the label overlay (NCR red, ED green, ET yellow, the colours of
labs/shared/labels.ts). Reads a BraTS-layout folder written by `bratslab synth`.

    python3 docs/make-montage.py public/data/samples docs/montage.png

(the samples come from `bratslab synth public/data/samples --size web --seeds 90004-90007`).

Needs Debian's python3-nibabel and python3-matplotlib.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nibabel as nib  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

MODS = ["t1", "t1ce", "t2", "flair"]
# Index = raw BraTS label; 3 unused.
LABEL_RGBA = np.array([[0, 0, 0, 0], [0.90, 0.10, 0.29, 1], [0.24, 0.71, 0.29, 1], [0, 0, 0, 0], [1.0, 0.88, 0.10, 1]])


def axial(vol, z):
    # Stored LPS: first axis runs to the patient's left, so show it as is for radiological view
    # (patient's right on the viewer's left); second axis runs posterior, so anterior is up.
    return vol[:, :, z].T


def main(src, out):
    root = Path(src)
    cases = json.loads((root / "index.json").read_text())["cases"]
    fig, axes = plt.subplots(len(cases), 5, figsize=(8, 2.1 * len(cases)), facecolor="black")
    for row, case in zip(np.atleast_2d(axes), cases):
        vols = {m: np.asanyarray(nib.load(root / case["files"][m]).dataobj) for m in MODS}
        seg = np.asanyarray(nib.load(root / case["files"]["seg"]).dataobj)
        z = int(np.argmax((seg > 0).sum(axis=(0, 1))))
        # Crop to the brain's extent in this slice plane, with a small margin.
        xs, ys = np.nonzero(vols["t1"].max(axis=2))
        box = (slice(max(xs.min() - 2, 0), xs.max() + 3), slice(max(ys.min() - 2, 0), ys.max() + 3))
        vols = {m: v[box] for m, v in vols.items()}
        seg = seg[box]
        for ax, m in zip(row, MODS):
            v = vols[m]
            ax.imshow(axial(v, z), cmap="gray", vmin=0, vmax=np.percentile(v[v > 0], 99.5), interpolation="bilinear")
            ax.set_title(f"{case['id']} {m}" if m == "t1" else m, color="white", fontsize=7)
        ax = row[4]
        f = vols["flair"]
        ax.imshow(axial(f, z), cmap="gray", vmin=0, vmax=np.percentile(f[f > 0], 99.5), interpolation="bilinear")
        ax.imshow(axial(seg, z), cmap=ListedColormap(LABEL_RGBA), vmin=0, vmax=4, alpha=0.45, interpolation="nearest")
        ax.set_title("labels (NCR/ED/ET)", color="white", fontsize=7)
        for a in row:
            a.axis("off")
    plt.tight_layout(pad=0.3)
    plt.savefig(out, dpi=90, facecolor="black")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
