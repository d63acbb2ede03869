# Sourced by the recipe studies: the IS09, IS10 and ComParE features of EMO-DB into $out
# (each extracted once), with $seraug set to the binary. Expects $out set.
corpus=${SERAUG_EMODB:-../shared/data/emodb}
seraug=${SERAUG:-build/seraug}
mkdir -p "$out"
for set in is09 is10 compare; do
  [ -s "$out/$set.csv" ] || "$seraug" extract "$corpus/wav" -o "$out/$set.csv" --set "$set" --quiet
done
