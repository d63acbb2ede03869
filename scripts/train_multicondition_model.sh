#!/usr/bin/env bash
# Builds models/emodb-best-mc, the model docs/analyze.md recommends for continuous and
# noisy audio (about a minute on 2 cores): the best recipe (configs/best.toml) trained on
# the whole EMO-DB copy (5 classes, 408 clips, 10 speakers, seed 1) and on a copy of each
# clip with pink noise at 20 dB SNR (multi-condition training). Not kept in git (20 MB of
# support vectors): this script makes it.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${SERAUG_EMODB:-../shared/data/emodb}
[ -x build/seraug ] || scripts/setup.sh
mkdir -p runs
[ -s runs/emodb_is10+compare.csv ] || build/seraug extract "$corpus" -o runs/emodb_is10+compare.csv --set is10+compare -q
[ -s runs/emodb_is10+compare_pink20.csv ] ||
  build/seraug extract "$corpus/wav" -o runs/emodb_is10+compare_pink20.csv --set is10+compare --perturb noise=20 --noise-color pink -q
build/seraug train runs/emodb_is10+compare.csv --train-copies runs/emodb_is10+compare_pink20.csv --recipe configs/best.toml \
  --seed 1 -o models/emodb-best-mc
