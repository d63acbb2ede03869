#!/usr/bin/python3
"""A long speech recording for the analyze benchmarks (docs/analyze.md, "Speed and
memory"): EMO-DB clips in a seeded random order with pauses of 0.3-2 s over faint white
noise, written block by block (the script never holds the whole signal).

    bench/make_long_recording.py OUT.wav HOURS [CORPUS_WAV_DIR]
"""
import glob
import os
import random
import sys
import wave

import numpy as np


def main():
    out, hours = sys.argv[1], float(sys.argv[2])
    corpus = sys.argv[3] if len(sys.argv) > 3 else os.environ.get("SERAUG_EMODB", "../shared/data/emodb") + "/wav"
    clips = []
    for path in sorted(glob.glob(os.path.join(corpus, "*.wav"))):
        with wave.open(path) as w:
            rate = w.getframerate()
            clips.append(np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32))
    if not clips:
        sys.exit(f"make_long_recording: no .wav files in {corpus} (set SERAUG_EMODB or pass the folder)")
    rng = random.Random(1)
    noise = np.random.default_rng(1)
    total, written = int(hours * 3600 * rate), 0
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        while written < total:
            pause = noise.uniform(-30, 30, int(rng.uniform(0.3, 2.0) * rate)).astype(np.float32)
            clip = rng.choice(clips)
            block = np.concatenate([pause, clip])[: total - written]
            w.writeframes(np.clip(block, -32768, 32767).astype("<i2").tobytes())
            written += len(block)


if __name__ == "__main__":
    main()
