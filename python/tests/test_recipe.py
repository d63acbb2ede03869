"""seraug.Recipe: the CLI's recipes from Python, validated by the library's declaration."""

import json

import pytest

import seraug
from conftest import ROOT, without_times


@pytest.fixture(scope="module")
def data(clips):
    corpus = seraug.read_corpus(clips)
    return seraug.extract(clips), corpus["label"], corpus["speaker"]


def test_recipes_are_validated_by_the_declaration():
    r = seraug.Recipe(norm="speaker", classifier="svm-rbf", C=1, gamma=0.5, balanced=True, inner_folds=2)
    assert r.parameters == {"norm": "speaker", "classifier": "svm-rbf", "C": 1.0, "gamma": 0.5, "balanced": True, "inner_folds": 2}
    assert "[recipe]" in r.to_toml() and set(r.parameters) <= set(seraug.Recipe.parameter_names())
    with pytest.raises(seraug.Error, match="recipe.norm is 'bogus'"):
        seraug.Recipe(norm="bogus")
    with pytest.raises(seraug.Error, match="recipe.inner_folds must be in 2..50"):
        seraug.Recipe(inner_folds=1)
    with pytest.raises(seraug.Error, match="recipe.nope is not a recipe parameter"):
        seraug.Recipe(nope=1)
    best = seraug.Recipe.load(ROOT / "configs" / "best.toml")
    assert best.parameters["classifier"] == "svm-rbf" and best.parameters["balanced"] is True


def test_a_recipe_equals_its_arguments_and_arguments_override_it(data):
    features, labels, speakers = data
    recipe = seraug.Recipe(norm="speaker", classifier="svm-rbf", C=1.0, gamma=0.5, inner_folds=2)
    by_recipe = seraug.evaluate(features, labels, speakers, classes="all", recipe=recipe)
    config = json.loads(by_recipe.to_json())["config"]
    assert config["norm"] == "speaker" and config["classifier"] == "svm-rbf" and config["inner_folds"] == 2
    plain = seraug.evaluate(features, labels, speakers, classes="all", norm="speaker", classifier="svm-rbf", C=1.0,
                            recipe=seraug.Recipe(gamma=0.5, inner_folds=2))
    assert without_times(json.loads(plain.to_json())) == without_times(json.loads(by_recipe.to_json()))
    overridden = seraug.evaluate(features, labels, speakers, classes="all", classifier="svm", recipe=recipe.__class__(norm="speaker"))
    assert json.loads(overridden.to_json())["config"]["classifier"] == "svm"
    model = seraug.train(features, labels, speakers, classes="all", recipe=recipe.__class__(norm="speaker", classifier="svm-rbf", C=1.0))
    assert model.recipe["classifier"] == "svm-rbf" and model.recipe["norm"] == "speaker" and model.recipe["C"] == 1.0
    with pytest.raises(seraug.Error, match="recipe.augment is not used by train"):
        seraug.train(features, labels, speakers, classes="all", recipe=seraug.Recipe(augment="smote"))


def test_errors_name_parameters_in_python_terms(data):
    """The library names parameters (`enroll_clips`); Python shows its keyword, the CLI its flag."""
    features, labels, speakers = data
    with pytest.raises(seraug.Error) as caught:
        seraug.evaluate(features, labels, speakers, classes="all", recipe=seraug.Recipe(enroll_clips=3))
    assert str(caught.value) == "enroll_clips applies to norm speaker only"


def test_select_recipe_is_the_clis_nested_selection(data, cli, cli_features, tmp_path):
    """seraug.select_recipe and `evaluate --recipe A --recipe B` agree to the number."""
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[recipe]\nnorm = "global"\nclassifier = "svm"\n')
    b.write_text('[recipe]\nnorm = "speaker"\nclassifier = "svm-ovo"\ninner_folds = 2\n')
    features = seraug.read_features(cli_features)
    result = seraug.select_recipe(features, [seraug.Recipe.load(a), seraug.Recipe.load(b)], classes="all",
                                  selection_folds=3, seed=2)
    assert result.candidates == [str(a), str(b)] and len(result.chosen) == 1 and len(result.chosen[0]) == 4
    assert result.optimistic in result.candidates
    assert 0 <= result.nested.uar <= 1 and "honest (nested selection)" in result.summary()
    printed = json.loads(cli("evaluate", cli_features, "--classes", "all", "--recipe", a, "--recipe", b,
                             "--selection-folds", 3, "--seed", 2, "--format", "json"))
    by_python = json.loads(result.to_json())
    for document in [printed, by_python]:  # (the CLI names its file, Python its table)
        for evaluation in [document["nested"], *document["each"]]:
            evaluation.pop("source")
    assert without_times(printed) == without_times(by_python)
    with pytest.raises(seraug.Error, match="at least two candidates"):
        seraug.select_recipe(features, [seraug.Recipe.load(a)], classes="all")
