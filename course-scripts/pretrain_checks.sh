#!/usr/bin/env bash
# Pre-training checks for an nnU-Net v2 BraTS 2021 run, in the order that fails cheapest:
#   1 check    the machine: the three nnU-Net folders, free disk space, the tools
#   2 convert  raw BraTS 2021 -> nnUNet_raw/DatasetXXX_Name, then check every image and label file
#   3 preprocess with nnU-Net's integrity check
#   4 split    write splits_final.json grouped by patient
#   5 audit    read the written split back and check it
# Any failing step stops the script (set -e) with a non-zero exit status, so nothing later runs on a
# dataset that failed an earlier check.
#
# Usage:
#   bash pretrain_checks.sh BRATS_DIR [PATIENTS_CSV]
# BRATS_DIR     the unpacked BraTS 2021 training data (one folder per case; BraTS 2017-2019 HGG/ and
#               LGG/ sub-folders work too)
# PATIENTS_CSV  optional case,patient table; without it every case counts as its own patient, which
#               is right for BraTS 2021 alone (one scan per patient) and wrong for follow-up scans.
#
# Settings (environment variables, defaults in brackets):
#   DATASET_ID [137]  DATASET_NAME [BraTS2021]  SCHEME [nnunet137]  CONFIG [3d_fullres]
#   MIN_FREE_GB [80]  free space needed where nnUNet_preprocessed lives: 3d_fullres preprocessing of
#                     the 1,251 BraTS 2021 cases takes at most about 62 GB (lesson 8 shows the sum)
#   EXPECT_SHAPE ["240 240 155"]  EXPECT_SPACING ["1 1 1"]  every image must have these
#   PYTHON [python3]  BRATSLAB [bratslab]  how to run the course CLI, e.g. "node ~/bratslab.mjs"
#   SCRIPTS [this script's folder]  where convert_brats2021.py, verify_nifti.py, check_labels.py are
set -euo pipefail

step() { printf '\n== %s\n' "$*"; }
die() { printf 'STOP: %s\n' "$*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: bash pretrain_checks.sh BRATS_DIR [PATIENTS_CSV]" >&2; exit 2; }
BRATS_DIR=$1
PATIENTS_CSV=${2:-}
DATASET_ID=${DATASET_ID:-137}
DATASET_NAME=${DATASET_NAME:-BraTS2021}
SCHEME=${SCHEME:-nnunet137}
CONFIG=${CONFIG:-3d_fullres}
MIN_FREE_GB=${MIN_FREE_GB:-80}
EXPECT_SHAPE=${EXPECT_SHAPE:-240 240 155}
EXPECT_SPACING=${EXPECT_SPACING:-1 1 1}
PYTHON=${PYTHON:-python3}
SCRIPTS=${SCRIPTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
read -r -a BRATSLAB_CMD <<< "${BRATSLAB:-bratslab}"
bratslab() { "${BRATSLAB_CMD[@]}" "$@"; }

DATASET=$(printf 'Dataset%03d_%s' "$DATASET_ID" "$DATASET_NAME")

step "1/5 check: folders, disk space, tools"
for var in nnUNet_raw nnUNet_preprocessed nnUNet_results; do
  [ -n "${!var:-}" ] || die "\$$var is not set; export it in this shell or job script (lesson 1)"
  mkdir -p "${!var}"
  [ -w "${!var}" ] || die "\$$var=${!var} is not writable"
  echo "$var=${!var}"
done
free_kb=$(df -Pk "$nnUNet_preprocessed" | awk 'NR == 2 { print $4 }')
free_gb=$((free_kb / 1024 / 1024))
echo "free space on the nnUNet_preprocessed disk: $free_gb GB (need $MIN_FREE_GB GB)"
[ "$free_gb" -ge "$MIN_FREE_GB" ] || die "only $free_gb GB free where \$nnUNet_preprocessed lives; free space or set MIN_FREE_GB"
for tool in nnUNetv2_plan_and_preprocess nnUNetv2_train; do
  command -v "$tool" > /dev/null || die "$tool not found: activate the virtual environment with nnunetv2 (lesson 8)"
done
"$PYTHON" -c 'import nibabel, numpy' || die "$PYTHON cannot import nibabel and numpy (pip install nibabel numpy)"
bratslab --version > /dev/null || die "the course CLI does not run; set BRATSLAB, e.g. BRATSLAB=\"node ~/bratslab.mjs\""
[ -d "$BRATS_DIR" ] || die "$BRATS_DIR: not a folder"
[ -z "$PATIENTS_CSV" ] || [ -f "$PATIENTS_CSV" ] || die "$PATIENTS_CSV: no such file"

step "2/5 convert: $BRATS_DIR -> \$nnUNet_raw/$DATASET (scheme $SCHEME), then check every file"
if [ -e "$nnUNet_raw/$DATASET" ]; then
  echo "$nnUNet_raw/$DATASET exists: checking it as it is (delete it to convert again)"
else
  "$PYTHON" "$SCRIPTS/convert_brats2021.py" "$BRATS_DIR" "$nnUNet_raw" --id "$DATASET_ID" --name "$DATASET_NAME" --scheme "$SCHEME"
fi
read -r -a shape <<< "$EXPECT_SHAPE"
read -r -a spacing <<< "$EXPECT_SPACING"
# Every image file, each compared with the expected grid and with the first file; only files with a
# problem and the summary are printed (pipefail keeps the checker's exit status).
"$PYTHON" "$SCRIPTS/verify_nifti.py" "$nnUNet_raw/$DATASET/imagesTr" --expect-shape "${shape[@]}" --expect-spacing "${spacing[@]}" \
  | awk '/^ +- / { if (file != "") print file; file = ""; print; next } { file = $0 } END { print file }'
# Every label file; the OK lines are left out.
"$PYTHON" "$SCRIPTS/check_labels.py" "$nnUNet_raw/$DATASET" | grep -v '^OK '

bratslab check "$nnUNet_raw/$DATASET"

step "3/5 preprocess: nnUNetv2_plan_and_preprocess -d $DATASET_ID -c $CONFIG --verify_dataset_integrity"
nnUNetv2_plan_and_preprocess -d "$DATASET_ID" -c "$CONFIG" --verify_dataset_integrity

SPLIT="$nnUNet_preprocessed/$DATASET/splits_final.json"
groups=()
[ -z "$PATIENTS_CSV" ] || groups=(--groups "$PATIENTS_CSV")
step "4/5 split: write $SPLIT ${PATIENTS_CSV:+grouped by the patients in $PATIENTS_CSV}"
# --force: the split is recomputed from the case list and the table, so rewriting it is safe.
bratslab splits "$nnUNet_raw/$DATASET" ${groups[@]+"${groups[@]}"} --force
# A copy next to the raw data survives deleting nnUNet_preprocessed (lesson 11).
cp "$SPLIT" "$nnUNet_raw/$DATASET/splits_final.json"

step "5/5 audit: read $SPLIT back"
bratslab splits "$nnUNet_raw/$DATASET" ${groups[@]+"${groups[@]}"} --check "$SPLIT"

printf '\nAll checks passed. Train fold 0 with:\n  nnUNetv2_train %s %s 0\n' "$DATASET_ID" "$CONFIG"
