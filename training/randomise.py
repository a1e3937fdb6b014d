"""Domain-randomised training patches: new images painted from the generator's tissue maps.

The technique is SynthSeg's (Billot et al., "SynthSeg: Segmentation of brain MRI scans of any
contrast and resolution without retraining", Medical Image Analysis 86:102789, 2023): instead of
learning one look of the tissues, the network sees every patch with freshly drawn intensities per
tissue class and channel, a random bias field, blur, noise and contrast curve, on a randomly
rotated and scaled anatomy. What stays constant across draws is shape and layout, so that is what
it has to learn; a real scanner's contrast is then one more draw.

Two intensity modes:
- "ordered": each class's mean is the generator's own (measured from its images) times a log-normal
  factor, redrawn until the radiological orderings below hold (T2: CSF > edema > grey > white;
  FLAIR: edema > grey > white, CSF dark; T1ce: enhancing tumour well above white matter and more
  above it than on T1 ...). Relative contrast between channels keeps its meaning.
- "random": every mean drawn uniformly, as SynthSeg does; only shape tells the classes apart.

The tissue codes are labs/synth/case.ts's TISSUE_CODES; voxels the generator calls mixed (255)
take the class of the nearest pure voxel.
"""
import os

import nibabel as nib
import numpy as np
from scipy import ndimage

# TISSUE_CODES of labs/synth/case.ts (255 = mixed).
BG, CSF, GM, WM, DEEP, ED, NCR, ET, VESSEL, PLEXUS, BLEED = range(11)
CLASSES = 11
MIXED = 255
T1, T1CE, T2, FLAIR = range(4)

# (channel, brighter class, darker class, factor): mean[brighter] >= factor * mean[darker].
ORDER = [
    (T1, WM, GM, 1.08), (T1, GM, CSF, 1.3), (T1, WM, ED, 1.05), (T1, GM, NCR, 1.1), (T1, BLEED, WM, 1.1), (T1, WM, ET, 1.0),
    (T1CE, ET, WM, 1.2), (T1CE, WM, GM, 1.05), (T1CE, GM, CSF, 1.3), (T1CE, GM, NCR, 1.2), (T1CE, PLEXUS, WM, 1.15),
    (T1CE, VESSEL, WM, 1.15), (T1CE, BLEED, WM, 1.1),
    (T2, CSF, ED, 1.05), (T2, ED, GM, 1.1), (T2, GM, WM, 1.1), (T2, NCR, GM, 1.1), (T2, GM, VESSEL, 1.2),
    (FLAIR, ED, GM, 1.15), (FLAIR, GM, WM, 1.05), (FLAIR, GM, CSF, 1.5), (FLAIR, ED, WM, 1.3),
]
# Enhancement: ET's T1ce/WM ratio exceeds its T1/WM ratio by at least this much.
ENHANCEMENT_MARGIN = 0.25


def fill_mixed(tissue: np.ndarray) -> np.ndarray:
    mixed = tissue == MIXED
    if not mixed.any():
        return tissue
    idx = ndimage.distance_transform_edt(mixed, return_distances=False, return_indices=True)
    return tissue[tuple(idx)]


def class_means(images: np.ndarray, tissue: np.ndarray) -> np.ndarray:
    """Mean raw intensity of each pure class per channel (4, CLASSES); NaN where a class is absent."""
    out = np.full((images.shape[0], CLASSES), np.nan)
    for k in range(1, CLASSES):
        sel = tissue == k
        if sel.any():
            out[:, k] = images[:, sel].mean(axis=1)
    return out


def reference_means(cases) -> np.ndarray:
    """The generator's look: class means over the training cases, each channel scaled to white matter 1."""
    rel = []
    for c in cases:
        m = c["means"]
        rel.append(m / m[:, WM:WM + 1])
    rel = np.stack(rel)
    # A class no case shows (at 3 mm the plexus can vanish) gets white matter's brightness.
    seen = ~np.all(np.isnan(rel), axis=0)
    ref = np.ones(rel.shape[1:])
    ref[seen] = np.nanmedian(rel[:, seen], axis=0)
    ref[:, BG] = 0
    return ref


def holds(mu: np.ndarray) -> bool:
    for ch, a, b, f in ORDER:
        if mu[ch, a] < f * mu[ch, b]:
            return False
    return mu[T1CE, ET] / mu[T1CE, WM] >= mu[T1, ET] / mu[T1, WM] + ENHANCEMENT_MARGIN


