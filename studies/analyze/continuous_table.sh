#!/usr/bin/env bash
# The continuous-audio protocol of docs/analyze.md ("An honest protocol for continuous
# audio"): the best recipe's LOSO models on constructed recordings of EMO-DB, by SNR
# (babble noise) and with two speakers on one channel, both self-enrolment scopes,
# seeds 1-3, trained on the clean clips and (multi-condition) also on their copies with
# pink noise at 20 dB; and the VAD frame scores. Writes studies/analyze/results/.
# `CONDITIONS="copies"` runs only the multi-condition part.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=runs/recipes
source studies/recipes/extract_sets.sh
results=studies/analyze/results
mkdir -p "$results"
for set in is10 compare; do
  [ -s "$out/${set}_pink20.csv" ] ||
    "$seraug" extract "$corpus/wav" --set "$set" --perturb noise=20 --noise-color pink -o "$out/${set}_pink20.csv" --quiet
done
run() {  # run NAME SCOPE [flags...]
  local name=$1 scope=$2
  shift 2
  "$seraug" continuous eval "$out/is10.csv" "$out/compare.csv" --recipe configs/best.toml --seeds 1,2,3 --snr 30,20,10 \
    --enroll-scope "$scope" --json "$results/$name.json" -q "$@" | tee "$results/$name.txt"
}
for scope in recording online; do
  run "continuous_copies_$scope" "$scope" --train-copies "$out/is10_pink20.csv" --train-copies "$out/compare_pink20.csv"
done
[ "${CONDITIONS:-all}" = copies ] && exit 0
for scope in online recording; do run "continuous_$scope" "$scope"; done
"$seraug" continuous vad --seeds 2,3 --json "$results/vad.json" -q | tee "$results/vad.txt"
