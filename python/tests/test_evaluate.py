"""Evaluation and augmentation: equal to the CLI's, folds and predictions consistent."""

import json

import numpy as np
import pytest

import seraug
from conftest import without_times


@pytest.fixture(scope="module")
def data(clips):
    corpus = seraug.read_corpus(clips)
    return seraug.extract(clips), corpus["label"], corpus["speaker"]


def test_loso_equals_cli_json(data, cli, cli_features, tmp_path):
    features, labels, speakers = data
    result = seraug.evaluate(features, labels, speakers, classes="all", norm="speaker", seeds=2)
    out = tmp_path / "eval.json"
    cli("evaluate", cli_features, "--classes", "all", "--norm", "speaker", "--repeats", "2", "--json", out)
    theirs = json.loads(out.read_text())
    ours = json.loads(result.to_json())
    assert without_times(ours["repeats"]) == without_times(theirs["repeats"])  # every fold's choices, predictions and confusions
    assert result.seeds == [1, 2]
    folds = result.folds
    assert len(folds) == 2 * 4 and sorted(set(folds["test_speakers"])) == ["03", "08", "09", "10"]
    assert result.confusion.to_numpy().sum() == 2 * 24
    assert 0 <= result.uar <= 1 and 0 <= result.wa <= 1


def test_pooled_metrics_follow_from_the_predictions(data):
    features, labels, speakers = data
    result = seraug.evaluate(features, labels, speakers, classes="all", C=1.0)
    p = result.predictions
    truth = dict(zip(features.index, labels))
    correct = np.array([truth[n] == c for n, c in zip(p["name"], p["predicted"])])
    assert len(p) == 24 and set(p["name"]) == set(features.index)
    assert result.wa == pytest.approx(correct.mean())
    recalls = [correct[[truth[n] == c for n in p["name"]]].mean() for c in result.classes]
    assert list(result.recall) == pytest.approx(recalls)
    assert result.uar == pytest.approx(np.mean(recalls))


def test_seed_lists_and_sweeps(data):
    features, labels, speakers = data
    a = seraug.evaluate(features, labels, speakers, classes="all", C=1.0, seeds=range(3, 5))
    b = seraug.evaluate(features, labels, speakers, classes="all", C=1.0, seeds=2, seed=3)
    assert a.seeds == b.seeds == [3, 4] and without_times(json.loads(a.to_json())) == without_times(json.loads(b.to_json()))
    sweep = seraug.evaluate_sweep(features, [0, 4], labels, speakers, classes="all", C=1.0, augment="smote")
    assert [r.amount for r in sweep] == ["0", "4"]
    assert sweep[1].folds["synthetic_rows"].eq(3 * 4).all()
    with pytest.raises(seraug.Error, match="consecutive"):
        seraug.evaluate(features, labels, speakers, seeds=[1, 3])


def test_numpy_arrays_work_without_names(data):
    features, labels, speakers = data
    result = seraug.evaluate(features.to_numpy(), np.asarray(labels), np.asarray(speakers), classes="all", C=1.0)
    named = seraug.evaluate(features, labels, speakers, classes="all", C=1.0)
    assert result.uar == named.uar


def test_augment_equals_cli_and_names_sources(data, cli, cli_features, tmp_path):
    features, labels, speakers = data
    rows = seraug.augment(features, labels, speakers, method="smote", per_class=5, classes="all", seed=4)
    out = tmp_path / "smote.csv"
    cli("augment", cli_features, "-o", out, "--method", "smote", "--per-class", "5", "--classes", "all", "--seed", "4")
    theirs = seraug.read_features(out)
    assert rows.equals(theirs)
    assert list(rows.columns[:6]) == ["speaker", "label", "method", "seed", "sources", "synthetic"]
    real = dict(zip(features.index, labels))
    for label, sources in zip(rows["label"], rows["sources"]):
        assert all(real[s] == label for s in sources.split(";"))
    assert rows["label"].value_counts().eq(5).all()


def test_one_return_type_and_plain_classes(data):
    features, labels, speakers = data
    result = seraug.evaluate(features, labels, speakers, classes="all", C=1.0)
    assert type(result) is seraug.EvalResult and "confusion" in seraug.EvalResult.__dict__
    with pytest.raises(TypeError, match="evaluate_sweep"):
        seraug.evaluate(features, labels, speakers, classes="all", C=1.0, augment="smote", per_class=[0, 4])
    assert "±" not in repr(result)  # one seed: no spread to show
