#!/usr/bin/env bash
# seraug analyze through the real executable (docs/analyze.md): a file and the same audio
# on stdin give the same timeline; a truncated recording is an error that says what was
# analysed and writes nothing; Ctrl-C on a live stream keeps the lines already written;
# JSON, --plot and the declared flags' checks. Needs no corpus (the audio is generated;
# the model is the shipped IS09 one).
set -u
seraug=$1
source_dir=$2
model="$source_dir/models/emodb-is09-svm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Four vowel-like tones with pauses (16 kHz), as a WAV and as raw 16-bit PCM.
/usr/bin/python3 - "$work" <<'PY' || fail "cannot generate audio"
import math, random, struct, sys, wave
random.seed(2)
rate, out = 16000, bytearray()
def put(v): out.extend(struct.pack("<h", max(-32768, min(32767, int(v * 32767)))))
for i in range(rate): put(random.uniform(-0.001, 0.001))
for f0, length, pause in [(140, 1.5, 0.6), (220, 0.8, 1.0), (180, 2.5, 1.4), (120, 1.2, 1.8)]:
    for n in range(int(length * rate)):
        put(sum(0.2 / k * math.sin(2 * math.pi * k * f0 * n / rate) for k in range(1, 12)) + random.uniform(-0.001, 0.001))
    for n in range(int(pause * rate)): put(random.uniform(-0.001, 0.001))
open(f"{sys.argv[1]}/rec.pcm", "wb").write(out)
with wave.open(f"{sys.argv[1]}/rec.wav", "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(bytes(out))
PY

"$seraug" analyze "$model" "$work/rec.wav" -q > "$work/file.csv" || fail "analyze of a file"
head -1 "$work/file.csv" | grep -q '^file,start,end,label,p_anger,p_fear,p_happiness,p_sadness,p_neutral,' || fail "CSV header: $(head -1 "$work/file.csv")"
[ "$(tail -n +2 "$work/file.csv" | wc -l)" -eq 4 ] || fail "expected 4 segments: $(cat "$work/file.csv")"

"$seraug" analyze "$model" - --sample-rate 16000 --format csv -q < "$work/rec.pcm" > "$work/stdin.csv" || fail "analyze of stdin"
diff <(cut -d, -f2- "$work/file.csv") <(cut -d, -f2- "$work/stdin.csv") > /dev/null || fail "stdin and file timelines differ"

"$seraug" analyze "$model" "$work/rec.wav" --format json -q | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["segments"]) == 4 and d["recordings"][0]["segments"] == 4, d
assert abs(sum(d["segments"][0]["probabilities"].values()) - 1) < 1e-4' || fail "JSON timeline"

"$seraug" analyze "$model" "$work/rec.wav" --plot "$work/t.svg" -q > /dev/null || fail "--plot"
grep -q '<svg' "$work/t.svg" || fail "--plot wrote no SVG"

# A recording cut short: an error naming it and what was analysed; no output file.
head -c 150000 "$work/rec.wav" > "$work/cut.wav"
"$seraug" analyze "$model" "$work/cut.wav" -o "$work/cut.csv" > "$work/err.txt" 2>&1
[ $? -eq 1 ] || fail "a truncated recording did not exit 1"
grep -q "truncated" "$work/err.txt" && grep -q "after analysing" "$work/err.txt" || fail "truncation message: $(cat "$work/err.txt")"
[ -e "$work/cut.csv" ] && fail "a truncated recording left a partial timeline"

# Declared flags are checked; settings that cannot apply are refused.
"$seraug" analyze "$model" "$work/rec.wav" --pad-s 0.5 > "$work/err.txt" 2>&1 && fail "--pad-s 0.5 accepted"
grep -q "hangover_s" "$work/err.txt" || fail "--pad-s message: $(cat "$work/err.txt")"
"$seraug" analyze "$model" - --enroll-scope recording < /dev/null > "$work/err.txt" 2>&1 && fail "recording scope on stdin accepted"
grep -q "live input" "$work/err.txt" || fail "scope message: $(cat "$work/err.txt")"
"$seraug" analyze "$model" "$work/rec.wav" --vad silero > "$work/err.txt" 2>&1 && fail "--vad silero accepted"

# Live: the first three tones, then the line stays open (silence, no end); Ctrl-C keeps
# the lines of the segments that closed and exits cleanly.
fifo="$work/live"
mkfifo "$fifo"
/usr/bin/python3 -c '
import sys, time
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(data[: int(9.0 * 16000) * 2]); f.flush(); time.sleep(60)' "$work/rec.pcm" "$fifo" &
writer=$!
"$seraug" analyze "$model" - --sample-rate 16000 -q < "$fifo" > "$work/live.jsonl" 2> "$work/live.err" &
pid=$!
sleep 4
kill -INT $pid
wait $pid
status=$?
kill $writer 2>/dev/null
[ "$status" -eq 0 ] || fail "Ctrl-C on a live stream: exit $status: $(cat "$work/live.err")"
[ "$(wc -l < "$work/live.jsonl")" -eq 3 ] || fail "expected the 3 closed segments as JSON lines: $(cat "$work/live.jsonl")"

# ALSA capture: an unknown device is an error naming it; ALSA's null device (silence)
# captures until Ctrl-C, with no segment.
"$seraug" analyze "$model" --device no-such-device > "$work/err.txt" 2>&1 && fail "an unknown ALSA device was accepted"
grep -q "no-such-device" "$work/err.txt" || fail "ALSA message: $(cat "$work/err.txt")"
"$seraug" analyze "$model" --device null -q > "$work/null.jsonl" 2> "$work/null.err" &
pid=$!
sleep 2
kill -INT $pid
wait $pid
status=$?
if grep -q "cannot open for capture" "$work/null.err"; then
  echo "analyze_cli: (no ALSA null device here; capture not exercised)"
else
  [ "$status" -eq 0 ] || fail "Ctrl-C on ALSA capture: exit $status: $(cat "$work/null.err")"
  [ -s "$work/null.jsonl" ] && fail "silence gave segments: $(cat "$work/null.jsonl")"
fi

echo "analyze_cli: all cases passed"
