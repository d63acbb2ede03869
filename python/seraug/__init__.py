"""seraug from Python: speech emotion recognition features, speaker-independent
evaluation, augmentation and models.

Everything is computed by seraug's C++ library (the compiled ``seraug._core``); this
file only turns its plain results into pandas DataFrames (or numpy arrays with names
when pandas is not installed) and dispatches on the type of an argument.

Tables returned by seraug have one row per clip, indexed by the row name the CLI writes
in a feature CSV's ``name`` column, and one column per feature (openSMILE's names).
Values are float64 and equal, bit for bit, those the CLI writes.

Errors raise ``seraug.Error`` (a ``ValueError``) with the CLI's message, which names
the file, row or key; Ctrl-C stops a long call with ``KeyboardInterrupt``.
See docs/python.md.
"""

import os
import warnings

import numpy as np

from . import _core
from ._core import Error, EvalResult, Model, feature_names, feature_sets

try:
    import pandas as pd
except ImportError:  # pandas is optional: numpy arrays with names instead
    pd = None

__version__ = _core.__version__

#: The paper's five emotions, the default class selection (as in the CLI).
PAPER_CLASSES = ("anger", "fear", "happiness", "sadness", "neutral")

__all__ = [
    "Error", "EvalResult", "Model", "Features", "PAPER_CLASSES", "augment", "evaluate", "extract",
    "extract_signal", "feature_names", "feature_sets", "read_corpus", "read_features", "train",
    "write_features",
]


class Features:
    """Features without pandas: ``values`` (rows x columns float64), ``columns``
    (feature names) and ``index`` (row names); ``speakers``/``labels`` where known."""

    def __init__(self, values, columns, index, speakers=None, labels=None, extras=None):
        self.values, self.columns, self.index = values, list(columns), list(index)
        self.speakers, self.labels, self.extras = speakers, labels, extras or {}

    @property
    def shape(self):
        return self.values.shape

    def __repr__(self):
        return f"seraug.Features({self.values.shape[0]} rows x {self.values.shape[1]} columns)"


def _frame(table, with_meta=False):
    """A table dict of _core -> DataFrame (or Features). with_meta puts speaker and
    label (and provenance columns) before the features, as read_csv of the CLI's file."""
    if pd is None:
        return Features(table["values"], table["columns"], table["names"], table["speakers"], table["labels"],
                        table["extras"])
    index = pd.Index(table["names"], name="name")
    frame = pd.DataFrame(table["values"], index=index, columns=table["columns"], copy=False)
    if not with_meta:
        return frame
    meta = {"speaker": table["speakers"], "label": table["labels"]}
    meta.update(table["extras"])
    return pd.concat([pd.DataFrame(meta, index=index), frame], axis=1)


def _paths(inputs):
    if isinstance(inputs, (str, os.PathLike)):
        return [os.fspath(inputs)]
    return [os.fspath(p) for p in inputs]


def read_corpus(inputs):
    """Folders (EMO-DB names give speaker and label), manifests (path,label,speaker) and
    files -> a DataFrame indexed by row name with columns path, speaker, label."""
    c = _core.read_corpus(_paths(inputs))
    if pd is None:
        return c
    return pd.DataFrame({"path": c["paths"], "speaker": c["speakers"], "label": c["labels"]},
                        index=pd.Index(c["names"], name="name"))


def extract(files_or_folder, feature_set="is09", jobs=0, sampling_rate=None, skip_bad=False):
    """Features of audio files: a folder, a manifest CSV, a file, or a list of them.

    Returns a DataFrame (index = row name: the file name in a folder, the path for a
    file given directly; columns = the set's feature names). jobs = threads (0 = all
    cores). sampling_rate resamples first (libsoxr); None analyses each file at its own
    rate. skip_bad skips unreadable files with a warning instead of raising.
    """
    table, skipped = _core.extract(_paths(files_or_folder), feature_set, jobs, None if sampling_rate is None else float(sampling_rate), skip_bad)
    if skipped:
        import warnings
        for path, message in skipped:
            warnings.warn(f"seraug: skipped {message}", stacklevel=2)
    return _frame(table)


def extract_signal(signal, sampling_rate, feature_set="is09", name="signal"):
    """Features of one mono signal (1-D array, any float or integer dtype; values in
    [-1, 1] as audio files decode to). The samples are used as float32, the type files
    are decoded to, so a file and its decoded samples give identical features."""
    signal = np.asarray(signal)
    if np.issubdtype(signal.dtype, np.integer):
        raise Error(f"{name}: integer samples; scale them to [-1, 1] floats first "
                    f"(e.g. int16 / 32768), as audio files are decoded")
    return _frame(_core.extract_signal(signal, float(sampling_rate), feature_set, name))


