"""Export the trained U-Net to ONNX (opset 17, dynamic spatial axes) and write what the browser needs:
model.onnx, model.json (the pipeline block: spacing, patch, network shape, tensor names) and, with
--fixture, a small input and PyTorch's output for the faithful-export test."""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unet import REGIONS, UNet3D, count_parameters, for_export  # noqa: E402

INPUT, OUTPUT = "image", "logits"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run", required=True, help="training output folder (config.json, checkpoint_final.pth)")
    p.add_argument("--out", required=True, help="folder for model.onnx and model.json")
    p.add_argument("--checkpoint", default="checkpoint_final.pth")
    p.add_argument("--fixture", help="folder for the export fixture (input.f32, output.f32, fixture.json)")
    args = p.parse_args(argv)

    with open(os.path.join(args.run, "config.json")) as f:
        config = json.load(f)
    model = UNet3D(features=config["features_per_stage"])
    model.load_state_dict(torch.load(os.path.join(args.run, args.checkpoint), map_location="cpu"))
    model.eval()
    parameters = count_parameters(model)
    if args.fixture:
        # From the trained network as it was trained (before the export rewrite); a non-cubic shape
        # checks the dynamic axes; values from a seeded normal like z-scored data.
        shape = (1, 4, 8, 16, 8)
        x = np.random.default_rng(7).normal(size=shape).astype(np.float32)
        with torch.no_grad():
            y = model(torch.from_numpy(x)).numpy().astype(np.float32)
        os.makedirs(args.fixture, exist_ok=True)
        x.tofile(os.path.join(args.fixture, "input.f32"))
        y.tofile(os.path.join(args.fixture, "output.f32"))
        with open(os.path.join(args.fixture, "fixture.json"), "w") as f:
            json.dump({"inputShape": list(shape), "outputShape": list(y.shape), "producedBy": "PyTorch " + torch.__version__ + ", training/export.py"}, f, indent=2)
            f.write("\n")

    check = torch.from_numpy(np.random.default_rng(3).normal(size=(1, 4, 16, 24, 16)).astype(np.float32))
    with torch.no_grad():
        before = model(check)
        model = for_export(model).eval()
        diff = float((model(check) - before).abs().max())
    assert diff < 1e-4, f"export rewrite changed the output by {diff}"
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "model.onnx")
    patch = config["patch_size"]
    dummy = torch.zeros(1, 4, *patch)
    axes = {0: "batch", 2: "z", 3: "y", 4: "x"}
    torch.onnx.export(model, dummy, path, opset_version=17, input_names=[INPUT], output_names=[OUTPUT],
                      dynamic_axes={INPUT: axes, OUTPUT: axes}, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))

    spec = {
        "schemaVersion": 1,
        "file": "model.onnx",
        "input": INPUT,
        "output": OUTPUT,
        "opset": 17,
        "channels": ["T1", "T1ce", "T2", "FLAIR"],
        "regions": list(REGIONS),
        "regionsClassOrder": "WT paints edema, TC necrosis, ET enhancing (nnU-Net Dataset137 order [1, 2, 3])",
        # Voxel axes of the training data (BraTS's grid: x to the left, y to the back, z up);
        # labs/inference reorients other cases to it.
        "orientation": "LPS",
        # (z, y, x) like the pipeline; the training data is isotropic.
        "spacing": config["spacing"],
        "patch": patch,
        "patchDivisor": model.divisor,
        "net": {"inChannels": 4, "outChannels": len(REGIONS), "features": config["features_per_stage"]},
        "parameters": parameters,
        # Post-processing of evaluate.py and labs/inference (suppressSmallEnhancing).
        "minEnhancingMl": 0.2,
        "bytes": os.path.getsize(path),
    }
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")

    print(f"wrote {path} ({spec['bytes']} bytes, {spec['parameters']} parameters)")


if __name__ == "__main__":
    main()
