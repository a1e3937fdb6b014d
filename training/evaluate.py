"""Dice of the trained model and of a threshold-only baseline on held-out cases.

Cases are predicted with the same rules as the browser (labs/inference/pipeline.ts): crop to
non-zero, z-score in the brain, resample to the model's spacing (cubic spline, mode "reflect"),
sliding window with Gaussian weighting (overlap 0.5; the test set also with test-time mirroring),
logits back to the cropped grid (linear), logit > 0 per region.
Dice per region with the BraTS convention (both empty = 1). A predicted enhancing tumour under
0.2 ml becomes necrosis, the BraTS 2021 winner's rule (Luu & Park 2021, arXiv:2112.04653: 200 voxels
of 1 mm³); model.json carries the threshold to the browser. The rule applies to the baseline too,
and the test set is also scored without it, for both.

The baseline thresholds z-scored intensities: WT = FLAIR > a, ET = WT and T1ce > b and T1 < d
(enhancing, but not bright before contrast), TC = ET or (WT and T1 < c). The thresholds are fitted
on training cases one region at a time (a for WT, then b and d for ET, then c for TC), then
applied unchanged.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import nibabel as nib
import numpy as np
import torch
from scipy.ndimage import zoom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import case_ids, labels_from_regions, load_case, load_dataset, nonzero_bbox, zscore_in_mask  # noqa: E402
from infer import dice, sliding_window  # noqa: E402
from randomise import load_tissue_case, paint, reference_means  # noqa: E402
from unet import UNet3D  # noqa: E402


def regions_137(seg):
    return np.stack([seg > 0, (seg == 2) | (seg == 3), seg == 3])


def regions_brats(seg):
    return np.stack([seg > 0, (seg == 1) | (seg == 4), seg == 4])


# The real cases' folder names in ../shared/eval/real, where they differ from the TCGA case id.
REAL_NAMES = {"OtherEXampleFromTCIA": "TCGA-FG-6692"}


def drop_small_et(regions, spacing, min_ml=0.2):
    """A predicted enhancing tumour under min_ml becomes necrosis (labs/inference/regions.ts, suppressSmallEnhancing)."""
    if regions[2].sum() * np.prod(spacing) / 1000 >= min_ml:
        return regions
    out = regions.copy()
    out[2] = False
    return out


def predict(model, data, spacing, model_spacing, patch, mirror=False):
    """Region masks (WT, TC, ET) on the input grid, before the small-ET rule."""
    box, mask = nonzero_bbox(data)
    crop = zscore_in_mask(data[(slice(None),) + box], mask[box])
    shape = crop.shape[1:]
    target = [max(1, int(round(s * sp / t))) for s, sp, t in zip(shape, spacing, model_spacing)]
    if list(target) != list(shape):
        crop = np.stack([zoom(c, [t / s for t, s in zip(target, shape)], order=3, mode="reflect", grid_mode=True) for c in crop])
    logits = sliding_window(model, crop.astype(np.float32), patch, 0.5, mirror)
    if list(target) != list(shape):
        logits = np.stack([zoom(c, [s / t for t, s in zip(target, shape)], order=1, mode="nearest", grid_mode=True) for c in logits])
    regions = np.zeros((3,) + data.shape[1:], dtype=bool)
    regions[(slice(None),) + box] = logits > 0
    # nnU-Net's paint order (WT, TC, ET) read back as regions: a TC voxel outside WT still counts as TC.
    regions[1] |= regions[2]
    regions[0] |= regions[1]
    return regions


def zscored(data):
    box, mask = nonzero_bbox(data)
    z = np.zeros_like(data)
    z[(slice(None),) + box] = zscore_in_mask(data[(slice(None),) + box], mask[box])
    return z, mask


def baseline(zm, params):
    z, mask = zm
    a, b, c, d = params
    wt = (z[3] > a) & mask
    et = wt & (z[1] > b) & (z[0] < d)
    tc = et | (wt & (z[0] < c))
    return np.stack([wt, tc, et])


def scores(pred, ref):
    return [dice(pred[i], ref[i]) for i in range(3)]


def fit_baseline(cases):
    def best(region, grid):
        return max(grid, key=lambda p: np.mean([dice(baseline(z, p)[region], r[region]) for z, r in cases]))

    a = best(0, [(a, 0.0, 0.0, 9.0) for a in np.arange(0.5, 3.01, 0.25)])[0]
    _, b, _, d = best(2, [(a, b, 0.0, d) for b in np.arange(0.5, 4.01, 0.25) for d in (0.0, 0.5, 1.0, 1.5, 2.0, 9.0)])
    c = best(1, [(a, b, c, d) for c in np.arange(-2.0, 0.51, 0.25)])[2]
    return tuple(float(v) for v in (a, b, c, d))


def unseen_contrast_cases(dataset_dir, ids, seed=2023):
    """The test cases repainted with contrasts drawn the ordered way (training/randomise.py) from a
    seed training never uses: the same anatomy and lesions under looks no scanner setting of the
    generator has, as {id: (non-zero box, painted crop)}. Empty when the test set has no tissue maps."""
    if not os.path.isdir(os.path.join(dataset_dir, "tissueTr")):
        return {}
    cases = [load_tissue_case(dataset_dir, c) for c in load_dataset(dataset_dir, ids, keep_raw=True)]
    ref = reference_means(cases)
    rng = np.random.default_rng(seed)
    return {c["id"]: (c["box"], paint(c["tissue"], c, "ordered", ref, rng)) for c in cases}


def add_hd95(real, folder):
    """HD95 (legacy, whole region, mm) of the model on the real cases, from the project's own
    evaluation CLI (labs/evaluate, checked against the BraTS 2023 metrics code)."""
    cli = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dist-cli", "bratslab.mjs")
    report = json.loads(subprocess.run(
        ["node", cli, "evaluate", os.path.join(folder, "pred"), os.path.join(folder, "ref"), "--regions", "brats2021", "--json", "--no-progress", "-j", "1"],
        check=True, capture_output=True, text=True,
    ).stdout)
    for case in report["cases"]:
        real[case["id"]]["hd95"] = [case["brats"][r]["Legacy_HD95"] for r in ("WT", "TC", "ET")]


def summary(rows):
    arr = np.array(rows)
    return {"WT": float(arr[:, 0].mean()), "TC": float(arr[:, 1].mean()), "ET": float(arr[:, 2].mean()), "cases": len(rows)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run", required=True)
    p.add_argument("--test", required=True, help="held-out nnU-Net raw dataset folder")
    p.add_argument("--train", required=True, help="training dataset folder (baseline thresholds are fitted here)")
    p.add_argument("--baseline-cases", type=int, default=12)
    p.add_argument("--checkpoint", default="checkpoint_final.pth")
    p.add_argument("--limit", type=int, default=0, help="evaluate only the first N test cases")
    p.add_argument("--real", help="folder of real cases (*_t1_bet, *_t1c_bet, *_t2_bet, *_fla_bet, *_fusion_simple): local only")
    p.add_argument("--samples", help="the site's sample folder (index.json, raw BraTS 2021 labels)")
    p.add_argument("--model-json", help="model.json to receive the metrics block (test, baseline, samples)")
    p.add_argument("--out", required=True, help="metrics JSON")
    args = p.parse_args(argv)
    torch.set_num_threads(1)

    with open(os.path.join(args.run, "config.json")) as f:
        config = json.load(f)
    model = UNet3D(features=config["features_per_stage"])
    model.load_state_dict(torch.load(os.path.join(args.run, args.checkpoint), map_location="cpu"))
    model.eval()
    patch, model_spacing = config["patch_size"], config["spacing"]

    fit = []
    for case in case_ids(args.train)[: args.baseline_cases]:
        d, s, _ = load_case(args.train, case)
        fit.append((zscored(d), regions_137(s)))
    params = fit_baseline(fit)

    test_ids = case_ids(args.test)[: args.limit or None]
    repaint = unseen_contrast_cases(args.test, test_ids)
    rows = {k: [] for k in ("model", "mirrored", "baseline", "modelNoRule", "baselineNoRule", "unseenContrast")}
    per_case = {}
    for case in test_ids:
        d, s, spacing = load_case(args.test, case)
        ref = regions_137(s)
        raw = predict(model, d, spacing, model_spacing, patch)
        base = baseline(zscored(d), params)
        got = {
            "model": scores(drop_small_et(raw, spacing), ref),
            "mirrored": scores(drop_small_et(predict(model, d, spacing, model_spacing, patch, mirror=True), spacing), ref),
            "baseline": scores(drop_small_et(base, spacing), ref),
            "modelNoRule": scores(raw, ref),
            "baselineNoRule": scores(base, ref),
        }
        if repaint:
            box, crop = repaint[case]
            painted = np.zeros_like(d)
            painted[(slice(None),) + box] = crop
            got["unseenContrast"] = scores(drop_small_et(predict(model, painted, spacing, model_spacing, patch), spacing), ref)
        for k, v in got.items():
            rows[k].append(v)
        per_case[case] = got
        print(case, " ".join(f"{k} {np.round(v, 3)}" for k, v in got.items()), flush=True)
    out = {
        "test": {
            "model": summary(rows["model"]),
            "mirrored": summary(rows["mirrored"]),
            "baseline": summary(rows["baseline"]),
            "withoutSmallEtRule": {"model": summary(rows["modelNoRule"]), "baseline": summary(rows["baselineNoRule"])},
            **({"unseenContrast": summary(rows["unseenContrast"])} if repaint else {}),
        },
        "baselineThresholds": params,
        "perCase": per_case,
    }

    if args.samples:
        with open(os.path.join(args.samples, "index.json")) as f:
            index = json.load(f)
        samples = {}
        for c in index["cases"]:
            vols = []
            for key in ("t1", "t1ce", "t2", "flair"):
                img = nib.load(os.path.join(args.samples, c["files"][key]))
                vols.append(np.asarray(img.dataobj, dtype=np.float32).transpose(2, 1, 0))
            spacing = tuple(float(z) for z in img.header.get_zooms()[:3][::-1])
            seg = np.asarray(nib.load(os.path.join(args.samples, c["files"]["seg"])).dataobj).transpose(2, 1, 0)
            m = scores(drop_small_et(predict(model, np.stack(vols), spacing, model_spacing, patch), spacing), regions_brats(seg))
            samples[c["id"]] = dict(zip(("WT", "TC", "ET"), m))
            print(c["id"], np.round(m, 3), flush=True)
        out["samples"] = samples

    if args.real and os.path.isdir(args.real):
        real = {}
        out_dir = os.path.join(os.path.dirname(os.path.abspath(args.out)), "real")
        for folder in sorted(glob.glob(os.path.join(args.real, "*"))):
            if not os.path.isdir(folder):
                continue
            name = os.path.basename(folder)
            vols = []
            for key in ("t1", "t1c", "t2", "fla"):
                img = nib.load(os.path.join(folder, f"{name}_{key}_bet.nii.gz"))
                vols.append(np.asarray(img.dataobj, dtype=np.float32).transpose(2, 1, 0))
            spacing = tuple(float(z) for z in img.header.get_zooms()[:3][::-1])
            seg = np.asarray(nib.load(os.path.join(folder, f"{name}_fusion_simple.nii.gz")).dataobj).transpose(2, 1, 0)
            data = np.stack(vols)
            ref = regions_brats(seg)
            pred = drop_small_et(predict(model, data, spacing, model_spacing, patch), spacing)
            real[name] = {
                "model": scores(pred, ref),
                "baseline": scores(drop_small_et(baseline(zscored(data), params), spacing), ref),
            }
            # Label maps for `bratslab evaluate` (HD95, add_hd95 below).
            for sub, labels in (("pred", labels_from_regions(pred, values=(2, 1, 4))), ("ref", seg.astype(np.uint8))):
                os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
                nib.save(nib.Nifti1Image(labels.transpose(2, 1, 0), img.affine), os.path.join(out_dir, sub, f"{name}.nii.gz"))
            print(name, real[name], flush=True)
        if real:
            add_hd95(real, out_dir)
        out["real"] = real
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
    if args.model_json:
        with open(args.model_json) as f:
            spec = json.load(f)
        spec["metrics"] = {
            "test": out["test"]["model"],
            "mirrored": out["test"]["mirrored"],
            "withoutSmallEtRule": out["test"]["withoutSmallEtRule"],
            "baseline": out["test"]["baseline"],
            **({"unseenContrast": out["test"]["unseenContrast"]} if repaint else {}),
            "samples": out.get("samples", {}),
            # The real cases at full resolution (../shared/eval/real): a test set, never trained or tuned on.
            **({"real": {REAL_NAMES.get(k, k): {"dice": dict(zip(("WT", "TC", "ET"), v["model"])), "hd95": dict(zip(("WT", "TC", "ET"), v["hd95"]))} for k, v in out["real"].items()}} if out.get("real") else {}),
        }
        with open(args.model_json, "w") as f:
            json.dump(spec, f, indent=2)
            f.write("\n")
    print(json.dumps({k: out[k] for k in ("test", "baselineThresholds")}, indent=2))


if __name__ == "__main__":
    main()