def read_features(path):
    """A feature file (seraug's, openSMILE's CSV, or name+features; old files with a '#'
    line too) -> DataFrame indexed by name: speaker, label, any provenance columns, then
    the features. A plain ``pandas.read_csv(path, index_col="name")`` reads seraug's own
    files the same way."""
    return _frame(_core.read_features(os.fspath(path)), with_meta=True)


def write_features(path, features, speakers=None, labels=None, provenance=()):
    """Writes a feature CSV the CLI reads (atomically; provenance in path + '.json')."""
    _core.write_features(os.fspath(path), _table(features, speakers, labels), list(provenance))


def _column(values, rows, what):
    if values is None:
        return [""] * rows
    values = [str(v) for v in (values.tolist() if hasattr(values, "tolist") else values)]
    if len(values) != rows:
        raise Error(f"{what}: {len(values)} values for {rows} feature rows")
    return values


def _table(features, speakers=None, labels=None):
    """DataFrame / Features / 2-D array -> the table dict of _core. A DataFrame from
    read_features brings its own speaker and label columns."""
    if pd is not None and isinstance(features, pd.DataFrame):
        meta = [c for c in ["speaker", "label", *_core.provenance_columns()] if c in features.columns]
        if speakers is None and "speaker" in meta:
            speakers = features["speaker"]
        if labels is None and "label" in meta:
            labels = features["label"]
        data = features.drop(columns=meta)
        values, columns, names = data.to_numpy(dtype=np.float64), [str(c) for c in data.columns], data.index
    elif isinstance(features, Features):
        values, columns, names = features.values, features.columns, features.index
        speakers = features.speakers if speakers is None else speakers
        labels = features.labels if labels is None else labels
    else:
        values = np.asarray(features, dtype=np.float64)
        if values.ndim != 2:
            raise Error(f"features: expected a 2-D array (rows x columns), got {values.ndim} dimensions")
        columns, names = [f"f{i + 1}" for i in range(values.shape[1])], range(1, values.shape[0] + 1)
    rows = values.shape[0]
    return {"names": [str(n) for n in names], "speakers": _column(speakers, rows, "speakers"),
            "labels": _column(labels, rows, "labels"), "columns": columns,
            "values": np.ascontiguousarray(values, dtype=np.float64)}


def _classes(classes):
    if classes is None:
        return ",".join(PAPER_CLASSES)
    return classes if isinstance(classes, str) else ",".join(classes)


def _seeds(seeds, seed):
    """seeds = a count (seed, seed+1, ...) or consecutive seeds -> (first, repeats)."""
    if isinstance(seeds, int):
        return seed, seeds
    seeds = list(seeds)
    if not seeds or seeds != list(range(seeds[0], seeds[0] + len(seeds))):
        raise Error(f"seeds: give a count or consecutive seeds (e.g. range(1, 6)), got {seeds}")
    return seeds[0], len(seeds)


def train(features, labels=None, speakers=None, classifier="svm", norm="global", classes=None, select_keep=None,
          balanced=False, C=None, gamma=None, seed=1, threads=0, config=None):
    """Trains a model on all rows (as `seraug train`): the columns must be one seraug
    feature set (from extract), so the model can extract its own inputs from audio.
    norm = "speaker" z-scores each speaker; predict then takes enrolment clips. C fixes
    the SVMs' C instead of the inner search; gamma (svm-rbf, with C) fixes gamma in units
    of 1/features (default 1)."""
    return _core.train(_table(features, speakers, labels), _classes(classes), classifier, norm, select_keep or "",
                       balanced, C, gamma, seed, threads, os.fspath(config) if config else "")


def evaluate(features, labels=None, speakers=None, classifier="svm", norm="global", protocol="loso", augment="none",
             per_class=0, balance=False, seeds=1, seed=1, classes=None, balanced=False, C=None, select_keep=None,
             threads=0, config=None):
    """Evaluates a classifier (as `seraug evaluate`): leave-one-speaker-out by default,
    everything fitted on the training fold; augmentation (e.g. "smote",
    "cyclegan-wdiv[source=neutral]") inside each training fold with per_class rows per
    class. seeds = number of repeats (seed, seed+1, ...) or consecutive seeds.

    Returns an EvalResult (.wa, .uar and their .wa_std/.uar_std over seeds, as fractions;
    .confusion, .recall, .folds, .predictions), or a list of them when per_class is a list.
    """
    first, repeats = _seeds(seeds, seed)
    amounts = list(per_class) if isinstance(per_class, (list, tuple)) else [per_class]
    table = _table(features, speakers, labels)
    results = _core.evaluate(table, _classes(classes), classifier, protocol, norm, augment, amounts, balance, repeats,
                             first, balanced, C, select_keep or "", threads, os.fspath(config) if config else "")
    for r in results:
        r._row_names = table["names"]
    return results if isinstance(per_class, (list, tuple)) else results[0]


