"""Sliding-window inference with Gaussian importance weighting, the same rules as the browser's
labs/inference/sliding.ts (and nnU-Net's nnunetv2/inference/sliding_window_prediction.py): windows
spread evenly with step = patch * (1 - overlap) (default 0.5, nnU-Net's tile_step_size), logits
weighted by a Gaussian with sigma = patch / 8 centred on the patch, summed and divided by the summed
weights. nnU-Net blurs a delta with scipy's gaussian_filter; the closed form here is the same curve
without the 4-sigma truncation. With mirror=True each window is also predicted flipped along every
combination of the three axes and the logits averaged (nnU-Net's test-time mirroring)."""
import itertools
import math

import numpy as np
import torch


def gaussian_importance(patch):
    axes = [np.exp(-((np.arange(p) - p // 2) ** 2) / (2 * (p / 8) ** 2)).astype(np.float32) for p in patch]
    return axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]


def window_starts(size: int, patch: int, overlap: float):
    if size <= patch:
        return [0]
    step = patch * (1 - overlap)
    n = int(math.ceil((size - patch) / step)) + 1
    actual = (size - patch) / (n - 1)
    # np.round rounds halves to even, as nnU-Net's compute_steps_for_sliding_window does.
    return [int(np.round(actual * i)) for i in range(n)]


def sliding_window(model, data: np.ndarray, patch, overlap: float = 0.5, mirror: bool = False) -> np.ndarray:
    """Region logits (3, *data.shape[1:]) for one preprocessed case (padding: zeros at the far end)."""
    flips = [c for k in (1, 2, 3) for c in itertools.combinations((2, 3, 4), k)] if mirror else []
    shape = data.shape[1:]
    pad = [(0, 0)] + [(0, max(0, p - s)) for p, s in zip(patch, shape)]
    padded = np.pad(data, pad)
    pshape = padded.shape[1:]
    g = gaussian_importance(patch)
    acc = np.zeros((3,) + pshape, dtype=np.float32)
    wsum = np.zeros(pshape, dtype=np.float32)
    with torch.no_grad():
        for z in window_starts(pshape[0], patch[0], overlap):
            for y in window_starts(pshape[1], patch[1], overlap):
                for x in window_starts(pshape[2], patch[2], overlap):
                    sl = (slice(z, z + patch[0]), slice(y, y + patch[1]), slice(x, x + patch[2]))
                    inp = torch.from_numpy(np.ascontiguousarray(padded[(slice(None),) + sl][None]))
                    out = model(inp)
                    for axes in flips:
                        out = out + torch.flip(model(torch.flip(inp, axes)), axes)
                    acc[(slice(None),) + sl] += (out[0] / (len(flips) + 1)).numpy() * g
                    wsum[sl] += g
    logits = acc / wsum
    return logits[(slice(None),) + tuple(slice(0, s) for s in shape)]


def dice(pred: np.ndarray, ref: np.ndarray) -> float:
    """BraTS convention: both empty -> 1."""
    inter = np.logical_and(pred, ref).sum()
    total = pred.sum() + ref.sum()
    return 1.0 if total == 0 else float(2 * inter / total)
