"""Every declared parameter round-trips through TOML, the CLI and Python with the same
validation (issue 33): the samples come from the declarations themselves, so a new
parameter is tested by its table row alone.

For [dnn] and [gan]: a config file (`seraug parameters --resolved --config F`), the
flags (`seraug parameters --resolved --dnn-x V`) and Python (`seraug.resolved_models`)
resolve a valid value to the same settings and refuse an invalid one with the same
message. For [recipe]: a file and `seraug.Recipe` agree, and the flag of `evaluate`
refuses each invalid value with that message too."""

import math
import os
import subprocess

import pytest
import tomllib

import seraug

CLI = os.environ.get("SERAUG_CLI")
# evaluate's flags that take more than the recipe key (a classifier list for late fusion,
# a per-class list for a sweep) and keep checks of their own.
WIDER_FLAGS = {"classifier", "per_class"}


def toml_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(v) for v in value) + "]"
    return repr(value)


def cli_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def samples(kind, default, lo, hi, choices):
    """(valid values, invalid values) of one declared parameter."""
    if kind == "boolean":
        return [True, False], ["yes", 2]
    if kind == "choice":
        return list(choices), [choices[0] + "x", 3]
    if kind == "string":
        return ["a,b"], []  # any text (checked where it is used: select_keep, augment)
    integer = kind in ("integer", "integers")
    step = 1 if integer else (hi - lo) / 4
    inside = [lo + step, hi - step] if hi - lo > 2 * step else [lo]
    if integer:
        inside = sorted({int(lo), int(hi), int(lo + (hi - lo) // 2)})
    below, above = (lo - 1, hi + 1) if integer else (lo - abs(lo) - 1, hi + abs(hi) + 1)
    invalid = [below, above, "x"]
    if kind == "integers":
        return [[v] for v in inside] + [inside], [[below], [above], ["x"], []]
    if integer:
        invalid.append(lo + 0.5)
    return inside, invalid


def declared(section):
    return seraug.declared_parameters()[section]


def cases(section):
    out = []
    for name, kind, default, lo, hi, choices in declared(section):
        if section == "gan" and name == "source":
            continue  # --gan-source also takes a feature file: tested in test_cyclegan/hostile_cli
        valid, invalid = samples(kind, default, lo, hi, list(choices))
        out += [(name, v, True) for v in valid] + [(name, v, False) for v in invalid]
    return out


def resolve_cli(*arguments):
    run = subprocess.run([CLI, "parameters", "--resolved", *arguments], capture_output=True, text=True)
    return run.returncode, tomllib.loads(run.stdout) if run.returncode == 0 else run.stderr


@pytest.mark.skipif(not CLI, reason="SERAUG_CLI not set (run through ctest)")
@pytest.mark.parametrize("section", ["dnn", "gan"])
def test_model_settings_round_trip_through_toml_cli_and_python(section, tmp_path):
    checked = 0
    kinds = {row[0]: row[1] for row in declared(section)}
    for name, value, valid in cases(section):
        kind = kinds[name]
        config = tmp_path / "c.toml"
        config.write_text(f"[{section}]\n{name} = {toml_text(value)}\n")
        flag = "--" + section + "-" + name.replace("_", "-")
        arguments = [flag] if value is True else [f"{flag}={cli_text(value)}"]
        by_file, by_flag = resolve_cli("--config", str(config)), resolve_cli(*arguments)
        try:
            by_python = seraug.resolved_models(**{section: {name: value}})
        except seraug.Error as e:
            by_python = str(e)
        where = f"{section}.{name} = {value!r}"
        if valid:
            assert by_file[0] == 0 and by_flag[0] == 0, (where, by_file, by_flag)
            assert by_file[1] == by_flag[1] == by_python, where
            got = by_python[section][name]
            assert got == value or (isinstance(got, float) and math.isclose(got, value)), where
        else:
            assert by_file[0] != 0 and by_flag[0] != 0 and isinstance(by_python, str), (where, by_file, by_flag, by_python)
            # The library's words, after the file's name (TOML) or the flag (CLI).
            assert f"{section}.{name}" in by_python, (where, by_python)
            message = by_python.split(f"{section}.{name}", 1)[1]
            assert message in by_file[1], (where, by_file[1], message)
            # A command line has words, not types: `--gan-mapping=3` is the word "3" (not one
            # of the choices), and CLI11 refuses an empty --dnn-hidden= itself.
            if value != [] and not (kind in ("choice", "string") and not isinstance(value, str)):
                assert message in by_flag[1], (where, by_flag[1], message)
        checked += 1
    assert checked >= 2 * len(declared(section)) - 2


@pytest.mark.skipif(not CLI, reason="SERAUG_CLI not set (run through ctest)")
def test_recipe_parameters_round_trip_through_toml_cli_and_python(tmp_path):
    features = tmp_path / "f.csv"
    features.write_text("name,speaker,label,a\n")
    kinds = {row[0]: row[1] for row in declared("recipe")}
    for name, value, valid in cases("recipe"):
        kind = kinds[name]
        recipe_file = tmp_path / "r.toml"
        recipe_file.write_text(f"[recipe]\n{name} = {toml_text(value)}\n")
        try:
            by_python = seraug.Recipe(**{name: value}).parameters
        except seraug.Error as e:
            by_python = str(e)
        try:
            by_file = seraug.Recipe.load(recipe_file).parameters
        except seraug.Error as e:
            by_file = str(e)
        where = f"recipe.{name} = {value!r}"
        if valid:
            assert by_python == by_file and name in by_python, where
            continue
        assert isinstance(by_python, str) and isinstance(by_file, str) and f"recipe.{name}" in by_python, where
        message = by_python.split(f"recipe.{name}", 1)[1]
        assert message in by_file, (where, by_file)
        if name in WIDER_FLAGS or name == "balanced":  # (--balanced is a switch: no value to refuse)
            continue
        flag = "--" + name.replace("_", "-")
        run = subprocess.run([CLI, "evaluate", str(features), f"{flag}={cli_text(value)}"], capture_output=True, text=True)
        assert run.returncode != 0, (where, run.stderr)
        if not (kind in ("choice", "string") and not isinstance(value, str)):  # (words, not types: see above)
            assert message in run.stderr, (where, run.stderr, message)


@pytest.mark.skipif(not CLI, reason="SERAUG_CLI not set (run through ctest)")
def test_serve_parameters_are_refused_alike_by_file_and_flag(tmp_path):
    """[serve]: an invalid value in a config file and the same value as a flag stop
    `seraug serve` before it listens, with the same words (valid values are served by
    tests/serve_api.py)."""
    model = os.path.join(os.path.dirname(__file__), "..", "..", "models", "emodb-is09-svm")
    checked = 0
    for name, value, valid in cases("serve"):
        if valid:
            continue
        config = tmp_path / "s.toml"
        config.write_text(f"[serve]\n{name} = {toml_text(value)}\n")
        by_file = subprocess.run([CLI, "serve", model, "--config", str(config)], capture_output=True, text=True, timeout=30)
        flag = "--" + name.replace("_", "-")
        by_flag = subprocess.run([CLI, "serve", model, f"{flag}={cli_text(value)}"], capture_output=True, text=True, timeout=30)
        where = f"serve.{name} = {value!r}"
        assert by_file.returncode == 1 and by_flag.returncode == 1, (where, by_file.stderr, by_flag.stderr)
        assert f"serve.{name}" in by_file.stderr, (where, by_file.stderr)
        message = by_file.stderr.split(f"serve.{name}", 1)[1].strip()
        assert message in by_flag.stderr, (where, by_flag.stderr, message)
        checked += 1
    assert checked >= len(declared("serve"))
