#!/usr/bin/env bash
# The real executable on hostile input (docs/robustness.md): every case must exit with
# the expected status (1 for bad input, never 2), print `seraug: ...` naming the file,
# key or option, and leave every input byte-identical. Needs no corpus: the audio is
# generated here.
set -u
seraug=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cases=0

# 40 half-second EMO-DB-named tones (4 speakers x 5 emotions x 2 takes) from Python's
# standard library, so the test runs anywhere.
mkdir -p "$work/wav"
/usr/bin/python3 - "$work/wav" <<'PY' || fail "cannot generate audio"
import math, struct, sys, wave
codes = "WAFTN"
for s, speaker in enumerate(["03", "08", "09", "10"]):
    for e, code in enumerate(codes):
        for take in "ab":
            f0 = 110 + 30 * e + 7 * s + (5 if take == "b" else 0)
            with wave.open(f"{sys.argv[1]}/{speaker}a0{e}{code}{take}.wav", "wb") as w:
                w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
                frames = bytearray()
                for i in range(8000):
                    v = sum(0.3 / k * math.sin(2 * math.pi * k * f0 * i / 16000) for k in range(1, 6))
                    frames += struct.pack("<h", int(v * 12000))
                w.writeframes(bytes(frames))
PY
"$seraug" extract "$work/wav" -o "$work/f.csv" -q || fail "extract of the generated audio"
printf 'path,label,speaker\n%s,anger,03\n' "$work/wav/03a00Wa.wav" > "$work/m.csv"
ln -s "$work/f.csv" "$work/link.csv"
ln "$work/f.csv" "$work/hard.csv"
echo "not a folder" > "$work/plainfile"
mkdir -p "$work/loop" && cp "$work/wav/03a00Wa.wav" "$work/loop/" && ln -s 03a01Wc.wav "$work/loop/03a01Wb.wav" && ln -s 03a01Wb.wav "$work/loop/03a01Wc.wav"
# A model folder that holds the training file: replacing the folder would delete it.
"$seraug" train "$work/f.csv" --C 0.01 -o "$work/holder" > /dev/null 2>&1 || fail "train"
cp "$work/f.csv" "$work/holder/f.csv"
sha() { sha256sum "$work/f.csv" "$work/m.csv" "$work/wav/03a00Wa.wav" "$work/holder/f.csv" | cut -d' ' -f1; }
before=$(sha)

# expect STATUS MESSAGE-SUBSTRING -- seraug arguments...
expect() {
  local status=$1 message=$2
  shift 3
  cases=$((cases + 1))
  "$seraug" "$@" > "$work/out.txt" 2>&1
  local got=$?
  [ "$got" -eq "$status" ] || fail "seraug $* exited $got, expected $status: $(cat "$work/out.txt")"
  grep -qF -- "$message" "$work/out.txt" || fail "seraug $*: no '$message' in: $(cat "$work/out.txt")"
  [ "$(sha)" = "$before" ] || fail "seraug $* changed an input"
  ls "$work" "$work/wav" "$work/holder" | grep -q '\.tmp\.' && fail "seraug $* left a temporary file"
  return 0
}

