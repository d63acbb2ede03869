"""Extraction: file/signal parity, equality with the CLI's CSV, reading our files."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import seraug
from conftest import RATE, read_wav16, voiced_clip, write_wav16


@pytest.mark.parametrize("feature_set", ["is09", "egemaps", "is10", "compare"])
def test_file_and_signal_give_identical_values(tmp_path, feature_set):
    path = tmp_path / "03a01Wa.wav"
    write_wav16(path, voiced_clip(200.0, 1.2, seed=7))
    from_file = seraug.extract(path, feature_set=feature_set)
    from_signal = seraug.extract_signal(read_wav16(path), RATE, feature_set=feature_set)
    assert list(from_file.columns) == seraug.feature_names(feature_set)
    assert np.array_equal(from_file.to_numpy(), from_signal.to_numpy())  # bit for bit, not approximately


def test_signal_dtype_float64_equals_float32(tmp_path):
    x = voiced_clip(180.0, 1.0, seed=3).astype(np.float32) / np.float32(32768)
    a = seraug.extract_signal(x, RATE)
    b = seraug.extract_signal(x.astype(np.float64), RATE)
    assert np.array_equal(a.to_numpy(), b.to_numpy())


def test_folder_equals_cli_csv(clips, cli_features):
    ours = seraug.extract(clips, feature_set="is09", jobs=2)
    theirs = pd.read_csv(cli_features, index_col="name", dtype={"speaker": str, "label": str}, float_precision="round_trip")
    assert list(ours.index) == list(theirs.index)
    assert list(ours.columns) == list(theirs.columns[2:])
    assert np.array_equal(ours.to_numpy(), theirs.iloc[:, 2:].to_numpy())
    # seraug's own reader gives the same table, speaker and label included.
    read = seraug.read_features(cli_features)
    assert read[["speaker", "label"]].equals(theirs[["speaker", "label"]])
    # (read_csv infers int64 for a column written as whole numbers; seraug's are float64.)
    assert read.iloc[:, 2:].equals(theirs.iloc[:, 2:].astype(np.float64))


def test_any_thread_count_gives_the_same_rows(clips):
    assert seraug.extract(clips, jobs=1).equals(seraug.extract(clips, jobs=2))


def test_our_csv_reads_with_plain_read_csv(cli_features):
    frame = pd.read_csv(cli_features)
    assert list(frame.columns[:3]) == ["name", "speaker", "label"]
    assert len(frame) == 24 and all(np.issubdtype(t, np.number) for t in frame.dtypes[3:])
    # pandas reads EMO-DB's speaker "03" as the number 3 unless told it is text.
    assert pd.read_csv(cli_features, dtype={"speaker": str})["speaker"].str.len().eq(2).all()
    sidecar = json.loads(open(str(cli_features) + ".json").read())
    assert sidecar["format"] == "seraug-features" and "extract --set is09" in sidecar["provenance"][0]


def test_old_files_with_a_comment_line_still_read(cli_features, tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("# seraug 0.0.9 extract --set is09\n" + cli_features.read_text())
    assert seraug.read_features(old).equals(seraug.read_features(cli_features))


def test_write_features_round_trips_and_the_cli_evaluates_it(clips, cli, tmp_path):
    table = seraug.extract(clips)
    corpus = seraug.read_corpus(clips)
    out = tmp_path / "written.csv"
    seraug.write_features(out, table, speakers=corpus["speaker"], labels=corpus["label"], provenance=["from python"])
    back = seraug.read_features(out)
    assert np.array_equal(back.iloc[:, 2:].to_numpy(), table.to_numpy())
    assert list(back["label"]) == list(corpus["label"])
    assert "UAR" in cli("evaluate", out, "--classes", "all", "--C", "1")


def test_read_corpus_gives_emodb_speakers_and_labels(clips):
    corpus = seraug.read_corpus(clips)
    assert sorted(set(corpus["speaker"])) == ["03", "08", "09", "10"]
    assert sorted(set(corpus["label"])) == ["anger", "neutral", "sadness"]
    assert list(corpus.index) == sorted(corpus.index)


def test_without_pandas_features_come_as_numpy_with_names(clips):
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import seraug, numpy as np\n"
        f"f = seraug.extract({str(clips)!r})\n"
        "assert isinstance(f, seraug.Features) and isinstance(f.values, np.ndarray)\n"
        "assert f.values.shape == (24, len(f.columns)) and f.columns == seraug.feature_names('is09')\n"
        "print(f.index[0])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "03a01Na.wav"
