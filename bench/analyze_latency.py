#!/usr/bin/python3
"""Streaming latency of `seraug analyze MODEL -` (docs/analyze.md, "Live input").

Feeds a recording to seraug's stdin as raw 16-bit PCM, paced in real time (20 ms
chunks), and reads the JSON lines seraug writes. A segment's latency is the wall time
from the moment the sample at its end (its `end`, the end of its speech) was written to
the moment its line arrived: the VAD's hangover, the features and the prediction
together. Prints the distribution and the hangover it includes.

    bench/analyze_latency.py build/seraug models/emodb-best recording.wav [--flags...]
"""
import json
import subprocess
import sys
import threading
import time
import wave

import numpy as np


def main():
    seraug, model, path, *flags = sys.argv[1:]
    with wave.open(path) as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    if channels != 1 or width != 2:
        sys.exit("a mono 16-bit WAV, please")
    proc = subprocess.Popen([seraug, "analyze", model, "-", "--sample-rate", str(rate), "-q", *flags],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    chunk = rate // 50
    started = []
    arrivals = []

    def read_lines():
        for line in proc.stdout:
            arrivals.append((time.monotonic(), json.loads(line)))

    reader = threading.Thread(target=read_lines)
    reader.start()
    t0 = time.monotonic()
    started.append(t0)
    for i in range(0, len(pcm), chunk):
        target = t0 + i / rate
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        proc.stdin.write(pcm[i:i + chunk].tobytes())
    proc.stdin.close()
    reader.join()
    proc.wait()
    latencies = []
    for arrived, segment in arrivals:
        written = t0 + segment["end"] + 0.02  # the chunk holding the end sample was written by then
        if segment["end"] < len(pcm) / rate - 1:  # (the last one closes at the end of input)
            latencies.append(arrived - written)
    lat = np.array(latencies) * 1000
    print(f"{len(lat)} segments over {len(pcm) / rate:.0f} s of audio paced in real time")
    print(f"latency from the end of speech to the line (ms): median {np.median(lat):.0f}, p95 {np.percentile(lat, 95):.0f}, "
          f"max {lat.max():.0f}, min {lat.min():.0f}")


if __name__ == "__main__":
    main()
