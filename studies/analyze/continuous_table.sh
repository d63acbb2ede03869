#!/usr/bin/env bash
# The continuous-audio protocol of docs/analyze.md ("An honest protocol for continuous
# audio"): the best recipe's LOSO models on constructed recordings of EMO-DB, by SNR
# (babble noise) and with two speakers on one channel, both self-enrolment scopes,
# seeds 1-3; and the VAD frame scores. Writes studies/analyze/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=runs/recipes
source studies/recipes/extract_sets.sh
results=studies/analyze/results
mkdir -p "$results"
for scope in online recording; do
  "$seraug" continuous eval "$out/is10.csv" "$out/compare.csv" --recipe configs/best.toml --seeds 1,2,3 --snr 30,20,10 \
    --enroll-scope "$scope" --json "$results/continuous_$scope.json" -q | tee "$results/continuous_$scope.txt"
done
"$seraug" continuous vad --seeds 2,3 --json "$results/vad.json" -q | tee "$results/vad.txt"
