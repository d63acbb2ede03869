#!/usr/bin/env bash
# The layer check must pass on the tree and fail on an include that points up.
#   layers.sh SOURCE_DIR "LAYERS"
set -euo pipefail
source_dir=$1
layers=$2
check() { cmake -DSOURCE_DIR="$1" "-DLAYERS=$layers" -P "$source_dir/cmake/check_layers.cmake"; }
check "$source_dir/src/seraug" > /dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/common" "$scratch/report"
printf '#pragma once\n' > "$scratch/report/report.hpp"
printf '#include "seraug/report/report.hpp"\n' > "$scratch/common/wrong.cpp"
if out=$(check "$scratch" 2>&1); then
  echo "layers: an include from common/ of report/ passed the check" >&2
  exit 1
fi
grep -q 'common/wrong.cpp: includes seraug/report/' <<< "$out" || { echo "layers: unexpected message: $out" >&2; exit 1; }
echo "layers: ok"
