#!/usr/bin/env bash
# Runs the real `seraug` executable on a few real EMO-DB clips and on broken inputs.
# Usage: cli_smoke.sh SERAUG_BINARY SOURCE_DIR. Exit 77 (skip) without the corpus.
source "$(dirname "$0")/script_preamble.sh" "$1" "$2"

mkdir -p "$work/clips"
for f in 03a01Fa.wav 03a01Nc.wav 08a01Wa.wav 10a01Wa.wav; do cp "$corpus/wav/$f" "$work/clips/" || fail "corpus clip $f missing"; done

# A clean run: 4 rows, 384 features plus name,speaker,label, labels from the names.
"$seraug" extract "$work/clips" -o "$work/out.csv" --set is09 --jobs 2 2>"$work/log" || fail "extract failed: $(cat "$work/log")"
rows=$(grep -vc '^#' "$work/out.csv")
[ "$rows" -eq 5 ] || fail "expected header + 4 rows, got $rows lines"
cols=$(grep -v '^#' "$work/out.csv" | head -1 | tr ',' '\n' | wc -l)
[ "$cols" -eq 387 ] || fail "expected 387 columns, got $cols"
grep -q '^08a01Wa.wav,08,anger,' "$work/out.csv" || fail "speaker/label columns wrong"
grep -q 'extract: 4/4' "$work/log" || fail "no progress on stderr"

# eGeMAPS: 88 features; a clip shorter than one 60 ms pitch frame fails with its name.
"$seraug" extract "$work/clips" -o "$work/eg.csv" --set egemaps -q || fail "egemaps extract failed"
cols=$(grep -v '^#' "$work/eg.csv" | head -1 | tr ',' '\n' | wc -l)
[ "$cols" -eq 91 ] || fail "egemaps: expected 91 columns, got $cols"
mkdir -p "$work/short"
head -c 2000 "$corpus/wav/03a01Fa.wav" > "$work/short/03a01Wz.wav"
if "$seraug" extract "$work/short" -o "$work/short.csv" --set egemaps -q 2>"$work/err"; then fail "too-short clip accepted"; fi
grep -q "03a01Wz.wav" "$work/err" || fail "error does not name the file: $(cat "$work/err")"
[ ! -e "$work/short.csv" ] || fail "half-written output left behind"

# A manifest with relative paths gives the same values.
printf 'path,label,speaker\nclips/03a01Fa.wav,happiness,03\n' > "$work/m.csv"
"$seraug" extract "$work/m.csv" -o "$work/m_out.csv" -q || fail "manifest extract failed"
[ "$(grep '^clips/03a01Fa.wav' "$work/m_out.csv" | cut -d, -f4-)" = "$(grep '^03a01Fa.wav' "$work/out.csv" | cut -d, -f4-)" ] \
  || fail "manifest row differs from folder row"

# A broken file fails the run, names the file, leaves no output behind.
printf 'this is text' > "$work/clips/03a02Wa.wav"
if "$seraug" extract "$work/clips" -o "$work/bad.csv" -q 2>"$work/err"; then fail "bad file did not fail the run"; fi
grep -q '03a02Wa.wav' "$work/err" || fail "error does not name the file: $(cat "$work/err")"
ls "$work" | grep -q 'bad.csv' && fail "partial output left behind"

# --skip-bad lists it and goes on.
"$seraug" extract "$work/clips" -o "$work/skip.csv" --skip-bad -q 2>"$work/err" || fail "--skip-bad failed"
grep -q 'skipped.*03a02Wa.wav' "$work/err" || fail "skipped file not listed"
[ "$(grep -vc '^#' "$work/skip.csv")" -eq 5 ] || fail "--skip-bad output should have 4 rows"

# Unknown set, missing source: usage errors with non-zero exit.
"$seraug" extract "$work/clips" -o "$work/x.csv" --set nope 2>/dev/null && fail "unknown set accepted"
"$seraug" extract "$work/none" -o "$work/x.csv" 2>/dev/null && fail "missing folder accepted"

