#!/usr/bin/env bash
# Python overhead over the CLI for extracting a corpus: the same folder, feature set
# and threads through `seraug extract` (features written to a CSV) and through
# `seraug.extract` (a DataFrame in memory), alternated RUNS times; prints each time,
# the medians and the overhead in %. Target: below 5 %.
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
cli_times=() py_times=()
for r in $(seq "$runs"); do
  t0=$(now); "$build/seraug" extract "$corpus" -o "$tmp/f.csv" --set "$set_name" -q; t1=$(now)
  /usr/bin/python3 -c "import sys, seraug; f = seraug.extract(sys.argv[1], feature_set=sys.argv[2]); assert f.shape[0] > 0" \
    "$corpus" "$set_name"
  t2=$(now)
  cli_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')")
  py_times+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.2f", b - a}')")
  echo "run $r: cli ${cli_times[-1]} s, python ${py_times[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cli=$(median "${cli_times[@]}") py=$(median "${py_times[@]}")
rows=$(($(wc -l < "$tmp/f.csv") - 1))
echo "corpus $corpus ($rows clips), set $set_name, $(nproc) cores, median of $runs runs:"
echo "  seraug extract (CLI, CSV written):      $cli s"
echo "  seraug.extract (Python, DataFrame):     $py s (interpreter start and import included)"
awk -v c="$cli" -v p="$py" 'BEGIN {printf "  Python overhead: %+.1f %% (target < 5 %%)\n", 100 * (p - c) / c}'
