#!/usr/bin/env bash
# seraug on a real Slurm: starts a single-node cluster on this machine (munged,
# slurmctld, slurmd with a generated slurm.conf; no systemd), submits a tiny experiment
# with `seraug submit` as an array of 3 tasks plus the report job, and checks that
# results.csv equals an unsharded run byte for byte; then cancels one task mid-run and
# shows that submitting again computes only the missing cells. Every daemon it started
# is stopped on exit, also on failure. Exit 77 (skipped) without root, Slurm/munge or
# the EMO-DB copy.   usage: slurm_cluster.sh SERAUG_BINARY SOURCE_DIR
set -euo pipefail
seraug=$(realpath "$1")
source_dir=$(realpath "$2")
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "starting munged, slurmctld and slurmd needs root"
for tool in munged slurmctld slurmd sbatch squeue scancel; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || skip "$tool not installed (Debian: slurm-wlm, munge)"
done
corpus=${SERAUG_EMODB:-$source_dir/../shared/data/emodb}
[ -d "$corpus/wav" ] || skip "EMO-DB copy not found ($corpus)"
corpus=$(realpath "$corpus")

scratch=$(mktemp -d /tmp/seraug-slurm.XXXXXX)
started_munged=""
cleanup() {
  local rc=$?
  command -v scancel >/dev/null && [ -f "$scratch/slurm.conf" ] && SLURM_CONF=$scratch/slurm.conf scancel --user=root 2>/dev/null || true
  for pidfile in "$scratch/slurmd.pid" "$scratch/slurmctld.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  [ -n "$started_munged" ] && [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
  sleep 1
  if [ $rc -ne 0 ]; then
    echo "--- slurmctld.log (tail)"; tail -20 "$scratch/slurmctld.log" 2>/dev/null || true
    echo "--- slurmd.log (tail)"; tail -20 "$scratch/slurmd.log" 2>/dev/null || true
    for f in "$scratch"/run*/slurm/*.out; do [ -f "$f" ] && { echo "--- $f"; tail -5 "$f"; }; done
  fi
  rm -rf "$scratch"
  exit $rc
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# munge: a key if there is none, then the daemon unless one already answers.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
  su -s /bin/sh munge -c /usr/sbin/munged
  started_munged=1
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
munge -n | unmunge >/dev/null || fail "munged does not answer"

# slurm.conf: this host only, ports away from the defaults, state in the scratch folder.
host=$(hostname -s)
port=$((16817 + 2 * ($$ % 500)))
memory=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
mkdir -p "$scratch/state" "$scratch/spool"
cat > "$scratch/slurm.conf" <<CONF
ClusterName=seraugtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/slurmctld.pid
SlurmdPidFile=$scratch/slurmd.pid
SlurmctldLogFile=$scratch/slurmctld.log
SlurmdLogFile=$scratch/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=seraug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$scratch/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 0.2; done
sinfo -h -o %T | grep -q idle || fail "the node did not come up"
echo "slurm: node $host idle ($(nproc) CPUs)"

cat > "$scratch/tiny.toml" <<CONF
[experiment]
corpus = "$corpus"
speakers = ["03", "08", "09", "10"]
methods = ["none", "smote", "noise"]
classifiers = ["svm", "dnn"]
amounts = [0, 20]
table_amount = 20
repeats = 1
CONF

# Waits (at most $2 seconds) until none of the jobs "$1" (comma-separated ids) is queued.
wait_jobs() {
  local deadline=$((SECONDS + $2))
  while [ -n "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || fail "jobs $1 still queued after $2 s: $(squeue -h -j "$1")"
    sleep 1
  done
}
job_ids() { sed -n 's/^submit: \(array\|report\) job \([0-9]*\).*/\2/p' "$1" | paste -sd, -; }
array_id() { sed -n 's/^submit: array job \([0-9]*\).*/\1/p' "$1"; }

"$seraug" experiment "$scratch/tiny.toml" -o "$scratch/whole" -q

# 1. The array of 3 tasks and the report job equal the unsharded run.
"$seraug" submit "$scratch/tiny.toml" -o "$scratch/run1" --array 3 2>&1 | tee "$scratch/submit1.txt"
grep -q "array job .* (3 task(s))" "$scratch/submit1.txt" || fail "expected an array of 3 tasks"
wait_jobs "$(job_ids "$scratch/submit1.txt")" 600
cmp "$scratch/whole/results.csv" "$scratch/run1/results.csv" || fail "results.csv of the array differs from the unsharded run"
cmp "$scratch/whole/table.md" "$scratch/run1/table.md" || fail "table.md differs"
echo "ok: array of 3 + report job = unsharded run (results.csv byte for byte)"

# 2. Cancel a task mid-run; submitting again runs only that shard's missing cells.
"$seraug" submit "$scratch/tiny.toml" -o "$scratch/run2" --array 3 2>&1 | tee "$scratch/submit2.txt"
array=$(array_id "$scratch/submit2.txt")
victim=2
deadline=$((SECONDS + 300))
until grep -q "running" "$scratch/run2/slurm/task-${array}_${victim}.out" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "task $victim never started a cell"
  sleep 0.2
done
scancel "${array}_${victim}"
wait_jobs "$(job_ids "$scratch/submit2.txt")" 600
[ ! -e "$scratch/run2/results.csv" ] || fail "the report job ran although a task was cancelled"
"$seraug" submit "$scratch/tiny.toml" -o "$scratch/run2" --array 3 --dry-run 2>&1 | tee "$scratch/status.txt"
grep -q "missing in shard(s) $victim of 3" "$scratch/status.txt" || fail "expected missing cells in shard $victim only"
find "$scratch/run2/cells" -name '*.csv' -printf '%f %T@\n' | sort > "$scratch/before.txt"
"$seraug" submit "$scratch/tiny.toml" -o "$scratch/run2" --array 3 2>&1 | tee "$scratch/submit3.txt"
grep -q "array job .* (1 task(s))" "$scratch/submit3.txt" || fail "expected one resubmitted task"
wait_jobs "$(job_ids "$scratch/submit3.txt")" 600
find "$scratch/run2/cells" -name '*.csv' -printf '%f %T@\n' | sort > "$scratch/after.txt"
# Every cell finished before the resubmission is untouched; only missing ones were added.
[ -z "$(comm -23 "$scratch/before.txt" "$scratch/after.txt")" ] || fail "a finished cell was recomputed: $(comm -23 "$scratch/before.txt" "$scratch/after.txt")"
added=$(comm -13 "$scratch/before.txt" "$scratch/after.txt" | wc -l)
[ "$added" -ge 1 ] || fail "the resubmission computed nothing"
cmp "$scratch/whole/results.csv" "$scratch/run2/results.csv" || fail "results.csv after resubmission differs from the unsharded run"
echo "ok: cancelled task $victim; resubmission computed only its $added missing cell(s); results.csv = unsharded run"

# 3. Values sbatch and bash both read (issue 32, class 4): a run folder named with a
# quote, blanks, '#' and '$', an #SBATCH option with blanks and '#'. Every task used to
# fail on the quote; now the scripts carry each value exactly.
odd="$scratch/it's a #run \$HOME"
"$seraug" submit "$scratch/tiny.toml" -o "$odd" --array 2 --time 30:00 --sbatch-option='--comment=a b # c' 2>&1 | tee "$scratch/submit4.txt"
wait_jobs "$(job_ids "$scratch/submit4.txt")" 600
cmp "$scratch/whole/results.csv" "$odd/results.csv" || fail "results.csv of the oddly named run folder differs from the unsharded run"
ls "$odd/slurm/"task-*_1.out "$odd/slurm/"task-*_2.out >/dev/null || fail "the task logs are not under the oddly named folder"
echo "ok: a run folder named \"it's a #run \$HOME\" ran as an array of 2 + report (results.csv = unsharded run)"