def draw_means(mode: str, ref: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Class means (4, CLASSES), background 0."""
    if mode == "random":
        mu = rng.uniform(0.05, 1.0, size=ref.shape)
    else:
        for _ in range(200):
            mu = ref * np.exp(rng.normal(0, 0.3, size=ref.shape))
            if holds(mu):
                break
        else:
            mu = ref.copy()
    mu[:, BG] = 0
    return mu


def smooth_field(shape, rng, amplitude, grid=4):
    """A smooth random field exp(N(0, amplitude)) upsampled from a coarse grid: the bias field."""
    coarse = rng.normal(0, amplitude, size=(grid, grid, grid))
    return np.exp(ndimage.zoom(coarse, [s / grid for s in shape], order=3, mode="nearest", grid_mode=True))


def spatial_coords(centre, patch, rng, p_rot=0.3, p_scale=0.3):
    """Coordinates (3, *patch) in the volume for a patch around `centre`, rotated and scaled at random."""
    grid = np.stack(np.meshgrid(*[np.arange(p) - (p - 1) / 2 for p in patch], indexing="ij")).reshape(3, -1)
    m = np.eye(3)
    if rng.random() < p_rot:
        for axes in ((0, 1), (0, 2), (1, 2)):
            a = np.deg2rad(rng.uniform(-15, 15))
            r = np.eye(3)
            r[axes[0], axes[0]] = r[axes[1], axes[1]] = np.cos(a)
            r[axes[0], axes[1]], r[axes[1], axes[0]] = -np.sin(a), np.sin(a)
            m = m @ r
    if rng.random() < p_scale:
        m = m * rng.uniform(0.8, 1.25)
    return (m @ grid + np.asarray(centre, dtype=float)[:, None]).reshape((3, *patch))


def paint(tissue_patch: np.ndarray, case, mode: str, ref: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Four z-scored channels for a tissue-map patch, with this draw's contrast and artefacts."""
    mu = draw_means(mode, ref, rng)
    # Contrast curve: a gamma per channel on the class means (scaled to the channel's brightest class).
    for c in range(4):
        top = mu[c].max()
        mu[c] = (mu[c] / top) ** np.exp(rng.normal(0, 0.25)) * top
    sd = mu * rng.uniform(0.02, 0.12, size=mu.shape)
    counts = case["counts"]
    brain = counts[1:].sum()
    out = np.empty((4, *tissue_patch.shape), dtype=np.float32)
    inside = tissue_patch > 0
    for c in range(4):
        img = mu[c][tissue_patch] + sd[c][tissue_patch] * rng.standard_normal(tissue_patch.shape)
        before = img[inside].var() if inside.any() else 1.0
        sigma = rng.uniform(0, 1.0, size=3)
        if rng.random() < 0.25:  # thick slices along one axis
            sigma[rng.integers(3)] = rng.uniform(1.0, 2.0)
        # Blur inside the brain only (normalised convolution), so that the mean stays the mixture's.
        weight = ndimage.gaussian_filter(inside.astype(np.float64), sigma, mode="nearest")
        img = ndimage.gaussian_filter(np.where(inside, img, 0), sigma, mode="nearest") / np.maximum(weight, 1e-3)
        field = smooth_field(img.shape, rng, rng.uniform(0, 0.25))
        if inside.any():
            field /= field[inside].mean()  # a bias field shades; it does not change the overall gain
        img *= field
        # Whole-brain z-score as at inference: mean and variance of the class mixture over the whole
        # brain (a patch's own statistics would depend on where it lies), the variance scaled by what
        # blur, bias and noise did to this patch's variance.
        mean = (counts[1:] * mu[c, 1:]).sum() / brain
        img += rng.normal(0, rng.uniform(0, 0.05) * mean, size=img.shape)
        after = img[inside].var() if inside.any() else 1.0
        var = ((counts[1:] * (mu[c, 1:] ** 2 + sd[c, 1:] ** 2)).sum() / brain - mean**2) * after / max(before, 1e-12)
        out[c] = np.where(inside, (img - mean) / np.sqrt(max(var, 1e-12)), 0)
    return out


def load_tissue_case(dataset_dir: str, case: dict) -> dict:
    """Adds the filled tissue map, its class counts and the generator's class means to a loaded case.
    The tissue map is cropped with the case's non-zero box, like its images (data.preprocess)."""
    t = np.asarray(nib.load(os.path.join(dataset_dir, "tissueTr", f"{case['id']}.nii.gz")).dataobj, dtype=np.uint8)
    t = np.ascontiguousarray(t.transpose(2, 1, 0))[case["box"]]
    case["means"] = class_means(case.pop("raw"), t)
    filled = fill_mixed(t)
    case["tissue"] = filled
    case["counts"] = np.bincount(filled.ravel(), minlength=CLASSES).astype(np.float64)
    return case


def randomised_patch(case, patch, mode, ref, rng, force_fg: bool):
    """(image (4, *patch), regions (3, *patch)) for one case, painted in `mode`."""
    seg = case["seg"]
    fg = np.argwhere(seg > 0) if force_fg else None
    if fg is not None and len(fg):
        centre = fg[rng.integers(len(fg))]
    else:
        centre = [rng.uniform(p / 2, max(p / 2, s - p / 2)) for p, s in zip(patch, seg.shape)]
    coords = spatial_coords(centre, patch, rng)
    tissue = ndimage.map_coordinates(case["tissue"], coords, order=0, mode="constant", cval=0)
    labels = ndimage.map_coordinates(seg, coords, order=0, mode="constant", cval=0)
    x = paint(tissue, case, mode, ref, rng)
    y = np.stack([labels > 0, (labels == 2) | (labels == 3), labels == 3]).astype(np.float32)
    for axis in (1, 2, 3):
        if rng.random() < 0.5:
            x = np.flip(x, axis)
            y = np.flip(y, axis)
    return np.ascontiguousarray(x), np.ascontiguousarray(y)
