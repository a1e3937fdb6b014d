"""Train the inference lab's small region-based 3D U-Net on `bratslab synth` cases, nnU-Net style.

What follows nnU-Net v2 (nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py unless noted):
SGD with momentum 0.99 (Nesterov), weight decay 3e-5, initial LR 0.01 with the poly schedule
lr = lr0 * (1 - epoch / epochs) ** 0.9 (nnunetv2/training/lr_scheduler/polylr.py), gradient-norm
clipping at 12, Dice + BCE loss on sigmoid region outputs, a third of the patches forced to contain
foreground (oversample_foreground_percent 0.33), mirroring on all axes, a 5-fold split of the
sorted case ids with KFold(5, shuffle=True, random_state=12345) (nnunetv2/utilities/crossval_split.py),
pseudo Dice over the validation patches with its EMA 0.9/0.1, and the log written record for record
in nnU-Net's format (print_to_log_file: timestamp, arguments each followed by a space).

What is smaller: a handful of iterations per epoch and few epochs (CPU), no deep supervision, and
only the augmentations that matter for the synthetic scanner shift (mirroring, per-channel
brightness and gamma).

The --fault options produce the broken runs of the log lab on purpose.
"""
import argparse
import json
import os
import sys
import time
from datetime import datetime

import numpy as np
import torch
from sklearn.model_selection import KFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import case_ids, labels_from_regions, load_dataset  # noqa: E402
from infer import dice, sliding_window  # noqa: E402
from randomise import load_tissue_case, randomised_patch, reference_means  # noqa: E402
from unet import REGIONS, UNet3D, count_parameters  # noqa: E402


class Logger:
    def __init__(self, folder: str):
        os.makedirs(folder, exist_ok=True)
        t = datetime.now()
        # nnUNetTrainer.__init__: year/month/day not zero-padded, hour/minute/second padded.
        name = "training_log_%d_%d_%d_%02.0d_%02.0d_%02.0d.txt" % (t.year, t.month, t.day, t.hour, t.minute, t.second)
        self.path = os.path.join(folder, name)

    def __call__(self, *args, add_timestamp: bool = True):
        if add_timestamp:
            args = (f"{datetime.fromtimestamp(time.time())}:", *args)
        with open(self.path, "a") as f:
            for a in args:
                f.write(str(a))
                f.write(" ")
            f.write("\n")


def poly_lr(lr0: float, epoch: int, epochs: int, exponent: float = 0.9) -> float:
    return lr0 * (1 - epoch / epochs) ** exponent


def soft_dice(prob: torch.Tensor, target: torch.Tensor, smooth: float = 1e-5) -> torch.Tensor:
    """Batch soft Dice per region (nnunetv2/training/loss/dice.py, MemoryEfficientSoftDiceLoss with batch_dice)."""
    axes = (0, 2, 3, 4)
    inter = (prob * target).sum(axes)
    den = prob.sum(axes) + target.sum(axes)
    return ((2 * inter + smooth) / torch.clamp(den + smooth, min=1e-8)).mean()


