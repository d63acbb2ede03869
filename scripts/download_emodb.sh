#!/usr/bin/env bash
# Downloads the Berlin Database of Emotional Speech (EMO-DB, Burkhardt et al. 2005) from
# its official site and unpacks it to DEST (default: data/emodb). Then point seraug at it:
#   export SERAUG_EMODB=$PWD/data/emodb
# EMO-DB's own files are 16 kHz; seraug analyses each file at its own rate.
set -euo pipefail
dest=${1:-data/emodb}
url=${EMODB_URL:-http://emodb.bilderbar.info/download/download.zip}
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "downloading $url" >&2
if ! curl -fL --retry 3 -o "$tmp/emodb.zip" "$url"; then
  echo "download failed; fetch EMO-DB by hand and unpack it so that $dest/wav/*.wav exists" >&2
  exit 1
fi
unzip -q -o "$tmp/emodb.zip" -d "$dest"
count=$(ls "$dest"/wav/*.wav 2>/dev/null | wc -l)
[ "$count" -gt 0 ] || { echo "no wav/ folder in the archive" >&2; exit 1; }
echo "EMO-DB: $count files in $dest/wav" >&2
