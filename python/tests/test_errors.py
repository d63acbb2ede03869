"""Errors become seraug.Error with the CLI's messages; Ctrl-C stops long calls."""

import os
import shutil
import signal
import threading
import time

import numpy as np
import pytest

import seraug
from conftest import RATE


def test_error_is_a_value_error_naming_the_file(tmp_path, clips):
    assert issubclass(seraug.Error, ValueError)
    assert issubclass(seraug.MissingFileError, seraug.Error) and issubclass(seraug.MissingFileError, FileNotFoundError)
    missing = tmp_path / "missing.wav"
    with pytest.raises(FileNotFoundError, match=str(missing)):
        seraug.extract([missing])
    with pytest.raises(seraug.Error, match=str(missing)):
        seraug.extract([missing])
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        seraug.read_corpus(tmp_path / "nowhere.csv")
    with pytest.raises(FileNotFoundError):
        seraug.read_features(tmp_path / "missing.csv")
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    with pytest.raises(seraug.Error, match="broken.wav"):
        seraug.extract([broken])
    with pytest.raises(seraug.Error, match="no file could be processed"):
        seraug.extract([broken], skip_bad=True)
    good = sorted(clips.glob("*.wav"))[0]
    with pytest.warns(UserWarning, match="broken.wav"):
        assert list(seraug.extract([good, broken], skip_bad=True).index) == [str(good)]


def test_bad_values_name_row_and_column(clips):
    features = seraug.extract(clips)
    corpus = seraug.read_corpus(clips)
    bad = features.copy()
    bad.iloc[5, 7] = np.nan
    with pytest.raises(seraug.Error, match=rf"row 6 \('{bad.index[5]}'\), column '{bad.columns[7]}'.*not finite"):
        seraug.evaluate(bad, corpus["label"], corpus["speaker"], classes="all")
    with pytest.raises(seraug.Error, match="23 values for 24"):
        seraug.evaluate(features, corpus["label"][:-1], corpus["speaker"], classes="all")
    with pytest.raises(seraug.Error, match="2-D"):
        seraug.evaluate(np.zeros(3), ["a"] * 3, ["s"] * 3)


def test_option_errors_name_the_key(clips):
    features = seraug.extract(clips)
    corpus = seraug.read_corpus(clips)
    args = (features, corpus["label"], corpus["speaker"])
    with pytest.raises(seraug.Error, match="warp"):
        seraug.evaluate(*args, classes="all", augment="cyclegan-wdiv[warp=2]", per_class=2)
    with pytest.raises(seraug.Error, match="protocol"):
        seraug.evaluate(*args, classes="all", protocol="bogus")
    with pytest.raises(seraug.Error, match="surprise"):
        seraug.evaluate(*args, classes="anger,surprise")
    with pytest.raises(seraug.Error, match="is99"):
        seraug.extract(clips, feature_set="is99")
    with pytest.raises(seraug.Error, match="mono"):
        seraug.extract_signal(np.zeros((2, 100), dtype=np.float32), RATE)
    with pytest.raises(seraug.Error, match="integer"):
        seraug.extract_signal(np.zeros(100, dtype=np.int16), RATE)


def copies_of(clip, folder, n):
    """n distinct files with the clip's bytes (one file given n times is refused)."""
    folder.mkdir(exist_ok=True)
    paths = [folder / f"copy{i:04d}.wav" for i in range(n)]
    for path in paths:
        shutil.copyfile(clip, path)
    return paths


def test_ctrl_c_stops_a_long_extraction_and_the_next_call_works(clips, tmp_path):
    one = sorted(clips.glob("*.wav"))[0]
    many = copies_of(one, tmp_path / "many", 2000)  # minutes of ComParE on one thread
    timer = threading.Timer(1.0, os.kill, args=(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        seraug.extract(many, feature_set="compare", jobs=1)
    stopped_after = time.monotonic() - start
    timer.join()
    # Stopped between files, long before the work was done (2000 files take minutes).
    assert stopped_after < 30, stopped_after
    assert seraug.extract([one]).shape == (1, 384)


def test_long_calls_release_the_gil(clips, tmp_path):
    """Another Python thread runs while seraug works (the call releases the GIL)."""
    one = sorted(clips.glob("*.wav"))[0]
    ticks, stop = [0], threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        before = ticks[0]
        seraug.extract(copies_of(one, tmp_path / "sixty", 60), feature_set="compare", jobs=1)
        during = ticks[0] - before
    finally:
        stop.set()
        counter.join()
    assert during > 20, during
