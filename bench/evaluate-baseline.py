"""Baseline for bench/evaluate.bench.mjs: the per-pair work of the Python reference tools, with
nibabel, numpy and scipy.

usage: python3 bench/evaluate-baseline.py PAIRS.json AREAS.json

Mirrors, step by step, what nnU-Net's compute_metrics (nnunetv2/evaluation/evaluate_predictions.py)
and the BraTS 2023 challenge code (rachitsaluja/BraTS-2023-Metrics metrics.py, with DeepMind's
surface-distance for HD95) do for one pair and the regions WT/TC/ET: load both files as float64,
region masks, voxel counts; per region the legacy Dice and HD95, 26-connected components of both,
the 3-round 18-connected dilation of the ground truth and its components, and per lesion its
dilation, hits, Dice and HD95. scipy.ndimage.label with a 3×3×3 structure stands in for cc3d (the
same components). The surfel-area table comes from AREAS.json (written by the benchmark from
labs/evaluate, the same numbers as the library's table). Prints one JSON line per pair with the
wall-clock and CPU seconds and the metrics.
"""
import json
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage

REGIONS = {"WT": (1, 2, 3), "TC": (1, 3), "ET": (3,)}
KERNEL = np.array([[[128, 64], [32, 16]], [[8, 4], [2, 1]]])


def surface_hd95(gt, pred, spacing, areas):
    both = gt | pred
    idx = [np.nonzero(np.any(both, axis=tuple(a for a in range(3) if a != ax)))[0] for ax in range(3)]
    if any(len(i) == 0 for i in idx):
        return np.inf
    lo = [i.min() for i in idx]
    hi = [i.max() for i in idx]
    crop = lambda m: np.pad(m[lo[0]:hi[0] + 1, lo[1]:hi[1] + 1, lo[2]:hi[2] + 1].astype(np.uint8), ((0, 1), (0, 1), (0, 1)))
    codes_g = ndimage.correlate(crop(gt), KERNEL, mode="constant", cval=0)
    codes_p = ndimage.correlate(crop(pred), KERNEL, mode="constant", cval=0)
    border_g = (codes_g != 0) & (codes_g != 255)
    border_p = (codes_p != 0) & (codes_p != 255)
    dist_g = ndimage.distance_transform_edt(~border_g, sampling=spacing) if border_g.any() else np.full(border_g.shape, np.inf)
    dist_p = ndimage.distance_transform_edt(~border_p, sampling=spacing) if border_p.any() else np.full(border_p.shape, np.inf)

    def percentile(d, a):
        if len(d) == 0:
            return np.inf
        order = np.lexsort((a, d))
        d, a = d[order], a[order]
        i = np.searchsorted(np.cumsum(a) / np.sum(a), 0.95)
        return d[min(i, len(d) - 1)]

    return max(percentile(dist_p[border_g], areas[codes_g[border_g]]), percentile(dist_g[border_p], areas[codes_p[border_p]]))


def evaluate(pred_file, gt_file, areas):
    pred_img, gt_img = nib.load(pred_file), nib.load(gt_file)
    pred, gt = pred_img.get_fdata(), gt_img.get_fdata()
    spacing = tuple(float(s) for s in pred_img.header.get_zooms()[:3])
    voxel = spacing[0] * spacing[1] * spacing[2]
    s26 = np.ones((3, 3, 3), bool)
    s18 = ndimage.generate_binary_structure(3, 2)
    out = {}
    for name, labels in REGIONS.items():
        g, p = np.isin(gt, labels), np.isin(pred, labels)
        tp, fp, fn = np.sum(g & p), np.sum(~g & p), np.sum(g & ~p)
        tn = np.sum(~g & ~p)
        nn_dice = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
        empty = not g.any() and not p.any()
        legacy_dice = 1.0 if empty else 2 * tp / (g.sum() + p.sum())
        legacy_hd = 0.0 if empty else surface_hd95(g, p, spacing, areas)
        pred_cc, _ = ndimage.label(p, s26)
        dil_cc, n_lesions = ndimage.label(ndimage.binary_dilation(g, s18, iterations=3), s26)
        lesion_cc = np.where(g, dil_cc, 0)
        hits_all, scores = set(), []
        for lesion in range(1, n_lesions + 1):
            one = lesion_cc == lesion
            reach = ndimage.binary_dilation(one, s18, iterations=3)
            hits = np.unique(pred_cc[reach & (pred_cc > 0)])
            hits_all.update(hits.tolist())
            hit_mask = np.isin(pred_cc, hits) & (pred_cc > 0)
            dice = 2 * np.sum(one & hit_mask) / (one.sum() + hit_mask.sum())
            hd = surface_hd95(one, hit_mask, spacing, areas)
            scores.append((one.sum() * voxel, dice, 374.0 if np.isinf(hd) else hd))
        n_fp = len(set(range(1, pred_cc.max() + 1)) - hits_all)
        kept = [s for s in scores if s[0] > 50]
        n = len(kept) + n_fp
        out[name] = {
            "nnunet_dice": None if np.isnan(nn_dice) else float(nn_dice),
            "tn": int(tn),
            "legacy_dice": float(legacy_dice),
            "legacy_hd95": 374.0 if np.isinf(legacy_hd) else float(legacy_hd),
            "lesionwise_dice": float(sum(s[1] for s in kept) / n) if n else 1.0,
            "lesionwise_hd95": float((sum(s[2] for s in kept) + 374 * n_fp) / n) if n else 0.0,
        }
    return out


def main(pairs_file, areas_file):
    areas = np.array(json.load(open(areas_file)))
    for pred_file, gt_file in json.load(open(pairs_file)):
        t0, c0 = time.perf_counter(), time.process_time()
        metrics = evaluate(pred_file, gt_file, areas)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(json.dumps({"seconds": wall, "cpu": cpu, "prediction": pred_file, "metrics": metrics}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