# Class 1: outputs that are inputs.
expect 1 "is also an input" -- augment "$work/f.csv" --method smote --per-class 5 -o "$work/f.csv"
expect 1 "is also an input" -- augment "$work/f.csv" --method smote --per-class 5 -o "$work/link.csv"
expect 1 "is also an input" -- augment "$work/f.csv" --method smote --per-class 5 -o "$work/hard.csv"
expect 1 "is also an input" -- extract "$work/m.csv" -o "$work/m.csv" -q
expect 1 "is also an input" -- extract "$work/wav" -o "$work/wav/03a00Wa.wav" -q
expect 1 "is also an input" -- evaluate "$work/f.csv" --C 0.01 --json "$work/f.csv"
expect 1 "holds an input" -- train "$work/holder/f.csv" --C 0.01 -o "$work/holder"
# Classes 4 and 13: integers and non-finite numbers from flags.
expect 1 "max_epochs" -- evaluate "$work/f.csv" --classifier dnn --dnn-epochs 0
expect 1 "--repeats" -- evaluate "$work/f.csv" --repeats 4294967297
expect 1 "--C" -- evaluate "$work/f.csv" --C inf
expect 1 "--C" -- evaluate "$work/f.csv" --C nan
expect 1 "--noise-sigma" -- evaluate "$work/f.csv" --augment noise --per-class 5 --noise-sigma inf
expect 1 "--seed" -- evaluate "$work/f.csv" --seed -1
expect 1 "weight_decay" -- evaluate "$work/f.csv" --classifier dnn --dnn-weight-decay inf
# Class 12: amounts beyond memory.
expect 1 "--per-class 100000000000" -- augment "$work/f.csv" --method smote --per-class 100000000000 -o "$work/s.csv"
expect 1 "--per-class 100000000000" -- evaluate "$work/f.csv" --C 0.01 --augment smote --per-class 0,100000000000
# Classes 10 and 14: file-system trouble is exit 1 naming the path.
expect 1 "symbolic links" -- extract "$work/loop" -o "$work/loop.csv" -q
expect 0 "skipped" -- extract "$work/loop" -o "$work/loop.csv" --skip-bad -q
expect 1 "plainfile" -- extract "$work/wav" -o "$work/plainfile/out.csv" -q
printf '[experiment]\ncorpus = "%s"\nmethods = ["none"]\nclassifiers = ["svm"]\namounts = [0]\ntable_amount = 0\nrepeats = 1\n' "$work/wav" > "$work/x.toml"
expect 1 "plainfile" -- experiment "$work/x.toml" -o "$work/plainfile/run" -q
sed 's/repeats = 1/repeats = 1\nselect_keep = "10,abc"/' "$work/x.toml" > "$work/bad_keep.toml"
expect 1 "experiment.select_keep" -- experiment "$work/bad_keep.toml" -o "$work/bad_keep_run" -q
sed 's/repeats = 1/repeats = 1\nfusion = "late"/' "$work/x.toml" > "$work/bad_fusion.toml"
expect 1 "needs a fused feature set" -- experiment "$work/bad_fusion.toml" -o "$work/bad_fusion_run" -q
[ -e "$work/bad_keep_run" ] || [ -e "$work/bad_fusion_run" ] && fail "a refused experiment config left a run folder"
# --gan-source: only the GANs have a source domain; rows of the input itself are refused.
expect 1 "only the cycle-GANs" -- augment "$work/f.csv" --method smote --per-class 5 --gan-source "$work/f.csv" -o "$work/s.csv"
expect 1 "only the cycle-GANs" -- evaluate "$work/f.csv" --C 0.01 --augment noise --per-class 5 --gan-source "$work/f.csv"
expect 1 "--gan-source takes other corpora only" -- augment "$work/f.csv" --method cyclegan-wdiv --per-class 2 --gan-source "$work/f.csv" -o "$work/s.csv"
expect 1 "also in another fused file" -- evaluate "$work/f.csv" "$work/f.csv" --C 0.01
[ -e "$work/s.csv" ] && fail "a refused augment left its output"
# Selection, fusion and enrolment options.
expect 1 "--select-keep" -- evaluate "$work/f.csv" --select-keep 10,abc
expect 1 "choosing among several --select-keep" -- evaluate "$work/f.csv" --C 0.01 --select-keep 10,all
expect 1 "need --fusion late" -- evaluate "$work/f.csv" --classifier svm,svm-ovo
expect 1 "unknown classifier" -- evaluate "$work/f.csv" --classifier svm,nonsense --fusion late
expect 1 "late fusion does not combine" -- evaluate "$work/f.csv" --classifier svm,svm-ovo --fusion late --augment smote --per-class 5
expect 1 "at least two members" -- evaluate "$work/f.csv" --fusion late
expect 1 "does not use enrolment clips" -- predict "$work/holder" "$work/wav/03a00Wa.wav" --enroll "$work/wav"
"$seraug" train "$work/f.csv" --norm speaker --classifier svm-ovo --C 0.01 -o "$work/speaker_model" > /dev/null 2>&1 || fail "train --norm speaker"
expect 1 "at least 2 clips" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav/03a00Wa.wav"
expect 0 "falls back" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav"
expect 1 "enrolment prior needs enrolment clips" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll-prior 10
expect 1 "--enroll-prior applies with --enroll-clips" -- evaluate "$work/f.csv" --norm speaker --enroll-prior 10
expect 0 "from 10 enrolment clip(s)" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav/03a00Wa.wav" --enroll "$work/m.csv" \
  --enroll "$work/wav/03a01Aa.wav" --enroll "$work/wav/03a02Fa.wav" --enroll "$work/wav/03a03Ta.wav" --enroll "$work/wav/03a04Na.wav" \
  --enroll "$work/wav/03a00Wb.wav" --enroll "$work/wav/03a01Ab.wav" --enroll "$work/wav/03a02Fb.wav" --enroll "$work/wav/03a03Tb.wav"
# Class 11: a run folder's config.toml edited in place and passed back in, once cells exist.
"$seraug" experiment "$work/x.toml" -o "$work/run" -q > "$work/out.txt" 2>&1 || fail "experiment on the generated corpus: $(cat "$work/out.txt")"
sed -i 's/repeats = 1/repeats = 2/' "$work/run/config.toml"
expect 1 "another configuration" -- experiment "$work/run/config.toml" -o "$work/run" -q

# Class 15: SIGINT stops a long hyperparameter search within a few seconds, exit 130,
# and leaves no output.
/usr/bin/python3 - "$work/big.csv" <<'PY' || fail "cannot write the large feature file"
import random, sys
random.seed(3)
with open(sys.argv[1], "w") as f:
    f.write("name,speaker,label," + ",".join(f"f{i}" for i in range(3000)) + "\n")
    for r in range(500):
        f.write(f"r{r},s{r % 10},{['anger', 'fear', 'happiness', 'sadness', 'neutral'][r % 5]}," +
                ",".join(f"{random.gauss(r % 5, 3):.4f}" for _ in range(3000)) + "\n")
PY
"$seraug" evaluate "$work/big.csv" --classifier svm-rbf --json "$work/big.json" > "$work/int.txt" 2>&1 &
pid=$!
sleep 3
kill -INT $pid
start=$(date +%s%N)
wait $pid
status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
cases=$((cases + 1))
[ "$status" -eq 130 ] || fail "SIGINT during svm-rbf: exit $status (expected 130): $(cat "$work/int.txt")"
[ -e "$work/big.json" ] && fail "SIGINT left an output"
echo "SIGINT during the svm-rbf search stopped after ${elapsed_ms} ms"
[ "$elapsed_ms" -lt 10000 ] || fail "SIGINT took ${elapsed_ms} ms to stop the search"

echo "hostile_cli: $cases passed, 0 failed"
