#!/usr/bin/env bash
# Fingerprints of seraug's outputs for refactors that must not change a byte: run it before
# and after with the same binary layout and diff the two listings.
#   scripts/output_fingerprint.sh OUT_DIR [BUILD_DIR]   -> OUT_DIR/fingerprints.txt
# Covers: the features of all four sets (30 clips, three speakers), a seeded LOSO evaluation
# (svm, svm-rbf, smote, noise, cyclegan-wdiv with a GAN cache, DNN), `augment` rows (smote,
# cyclegan, cyclegan in a PCA space), a trained model folder with its predictions, and a small seeded experiment run
# folder (cells, tables, figures' data). Everything is seeded with two threads, so the listing
# depends only on the code. Corpus: $SERAUG_EMODB (default ../shared/data/emodb).
set -euo pipefail
out=${1:?usage: output_fingerprint.sh OUT_DIR [BUILD_DIR]}
build=${2:-build}
corpus=$(cd "${SERAUG_EMODB:-../shared/data/emodb}" && pwd)
seraug="$build/seraug"
[ -x "$seraug" ] || { echo "no $seraug" >&2; exit 1; }
[ -d "$corpus/wav" ] || { echo "no corpus at $corpus" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Timings, absolute paths and what hashes them are the only things allowed to differ
# between two runs (checked: two runs of one binary give the same listing).
fingerprint() {
  cd "$out"
  find . -type f ! -name fingerprints.txt ! -name '*.seconds' ! -name timings.csv ! -name '*.png' ! -name '*.svg' | sort | while read -r f; do
    case "$f" in
      *.json|*.html|*.md|*.txt|*.csv|*.toml)
        sed -E -e 's/"(seconds|description_checksum)": *[^,}]*/"\1": T/g' \
               -e 's/Compute time of the cells: [0-9.]+ s/Compute time T/' \
               -e 's#(__seed[0-9]+</td>)(<td>-?[0-9.]+</td>)+#\1T#' \
               -e 's#'"$out"'#OUT#g' "$f" | sha256sum | sed "s#-\$#$f#" ;;
      *) sha256sum "$f" ;;
    esac
  done > fingerprints.txt
  echo "output_fingerprint: $(wc -l < fingerprints.txt) files in $out/fingerprints.txt"
}
if [ "${FINGERPRINT_ONLY:-0}" = 1 ]; then fingerprint; exit 0; fi

# 30 clips of speakers 03, 08 and 09 for the four feature sets.
{
  echo "path,label,speaker"
  for s in 03 08 09; do
    ls "$corpus/wav" | grep "^$s" | head -10 | while read -r f; do
      echo "$corpus/wav/$f,$(echo "$f" | cut -c6),$s"
    done
  done
} > "$out/subset.csv"
for set in is09 egemaps is10 compare; do
  "$seraug" extract "$out/subset.csv" --set "$set" -j 2 -q -o "$out/features_$set.csv"
done

# Whole corpus, is09, for evaluation, augmentation, training and the experiment.
"$seraug" extract "$corpus/wav" --set is09 -j 2 -q -o "$out/is09.csv"
ev() { "$seraug" evaluate "$out/is09.csv" --threads 2 --seed 3 "$@" > /dev/null; }
ev --json "$out/eval_svm.json"
ev --classifier svm-rbf --json "$out/eval_rbf.json"
ev --augment smote --per-class 0,100 --json "$out/eval_smote.json"
ev --augment noise --per-class 50 --norm speaker --json "$out/eval_noise.json"
ev --augment cyclegan-wdiv --per-class 50 --gan-epochs 2 --gan-cache "$out/gan_cache" \
   --gan-losses "$out/gan_losses.csv" --C 0.01 --json "$out/eval_gan.json"
ev --augment cyclegan-wdiv --per-class 50 --gan-epochs 2 --gan-cache "$out/gan_cache" \
   --C 0.01 --json "$out/eval_gan_cached.json"
ev --classifier dnn --dnn-epochs 3 --dnn-hidden 32 --json "$out/eval_dnn.json"

"$seraug" augment "$out/is09.csv" --method smote --per-class 40 --seed 2 -o "$out/aug_smote.csv" > /dev/null
"$seraug" augment "$out/is09.csv" --method cyclegan-wdiv --per-class 20 --gan-epochs 2 --seed 2 \
  -o "$out/aug_gan.csv" > /dev/null
"$seraug" augment "$out/is09.csv" --method cyclegan-wdiv --gan-pca 20 --per-class 20 --gan-epochs 2 --seed 2 \
  -o "$out/aug_gan_pca.csv" > /dev/null
"$seraug" train "$out/is09.csv" --C 0.001 --threads 2 -o "$out/model" > /dev/null
ls "$corpus"/wav/03*.wav | head -5 > "$out/predict_list.txt"
"$seraug" predict "$out/model" $(cat "$out/predict_list.txt") > "$out/predictions.txt"

cat > "$out/experiment.toml" <<TOML
[experiment]
corpus = "$corpus"
feature_set = "is09"
protocol = "loso"
methods = ["none", "smote", "cyclegan-wdiv"]
classifiers = ["svm", "dnn"]
amounts = [0, 50]
table_amount = 50
repeats = 1
seed = 1

[dnn]
hidden = [32]
max_epochs = 3

[gan]
epochs = 2
pretrain_epochs = 1
hidden = [64, 64]
TOML
"$seraug" experiment "$out/experiment.toml" -o "$out/experiment" -j 2 -q > /dev/null

fingerprint
