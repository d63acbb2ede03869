#!/usr/bin/env bash
# Python overhead over the CLI for extracting a corpus: the same folder, feature set
# and threads through `seraug extract` (process wall time, features written to a CSV)
# and through `seraug.extract` (the call, timed inside the interpreter, returning a
# DataFrame), alternated RUNS times; prints each time, the medians and the overhead in %
# (target: below 5 %). The interpreter's start and `import seraug` (numpy, pandas) are
# a fixed cost per Python process, printed separately.
#   bench/python_overhead.sh [CORPUS_WAV_DIR] [SET] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${SERAUG_EMODB:-../shared/data/emodb}/wav}
set_name=${2:-is09}
runs=${3:-3}
build=${SERAUG_BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PYTHONPATH=$PWD/$build/python

now() { date +%s.%N; }
cli_times=() py_times=() import_times=()
for r in $(seq "$runs"); do
  t0=$(now); "$build/seraug" extract "$corpus" -o "$tmp/f.csv" --set "$set_name" -q; t1=$(now)
  read -r call start < <(/usr/bin/python3 -c "
import sys, time
t0 = time.monotonic(); import seraug; t1 = time.monotonic()
f = seraug.extract(sys.argv[1], feature_set=sys.argv[2]); t2 = time.monotonic()
assert f.shape[0] > 0
print(f'{t2 - t1:.2f} {t1 - t0:.2f}')" "$corpus" "$set_name")
  cli_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')")
  py_times+=("$call") import_times+=("$start")
  echo "run $r: cli ${cli_times[-1]} s, python call $call s (+ import $start s)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cli=$(median "${cli_times[@]}") py=$(median "${py_times[@]}")
rows=$(($(wc -l < "$tmp/f.csv") - 1))
echo "corpus $corpus ($rows clips), set $set_name, $(nproc) cores, median of $runs runs:"
echo "  seraug extract (CLI, CSV written):      $cli s"
echo "  seraug.extract (Python call, DataFrame): $py s"
echo "  import seraug (numpy, pandas):          $(median "${import_times[@]}") s once per interpreter"
awk -v c="$cli" -v p="$py" 'BEGIN {printf "  Python overhead: %+.1f %% (target < 5 %%)\n", 100 * (p - c) / c}'
