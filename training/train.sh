#!/usr/bin/env bash
# Reproduces the inference lab's model: generates the training cases (seeds 1000-1079, scanners a
# and b) and the held-out cases (seeds 3000-3011, scanner c, never seen in training), both with the
# generator's tissue maps (training/randomise.py paints new images from them), then trains on one
# CPU core (pass `--threads 2` for two). The site's sample cases use seeds 90004-90007, disjoint
# from both.
# Work folder: $BRATSLAB_MODEL_WORK (default /tmp/bratslab-model). The model card gives the time.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${BRATSLAB_MODEL_WORK:-/tmp/bratslab-model}"
PY="${PYTHON:-/usr/bin/python3}"
node scripts/build-cli.mjs
rm -rf "$WORK/train" "$WORK/test" "$WORK/run"
node dist-cli/bratslab.mjs synth "$WORK/train" --layout nnunet --size small --seeds 1000-1079 --scanner a,b --tissue
node dist-cli/bratslab.mjs synth "$WORK/test" --layout nnunet --size small --seeds 3000-3011 --scanner c --tissue
nice -n 10 "$PY" training/train.py --data "$WORK/train/Dataset501_Synth" --out "$WORK/run" "$@"
