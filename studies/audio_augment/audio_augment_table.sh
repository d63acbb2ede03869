#!/usr/bin/env bash
# The audio-augmentation study of docs/augmentation.md: perturbed copies of every
# training clip (speed, vtlp, pitch, noise, reverb; two values each), LOSO, the paper's 5
# classes, seeds 1-3, --threads 2. Blocks run in order of importance; each row is one
# `seraug evaluate --json` and is skipped when its JSON exists (the script resumes). Each table compares its rows with "none" of the same
# feature set, classifier and normalisation: paired sign-flip test of per-speaker UAR,
# Holm-corrected over the table's rows (studies/tools/eval_table.py).
#   studies/audio_augment/audio_augment_table.sh [OUT]   (default runs/audio_augment; SERAUG=binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/audio_augment}
corpus=${SERAUG_EMODB:-../shared/data/emodb}
seraug=${SERAUG:-build/seraug}
mkdir -p "$out"
# The copies: the same for every fold and seed, so extracted once per feature set and
# value, when a row first needs them.
declare -A values=([speed]="0.9 1.1" [vtlp]="0.9 1.1" [pitch]="-2 2" [noise]="30 20" [reverb]="0.3 0.6")
features() {  # set -> its plain feature file (extracted when missing)
  [ -s "$out/$1.csv" ] || "$seraug" extract "$corpus" -o "$out/$1.csv" --set "$1" --quiet
  echo "$out/$1.csv"
}
copies() {  # set, kinds... -> --audio-copies arguments (copies extracted when missing)
  local set=$1 kind v f
  shift
  for kind in "$@"; do
    for v in ${values[$kind]}; do
      f="$out/$set@$kind=$v.csv"
      [ -s "$f" ] || "$seraug" extract "$corpus" -o "$f" --set "$set" --perturb "$kind=$v" --perturb-seed 1 --quiet
      printf -- '--audio-copies\n%s\n' "$f"
    done
  done
}
run() {  # name, evaluate arguments...
  local name=$1
  shift
  [ -s "$out/$name.json" ] || "$seraug" evaluate "$@" --repeats 3 --seed 1 --threads 2 --json "$out/$name.json" > /dev/null
}
all_rows=(none speed vtlp pitch noise reverb speed+vtlp+pitch smote cyclegan-wdiv)  # table order
standard_rows=(none speed vtlp pitch noise reverb speed+vtlp+pitch smote)
rows=("${standard_rows[@]}")
block() {  # tag, set, evaluate arguments... : one run per row of "${rows[@]}"
  local tag=$1 set=$2 row
  shift 2
  for row in "${rows[@]}"; do
    [ -s "$out/$tag-$row.json" ] && continue
    local plain
    plain=$(features "$set")
    case $row in
      none) run "$tag-none" "$plain" "$@" ;;
      smote) run "$tag-smote" "$plain" "$@" --augment smote --per-class 200 ;;
      cyclegan-wdiv) run "$tag-cyclegan-wdiv" "$plain" "$@" --augment cyclegan-wdiv --per-class 200 ;;
      *) mapfile -t args < <(copies "$set" ${row//+/ }); run "$tag-$row" "$plain" "$@" "${args[@]}" ;;
    esac
  done
}
table() {  # tag, title
  local tag=$1 files=() labels=() row
  for row in "${all_rows[@]}"; do
    [ -s "$out/$tag-$row.json" ] || continue
    files+=("$out/$tag-$row.json")
    labels+=("$row")
  done
  echo "### $2"
  /usr/bin/python3 studies/tools/eval_table.py "${files[@]}" --header "augmentation" --labels "${labels[@]}"
  echo
}
# The blocks as run for docs/augmentation.md (the rows that fit one session; a row of the
# best recipe with copies takes about 35 minutes, svm-rbf's kernel and the selection grid
# growing with the square of the rows; its vtlp row was stopped unfinished).
block is10-svm-speaker is10 --classifier svm --norm speaker
rows=(none speed pitch)
block best-speaker is10+compare --classifier svm-rbf --norm speaker --select-keep 500,1000,2000,4000,all --balanced
rows=("${standard_rows[@]}" cyclegan-wdiv)
block is09-svm-speaker is09 --classifier svm --norm speaker
rows=("${standard_rows[@]}")
block is09-svm-global is09 --classifier svm --norm global
block is09-dnn-speaker is09 --classifier dnn --norm speaker
rows=(none speed pitch vtlp)
block is10-rbf-speaker is10 --classifier svm-rbf --norm speaker
# The best recipe without its F-score selection: does selection take the copies' gain away?
rows=(none speed pitch)
block best-noselect-speaker is10+compare --classifier svm-rbf --norm speaker --balanced
{
  table is10-svm-speaker "IS10, svm (LIBLINEAR), speaker norm"
  table best-speaker "IS10+ComParE, svm-rbf, speaker norm, F-score selection, balanced (the best recipe)"
  table is09-svm-speaker "IS09, svm (LIBLINEAR), speaker norm"
  table is10-rbf-speaker "IS10, svm-rbf, speaker norm"
  table best-noselect-speaker "IS10+ComParE, svm-rbf, speaker norm, balanced, no selection"
  table is09-svm-global "IS09, svm (LIBLINEAR), global norm"
  table is09-dnn-speaker "IS09, dnn, speaker norm"
} | tee "$out/table.md"