# compare: our file against itself agrees perfectly.
"$seraug" compare "$work/out.csv" "$work/out.csv" | grep -q 'median Pearson r: 1.0000' || fail "compare self"
# evaluate: the whole corpus, LOSO, fixed C (fast), table on stdout and JSON with everything.
"$seraug" extract "$corpus" -o "$work/all.csv" -q || fail "corpus extract failed"
"$seraug" evaluate "$work/all.csv" --C 0.001 --json "$work/eval.json" > "$work/eval.txt" 2>&1 || fail "evaluate failed: $(cat "$work/eval.txt")"
grep -q '408 rows x 384 features, 10 speakers, 5 classes' "$work/eval.txt" || fail "evaluate summary line"
grep -q 'UAR' "$work/eval.txt" || fail "no UAR in table"
grep -q '"confusion"' "$work/eval.json" || fail "JSON lacks confusion matrices"
"$seraug" evaluate "$work/all.csv" --C 0.001 --protocol kfold:5 | grep -q 'SPEAKER-DEPENDENT' || fail "kfold not marked speaker-dependent"
"$seraug" evaluate "$work/all.csv" --classes anger,joy 2>"$work/err" && fail "unknown class accepted"
grep -q "class 'joy' has no rows" "$work/err" || fail "unknown class message: $(cat "$work/err")"
"$seraug" evaluate "$work/all.csv" --protocol lopo 2>/dev/null && fail "unknown protocol accepted"

# predict with the shipped model; train a DNN model and predict with it; damaged models fail.
"$seraug" predict "$source_dir/models/emodb-is09-svm" "$work/clips/08a01Wa.wav" "$work/clips/03a01Nc.wav" > "$work/pred.txt" \
  || fail "predict with the shipped model failed"
grep -q '08a01Wa.wav *anger' "$work/pred.txt" || fail "shipped model mislabels a training clip: $(cat "$work/pred.txt")"
"$seraug" predict "$source_dir/models/emodb-is09-svm" "$work/clips/08a01Wa.wav" --csv | grep -q '^file,label,p_anger,p_fear' || fail "predict --csv"
"$seraug" predict "$source_dir/models/emodb-is09-svm" "$work/clips/08a01Wa.wav" --json | grep -q '"probabilities"' || fail "predict --json"
# The shipped best-recipe model enrols the speaker from its clips (here speaker 03's two).
"$seraug" predict "$source_dir/models/emodb-best" "$work/clips/03a01Fa.wav" --enroll "$work/clips/03a01Fa.wav" \
  --enroll "$work/clips/03a01Nc.wav" > "$work/best.txt" 2> "$work/best.err" || fail "predict with the best model: $(cat "$work/best.err")"
grep -q 'from 2 enrolment clip' "$work/best.err" || fail "enrolment not reported: $(cat "$work/best.err")"
grep -q '03a01Fa.wav' "$work/best.txt" || fail "best model printed no prediction"
"$seraug" train "$work/all.csv" --classifier dnn --dnn-hidden 64 --dnn-epochs 30 -o "$work/dnn_model" 2>/dev/null || fail "train dnn"
"$seraug" predict "$work/dnn_model" "$work/clips/03a01Fa.wav" | grep -q '03a01Fa.wav' || fail "predict with dnn model"
cp -r "$source_dir/models/emodb-is09-svm" "$work/broken_model"
printf 'junk' >> "$work/broken_model/liblinear.model"
"$seraug" predict "$work/broken_model" "$work/clips/08a01Wa.wav" 2>"$work/err" && fail "damaged model accepted"
grep -q 'checksum mismatch' "$work/err" || fail "damaged model message: $(cat "$work/err")"
"$seraug" train "$work/all.csv" --config /dev/null/none.toml -o "$work/x" 2>/dev/null && fail "missing config accepted"

# augment: a sweep inside evaluate, an exported file, --extra refusing rows of the same corpus.
"$seraug" evaluate "$work/all.csv" --C 0.001 --augment smote --per-class 0,50 > "$work/sweep.txt" || fail "evaluate sweep"
grep -qE '^  50 ' "$work/sweep.txt" || fail "sweep table lacks the 50 row: $(cat "$work/sweep.txt")"
"$seraug" evaluate "$work/all.csv" --C 0.001 --augment noise --balance | grep -q 'augment noise, balance' || fail "--balance"
"$seraug" augment "$work/all.csv" --method smote --per-class 20 -o "$work/syn.csv" 2>/dev/null || fail "augment export"
[ "$(grep -vc '^#' "$work/syn.csv")" -eq 101 ] || fail "expected 5 x 20 synthetic rows"
head -2 "$work/syn.csv" | grep -q '^name,speaker,label,method,seed,sources,synthetic,' || fail "provenance columns"
"$seraug" evaluate "$work/all.csv" --C 0.001 --extra "$work/syn.csv" 2>"$work/err" && fail "--extra accepted rows of the same corpus"
grep -q 'leak test speakers' "$work/err" || fail "--extra message: $(cat "$work/err")"
"$seraug" augment "$work/all.csv" --method smote -o "$work/none.csv" 2>/dev/null && fail "augment without an amount accepted"
[ -e "$work/none.csv" ] && fail "output written on error"

