#!/usr/bin/env bash
# What the protocol and the class set are worth: the paper's recipe and seraug's best
# recipe (configs/best.toml), each under leave-one-speaker-out (speaker-independent) and
# stratified 10-fold (speaker-dependent), on the paper's 5 classes and on all 7.
# 3 seeds each; WA/UAR pooled over folds, mean ± std over seeds (%).
#   studies/protocols/protocol_table.sh [OUT]   (default runs/protocols; SERAUG=binary; about 30 minutes on 2 cores)
# Writes OUT/<recipe>_<protocol>_<classes>.json and OUT/table.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/protocols}
corpus=${SERAUG_EMODB:-../shared/data/emodb}
seraug=${SERAUG:-build/seraug}
mkdir -p "$out"

extract() {  # set
  [ -s "$out/$1.csv" ] || "$seraug" extract "$corpus/wav" -o "$out/$1.csv" --set "$1" --quiet
}
extract is09
extract is10+compare

paper=(--classifier svm --norm global)
best=(--classifier svm-rbf --norm speaker --select-keep 500,1000,2000,4000,all --balanced)

uar_wa() {  # json -> "WA ± s | UAR ± s"
  /usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%.1f ± %.1f | %.1f ± %.1f" % (100*s["wa_mean"], 100*s["wa_std"], 100*s["uar_mean"], 100*s["uar_std"]))' "$1"
}

row() {  # label set recipe-array-name
  local label=$1 set=$2
  local -n recipe=$3
  local cells="| $label"
  for protocol in loso kfold:10; do
    for classes in anger,fear,happiness,sadness,neutral all; do
      local tag="${3}_${protocol%%:*}_$([ "$classes" = all ] && echo 7 || echo 5)"
      [ -s "$out/$tag.json" ] ||
        "$seraug" evaluate "$out/$set.csv" "${recipe[@]}" --protocol "$protocol" --classes "$classes" \
          --repeats 3 --seed 1 --threads 2 --json "$out/$tag.json" > /dev/null
      cells+=" | $(uar_wa "$out/$tag.json")"
    done
  done
  echo "$cells |"
}

{
  echo "| recipe | LOSO 5 classes WA | UAR | LOSO 7 classes WA | UAR | 10-fold 5 classes WA | UAR | 10-fold 7 classes WA | UAR |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row "paper: IS09, global z-score, svm" is09 paper
  row "best: IS10+ComParE, speaker z-score, F-score selection, svm-rbf, balanced" is10+compare best
} > "$out/table.md"
cat "$out/table.md"
