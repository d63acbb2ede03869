"""The examples of docs/python.md run (on synthetic clips of the paper's five emotions
whose EMO-DB-style names give speakers and labels)."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def run(script, *args):
    result = subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_worked_example_runs(paper_clips, tmp_path):
    out = run("emodb_loso.py", paper_clips, tmp_path / "model")
    assert "UAR" in out and "label" in out and "anger" in out and (tmp_path / "model" / "model.json").exists()


def test_sklearn_example_runs(paper_clips):
    pytest.importorskip("sklearn")
    assert "scikit-learn LinearSVC, LOSO: UAR" in run("sklearn_pipeline.py", paper_clips)
