"""Models: predictions equal the CLI's; train in Python, predict with the CLI and back."""

import io

import numpy as np
import pandas as pd
import pytest

import seraug
from conftest import RATE, ROOT, read_wav16

SHIPPED = ROOT / "models" / "emodb-is09-svm"


def table(model, inputs, **options):
    """predict and predict_proba as the CLI's --csv lays them out: label, p_<class>..."""
    labels = model.predict(inputs, **options)
    probabilities = model.predict_proba(inputs, **options).add_prefix("p_")
    assert list(labels.index) == list(probabilities.index)
    return pd.concat([labels, probabilities], axis=1)


def cli_predictions(cli, model, *inputs):
    return pd.read_csv(io.StringIO(cli("predict", model, *inputs, "--csv")), index_col="file")


def same_predictions(ours, theirs):
    assert list(ours.index) == list(theirs.index)
    assert list(ours["label"]) == list(theirs["label"])
    # The CLI prints probabilities with 6 decimals.
    assert np.allclose(ours.iloc[:, 1:].to_numpy(), theirs.iloc[:, 1:].to_numpy(), atol=5e-7, rtol=0)


def test_shipped_model_predicts_as_the_cli(clips, cli):
    model = seraug.Model.load(SHIPPED)
    assert model.feature_set == "is09" and len(model.classes) == 5
    ours = table(model, clips)
    assert list(ours.columns) == ["label"] + [f"p_{c}" for c in model.classes]
    assert np.allclose(ours.iloc[:, 1:].sum(axis=1), 1.0)
    assert list(model.predict_proba(clips).columns) == model.classes
    same_predictions(ours, cli_predictions(cli, SHIPPED, clips))


def test_signal_file_and_feature_predictions_agree(clips):
    model = seraug.Model.load(SHIPPED)
    path = sorted(clips.glob("*.wav"))[0]
    by_file = table(model, [path])
    by_signal = table(model, read_wav16(path), sampling_rate=RATE)
    by_features = table(model, seraug.extract(path))
    assert np.array_equal(by_file.iloc[:, 1:].to_numpy(), by_signal.iloc[:, 1:].to_numpy())
    assert by_features.equals(by_file)


def test_trained_in_python_predicts_as_the_cli(clips, cli, tmp_path):
    features = seraug.extract(clips)
    corpus = seraug.read_corpus(clips)
    model = seraug.train(features, corpus["label"], corpus["speaker"], classes="all", C=0.1)
    assert model.classes == ["anger", "neutral", "sadness"]
    folder = tmp_path / "model"
    model.save(folder)
    same_predictions(table(model, clips), cli_predictions(cli, folder, clips))
    assert table(seraug.Model.load(folder), features).equals(table(model, features))


def test_python_train_equals_cli_train(clips, cli, cli_features, tmp_path):
    folder = tmp_path / "cli-model"
    cli("train", cli_features, "-o", folder, "--classes", "all", "--norm", "speaker", "--seed", "3")
    corpus = seraug.read_corpus(clips)
    ours = seraug.train(seraug.extract(clips), corpus["label"], corpus["speaker"], classes="all", norm="speaker", seed=3)
    theirs = seraug.Model.load(folder)
    assert ours.hyperparameters == theirs.hyperparameters and ours.normalization == "speaker"
    assert ours.recipe == theirs.recipe and ours.recipe["norm"] == "speaker" and ours.recipe["feature_set"] == "is09"
    enroll = sorted(clips.glob("03*.wav"))
    same_predictions(table(ours, enroll, enroll=enroll), table(theirs, enroll, enroll=enroll))


def test_speaker_model_with_enrolment_equals_cli(clips, cli, cli_features, tmp_path):
    folder = tmp_path / "speaker-model"
    cli("train", cli_features, "-o", folder, "--classes", "all", "--norm", "speaker")
    model = seraug.Model.load(folder)
    enroll = [str(p) for p in sorted(clips.glob("03*.wav"))]
    ours = table(model, enroll, enroll=enroll)
    args = [a for p in enroll for a in ("--enroll", p)]
    same_predictions(ours, cli_predictions(cli, folder, *enroll, *args))


def test_model_errors_are_seraug_errors(tmp_path):
    with pytest.raises(seraug.Error, match="model.json"):
        seraug.Model.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="model folder not found"):
        seraug.Model.load(tmp_path / "missing")
    model = seraug.Model.load(SHIPPED)
    with pytest.raises(seraug.Error, match="sampling_rate"):
        model.predict(np.zeros(16000, dtype=np.float32))
    with pytest.raises(seraug.Error, match="enrol"):
        model.predict(np.zeros(16000, dtype=np.float32) + 0.1, sampling_rate=RATE, enroll=np.ones(100))


def test_plain_classes_with_one_return_type(clips):
    model = seraug.Model.load(SHIPPED)
    assert type(model) is seraug.Model and "predict_proba" in seraug.Model.__dict__
    labels = model.predict(clips)
    assert isinstance(labels, pd.Series) and set(labels) <= set(model.classes)
    assert isinstance(model.predict(sorted(clips.glob("*.wav"))[:1]), pd.Series)  # one file: still a Series
    assert model.predict.__doc__ and model.predict_proba.__doc__ and seraug.train.__annotations__["return"] == "Model"
