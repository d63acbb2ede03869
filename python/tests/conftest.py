"""Fixtures of the Python package's tests: synthetic EMO-DB-named clips (so speakers
and labels come from the names, as for the corpus) and the CLI to compare against."""

import os
import pathlib
import subprocess
import wave

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RATE = 16000
# EMO-DB letters: W anger, T sadness, N neutral, A fear, F happiness.
LETTERS = "WTNAF"


def voiced_clip(f0, seconds, seed):
    """A harmonic tone with vibrato and a little noise: pitch, energy and spectra that
    every feature set can analyse, in [-1, 1] as 16-bit samples."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t))) / RATE
    x = sum(0.3 / k * np.sin(k * phase) for k in range(1, 6)) * (0.6 + 0.4 * np.sin(np.pi * t / seconds))
    x = x + 0.01 * rng.standard_normal(t.size)
    return np.round(np.clip(x, -1, 1) * 32767).astype(np.int16)


def write_wav16(path, samples):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())


def read_wav16(path):
    """The samples as libsndfile decodes 16-bit PCM: int16 / 32768 as float32."""
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return (data.astype(np.float32) / np.float32(32768)).astype(np.float32)


def write_clips(folder, base_f0, speakers):
    """Two clips per speaker and emotion, each emotion with its own pitch range so that
    a classifier can learn something."""
    for s, speaker in enumerate(speakers):
        for letter, f0 in base_f0.items():
            for k in range(2):
                seed = 100 * s + 10 * LETTERS.index(letter) + k
                write_wav16(folder / f"{speaker}a0{k + 1}{letter}a.wav", voiced_clip(f0 * (1 + 0.05 * s), 1.0, seed))
    return folder


def without_times(document):
    """An evaluation's JSON without wall-clock fields (they differ between runs)."""
    if isinstance(document, dict):
        return {k: without_times(v) for k, v in document.items() if k != "seconds"}
    if isinstance(document, list):
        return [without_times(v) for v in document]
    return document


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """24 clips: 4 speakers x 3 emotions (anger, sadness, neutral) x 2."""
    return write_clips(tmp_path_factory.mktemp("clips"), {"W": 220.0, "T": 120.0, "N": 160.0}, ["03", "08", "09", "10"])


@pytest.fixture(scope="session")
def paper_clips(tmp_path_factory):
    """30 clips of the paper's five emotions: 3 speakers x 5 emotions x 2."""
    f0 = {"W": 230.0, "A": 260.0, "F": 200.0, "T": 110.0, "N": 150.0}
    return write_clips(tmp_path_factory.mktemp("paper_clips"), f0, ["03", "08", "09"])


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("SERAUG_CLI", str(ROOT / "build" / "seraug"))
    if not os.path.exists(path):
        pytest.skip(f"the seraug CLI is not built ({path})")

    def run(*args):
        result = subprocess.run([path, *map(str, args)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


@pytest.fixture(scope="session")
def cli_features(clips, cli, tmp_path_factory):
    """The CLI's IS09 feature CSV of the clips."""
    out = tmp_path_factory.mktemp("cli") / "is09.csv"
    cli("extract", clips, "-o", out, "--set", "is09", "-q")
    return out