# augment --gan-source FILE: the GANs learn from the file's rows, so no synthetic row
# derives from a row of the input (its sources column is empty); without it, every row does.
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } NR <= 41 { $1 = "other_" $1; $2 = "elsewhere"; $3 = ""; print }' \
  "$work/all.csv" > "$work/unlabelled.csv"
printf '[gan]\nhidden = [16]\nepochs = 1\npretrain_epochs = 0\n' > "$work/tiny_gan.toml"
for source in "" "$work/unlabelled.csv"; do
  out="$work/gan${source:+_file}.csv"
  "$seraug" augment "$work/all.csv" --method cyclegan-wdiv --per-class 4 --config "$work/tiny_gan.toml" \
    ${source:+--gan-source "$source"} -o "$out" 2>/dev/null || fail "augment cyclegan ${source:+--gan-source}"
  [ "$(tail -n +2 "$out" | wc -l)" -eq 20 ] || fail "expected 5 x 4 GAN rows in $out"
done
[ "$(tail -n +2 "$work/gan.csv" | awk -F, '$6 == ""' | wc -l)" -eq 0 ] || fail "GAN rows without a source row of the input"
[ "$(tail -n +2 "$work/gan_file.csv" | awk -F, '$6 != ""' | wc -l)" -eq 0 ] || fail "--gan-source ignored: rows derive from the input"
# A GAN variant in brackets: the neutral source, through evaluate and augment --report.
"$seraug" evaluate "$work/all.csv" --C 0.001 --norm speaker --augment 'cyclegan-wdiv[source=neutral,filter=knn]' --per-class 4 \
  --config "$work/tiny_gan.toml" > "$work/variant.txt" || fail "evaluate with a GAN variant"
grep -q 'augment cyclegan-wdiv' "$work/variant.txt" || fail "variant run: $(cat "$work/variant.txt")"
"$seraug" augment "$work/all.csv" --method 'cyclegan-wdiv[mapping=speaker]' --per-class 4 --config "$work/tiny_gan.toml" \
  --report --report-norm speaker -o "$work/mapped.csv" > "$work/mapped.txt" 2>/dev/null || fail "augment with speaker mapping"
grep -q "cyclegan-wdiv\[mapping=speaker\] .*TSTR\|^| cyclegan-wdiv\[mapping=speaker\] | [0-9]" "$work/mapped.txt" || fail "quality report of a variant (named with its settings)"
"$seraug" evaluate "$work/all.csv" --augment 'cyclegan-wdiv[sorce=neutral]' --per-class 4 2>"$work/err" && fail "misspelt [gan] key accepted"
grep -q 'gan.sorce' "$work/err" || fail "variant error does not name the key: $(cat "$work/err")"

# Audio augmentation: perturbed copies keep their clip's speaker and label, can be listened
# to, differ from the clips, and train only the folds their clips train.
"$seraug" extract "$work/clips" -o "$work/copies.csv" --perturb speed=1.1 --perturb pitch=2,noise=20 --skip-bad \
  --write-audio "$work/listen" -q 2>/dev/null || fail "extract --perturb failed"
grep -q '^08a01Wa.wav@speed=1.1,08,anger,' "$work/copies.csv" || fail "copy rows named <clip>@<chain> with the clip's speaker and label"
grep -q '^"08a01Wa.wav@pitch=2,noise=20",08,anger,' "$work/copies.csv" || fail "chained copy row (name quoted: it holds a comma)"
[ "$(ls "$work/listen" | wc -l)" -eq 8 ] || fail "expected 2 copies x 4 clips as WAVs: $(ls "$work/listen")"
[ "$(grep '^08a01Wa.wav@speed=1.1' "$work/copies.csv" | cut -d, -f4-)" != "$(grep '^08a01Wa.wav,' "$work/out.csv" | cut -d, -f4-)" ] \
  || fail "a copy has the clip's own features"
"$seraug" extract "$work/clips" -o "$work/x.csv" --perturb speed=3 2>"$work/err" && fail "speed=3 accepted"
grep -q "outside \[0.5, 2\]" "$work/err" || fail "--perturb range message: $(cat "$work/err")"
"$seraug" extract "$work/clips" -o "$work/x.csv" --write-audio "$work/listen2" 2>/dev/null && fail "--write-audio without --perturb accepted"
"$seraug" extract "$corpus" -o "$work/all_speed.csv" --perturb speed=0.9 -q || fail "corpus copies"
"$seraug" evaluate "$work/all.csv" --C 0.001 --audio-copies "$work/all_speed.csv" --json "$work/copies.json" > "$work/copies.txt" \
  || fail "evaluate --audio-copies"