def augment(features, labels=None, speakers=None, method="smote", per_class=100, balance=False, seed=1, classes=None,
            noise_sigma=None, smote_k=None, config=None):
    """Synthetic rows from all rows (as `seraug augment`): a DataFrame indexed by the
    synthetic row's name with speaker, label, synthetic, method, seed and sources (the
    ';'-separated names of the real rows it derives from), then the features."""
    table = _core.augment(_table(features, speakers, labels), _classes(classes), method, per_class, balance, seed,
                          noise_sigma, smote_k, os.fspath(config) if config else "")
    return _frame(table, with_meta=True)


# EvalResult: DataFrame views of what _core returns as arrays and lists.

def _result_confusion(self):
    """Pooled confusion counts summed over seeds (rows: true class, columns: predicted)."""
    if pd is None:
        return self._confusion
    return pd.DataFrame(self._confusion, index=pd.Index(self.classes, name="true"),
                        columns=pd.Index(self.classes, name="predicted"))


def _result_recall(self):
    """Per-class recall (pooled over folds), mean over seeds."""
    recall = self._recall
    return dict(zip(self.classes, recall)) if pd is None else pd.Series(recall, index=self.classes, name="recall")


def _result_folds(self):
    """One row per (seed, fold): test speakers, UAR, WA, inner UAR, chosen
    hyperparameters, training/synthetic/copy/test row counts, seconds."""
    return self._folds if pd is None else pd.DataFrame(self._folds)


def _result_predictions(self):
    """Every test row's predicted class in every seed."""
    p = self._predictions
    names = [self._row_names[r] for r in p["row"]]
    predicted = [self.classes[c] for c in p["predicted"]]
    if pd is None:
        return {"seed": p["seed"], "name": names, "predicted": predicted}
    return pd.DataFrame({"seed": p["seed"], "name": names, "predicted": predicted})


EvalResult.confusion = property(_result_confusion)
EvalResult.recall = property(_result_recall)
EvalResult.folds = property(_result_folds)
EvalResult.predictions = property(_result_predictions)
EvalResult.__repr__ = lambda self: (f"<seraug.EvalResult UAR {100 * self.uar:.1f} ± {100 * self.uar_std:.1f} %, "
                                     f"WA {100 * self.wa:.1f} ± {100 * self.wa_std:.1f} %, {len(self.seeds)} seed(s)>")


# Model.predict: files, a folder, a signal or a feature table.

def _model_inputs(model, inputs, sampling_rate, jobs, name):
    if isinstance(inputs, np.ndarray):
        if sampling_rate is None:
            raise Error("predict: a signal needs its sampling_rate")
        return _core.extract_signal(inputs.astype(np.float32, copy=False), float(sampling_rate), model.feature_set, name)
    if isinstance(inputs, (str, os.PathLike)) or (isinstance(inputs, (list, tuple)) and inputs
                                                  and isinstance(inputs[0], (str, os.PathLike))):
        table, skipped = _core.extract(_paths(inputs), model.feature_set, jobs, None if sampling_rate is None else float(sampling_rate), False)
        return table
    return _table(inputs)


def _model_predict(self, inputs, sampling_rate=None, enroll=None, enroll_prior=0.0, jobs=0):
    """Predicts emotions of audio files / a folder / a manifest, of one mono signal
    (with sampling_rate), or of a feature table with the model's columns. enroll:
    unlabelled clips (same kinds of input) of the speaker, for speaker-normalised
    models. Returns a DataFrame indexed by name: label, then p_<class> per class."""
    features = _model_inputs(self, inputs, sampling_rate, jobs, "signal")
    enrolment = None if enroll is None else _model_inputs(self, enroll, sampling_rate, jobs, "enrolment")
    p = self._predict(features, enrolment, float(enroll_prior))
    for message in p["warnings"]:
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    if pd is None:
        return p
    frame = pd.DataFrame(p["probabilities"], index=pd.Index(p["names"], name="name"),
                         columns=[f"p_{c}" for c in p["classes"]])
    frame.insert(0, "label", p["labels"])
    return frame


Model.predict = _model_predict
Model.__repr__ = lambda self: (f"<seraug.Model {self.classifier} on {self.feature_set}, {self.normalization} norm, "
                               f"classes {', '.join(self.classes)}>")
