#!/usr/bin/env bash
# The audio-augmentation study of docs/augmentation.md: perturbed copies of every
# training clip (speed, vtlp, pitch, noise, reverb; two values each), LOSO, the paper's 5
# classes, seeds 1-3, --threads 2. Each table compares its rows with "none" of the same
# feature set, classifier and normalisation: paired sign-flip test of per-speaker UAR,
# Holm-corrected over the table's rows (scripts/eval_table.py).
#   scripts/audio_augment_table.sh [OUT]   (default runs/audio_augment; SERAUG=binary)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/audio_augment}
corpus=${SERAUG_EMODB:-../shared/data/emodb}
seraug=${SERAUG:-build/seraug}
mkdir -p "$out"
# The copies: the same for every fold and seed, so extracted once per feature set.
declare -A values=([speed]="0.9 1.1" [vtlp]="0.9 1.1" [pitch]="-2 2" [noise]="30 20" [reverb]="0.3 0.6")
for set in is09 is10; do
  [ -s "$out/$set.csv" ] || "$seraug" extract "$corpus" -o "$out/$set.csv" --set "$set" --quiet
  for kind in speed vtlp pitch noise reverb; do
    for v in ${values[$kind]}; do
      f="$out/$set@$kind=$v.csv"
      [ -s "$f" ] || "$seraug" extract "$corpus" -o "$f" --set "$set" --perturb "$kind=$v" --perturb-seed 1 --quiet
    done
  done
done
copies() {  # set, kinds... -> --audio-copies arguments
  local set=$1 kind v
  shift
  for kind in "$@"; do for v in ${values[$kind]}; do printf -- '--audio-copies\n%s\n' "$out/$set@$kind=$v.csv"; done; done
}
run() {  # name, evaluate arguments...
  local name=$1
  shift
  [ -s "$out/$name.json" ] || "$seraug" evaluate "$@" --repeats 3 --seed 1 --threads 2 --json "$out/$name.json" > /dev/null
}
all_rows=(none speed vtlp pitch noise reverb speed+vtlp+pitch smote)
rows=("${all_rows[@]}")
block() {  # tag, set, evaluate arguments... : one run per row of "${rows[@]}"
  local tag=$1 set=$2 row
  shift 2
  for row in "${rows[@]}"; do
    case $row in
      none) run "$tag-none" "$out/$set.csv" "$@" ;;
      smote) run "$tag-smote" "$out/$set.csv" "$@" --augment smote --per-class 200 ;;
      *) mapfile -t args < <(copies "$set" ${row//+/ }); run "$tag-$row" "$out/$set.csv" "$@" "${args[@]}" ;;
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
  /usr/bin/python3 scripts/eval_table.py "${files[@]}" --header "augmentation" --labels "${labels[@]}"
  echo
}
# In order of importance (the runs of the later blocks are the slowest: svm-rbf's kernel
# and the DNN grow with the square of, or many epochs over, three times the rows).
block is10-svm-speaker is10 --classifier svm --norm speaker
block is09-svm-speaker is09 --classifier svm --norm speaker
block is09-svm-global is09 --classifier svm --norm global
rows=(none speed vtlp pitch)
block is10-rbf-speaker is10 --classifier svm-rbf --norm speaker
rows=(none pitch)
block is09-dnn-speaker is09 --classifier dnn --norm speaker
{
  table is10-svm-speaker "IS10, svm (LIBLINEAR), speaker norm"
  table is09-svm-speaker "IS09, svm (LIBLINEAR), speaker norm"
  table is10-rbf-speaker "IS10, svm-rbf, speaker norm"
  table is09-svm-global "IS09, svm (LIBLINEAR), global norm"
  table is09-dnn-speaker "IS09, dnn, speaker norm"
} | tee "$out/table.md"
