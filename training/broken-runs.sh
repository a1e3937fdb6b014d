#!/usr/bin/env bash
# The log lab's broken runs: the course trainer, short, in configurations that fail the way lesson 10
# describes. Each writes its log to public/data/runs/<name>/. Needs the training data of train.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${BRATSLAB_MODEL_WORK:-/tmp/bratslab-model}"
DATA="$WORK/train/Dataset501_Synth"
OUT=public/data/runs
PY="${PYTHON:-/usr/bin/python3}"
COMMON=(--mix generator:1 --iters 10 --val-iters 3 --patch 32 32 32 --train-cases 16 --no-final-validation)
SHORT=(--epochs 8 "${COMMON[@]}")
LONGER=(--epochs 12 "${COMMON[@]}")
run() { local name=$1; shift; rm -rf "$WORK/broken/$name"; nice -n 10 "$PY" training/train.py --data "$DATA" --out "$WORK/broken/$name" "$@"; mkdir -p "$OUT/$name"; rm -f "$OUT/$name"/training_log_*.txt; cp "$WORK/broken/$name"/training_log_*.txt "$OUT/$name/"; }
run lr-too-high "${SHORT[@]}" --initial-lr 10
run labels-all-zero "${SHORT[@]}" --fault-zero-labels
run channels-shuffled "${SHORT[@]}" --fault-shuffle-channels
run nan-input "${SHORT[@]}" --fault-nan-epoch 4
run overfit-two-cases --mix generator:1 --epochs 40 --iters 10 --val-iters 3 --patch 32 32 32 --train-cases 2 --no-final-validation
# An interrupted run resumed with the schedule restarted: two log files, the second starting at epoch 6 with LR 0.01.
rm -rf "$WORK/broken/resume-lr-restart"
nice -n 10 "$PY" training/train.py --data "$DATA" --out "$WORK/broken/resume-lr-restart" "${LONGER[@]}" --stop-after 6
sleep 1  # log names carry the second: keep the two files apart
nice -n 10 "$PY" training/train.py --data "$DATA" --out "$WORK/broken/resume-lr-restart" "${LONGER[@]}" --resume "$WORK/broken/resume-lr-restart" --fault-resume-restart-lr
mkdir -p "$OUT/resume-lr-restart"; rm -f "$OUT/resume-lr-restart"/training_log_*.txt
cp "$WORK/broken/resume-lr-restart"/training_log_*.txt "$OUT/resume-lr-restart/"
