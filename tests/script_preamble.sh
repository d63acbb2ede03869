# Shared start of the shell tests, sourced as: source script_preamble.sh SERAUG_BINARY SOURCE_DIR
# Sets $seraug, $source_dir, $corpus and a scratch folder $work (removed on exit), defines
# fail(); exits 77 (CTest's skip) when the EMO-DB copy is absent.
set -u
seraug=$1
source_dir=$2
corpus=${SERAUG_EMODB:-$source_dir/../shared/data/emodb}
[ -d "$corpus/wav" ] || { echo "EMO-DB not found at $corpus: skipping"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
