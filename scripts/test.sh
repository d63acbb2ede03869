#!/usr/bin/env bash
# Sets up (packages, with the test-only ones of scripts/test-packages.txt, + Release build) and runs the whole test suite with CTest.
# Tests that need the EMO-DB copy ($SERAUG_EMODB, default ../shared/data/emodb) skip
# cleanly without it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
