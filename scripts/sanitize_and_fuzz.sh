#!/usr/bin/env bash
# The robustness checks CI runs after the test suite:
#  1. the unit tests built with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/);
#  2. each libFuzzer target for FUZZ_SECONDS (default 60) on its committed seed corpus
#     (build-fuzz/, clang). A crash leaves its input in build-fuzz/crashes/ and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-60}

cmake --preset asan >/dev/null
cmake --build build-asan -j"$jobs"
# LeakSanitizer is off for processes that load LibTorch (its own allocations at exit are
# reported as leaks); the torch-free tests run with it on. Skipped under the sanitizers:
# the peak-RSS bound of the 10-minute clip (ASan inflates memory) and the slow
# end-to-end experiment tests (the plain build runs both).
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -L unit -E 'Dnn|SavedModels|CycleGan|GanVariants|WassersteinDivergence|TenMinute|Experiment\.'
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -L unit -R 'Dnn|SavedModels|CycleGan|GanVariants|WassersteinDivergence'

cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_audio fuzz_feature_csv fuzz_config fuzz_model fuzz_manifest fuzz_experiment_config fuzz_batch_script
mkdir -p build-fuzz/crashes
for target in audio feature_csv config model manifest experiment_config batch_script; do
  work=build-fuzz/corpus-$target
  rm -rf "$work" && mkdir -p "$work" && cp fuzz/corpus/$target/* "$work"/
  [ -d fuzz/regressions/$target ] && cp fuzz/regressions/$target/* "$work"/
  echo "fuzz_$target: ${fuzz_seconds} s"
  build-fuzz/fuzz/fuzz_$target -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build-fuzz/crashes/$target- "$work" 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' || true
  if ls build-fuzz/crashes/$target-* >/dev/null 2>&1; then
    echo "fuzz_$target found a failing input: $(ls build-fuzz/crashes/$target-*)"
    exit 1
  fi
done
echo "sanitizers and fuzzing: 7 passed, 0 failed"
