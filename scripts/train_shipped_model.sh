#!/usr/bin/env bash
# Rebuilds the small model shipped in models/emodb-is09-svm: IS09 features of the whole
# EMO-DB copy (5 classes, 408 clips, 10 speakers), linear SVM with C chosen by
# speaker-grouped cross-validation, seed 1.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${SERAUG_EMODB:-../shared/data/emodb}
mkdir -p runs
build/seraug extract "$corpus" -o runs/emodb_is09.csv --set is09 -q
build/seraug train runs/emodb_is09.csv --classifier svm --seed 1 -o models/emodb-is09-svm
