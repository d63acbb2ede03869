#!/usr/bin/env bash
# GAN training speed of two seraug builds, same run, same machine (issue 36, item 3): the
# benchmark fold (BM_CycleGanFold: EMO-DB's first LOSO fold, five per-emotion cycle-GANs,
# seed 1) of a saved baseline build and of this one, alternating base, new, base, new (or
# $ROUNDS pairs; more on a noisy machine). Prints every run's fold seconds and GFLOP/s and
# the speed-up of the fastest runs. The baseline's benchmarks must be built too:
#   git worktree add /tmp/base 788e25a && cmake -S /tmp/base -B /tmp/base/build -G Ninja \
#     -DCMAKE_BUILD_TYPE=Release -DSERAUG_BUILD_TESTS=OFF -DSERAUG_BUILD_BENCH=ON && \
#     cmake --build /tmp/base/build --target seraug_bench
#   bench/gan_vs_baseline.sh /tmp/base/build/bench/seraug_bench build/bench/seraug_bench
# $CASE: the benchmark's case (default wdiv: IS09, 200 epochs; wdiv_compare: ComParE);
# $SERAUG_BENCH_GAN_EPOCHS: epochs (the benchmark's default otherwise). The OpenBLAS kernel
# is pinned as for the documented numbers (scripts/blas_kernel.sh) unless already set.
# Corpus: $SERAUG_EMODB (default ../shared/data/emodb).
set -euo pipefail
base=$(realpath "${1:?usage: gan_vs_baseline.sh BASE_SERAUG_BENCH NEW_SERAUG_BENCH}")
new=$(realpath "${2:?usage: gan_vs_baseline.sh BASE_SERAUG_BENCH NEW_SERAUG_BENCH}")
for binary in "$base" "$new"; do
  [ -x "$binary" ] || { echo "gan_vs_baseline: $binary is not an executable benchmark binary" >&2; exit 1; }
done
[ -n "${SERAUG_EMODB:-}" ] && SERAUG_EMODB=$(realpath "$SERAUG_EMODB")
cd "$(dirname "$0")/.."
source scripts/blas_kernel.sh
export SERAUG_EMODB=${SERAUG_EMODB:-../shared/data/emodb}
bench_case=${CASE:-wdiv}
filter="BM_CycleGanFold/$bench_case/"

# Prints "fold_s GFLOPs" of one run of the benchmark binary $1.
run() {
  local line
  line=$("$1" --benchmark_filter="$filter" 2>&1 | grep -F "$filter") || {
    echo "gan_vs_baseline: $1 printed no result for $filter" >&2
    exit 1
  }
  case $line in *fold_s=*) ;; *) echo "gan_vs_baseline: $1: $line" >&2; exit 1 ;; esac
  awk '{ for (i = 1; i <= NF; ++i) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "%.1f %.1f\n", v["fold_s"], v["GFLOPs"] }' <<< "$line"
}

echo "kernel: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset, OpenBLAS picks}, case: $bench_case, epochs: ${SERAUG_BENCH_GAN_EPOCHS:-default}"
echo
echo "| round | base fold s | base GFLOP/s | new fold s | new GFLOP/s |"
echo "|---|---|---|---|---|"
best_base="" best_new=""
for round in $(seq "${ROUNDS:-2}"); do
  b=$(run "$base") || exit 1
  n=$(run "$new") || exit 1
  read -r bs bg <<< "$b"
  read -r ns ng <<< "$n"
  echo "| $round | $bs | $bg | $ns | $ng |"
  best_base=$(awk -v a="$bs" -v b="$best_base" 'BEGIN { print (b == "" || a < b) ? a : b }')
  best_new=$(awk -v a="$ns" -v b="$best_new" 'BEGIN { print (b == "" || a < b) ? a : b }')
done
echo
awk -v b="$best_base" -v n="$best_new" 'BEGIN { printf "fastest runs: base %.1f s, new %.1f s, speed-up %.2fx\n", b, n, b / n }'
