"""Hostile input, round 3 (issue 32), through the Python front end: the library
validates, so Python refuses what the CLI refuses, with the same messages."""

import math
import os
import shutil

import numpy as np
import pytest

import seraug


@pytest.fixture(scope="module")
def speaker_model(clips):
    features = seraug.extract(clips)
    corpus = seraug.read_corpus(clips)
    return seraug.train(features, corpus["label"], corpus["speaker"], norm="speaker", C=0.01, classes="all")


@pytest.mark.parametrize("prior", [-1, math.nan, math.inf])
def test_enroll_prior_is_validated_by_the_library(speaker_model, clips, prior):
    files = sorted(clips.glob("*.wav"))
    with pytest.raises(seraug.Error, match="enroll_prior must be a finite number"):
        speaker_model.predict(files[:1], enroll=files[:4], enroll_prior=prior)


@pytest.mark.parametrize("rate", [0, -16000, 3999, 384001, math.nan])
def test_sampling_rate_is_validated_by_the_library(clips, rate):
    with pytest.raises(seraug.Error, match="sample_rate"):
        seraug.extract(clips, sampling_rate=rate)


def test_the_same_clip_twice_is_refused(speaker_model, clips, tmp_path):
    files = sorted(clips.glob("*.wav"))
    with pytest.raises(seraug.Error, match="is given twice"):
        speaker_model.predict(files[:1], enroll=[clips, clips])
    os.symlink(files[0], tmp_path / "alias.wav")
    with pytest.raises(seraug.Error, match="is given twice"):
        seraug.extract([files[0], tmp_path / "alias.wav"])


def test_settings_nothing_uses_are_refused(clips):
    features = seraug.extract(clips)
    corpus = seraug.read_corpus(clips)
    table = seraug.augment(features, corpus["label"], corpus["speaker"], method="smote", per_class=2, classes="all", smote_k=2)
    assert len(table) == 6
    with pytest.raises(seraug.Error, match="noise_sigma applies to the noise augmenter only, not 'smote'"):
        seraug.augment(features, corpus["label"], corpus["speaker"], method="smote", per_class=2, classes="all", noise_sigma=0.3)


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "features.csv"
    os.mkfifo(fifo)
    with pytest.raises(seraug.Error, match=r"FIFO \(named pipe\), not a regular file"):
        seraug.read_features(fifo)


def test_a_degenerate_enrolment_warns(speaker_model, clips, tmp_path):
    files = sorted(clips.glob("*.wav"))
    for i in range(3):
        shutil.copy(files[0], tmp_path / f"copy{i}.wav")
    with pytest.warns(RuntimeWarning, match="have exactly the features of another"):
        speaker_model.predict(files[:1], enroll=tmp_path)