def sample_patch(case, patch, rng, force_fg: bool, augment: bool):
    data, regions = case["data"], case["regions"]
    shape = data.shape[1:]
    pad = [(0, max(0, p - s)) for p, s in zip(patch, shape)]
    if any(b for _, b in pad):
        data = np.pad(data, [(0, 0)] + pad)
        regions = np.pad(regions, [(0, 0)] + pad)
        shape = data.shape[1:]
    fg = np.argwhere(regions[0] > 0) if force_fg else None
    if fg is not None and len(fg):
        centre = fg[rng.integers(len(fg))]
        start = [int(np.clip(c - p // 2, 0, s - p)) for c, p, s in zip(centre, patch, shape)]
    else:
        start = [int(rng.integers(0, s - p + 1)) for p, s in zip(patch, shape)]
    sl = tuple(slice(a, a + p) for a, p in zip(start, patch))
    x = data[(slice(None),) + sl].copy()
    y = regions[(slice(None),) + sl].copy()
    if augment:
        for axis in (1, 2, 3):
            if rng.random() < 0.5:
                x = np.flip(x, axis)
                y = np.flip(y, axis)
        for c in range(x.shape[0]):
            if rng.random() < 0.15:  # nnU-Net's MultiplicativeBrightnessTransform: p 0.15, range (0.75, 1.25)
                x[c] *= rng.uniform(0.75, 1.25)
            if rng.random() < 0.3:  # GammaTransform: p 0.3, gamma (0.7, 1.5), on data rescaled to [0, 1]
                lo, hi = x[c].min(), x[c].max()
                if hi > lo:
                    x[c] = ((x[c] - lo) / (hi - lo)) ** rng.uniform(0.7, 1.5) * (hi - lo) + lo
    return np.ascontiguousarray(x), np.ascontiguousarray(y)


def parse_mix(text: str) -> dict:
    """"ordered:0.6,random:0.2,generator:0.2" -> shares of the patches painted each way (sum 1)."""
    mix = {}
    for part in text.split(","):
        name, _, share = part.partition(":")
        if name not in ("ordered", "random", "generator"):
            raise SystemExit(f"--mix: unknown source {name!r} (ordered, random, generator)")
        mix[name] = float(share or 1)
    total = sum(mix.values())
    return {k: v / total for k, v in mix.items()}


GENERATOR_ONLY = {"generator": 1.0}


def batch(cases, patch, size, rng, augment, mix=GENERATOR_ONLY, ref=None):
    xs, ys = [], []
    for i in range(size):
        case = cases[rng.integers(len(cases))]
        # nnU-Net forces foreground for the last round(batch * 0.33) samples (at least one of a batch of 2).
        force = i >= size - max(1, round(size * 0.33))
        # One source draws nothing from rng, so a generator-only run repeats the trainer's old stream.
        source = rng.choice(list(mix), p=list(mix.values())) if len(mix) > 1 else next(iter(mix))
        if source == "generator":
            x, y = sample_patch(case, patch, rng, force, augment)
        else:
            x, y = randomised_patch(case, patch, source, ref, rng, force)
        xs.append(x)
        ys.append(y)
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def apply_faults(cases, args, rng):
    if args.fault_zero_labels:
        for c in cases:
            c["regions"][:] = 0
    if args.fault_shuffle_channels:
        for c in cases:
            c["data"] = c["data"][rng.permutation(c["data"].shape[0])].copy()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="nnU-Net raw dataset folder (Dataset501_Synth)")
    p.add_argument("--out", required=True, help="output folder: log, checkpoints, config")
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--iters", type=int, default=50, help="training iterations per epoch")
    p.add_argument("--val-iters", type=int, default=5)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--patch", type=int, nargs=3, default=[48, 48, 48])
    p.add_argument("--features", type=int, nargs="+", default=[8, 16, 32, 64])
    p.add_argument("--initial-lr", type=float, default=1e-2)
    p.add_argument("--fold", type=int, default=0)
    p.add_argument("--seed", type=int, default=12345)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--mix", default="generator:1", help="shares of training patches by source: ordered, random (domain-randomised, training/randomise.py) and generator (the images as written)")
    p.add_argument("--train-cases", type=int, default=0, help="use only this many training cases (0 = all)")
    p.add_argument("--no-final-validation", action="store_true")
    p.add_argument("--stop-after", type=int, default=0, help="stop after this many epochs, as an interrupted run does (0 = run to the end)")
    p.add_argument("--resume", help="folder of an earlier run: continue from its checkpoint_latest.pth and resume.json")
    p.add_argument("--fault-zero-labels", action="store_true")
    p.add_argument("--fault-shuffle-channels", action="store_true")
    p.add_argument("--fault-nan-epoch", type=int, default=-1, help="inject NaN into the inputs from this epoch on")
    p.add_argument("--fault-resume-restart-lr", action="store_true", help="on --resume, restart the poly schedule at epoch 0 (the bug)")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    log = Logger(args.out)

    ids = case_ids(args.data)
    log("Creating new 5-fold cross-validation split...")
    folds = list(KFold(n_splits=5, shuffle=True, random_state=12345).split(ids))
    tr_idx, val_idx = folds[args.fold]
    tr_ids = [ids[i] for i in tr_idx]
    val_ids = [ids[i] for i in val_idx]
    if args.train_cases:
        tr_ids = tr_ids[: args.train_cases]
    log(f"Desired fold for training: {args.fold}")
    log(f"This split has {len(tr_ids)} training and {len(val_ids)} validation cases.")

    mix = parse_mix(args.mix)
    randomised = any(k != "generator" and v > 0 for k, v in mix.items())
    train_cases = load_dataset(args.data, tr_ids, keep_raw=randomised)
    looks = None
    if randomised:
        train_cases = [load_tissue_case(args.data, c) for c in train_cases]
        looks = reference_means(train_cases)
    val_cases = load_dataset(args.data, val_ids)
    apply_faults(train_cases, args, rng)
    spacing = list(train_cases[0]["spacing"])

    model = UNet3D(features=args.features)
    config = {
        "data_identifier": "bratslab_synth_small",
        "preprocessor_name": "crop to non-zero, per-channel z-score in the brain",
        "batch_size": args.batch,
        "patch_size": list(args.patch),
        "spacing": spacing,
        "normalization_schemes": ["ZScoreNormalization"] * 4,
        "use_mask_for_norm": [True] * 4,
        "UNet_class_name": "PlainConvUNet",
        "features_per_stage": list(args.features),
        "n_conv_per_stage": [2] * len(args.features),
        "strides": [1] + [2] * (len(args.features) - 1),
        "parameters": count_parameters(model),
        "regions": list(REGIONS),
        "num_epochs": args.epochs,
        "num_iterations_per_epoch": args.iters,
        "num_val_iterations_per_epoch": args.val_iters,
        "initial_lr": args.initial_lr,
        "training_data_mix": mix,
        "seed": args.seed,
    }
    log("This is the configuration used by this training:", add_timestamp=False)
    log("Configuration name: 3d_lowres_cpu", add_timestamp=False)
    log(config, add_timestamp=False)
    log("These are the global plan.json settings:", add_timestamp=False)
    log({"dataset_name": os.path.basename(os.path.normpath(args.data)), "plans_name": "bratslabPlans", "label_scheme": "nnunet137"}, add_timestamp=False)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)

    opt = torch.optim.SGD(model.parameters(), lr=args.initial_lr, momentum=0.99, nesterov=True, weight_decay=3e-5)
    bce = torch.nn.BCEWithLogitsLoss()
    ema = None
    best = None
    first = 0
    if args.resume:
        # nnU-Net's --c: weights, optimiser and logger state come back and the epoch count continues
        # (nnUNetTrainer.load_checkpoint); the LR follows from the epoch number.
        state = torch.load(os.path.join(args.resume, "checkpoint_latest.pth"), map_location="cpu")
        model.load_state_dict(state)
        opt.load_state_dict(torch.load(os.path.join(args.resume, "optimizer_latest.pth"), map_location="cpu"))
        with open(os.path.join(args.resume, "resume.json")) as f:
            saved = json.load(f)
        first, ema, best = saved["next_epoch"], saved["ema"], saved["best"]
    for epoch in range(first, args.epochs):
        start = time.time()
        lr = poly_lr(args.initial_lr, epoch - first if args.fault_resume_restart_lr else epoch, args.epochs)
        for g in opt.param_groups:
            g["lr"] = lr
        log("")
        log(f"Epoch {epoch}")
        log(f"Current learning rate: {np.round(opt.param_groups[0]['lr'], decimals=5)}")
        model.train()
        losses = []
        for _ in range(args.iters):
            x, y = batch(train_cases, args.patch, args.batch, rng, augment=True, mix=mix, ref=looks)
            if 0 <= args.fault_nan_epoch <= epoch:
                x[0, :, 0, 0, 0] = float("nan")
            opt.zero_grad()
            out = model(x)
            loss = bce(out, y) - soft_dice(torch.sigmoid(out), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 12)
            opt.step()
            losses.append(loss.detach().numpy())
        model.eval()
        vlosses, tp, fp, fn = [], np.zeros(3), np.zeros(3), np.zeros(3)
        vrng = np.random.default_rng(args.seed + 1)  # the same validation patches every epoch
        with torch.no_grad():
            for _ in range(args.val_iters):
                x, y = batch(val_cases, args.patch, args.batch, vrng, augment=False)
                out = model(x)
                vlosses.append((bce(out, y) - soft_dice(torch.sigmoid(out), y)).numpy())
                pred = (torch.sigmoid(out) > 0.5).numpy()
                ref = y.numpy() > 0.5
                tp += (pred & ref).sum((0, 2, 3, 4))
                fp += (pred & ~ref).sum((0, 2, 3, 4))
                fn += (~pred & ref).sum((0, 2, 3, 4))
        with np.errstate(invalid="ignore", divide="ignore"):
            pseudo = [2 * a / (2 * a + b + c) for a, b, c in zip(tp, fp, fn)]
        mean_fg = np.nanmean(pseudo) if not np.all(np.isnan(pseudo)) else np.nan
        ema = mean_fg if ema is None else 0.9 * ema + 0.1 * mean_fg
        log("train_loss", np.round(np.mean(losses, dtype=np.float32), decimals=4))
        log("val_loss", np.round(np.mean(vlosses, dtype=np.float32), decimals=4))
        log("Pseudo dice", [np.round(d, decimals=4) for d in pseudo])
        log(f"Epoch time: {np.round(time.time() - start, decimals=2)} s")
        if best is None or ema > best:
            best = ema
            log(f"Yayy! New best EMA pseudo Dice: {np.round(best, decimals=4)}")
            torch.save(model.state_dict(), os.path.join(args.out, "checkpoint_best.pth"))
        torch.save(model.state_dict(), os.path.join(args.out, "checkpoint_latest.pth"))
        torch.save(opt.state_dict(), os.path.join(args.out, "optimizer_latest.pth"))
        with open(os.path.join(args.out, "resume.json"), "w") as f:
            json.dump({"next_epoch": epoch + 1, "ema": None if ema is None else float(ema), "best": None if best is None else float(best)}, f)
        if args.stop_after and epoch + 1 - first >= args.stop_after:
            return
    torch.save(model.state_dict(), os.path.join(args.out, "checkpoint_final.pth"))
    log("Training done.")
    if args.no_final_validation:
        return
    log("Creating new 5-fold cross-validation split...")
    log(f"Desired fold for training: {args.fold}")
    log(f"This split has {len(tr_ids)} training and {len(val_ids)} validation cases.")
    model.eval()
    scores = []
    for case in val_cases:
        log(f"predicting {case['id']}")
        logits = sliding_window(model, case["data"], args.patch, 0.5)
        pred_regions = labels_from_regions(logits > 0)
        pred = np.stack([pred_regions > 0, pred_regions >= 2, pred_regions == 3])
        ref = case["regions"] > 0.5
        scores.append([dice(pred[i], ref[i]) for i in range(3)])
    log("Validation complete")
    log("Mean Validation Dice: ", float(np.mean(scores)))


if __name__ == "__main__":
    main()
