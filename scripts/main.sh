#!/usr/bin/env bash
# The main job: set up, extract IS09 features of the EMO-DB copy, and check them against
# openSMILE's reference output where that is available.
#   corpus:    $SERAUG_EMODB (default ../shared/data/emodb)
#   reference: $SERAUG_OPENSMILE_REFERENCE (default ../shared/reference/opensmile)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
corpus=${SERAUG_EMODB:-../shared/data/emodb}
reference=${SERAUG_OPENSMILE_REFERENCE:-../shared/reference/opensmile}
if [ ! -d "$corpus" ]; then
  echo "main: EMO-DB not found at $corpus; run scripts/download_emodb.sh or set SERAUG_EMODB" >&2
  exit 1
fi
mkdir -p runs
build/seraug extract "$corpus" -o runs/emodb_is09.csv --set is09
if [ -f "$reference/IS09_emotion.csv" ]; then
  build/seraug compare runs/emodb_is09.csv "$reference/IS09_emotion.csv"
fi
