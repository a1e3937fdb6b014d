#!/usr/bin/env bash
# Exports the model trained by training/train.sh to public/data/model (ONNX; model.json with the
# measured Dice and, where ../shared/eval/real exists, the real test cases' Dice and HD95; the
# training log) and refreshes the export fixture of tests/unit/inference-onnx.test.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${BRATSLAB_MODEL_WORK:-/tmp/bratslab-model}"
PY="${PYTHON:-/usr/bin/python3}"
OUT=public/data/model
node scripts/build-cli.mjs  # evaluate.py scores HD95 with `bratslab evaluate`
"$PY" training/export.py --run "$WORK/run" --out "$OUT" --fixture tests/fixtures/inference
REAL=()
if [ -d ../shared/eval/real ]; then REAL=(--real ../shared/eval/real); fi
"$PY" training/evaluate.py --run "$WORK/run" --test "$WORK/test/Dataset501_Synth" --train "$WORK/train/Dataset501_Synth" \
  --samples public/data/samples --model-json "$OUT/model.json" --out "$WORK/metrics.json" "${REAL[@]}"
rm -f "$OUT"/training_log_*.txt
cp "$WORK"/run/training_log_*.txt "$OUT/"
echo "metrics: $WORK/metrics.json (model.json carries the real-case figures, never the cases themselves)"
