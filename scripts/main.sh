#!/usr/bin/env bash
# The main job: set up, then run the reduced paper experiment (configs/quick.toml) into
# runs/quick and seraug's best recipe (configs/best.toml, 3 seeds) into runs/best, about
# 5 minutes for both on 2 cores: results.csv, table.md, figures/, report.html.
#   corpus: $SERAUG_EMODB (default ../shared/data/emodb)
# The full evaluation: build/seraug experiment configs/paper.toml -o runs/paper
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/blas_kernel.sh  # the OpenBLAS kernel the documented numbers used
SERAUG_BUILD_TARGETS=seraug scripts/setup.sh  # the tests, benchmarks and Python package: scripts/test.sh
corpus=${SERAUG_EMODB:-../shared/data/emodb}
if [ ! -d "$corpus" ]; then
  echo "main: EMO-DB not found at $corpus; run scripts/download_emodb.sh or set SERAUG_EMODB" >&2
  exit 1
fi
export SERAUG_EMODB=$corpus
build/seraug experiment configs/quick.toml -o runs/quick
build/seraug experiment configs/best.toml -o runs/best
echo "## The paper's recipe and protocol (IS09, global z-score), with augmentation"
cat runs/quick/table.md
echo
echo "## seraug's best recipe (configs/best.toml)"
cat runs/best/table.md
echo "main: open runs/quick/report.html and runs/best/report.html" >&2
