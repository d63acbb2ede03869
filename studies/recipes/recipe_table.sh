#!/usr/bin/env bash
# The recipe table of docs/evaluation.md ("The best recipe"): feature set x classifier x
# normalisation x selection x class weights x fusion, LOSO, the paper's 5 classes, seeds
# 1-3, --threads 2; p: paired sign-flip test of per-speaker UAR against ComParE + svm-ovo
# + speaker norm, Holm-corrected over the rows (studies/tools/eval_table.py).
#   studies/recipes/recipe_table.sh [OUT]   (default runs/recipes; SERAUG=binary; about 40 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/recipes}
. studies/recipes/extract_sets.sh
F=$out
SEL=(--select-keep 500,1000,2000,4000,all)
run() {  # name, evaluate arguments...
  local name=$1
  shift
  [ -s "$out/$name.json" ] || "$seraug" evaluate "$@" --repeats 3 --seed 1 --threads 2 --json "$out/$name.json" > /dev/null
}
run r01 "$F/is09.csv" --classifier svm --norm global
run r02 "$F/is10.csv" --classifier svm-ovo --norm speaker
run r03 "$F/compare.csv" --classifier svm-ovo --norm speaker
run r04 "$F/compare.csv" --classifier svm-rbf --norm speaker
run r05 "$F/is10.csv" "$F/compare.csv" --classifier svm-ovo --norm speaker
run r06 "$F/is10.csv" "$F/compare.csv" --classifier svm-ovo --norm speaker "${SEL[@]}" --balanced
run r07 "$F/is10.csv" "$F/compare.csv" --classifier svm-ovo --norm speaker "${SEL[@]}" --balanced --fusion late
run r08 "$F/is10.csv" "$F/compare.csv" --classifier svm-rbf --norm speaker
run r09 "$F/is10.csv" "$F/compare.csv" --classifier svm-rbf --norm speaker "${SEL[@]}"
run r10 "$F/is10.csv" "$F/compare.csv" --classifier svm-rbf --norm speaker "${SEL[@]}" --balanced
run r11 "$F/is10.csv" "$F/compare.csv" --classifier svm-rbf --norm global "${SEL[@]}" --balanced
run r12 "$F/is10.csv" "$F/compare.csv" --classifier svm-rbf --norm speaker "${SEL[@]}" --balanced --fusion late
/usr/bin/python3 studies/tools/eval_table.py "$out"/r03.json "$out"/r{01,02,04,05,06,07,08,09,10,11,12}.json \
  --header "features | classifier | norm | selection | balanced | fusion" \
  --labels "ComParE | svm-ovo | speaker | – | – | – (p baseline)" "IS09 | svm | global | – | – | – (the paper's recipe)" \
  "IS10 | svm-ovo | speaker | – | – | –" "ComParE | svm-rbf | speaker | – | – | –" "IS10+ComParE | svm-ovo | speaker | – | – | early" \
  "IS10+ComParE | svm-ovo | speaker | F-score | yes | early" "IS10+ComParE | svm-ovo | speaker | F-score | yes | late" \
  "IS10+ComParE | svm-rbf | speaker | – | – | early" "IS10+ComParE | svm-rbf | speaker | F-score | – | early" \
  "**IS10+ComParE** | **svm-rbf** | **speaker** | **F-score** | **yes** | **early (best)**" \
  "IS10+ComParE | svm-rbf | global | F-score | yes | early" "IS10+ComParE | svm-rbf | speaker | F-score | yes | late" \
  | tee "$out/table.md"
