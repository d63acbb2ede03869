#!/usr/bin/env bash
# Rebuilds the models shipped in models/ from the whole EMO-DB copy (5 classes, 408
# clips, 10 speakers), seed 1:
#   models/emodb-best     the best recipe (configs/best.toml): IS10+ComParE, per-speaker
#                         z-score, in-fold F-score selection, RBF SVM, balanced weights;
#                         predict it with --enroll clips of the new speaker
#   models/emodb-is09-svm IS09, global z-score, linear SVM (small; no enrolment needed)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${SERAUG_EMODB:-../shared/data/emodb}
mkdir -p runs
build/seraug extract "$corpus" -o runs/emodb_is10+compare.csv --set is10+compare -q
build/seraug train runs/emodb_is10+compare.csv --recipe configs/best.toml --seed 1 -o models/emodb-best
build/seraug extract "$corpus" -o runs/emodb_is09.csv --set is09 -q
build/seraug train runs/emodb_is09.csv --classifier svm --seed 1 -o models/emodb-is09-svm
