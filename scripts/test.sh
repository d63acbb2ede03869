#!/usr/bin/env bash
# Sets up (packages, with the test-only ones of scripts/test-packages.txt, + Release build) and runs the whole test suite with CTest.
# Tests that need the EMO-DB copy ($SERAUG_EMODB, default ../shared/data/emodb) skip
# cleanly without it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/blas_kernel.sh  # the OpenBLAS kernel the documented numbers used
scripts/setup.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
