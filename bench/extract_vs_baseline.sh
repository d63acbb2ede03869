#!/usr/bin/env bash
# Extraction speed and memory of two seraug builds, same run, same machine (issue 36):
# IS09 and ComParE on (a) the corpus joined into one long WAV, one thread, and (b) the
# corpus's clips, one thread and every thread. Each case runs base, new, base, new (or
# $ROUNDS pairs; more on a noisy machine); the table keeps each build's fastest run. The
# feature files of the two builds are compared byte for byte. A saved baseline is a build
# of an earlier commit, for example:
#   git worktree add /tmp/base 788e25a && cmake -S /tmp/base -B /tmp/base/build -G Ninja \
#     -DCMAKE_BUILD_TYPE=Release -DSERAUG_BUILD_TESTS=OFF -DSERAUG_BUILD_BENCH=OFF && \
#     cmake --build /tmp/base/build --target seraug
#   bench/extract_vs_baseline.sh /tmp/base/build/seraug build/seraug
# Corpus: $SERAUG_EMODB (default ../shared/data/emodb). Scratch: $TMPDIR.
set -euo pipefail
base=${1:?usage: extract_vs_baseline.sh BASE_SERAUG NEW_SERAUG}
new=${2:?usage: extract_vs_baseline.sh BASE_SERAUG NEW_SERAUG}
corpus=${SERAUG_EMODB:-../shared/data/emodb}
sets=${SETS:-is09 compare}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One WAV of every clip in name order (the long-file case), named like an EMO-DB clip so
# that extract takes the folder as it is.
mkdir -p "$work/long"
/usr/bin/python3 - "$corpus/wav" "$work/long/03a01Wa.wav" <<'EOF'
import pathlib, sys, wave
clips = sorted(pathlib.Path(sys.argv[1]).glob("*.wav"))
with wave.open(str(clips[0])) as first:
    params = first.getparams()
with wave.open(sys.argv[2], "wb") as out:
    out.setparams(params)
    for clip in clips:
        with wave.open(str(clip)) as w:
            out.writeframes(w.readframes(w.getnframes()))
EOF

# Prints "wall cpu peak_mb" of one extract run; its CSV goes to $4.
run() {
  local seraug=$1 src=$2 jobs=$3 csv=$4 set=$5
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$seraug" extract "$src" --set "$set" -j "$jobs" -q -o "$csv"
  read -r wall user sys kb < "$work/time"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" 'BEGIN { printf "%.2f %.2f %.1f\n", w, u + s, k / 1024 }'
}

best() {  # the fastest of the "wall cpu mb" lines (by CPU seconds)
  sort -k2,2n | head -1
}

echo "| set | input | jobs | base wall s | base CPU s | base peak MB | new wall s | new CPU s | new peak MB | CPU speed-up | features |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for set in $sets; do
  for case in "long 1" "clips 1" "clips 0"; do
    read -r input jobs <<< "$case"
    src="$work/long"; [ "$input" = clips ] && src="$corpus/wav"
    : > "$work/b"; : > "$work/n"
    for _ in $(seq "${ROUNDS:-2}"); do
      run "$base" "$src" "$jobs" "$work/base.csv" "$set" >> "$work/b"
      run "$new" "$src" "$jobs" "$work/new.csv" "$set" >> "$work/n"
    done
    b=$(best < "$work/b")
    n=$(best < "$work/n")
    same=identical
    cmp -s "$work/base.csv" "$work/new.csv" || same=DIFFERENT
    read -r bw bc bm <<< "$b"
    read -r nw nc nm <<< "$n"
    speedup=$(awk -v a="$bc" -v b="$nc" 'BEGIN { printf "%.2f", a / b }')
    [ "$jobs" = 0 ] && jobs=all
    echo "| $set | $input | $jobs | $bw | $bc | $bm | $nw | $nc | $nm | ${speedup}x | $same |"
  done
done
