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
sha() { sha256sum "$work/f.csv" "$work/f.csv.json" "$work/m.csv" "$work/wav/03a00Wa.wav" "$work/holder/f.csv" | cut -d' ' -f1; }
before=$(sha)

# expect STATUS MESSAGE-SUBSTRING -- seraug arguments...
expect() {
  local status=$1 message=$2
  shift 3
  cases=$((cases + 1))
  # A hang (a reader blocked on a FIFO) fails the case instead of the whole run.
  timeout 120 "$seraug" "$@" > "$work/out.txt" 2>&1
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
# seraug analyze / continuous: settings out of range, inputs that cannot apply.
expect 1 "--snr" -- continuous eval "$work/f.csv" --snr nan
expect 1 "--snr" -- continuous eval "$work/f.csv" --snr 1e9
expect 1 "hangover_s" -- analyze "$work/holder" "$work/wav/03a00Wa.wav" --hangover-s inf
expect 1 "no-such.wav" -- analyze "$work/holder" "$work/wav/no-such.wav"
expect 1 "is also an input" -- analyze "$work/holder" "$work/wav/03a00Wa.wav" -o "$work/wav/03a00Wa.wav"
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
expect 1 "cycle-GAN augmenters only, not 'smote'" -- augment "$work/f.csv" --method smote --per-class 5 --gan-source "$work/f.csv" -o "$work/s.csv"
expect 1 "cycle-GAN augmenters only, not 'noise'" -- evaluate "$work/f.csv" --C 0.01 --augment noise --per-class 5 --gan-source "$work/f.csv"
expect 1 "--gan-source takes other corpora only" -- augment "$work/f.csv" --method cyclegan-wdiv --per-class 2 --gan-source "$work/f.csv" -o "$work/s.csv"
expect 1 "also in another fused file" -- evaluate "$work/f.csv" "$work/f.csv" --C 0.01
[ -e "$work/s.csv" ] && fail "a refused augment left its output"
# Selection, fusion and enrolment options.
expect 1 "--select-keep" -- evaluate "$work/f.csv" --select-keep 10,abc
expect 1 "choosing among several --select-keep" -- evaluate "$work/f.csv" --C 0.01 --select-keep 10,all
expect 1 "set --fusion to late" -- evaluate "$work/f.csv" --classifier svm,svm-ovo
expect 1 "unknown classifier" -- evaluate "$work/f.csv" --classifier svm,nonsense --fusion late
expect 1 "late fusion does not combine" -- evaluate "$work/f.csv" --classifier svm,svm-ovo --fusion late --augment smote --per-class 5
expect 1 "at least two members" -- evaluate "$work/f.csv" --fusion late
expect 1 "does not use enrolment clips" -- predict "$work/holder" "$work/wav/03a00Wa.wav" --enroll "$work/wav"
"$seraug" train "$work/f.csv" --norm speaker --classifier svm-ovo --C 0.01 -o "$work/speaker_model" > /dev/null 2>&1 || fail "train --norm speaker"
expect 1 "at least 2 clips" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav/03a00Wa.wav"
expect 0 "falls back" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav"
expect 1 "--enroll-prior requires --enroll" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll-prior 10
expect 1 "--enroll-prior requires --enroll-clips" -- evaluate "$work/f.csv" --norm speaker --enroll-prior 10
expect 0 "from 10 enrolment clip(s)" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav/03a00Wa.wav" --enroll "$work/wav/03a04Nb.wav" \
  --enroll "$work/wav/03a01Aa.wav" --enroll "$work/wav/03a02Fa.wav" --enroll "$work/wav/03a03Ta.wav" --enroll "$work/wav/03a04Na.wav" \
  --enroll "$work/wav/03a00Wb.wav" --enroll "$work/wav/03a01Ab.wav" --enroll "$work/wav/03a02Fb.wav" --enroll "$work/wav/03a03Tb.wav"
# Class 11: a run folder's config.toml edited in place and passed back in, once cells exist.
"$seraug" experiment "$work/x.toml" -o "$work/run" -q > "$work/out.txt" 2>&1 || fail "experiment on the generated corpus: $(cat "$work/out.txt")"
sed -i 's/repeats = 1/repeats = 2/' "$work/run/config.toml"
expect 1 "another configuration" -- experiment "$work/run/config.toml" -o "$work/run" -q

# Round 3 (issue 32), class by class; docs/robustness.md "Round 3".
# R1: files an input brings with it (a table's sidecar) are inputs too.
"$seraug" extract "$work/wav" --shard 1/2 -o "$work/p1.csv" -q && "$seraug" extract "$work/wav" --shard 2/2 -o "$work/p2.csv" -q || fail "sharded extract"
p1_sidecar=$(sha256sum "$work/p1.csv.json")
expect 1 "is also an input" -- merge-features "$work/p1.csv" "$work/p2.csv" -o "$work/p1.csv.json"
expect 1 "is also an input" -- evaluate "$work/f.csv" --C 0.01 --json "$work/f.csv.json"
[ "$(sha256sum "$work/p1.csv.json")" = "$p1_sidecar" ] || fail "merge-features replaced a part's sidecar"
# R2: derived audio stays out of input folders; a failed run leaves no copy.
wavs_before=$(ls "$work/wav" | wc -l)
expect 1 "holds the input" -- extract "$work/wav" --perturb speed=1.1 --write-audio "$work/wav" -o "$work/c.csv" -q
expect 1 "holds the input" -- extract "$work/m.csv" --perturb speed=1.1 --write-audio "$work" -o "$work/c.csv" -q
[ "$(ls "$work/wav" | wc -l)" -eq "$wavs_before" ] || fail "copies were written into the corpus"
expect 1 "symbolic links" -- extract "$work/loop" --perturb speed=1.1 --write-audio "$work/copies_failed" -o "$work/c.csv" -q
[ -z "$(ls -A "$work/copies_failed" 2>/dev/null)" ] || fail "a failed run left copies: $(ls -A "$work/copies_failed")"
expect 0 "wrote 40 perturbed copies" -- extract "$work/wav" --perturb speed=1.1 --write-audio "$work/copies" -o "$work/c.csv"
# R3: the same thing twice.
expect 1 "is the same perturbation as 'speed=1.1'" -- extract "$work/wav" --perturb speed=1.1 --perturb speed=1.10 -o "$work/d.csv" -q
expect 1 "is given twice" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav" --enroll "$work/wav"
expect 1 "is given twice" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav" --enroll "$work/m.csv"
expect 1 "audio_copies: '$work/c.csv' is given twice" -- evaluate "$work/f.csv" --C 0.01 --audio-copies "$work/c.csv" --audio-copies "$work/c.csv"
sed 's/methods = \["none"\]/methods = ["none", "smote", "smote"]/' "$work/x.toml" > "$work/twice.toml"
expect 1 "experiment.methods: 'smote' is given twice" -- experiment "$work/twice.toml" -o "$work/twice_run" -q
# R4: values pasted into batch scripts are quoted; control characters are refused.
mkdir -p "$work/it's run"
expect 0 "not submitted" -- submit "$work/x.toml" -o "$work/it's run/r" --dry-run --time 1:00 --sbatch-option='--comment=a b #c'
bash -n "$work/it's run/r/slurm/array.sh" || fail "array.sh does not parse"
grep -qF "'$work/it'\\''s run/r'" "$work/it's run/r/slurm/array.sh" || fail "array.sh does not quote the run folder: $(cat "$work/it's run/r/slurm/array.sh")"
expect 1 "--time: '1:00\\nrm" -- submit "$work/x.toml" -o "$work/sub2" --dry-run --time $'1:00\nrm -rf /'
expect 1 "--sbatch-option" -- submit "$work/x.toml" -o "$work/sub3" --dry-run --sbatch-option=$'--qos=x\necho pwned'
expect 1 "holds '%'" -- submit "$work/x.toml" -o "$work/100%" --dry-run
[ -e "$work/sub2/slurm" ] || [ -e "$work/sub3/slurm" ] && fail "a refused submit wrote scripts"
# R5: files that never end: FIFOs and devices are refused at once (timeout 120 in expect).
mkfifo "$work/fifo.csv"
mkdir -p "$work/fifo_model" && cp -r "$work/speaker_model/." "$work/fifo_model/" && rm "$work/fifo_model/model.json" && ln -s "$work/fifo.csv" "$work/fifo_model/model.json"
expect 1 "is a FIFO (named pipe), not a regular file" -- predict "$work/fifo_model" "$work/wav/03a00Wa.wav"
expect 1 "is a FIFO (named pipe), not a regular file" -- evaluate "$work/fifo.csv" --C 0.01
printf 'path,label,speaker\n/dev/zero,anger,03\n' > "$work/zero_clip.csv" && ln -s /dev/zero "$work/zero.csv"
expect 1 "/dev/zero: is a character device, not a regular file" -- extract "$work/zero_clip.csv" -o "$work/z.csv" -q
expect 1 "is a character device, not a regular file" -- extract "$work/zero.csv" -o "$work/z.csv" -q
expect 1 "is a FIFO (named pipe), not a regular file" -- evaluate "$work/f.csv" --classifier dnn --config "$work/fifo.csv"
# R6: the library validates what every front end passes.
expect 1 "enroll_prior must be a finite number" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav" --enroll-prior nan
expect 1 "enroll_prior must be a finite number" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav" --enroll-prior=-1
expect 1 "sample_rate: 0.000000 Hz is outside" -- extract "$work/wav" -o "$work/r.csv" --sample-rate 0 -q
# R7: whole tokens; Slurm's variables named with their values.
expect 1 "--shard takes K/N" -- extract "$work/wav" --shard 1/4x -o "$work/s1.csv" -q
expect 1 "--shard takes K/N" -- extract "$work/wav" --shard 1/1e3 -o "$work/s1.csv" -q
expect 1 "41 shards for 40 input clip(s)" -- extract "$work/wav" --shard 41/41 -o "$work/s1.csv" -q
export SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=0
expect 1 "\$SLURM_ARRAY_TASK_COUNT is '0'" -- experiment "$work/x.toml" -o "$work/slurm_run" -q
export SLURM_ARRAY_TASK_COUNT=99999999999
expect 1 "\$SLURM_ARRAY_TASK_COUNT is '99999999999'" -- experiment "$work/x.toml" -o "$work/slurm_run" -q
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT
# R8: options nothing uses are refused, naming them.
expect 1 "noise_dir is used only with noise_color = files" -- extract "$work/wav" --perturb noise=20 --noise-dir "$work/copies" -o "$work/n.csv" -q
expect 1 "--noise-dir requires --perturb" -- extract "$work/wav" --noise-dir "$work/copies" -o "$work/n.csv" -q
expect 1 "gamma applies to svm-rbf only" -- evaluate "$work/f.csv" --C 1 --gamma 0.1
expect 1 "smote_k applies to the smote augmenter only" -- evaluate "$work/f.csv" --C 1 --augment noise --per-class 5 --smote-k 3
expect 1 "dnn.* settings apply to the dnn classifier" -- evaluate "$work/f.csv" --C 1 --dnn-epochs 5
# R9: messages that say which flag is needed; degenerate enrolments are named.
expect 1 "reverb=file needs --impulse-dir" -- extract "$work/wav" --perturb reverb=file -o "$work/n.csv" -q
# The copies' settings are declared rows ([audio_augment]): the flag gets the key's check.
expect 1 "--vtlp-boundary: audio_augment.vtlp_boundary must be in [0.5, 0.95], got 0.2" -- extract "$work/wav" --perturb vtlp=0.9 --vtlp-boundary 0.2 -o "$work/n.csv" -q
expect 1 "audio_augment.noise_color is 'red', not one of: white, pink, files" -- extract "$work/wav" --perturb noise=20 --noise-color red -o "$work/n.csv" -q
cp "$work/wav/03a00Wa.wav" "$work/same_clip.wav"
expect 0 "have exactly the features of another" -- predict "$work/speaker_model" "$work/wav/03a00Wa.wav" --enroll "$work/wav/03a00Wa.wav" --enroll "$work/same_clip.wav"

# Threads (issue 33): "0 = all" means the CPUs this process may use, and the sidecar
# records what was used: under taskset -c 0, one.
if command -v taskset >/dev/null; then
  taskset -c 0 "$seraug" extract "$work/wav" -o "$work/one_cpu.csv" -q || fail "extract under taskset -c 0"
  grep -q "1 thread(s) of 1 usable CPU(s)" "$work/one_cpu.csv.json" || fail "taskset -c 0: sidecar says $(grep thread "$work/one_cpu.csv.json")"
  SLURM_CPUS_PER_TASK=1 "$seraug" evaluate "$work/f.csv" --C 0.01 --json "$work/one_cpu.json" > /dev/null || fail "evaluate with SLURM_CPUS_PER_TASK=1"
  grep -q '"usable_cpus": 1' "$work/one_cpu.json" || fail "SLURM_CPUS_PER_TASK=1: $(grep -E 'threads|usable' "$work/one_cpu.json")"
  cases=$((cases + 2))
fi

# Conventions (issue 33): a config section a command does not read is refused; every
# hyperparameter has a flag; a whole run without its report is not a success.
printf '[experiment]\nnorm = "speaker"\n' > "$work/grid.toml"
expect 1 "[experiment] configures seraug experiment" -- evaluate "$work/f.csv" --C 0.01 --config "$work/grid.toml"
expect 0 "C=1 gamma=0.001" -- train "$work/f.csv" --classifier svm-rbf --C 1 --gamma 0.001 -o "$work/rbf_model"
mkdir -p "$work/claimed/cells"
flock "$work/claimed/cells/none__svm__seed1.csv.claim" sleep 60 &
holder=$!
sleep 0.5
expect 1 "no report: cells of this run are being computed by another process" -- experiment "$work/x.toml" -o "$work/claimed" -q
kill $holder 2>/dev/null; wait $holder 2>/dev/null

# One CLI convention (issue 33): results on stdout or -o in --format; status on stderr, -q
# silences it; the older spellings (--json FILE, --csv, --threads) still work.
"$seraug" evaluate "$work/f.csv" --C 0.01 --format json -o "$work/conv.json" -q 2> "$work/conv.err" || fail "evaluate --format json -o"
[ ! -s "$work/conv.err" ] || fail "-q left status lines: $(cat "$work/conv.err")"
"$seraug" evaluate "$work/f.csv" --C 0.01 --json "$work/conv_old.json" > /dev/null 2>&1 || fail "evaluate --json FILE"
/usr/bin/python3 - "$work/conv.json" "$work/conv_old.json" <<'PY' || fail "--format json -o differs from --json FILE"
import json, sys
def clean(d):
    if isinstance(d, dict): return {k: clean(v) for k, v in d.items() if k != "seconds"}
    if isinstance(d, list): return [clean(v) for v in d]
    return d
a, b = (clean(json.load(open(p))) for p in sys.argv[1:])
sys.exit(a != b)
PY
"$seraug" evaluate "$work/f.csv" --C 0.01 --format csv -q | head -1 | grep -q "^method,classifier,seed,amount,fold," || fail "evaluate --format csv"
[ "$("$seraug" predict "$work/holder" "$work/wav" --format csv -q)" = "$("$seraug" predict "$work/holder" "$work/wav" --csv -q)" ] || fail "predict --format csv differs from --csv"
"$seraug" predict "$work/holder" "$work/wav" --format json -o "$work/pred.json" -q && grep -q '"predictions"' "$work/pred.json" || fail "predict -o"
"$seraug" evaluate "$work/f.csv" --C 0.01 --threads 1 -q > /dev/null || fail "evaluate --threads (older spelling)"
expect 1 "--jobs" -- evaluate "$work/f.csv" --C 0.01 --jobs 1 --threads 2
cases=$((cases + 6))

# Recipes (issue 33): evaluate --recipe equals the experiment's cell for the same seed,
# byte for byte (results.csv's layout); train takes the same recipe; flags override it.
printf '[recipe]\nnorm = "speaker"\nselect_keep = "50,all"\nclassifier = "svm-rbf"\nbalanced = true\n\n[experiment]\ncorpus = "%s"\nmethods = ["none"]\namounts = [0]\ntable_amount = 0\nrepeats = 1\nseed = 2\n' "$work/wav" > "$work/recipe.toml"
"$seraug" experiment "$work/recipe.toml" -o "$work/recipe_run" -q > /dev/null 2>&1 || fail "experiment with a [recipe]"
"$seraug" evaluate "$work/recipe_run"/cache/features-*.csv --recipe "$work/recipe.toml" --seed 2 --format csv -q -o "$work/recipe_eval.csv" 2> /dev/null || fail "evaluate --recipe"
cmp "$work/recipe_eval.csv" "$work/recipe_run/cells/none__svm-rbf__seed2.csv" || fail "evaluate --recipe differs from the experiment's cell"
"$seraug" train "$work/f.csv" --recipe "$work/recipe.toml" -o "$work/recipe_model" -q 2> /dev/null || fail "train --recipe"
grep -q '"kind": "speaker"' "$work/recipe_model/model.json" || fail "train --recipe did not take norm = speaker"
expect 0 "classifier svm," -- evaluate "$work/f.csv" --recipe "$work/recipe.toml" --classifier svm
printf '[recipe]\nC = 1.0\n[experiment]\ncorpus = "%s"\n' "$work/wav" > "$work/recipe_bad.toml"
expect 1 "recipe.C is not used by seraug experiment" -- experiment "$work/recipe_bad.toml" -o "$work/recipe_bad" -q
# Several recipes: nested selection; what it cannot honour is refused, naming it.
printf '[recipe]\nnorm = "global"\n' > "$work/nest_a.toml"
printf '[recipe]\nnorm = "speaker"\nfeature_set = "is10"\n' > "$work/nest_b.toml"
expect 0 "honest (nested selection)" -- evaluate "$work/f.csv" --recipe "$work/recipe.toml" --recipe "$work/nest_a.toml" -q
expect 1 "give --norm in the recipe files" -- evaluate "$work/f.csv" --recipe "$work/nest_a.toml" --recipe "$work/recipe.toml" --norm speaker
expect 1 "not csv" -- evaluate "$work/f.csv" --recipe "$work/nest_a.toml" --recipe "$work/recipe.toml" --format csv
expect 1 "speaker-independent protocol" -- evaluate "$work/f.csv" --recipe "$work/nest_a.toml" --recipe "$work/recipe.toml" --protocol kfold:3
expect 1 "columns are not the feature set is10" -- evaluate "$work/f.csv" --recipe "$work/nest_a.toml" --recipe "$work/nest_b.toml"
cases=$((cases + 4))

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