grep -q 'audio copies: 1 per training clip (speed=0.9)' "$work/copies.txt" || fail "copies not reported: $(cat "$work/copies.txt")"
grep -qE '"copy_rows": [1-9][0-9]{2}' "$work/copies.json" || fail "folds do not report their copies"
"$seraug" evaluate "$work/all.csv" --C 0.001 --audio-copies "$work/all.csv" 2>"$work/err" && fail "plain rows accepted as copies"
grep -q 'is not a perturbed copy' "$work/err" || fail "--audio-copies message: $(cat "$work/err")"

# Sharded extraction: the parts joined (in any order) equal one extraction byte for byte;
# a missing, repeated or foreign part is refused and nothing is written.
for k in 1 2 3; do "$seraug" extract "$corpus" -o "$work/part$k.csv" --shard $k/3 -q || fail "extract --shard $k/3"; done
"$seraug" merge-features "$work/part3.csv" "$work/part1.csv" "$work/part2.csv" -o "$work/joined.csv" 2>/dev/null || fail "merge-features"
cmp -s "$work/joined.csv" "$work/all.csv" || fail "merged parts differ from one extraction"
"$seraug" merge-features "$work/part1.csv" "$work/part2.csv" -o "$work/half.csv" 2>"$work/err" && fail "a missing part accepted"
grep -q 'shard(s) 3/3 missing' "$work/err" || fail "missing-part message: $(cat "$work/err")"
"$seraug" merge-features "$work/part1.csv" "$work/part1.csv" "$work/part2.csv" "$work/part3.csv" -o "$work/half.csv" 2>"$work/err" \
  && fail "a repeated part accepted"
"$seraug" merge-features "$work/part1.csv" "$work/all.csv" -o "$work/half.csv" 2>"$work/err" && fail "a whole table accepted as a part"
grep -q 'is not a part of a sharded extraction' "$work/err" || fail "not-a-part message: $(cat "$work/err")"
[ ! -e "$work/half.csv" ] || fail "a refused merge wrote output"

# seraug continuous on three speakers' clips: the VAD study and the continuous protocol,
# with and without training copies (docs/analyze.md).
mkdir -p "$work/three"
cp "$corpus"/wav/03*.wav "$corpus"/wav/08*.wav "$corpus"/wav/10*.wav "$work/three/"
"$seraug" extract "$work/three" -o "$work/three.csv" -q || fail "extract of three speakers"
"$seraug" extract "$work/three" -o "$work/three_noisy.csv" --perturb noise=20 -q || fail "noisy copies"
"$seraug" continuous vad --corpus "$work/three" --seeds 1 -q > "$work/vad.txt" || fail "continuous vad"
grep -q '^babble 20 dB' "$work/vad.txt" || fail "VAD table: $(cat "$work/vad.txt")"
for copies in "" "--train-copies $work/three_noisy.csv"; do
  # shellcheck disable=SC2086
  "$seraug" continuous eval "$work/three.csv" --corpus "$work/three" --seeds 1 --snr 30 --one-speaker-only $copies \
    --json "$work/cont.json" -q > "$work/cont.txt" || fail "continuous eval $copies: $(cat "$work/cont.txt")"
  /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["condition"]: r for r in d["rows"]}
assert d["speakers"] == 3 and len(rows) == 2, d
for r in rows.values():
    assert 30 < r["uar_mean"] <= 100 and 0 <= r["ece_mean"] <= 1, r' "$work/cont.json" || fail "continuous eval JSON $copies"
done
grep -q "training copies" "$work/cont.txt" || fail "the copies are not named in the table"
# train --train-copies: a multi-condition model holds the clips and their copies; a copy
# file of other clips is refused by name.
"$seraug" train "$work/three.csv" --train-copies "$work/three_noisy.csv" --C 1 -o "$work/mc_model" 2>"$work/err" \
  || fail "train --train-copies: $(cat "$work/err")"
rows=$(sed -n 's/.* on \([0-9]*\) rows (\([0-9]*\) clips and their copies.*/\1 \2/p' "$work/err")
[ -n "$rows" ] && [ "${rows% *}" -eq $((2 * ${rows#* })) ] || fail "train --train-copies rows: $(cat "$work/err")"
"$seraug" train "$work/three.csv" --train-copies "$work/three.csv" --C 1 -o "$work/mc_bad" 2>"$work/err" && fail "clips taken as copies"
grep -q "is not a perturbed copy" "$work/err" || fail "train --train-copies message: $(cat "$work/err")"
[ ! -e "$work/mc_bad" ] || fail "a refused train wrote a model"

echo "cli_smoke: all checks passed"
