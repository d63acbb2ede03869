"""seraug.analyze, AnalysisStream and analyze_stream (docs/analyze.md): the same timeline
as the CLI, streams equal to files, settings checked by their declarations."""
import csv
import io
import math
import os
import subprocess
import wave

import numpy as np
import pytest

import seraug

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
MODEL = os.path.join(ROOT, "models", "emodb-is09-svm")
SERAUG = os.environ.get("SERAUG_BIN", os.path.join(ROOT, "build", "seraug"))


def tones(rate=16000):
    """Four vowel-like tones with pauses over faint noise."""
    rng = np.random.default_rng(3)
    parts = [rng.uniform(-0.001, 0.001, rate)]
    for f0, length, pause in [(140, 1.5, 0.6), (220, 0.8, 1.0), (180, 2.5, 1.4), (120, 1.2, 1.8)]:
        t = np.arange(int(length * rate)) / rate
        parts.append(sum(0.2 / k * np.sin(2 * math.pi * k * f0 * t) for k in range(1, 12)))
        parts.append(rng.uniform(-0.001, 0.001, int(pause * rate)))
    return (np.concatenate(parts) * 32767).astype("<i2")


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyze") / "rec.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(tones().tobytes())
    return path


def test_analyze_gives_the_cli_timeline(recording):
    frame = seraug.analyze(MODEL, recording)
    assert list(frame.columns[:4]) == ["file", "start", "end", "label"]
    assert len(frame) == 4
    if not os.path.exists(SERAUG):
        pytest.skip("no seraug executable")
    out = subprocess.run([SERAUG, "analyze", MODEL, str(recording), "-q"], check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["label"] for r in rows] == list(frame["label"])
    for r, (_, f) in zip(rows, frame.iterrows()):
        assert float(r["start"]) == pytest.approx(f["start"], abs=1e-3)
        assert float(r["p_anger"]) == pytest.approx(f["p_anger"], abs=1e-6)


def test_a_signal_and_a_stream_of_blocks_equal_the_file(recording):
    samples = tones().astype(np.float32) / 32768
    whole = seraug.analyze(MODEL, recording)
    signal = seraug.analyze(MODEL, samples, sampling_rate=16000)
    assert list(signal["label"]) == list(whole["label"])
    np.testing.assert_allclose(signal["p_anger"], whole["p_anger"], atol=1e-12)
    blocks = [samples[i:i + 321] for i in range(0, len(samples), 321)]
    streamed = list(seraug.analyze_stream(MODEL, blocks, sampling_rate=16000))
    assert [s["label"] for s in streamed] == list(whole["label"])
    assert [s["start"] for s in streamed] == list(whole["start"])


def test_a_stream_returns_segments_as_they_close():
    samples = tones().astype(np.float32) / 32768
    stream = seraug.AnalysisStream(MODEL, sampling_rate=16000)
    closed_at = []
    for at in range(0, len(samples), 1600):
        for start in stream.push(samples[at:at + 1600])["start"]:
            closed_at.append((start, (at + 1600) / 16000))
    stream.finish()
    assert len(closed_at) == 4
    for start, when in closed_at:
        assert when - start < 3.5  # each closes soon after its speech ends, not at the end


def test_settings_are_checked_with_the_declarations_messages(recording):
    with pytest.raises(seraug.Error, match="analyze.pad_s .* must not exceed analyze.hangover_s"):
        seraug.analyze(MODEL, recording, pad_s=0.5)
    with pytest.raises(seraug.Error, match="analyze.vad"):
        seraug.analyze(MODEL, recording, vad="silero")
    with pytest.raises(seraug.Error, match="is not one of the \\[analyze\\] parameters"):
        seraug.analyze(MODEL, recording, loudness=3)
    with pytest.raises(seraug.Error, match="sampling_rate"):
        seraug.analyze(MODEL, np.zeros(100, np.float32))
    frame = seraug.analyze(MODEL, recording, vad="webrtc", hangover_s=0.4)
    assert len(frame) == 4
    assert "analyze" in seraug.declared_parameters()


@pytest.mark.parametrize("name, value", [("hangover_s", 5), ("vad_threshold_db", "loud"), ("enroll_scope", "forever"),
                                         ("window_s", -1), ("sample_rate", 10)])
def test_cli_and_python_refuse_a_value_with_the_same_message(recording, name, value):
    if not os.path.exists(SERAUG):
        pytest.skip("no seraug executable")
    with pytest.raises(seraug.Error) as python_error:
        seraug.analyze(MODEL, recording, **{name: value})
    cli = subprocess.run([SERAUG, "analyze", MODEL, str(recording), "--" + name.replace("_", "-"), str(value)],
                         capture_output=True, text=True)
    assert cli.returncode != 0
    message = str(python_error.value).split(f"analyze.{name}", 1)[1]
    if isinstance(value, str) and name == "vad_threshold_db":
        assert f"analyze.{name}" in cli.stderr  # a word where TOML says "must be a number"
    else:
        assert message.strip() in cli.stderr, (message, cli.stderr)
