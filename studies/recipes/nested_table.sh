#!/usr/bin/env bash
# Honest selection among the recipe table's 12 candidates (docs/evaluation.md, "Choosing
# the recipe honestly"): LOSO on EMO-DB's 5 classes; inside each outer fold the candidate
# with the best pooled UAR over 3 speaker-grouped folds of the 9 training speakers is
# chosen and predicts the test speaker. Prints each candidate's outer score, the best of
# them (optimistic) and the nested score (honest), with a paired sign-flip test.
#   studies/recipes/nested_table.sh [OUT] [REPEATS]   (default runs/recipes, 3 seeds;
#   SERAUG=binary; about 45 minutes per seed on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/recipes}
repeats=${2:-3}
. studies/recipes/extract_sets.sh
recipes=()
for r in studies/recipes/candidates/r{01,02,03,04,05,06,07,08,09,10,11,12}.toml; do recipes+=(--recipe "$r"); done
# The fused table's blocks are named by the files' stems: is09, is10, compare.
"$seraug" evaluate "$out/is09.csv" "$out/is10.csv" "$out/compare.csv" "${recipes[@]}" --selection-folds 3 \
  --repeats "$repeats" --seed 1 --jobs 2 --json "$out/nested.json" | tee "$out/nested.txt"
