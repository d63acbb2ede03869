"""seraug from Python: speech emotion recognition features, speaker-independent
evaluation, augmentation and models.

Everything is computed by seraug's C++ library (the compiled ``seraug._core``); this
package turns its plain results into pandas DataFrames (or numpy arrays with names when
pandas is not installed) and wraps them in plain classes (``EvalResult``, ``Model``).

Tables returned by seraug have one row per clip, indexed by the row name the CLI writes
in a feature CSV's ``name`` column, and one column per feature (openSMILE's names).
Values are float64 and equal, bit for bit, those the CLI writes.

Errors raise ``seraug.Error`` (a ``ValueError``) with the library's message, which names
the file, row or key; a missing input raises ``seraug.MissingFileError``, which is both
a ``seraug.Error`` and a ``FileNotFoundError``. Ctrl-C stops a long call with
``KeyboardInterrupt``. See docs/python.md.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

from . import _core
from ._core import Error, MissingFileError, feature_names, feature_sets

try:
    import pandas as pd
except ImportError:  # pandas is optional: numpy arrays with names instead
    pd = None

__version__ = _core.__version__

#: The paper's five emotions, the default class selection (as in the CLI).
PAPER_CLASSES = ("anger", "fear", "happiness", "sadness", "neutral")

__all__ = [
    "AnalysisStream", "Error", "EvalResult", "Features", "MissingFileError", "Model", "NestedResult", "PAPER_CLASSES", "Recipe", "analyze", "analyze_stream", "augment",
    "declared_parameters", "evaluate", "evaluate_sweep", "extract", "extract_signal", "feature_names", "feature_sets", "read_corpus", "read_features",
    "resolved_models", "select_recipe", "train", "write_features",
]

PathLike = Union[str, "os.PathLike[str]"]
#: Audio inputs: a folder, a manifest CSV, a file, or a list of them.
AudioInputs = Union[PathLike, Sequence[PathLike]]

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


def read_corpus(inputs: AudioInputs) -> "pd.DataFrame":
    """The clips of folders, manifests and files, without extracting anything.

    Parameters
    ----------
    inputs : path or list of paths
        Folders (EMO-DB names give speaker and label), manifests (``path,label,speaker``)
        and audio files.

    Returns
    -------
    pandas.DataFrame
        Indexed by row name, with columns ``path``, ``speaker``, ``label`` (a dict of
        lists without pandas).
    """
    c = _core.read_corpus(_paths(inputs))
    if pd is None:
        return c
    return pd.DataFrame({"path": c["paths"], "speaker": c["speakers"], "label": c["labels"]},
                        index=pd.Index(c["names"], name="name"))


def extract(files_or_folder: AudioInputs, feature_set: str = "is09", jobs: int = 0,
            sampling_rate: Optional[float] = None, skip_bad: bool = False) -> "pd.DataFrame":
    """Features of audio files (as ``seraug extract``).

    Parameters
    ----------
    files_or_folder : path or list of paths
        A folder, a manifest CSV, a file, or a list of them.
    feature_set : str
        One of :func:`feature_sets` (``is09``, ``is10``, ``compare``, ``egemaps``...).
    jobs : int
        Threads; 0 = every CPU this process may use (affinity, cgroup quota, Slurm).
    sampling_rate : float, optional
        Resample to this rate first (libsoxr, 4000..384000 Hz); None analyses each file
        at its own rate.
    skip_bad : bool
        Skip unreadable files with a warning instead of raising.

    Returns
    -------
    pandas.DataFrame
        One row per clip (index: the file name in a folder, the path of a file given
        directly), one float64 column per feature.
    """
    table, skipped = _core.extract(_paths(files_or_folder), feature_set, jobs,
                                   None if sampling_rate is None else float(sampling_rate), skip_bad)
    for path, message in skipped:
        warnings.warn(f"seraug: skipped {message}", stacklevel=2)
    return _frame(table)


def extract_signal(signal: "np.ndarray", sampling_rate: float, feature_set: str = "is09",
                   name: str = "signal") -> "pd.DataFrame":
    """Features of one mono signal.

    Parameters
    ----------
    signal : 1-D array of floats
        Samples in [-1, 1], as audio files decode to; used as float32 (the type files are
        decoded to), so a file and its decoded samples give identical features.
    sampling_rate : float
        The signal's rate in Hz.
    feature_set : str
        As in :func:`extract`.
    name : str
        The row's name.

    Returns
    -------
    pandas.DataFrame
        One row named ``name``.
    """
    signal = np.asarray(signal)
    if np.issubdtype(signal.dtype, np.integer):
        raise Error(f"{name}: integer samples; scale them to [-1, 1] floats first "
                    f"(e.g. int16 / 32768), as audio files are decoded")
    return _frame(_core.extract_signal(signal, float(sampling_rate), feature_set, name))


def read_features(path: PathLike) -> "pd.DataFrame":
    """A feature file (seraug's, openSMILE's CSV, or name+features; old files with a
    '#' line too).

    Returns
    -------
    pandas.DataFrame
        Indexed by name: ``speaker``, ``label``, any provenance columns, then the
        features. A plain ``pandas.read_csv(path, index_col="name")`` reads seraug's own
        files the same way.
    """
    return _frame(_core.read_features(os.fspath(path)), with_meta=True)


def write_features(path: PathLike, features: Any, speakers: Optional[Sequence[str]] = None,
                   labels: Optional[Sequence[str]] = None, provenance: Sequence[str] = ()) -> None:
    """Writes a feature CSV the CLI reads (atomically; provenance in ``path + '.json'``)."""
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


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return json.dumps(str(value))  # a TOML basic string


def _setting_text(value: Any) -> str:
    """A dnn=/gan= value as TOML (checked by the library as a file's key is)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_setting_text(v) for v in value) + "]"
    return _toml_value(value)


def _models(config: Optional[PathLike], dnn: Optional[Mapping[str, Any]], gan: Optional[Mapping[str, Any]]) -> Any:
    """A call's config file and dnn=/gan= settings for the library."""
    def pairs(section, settings):
        if settings is None:
            return []
        if not isinstance(settings, Mapping):
            raise TypeError(f"{section}= takes a dict of [{section}] settings, e.g. {{'max_epochs': 50}}")
        return [(str(k), _setting_text(v)) for k, v in settings.items()]
    return _core._ModelArgs(os.fspath(config) if config else "", pairs("dnn", dnn), pairs("gan", gan))


def resolved_models(config: Optional[PathLike] = None, dnn: Optional[Mapping[str, Any]] = None,
                    gan: Optional[Mapping[str, Any]] = None) -> dict:
    """The ``[dnn]`` and ``[gan]`` settings a call with these arguments runs with.

    Defaults, then ``config``'s sections, then ``dnn``/``gan`` (the names of
    docs/parameters.md), validated as the CLI's ``--dnn-*``/``--gan-*`` flags are
    (``seraug parameters --resolved`` prints the same).

    Returns
    -------
    dict
        ``{"dnn": {...}, "gan": {...}}``.
    """
    import tomllib
    return tomllib.loads(_core.resolved_models(_models(config, dnn, gan)))


def declared_parameters() -> dict:
    """Every declared parameter per section ("recipe", "dnn", "gan"): a list of
    (name, type, default, minimum, maximum, choices) tuples, as docs/parameters.md lists them."""
    return {section: [tuple(p) for p in rows] for section, rows in _core.declared_settings().items()}


class Recipe:
    """A recipe: everything that turns a feature table into a classifier.

    The parameters and their types, defaults and ranges are seraug's one declaration
    (docs/parameters.md; the same keys as a TOML file's ``[recipe]`` section and the
    CLI's ``--recipe``). Values are validated by the library when the recipe is made.

    Parameters
    ----------
    **parameters
        e.g. ``norm="speaker", classifier="svm-rbf", select_keep="500,all", balanced=True``.

    Examples
    --------
    >>> best = seraug.Recipe.load("configs/best.toml")     # doctest: +SKIP
    >>> seraug.evaluate(features, labels, speakers, recipe=best, seed=1)  # doctest: +SKIP
    """

    def __init__(self, **parameters: Any):
        self.path: Optional[str] = None
        self._text = "[recipe]\n" + "".join(f"{name} = {_toml_value(v)}\n" for name, v in parameters.items())
        self.parameters: dict = dict(_core.recipe_values("", self._text))

    @classmethod
    def load(cls, path: PathLike) -> "Recipe":
        """The ``[recipe]`` of a TOML file (its ``[dnn]``/``[gan]`` sections come with it)."""
        values = _core.recipe_values(os.fspath(path), "")
        recipe = cls(**values)
        recipe.path = os.fspath(path)
        return recipe

    @staticmethod
    def parameter_names() -> list:
        """Every declared recipe parameter, in docs/parameters.md's order."""
        return list(_core.recipe_parameter_names())

    def to_toml(self) -> str:
        """The ``[recipe]`` section (``--recipe`` takes a file holding it)."""
        return self._text

    def _arguments(self) -> tuple:
        return (self.path or "", "" if self.path else self._text)

    def __repr__(self) -> str:
        return "seraug.Recipe(" + ", ".join(f"{k}={v!r}" for k, v in self.parameters.items()) + ")"


def _given(**values: Any) -> list:
    """The recipe parameters a call gave itself (not None): they override its recipe."""
    return [name for name, value in values.items() if value is not None]


class EvalResult:
    """The outcome of an evaluation: every seed, fold and test row.

    Attributes
    ----------
    classes : list of str
        The evaluated classes, in the order of every per-class result.
    wa, uar : float
        Accuracy and unweighted average recall, pooled over folds, mean over seeds
        (fractions).
    wa_std, uar_std : float
        Their sample standard deviation over seeds (0 for one seed).
    seeds : list of int
    amount : str
        Synthetic rows per class of this result ("0", "200", "balance").
    warnings : list of str
        What the numbers cannot show by themselves (a class of one speaker under LOSO).
    """

    def __init__(self, core: Any, row_names: Sequence[str]):
        self._core = core
        self._row_names = list(row_names)
        self.classes: list = list(core.classes)
        self.wa: float = core.wa
        self.wa_std: float = core.wa_std
        self.uar: float = core.uar
        self.uar_std: float = core.uar_std
        self.seeds: list = list(core.seeds)
        self.amount: str = core.amount
        self.warnings: list = list(core.warnings)

    @property
    def confusion(self) -> "pd.DataFrame":
        """Pooled confusion counts summed over seeds (rows: true class, columns: predicted)."""
        counts = self._core._confusion
        if pd is None:
            return counts
        return pd.DataFrame(counts, index=pd.Index(self.classes, name="true"),
                            columns=pd.Index(self.classes, name="predicted"))

    @property
    def recall(self) -> "pd.Series":
        """Per-class recall (pooled over folds), mean over seeds."""
        recall = self._core._recall
        return dict(zip(self.classes, recall)) if pd is None else pd.Series(recall, index=self.classes, name="recall")

    @property
    def folds(self) -> "pd.DataFrame":
        """One row per (seed, fold): test speakers, UAR, WA, inner UAR, chosen
        hyperparameters, training/synthetic/copy/test row counts, seconds."""
        folds = self._core._folds
        return folds if pd is None else pd.DataFrame(folds)

    @property
    def predictions(self) -> "pd.DataFrame":
        """Every test row's predicted class in every seed: columns seed, name, predicted."""
        p = self._core._predictions
        table = {"seed": p["seed"], "name": [self._row_names[r] for r in p["row"]],
                 "predicted": [self.classes[c] for c in p["predicted"]]}
        return table if pd is None else pd.DataFrame(table)

    def to_json(self) -> str:
        """Everything (configuration, seeds, per-fold numbers, confusions) as the CLI's
        ``--json`` writes it."""
        return self._core.to_json()

    def summary(self) -> str:
        """The table ``seraug evaluate`` prints."""
        return self._core.summary()

    def __repr__(self) -> str:
        spread = lambda m, s: f"{100 * m:.1f}" + (f" ± {100 * s:.1f}" if len(self.seeds) > 1 else "")
        return (f"<seraug.EvalResult UAR {spread(self.uar, self.uar_std)} %, WA {spread(self.wa, self.wa_std)} %, "
                f"{len(self.seeds)} seed(s)>")


class Model:
    """A trained model: the folder ``seraug train`` writes.

    Attributes
    ----------
    feature_set : str
        The feature set it extracts from audio.
    feature_names : list of str
        Its columns (a subset of the set's after feature selection).
    classes : list of str
        In the order of :meth:`predict_proba`'s columns.
    classifier, normalization : str
    hyperparameters : dict
    recipe : dict
        The recipe it was trained with, as a ``[recipe]`` section holds it
        (docs/parameters.md); empty for models saved before recipes existed.
    """

    def __init__(self, core: Any):
        self._core = core
        self.feature_set: str = core.feature_set
        self.feature_names: list = list(core.feature_names)
        self.classes: list = list(core.classes)
        self.classifier: str = core.classifier
        self.normalization: str = core.normalization
        self.hyperparameters: dict = dict(core.hyperparameters)
        self.recipe: dict = json.loads(core._training).get("recipe", {})

    @classmethod
    def load(cls, folder: PathLike) -> "Model":
        """Loads and verifies a model folder (checksums, feature set version)."""
        return cls(_core._Model.load(os.fspath(folder)))

    def save(self, folder: PathLike) -> None:
        """Writes the model folder atomically; refuses to replace a folder that is not a
        seraug model."""
        self._core.save(os.fspath(folder))

    def _inputs(self, inputs: Any, sampling_rate: Optional[float], jobs: int, name: str) -> dict:
        if isinstance(inputs, np.ndarray) and inputs.ndim == 1:
            if sampling_rate is None:
                raise Error(f"predict: a signal needs its sampling_rate ({name})")
            return _core.extract_signal(inputs.astype(np.float32, copy=False), float(sampling_rate), self.feature_set, name)
        if isinstance(inputs, (str, os.PathLike)) or (isinstance(inputs, (list, tuple)) and inputs
                                                      and isinstance(inputs[0], (str, os.PathLike))):
            table, _ = _core.extract(_paths(inputs), self.feature_set, jobs,
                                     None if sampling_rate is None else float(sampling_rate), False)
            return table
        return _table(inputs)

    def _probabilities(self, inputs: Any, sampling_rate: Optional[float], enroll: Any, enroll_prior: float,
                       jobs: int) -> dict:
        features = self._inputs(inputs, sampling_rate, jobs, "signal")
        enrolment = None if enroll is None else self._inputs(enroll, sampling_rate, jobs, "enrolment")
        p = self._core._predict(features, enrolment, float(enroll_prior))
        for message in p["warnings"]:
            warnings.warn(message, RuntimeWarning, stacklevel=3)
        return p

    def predict(self, inputs: Any, sampling_rate: Optional[float] = None, enroll: Any = None,
                enroll_prior: float = 0.0, jobs: int = 0) -> "pd.Series":
        """The most probable class of each input.

        Parameters
        ----------
        inputs : paths, a 1-D signal, or a feature table
            Audio files, a folder or a manifest; one mono signal (with
            ``sampling_rate``); or a DataFrame / 2-D array with the model's columns.
        sampling_rate : float, optional
            A signal's rate; for files, resample to it first.
        enroll : same kinds as ``inputs``, optional
            Unlabelled clips of the speaker, for a speaker-normalised model (20 or more
            where possible; a degenerate enrolment warns with ``RuntimeWarning``).
        enroll_prior : float
            Shrink the enrolment's statistics towards the training speakers', weighted as
            this many clips (>= 0).
        jobs : int
            Extraction threads; 0 = every CPU this process may use.

        Returns
        -------
        pandas.Series
            Labels, indexed by row name (a dict without pandas).
        """
        p = self._probabilities(inputs, sampling_rate, enroll, enroll_prior, jobs)
        if pd is None:
            return dict(zip(p["names"], p["labels"]))
        return pd.Series(p["labels"], index=pd.Index(p["names"], name="name"), name="label")

    def predict_proba(self, inputs: Any, sampling_rate: Optional[float] = None, enroll: Any = None,
                      enroll_prior: float = 0.0, jobs: int = 0) -> "pd.DataFrame":
        """Class probabilities of each input (arguments as :meth:`predict`).

        Returns
        -------
        pandas.DataFrame
            Indexed by row name, one column per class in :attr:`classes` order; rows sum
            to 1 (the numpy array without pandas).
        """
        p = self._probabilities(inputs, sampling_rate, enroll, enroll_prior, jobs)
        if pd is None:
            return np.asarray(p["probabilities"])
        return pd.DataFrame(p["probabilities"], index=pd.Index(p["names"], name="name"),
                            columns=pd.Index(self.classes, name="class"))

    def __repr__(self) -> str:
        return (f"<seraug.Model {self.classifier} on {self.feature_set}, {self.normalization} norm, "
                f"classes {', '.join(self.classes)}>")


def train(features: Any, labels: Optional[Sequence[str]] = None, speakers: Optional[Sequence[str]] = None,
          classifier: Optional[str] = None, norm: Optional[str] = None, classes: Union[None, str, Sequence[str]] = None,
          select_keep: Optional[str] = None, balanced: Optional[bool] = None, C: Optional[float] = None,
          gamma: Optional[float] = None, seed: int = 1, threads: int = 0, config: Optional[PathLike] = None,
          recipe: Optional[Recipe] = None, dnn: Optional[Mapping[str, Any]] = None,
          gan: Optional[Mapping[str, Any]] = None) -> Model:
    """Trains a model on all rows (as ``seraug train``).

    Parameters
    ----------
    features : DataFrame, Features or 2-D array
        Columns of one seraug feature set (from :func:`extract`), so the model can
        extract its own inputs from audio; a DataFrame from :func:`read_features` brings
        its speaker and label columns.
    labels, speakers : sequence of str, optional
        Per row, where ``features`` has none.
    classifier : {"svm", "svm-ovo", "svm-rbf", "dnn"}, optional
        Default "svm" (or the recipe's).
    norm : {"global", "speaker"}, optional
        ``"speaker"`` z-scores each speaker; prediction then takes enrolment clips.
        Default "global" (or the recipe's).
    classes : str or sequence of str, optional
        The classes to train on ("all", or names); default the paper's five.
    select_keep : str, optional
        In-fold F-score selection: column counts to try ("500,1000,all").
    balanced : bool
        Weight classes by n / (k n_c).
    C, gamma : float, optional
        Fix C (the SVMs) and gamma (svm-rbf, with C; units of 1/features, default 1)
        instead of the speaker-grouped inner search.
    seed, threads : int
    config : path, optional
        A TOML file with ``[dnn]``/``[gan]`` sections.
    recipe : Recipe, optional
        Its values for every recipe parameter this call does not give itself.
    dnn, gan : dict, optional
        ``[dnn]``/``[gan]`` settings over ``config``'s, by their declared names
        (docs/parameters.md), e.g. ``dnn={"hidden": [128], "max_epochs": 50}``.

    Returns
    -------
    Model
    """
    given = _given(classifier=classifier, norm=norm, select_keep=select_keep, balanced=balanced, C=C, gamma=gamma)
    path, text = recipe._arguments() if recipe is not None else ("", "")
    return Model(_core.train(_table(features, speakers, labels), _classes(classes), classifier or "svm", norm or "global",
                             select_keep or "", bool(balanced), C, gamma, seed, threads, _models(config, dnn, gan),
                             path, text, given))


def _evaluate(features, labels, speakers, classifier, norm, protocol, augment, amounts, balance, seeds, seed, classes,
              balanced, C, select_keep, threads, config, recipe=None, dnn=None, gan=None):
    first, repeats = _seeds(seeds, seed)
    table = _table(features, speakers, labels)
    given = _given(classifier=classifier, norm=norm, augment=augment, balanced=balanced, C=C, select_keep=select_keep,
                   per_class=None if amounts is None else amounts)
    path, text = recipe._arguments() if recipe is not None else ("", "")
    results = _core.evaluate(table, _classes(classes), classifier or "svm", protocol, norm or "global", augment or "none",
                             list(amounts) if amounts is not None else [0], balance, repeats, first, bool(balanced), C,
                             select_keep or "", threads, _models(config, dnn, gan), path, text, given)
    wrapped = [EvalResult(r, table["names"]) for r in results]
    for message in wrapped[0].warnings:
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    return wrapped


def evaluate(features: Any, labels: Optional[Sequence[str]] = None, speakers: Optional[Sequence[str]] = None,
             classifier: Optional[str] = None, norm: Optional[str] = None, protocol: str = "loso",
             augment: Optional[str] = None, per_class: Optional[int] = None, balance: bool = False,
             seeds: Union[int, Iterable[int]] = 1, seed: int = 1, classes: Union[None, str, Sequence[str]] = None,
             balanced: Optional[bool] = None, C: Optional[float] = None, select_keep: Optional[str] = None,
             threads: int = 0, config: Optional[PathLike] = None, recipe: Optional[Recipe] = None,
             dnn: Optional[Mapping[str, Any]] = None, gan: Optional[Mapping[str, Any]] = None) -> EvalResult:
    """Evaluates a classifier (as ``seraug evaluate``).

    Leave-one-speaker-out by default, everything fitted on the training fold;
    augmentation (e.g. "smote", "cyclegan-wdiv[source=neutral]") inside each training
    fold with ``per_class`` synthetic rows per class.

    Parameters
    ----------
    features, labels, speakers, classifier, norm, classes, balanced, C, select_keep, threads, config, dnn, gan
        As in :func:`train` (``gan`` applies to the cycle-GAN augmenters).
    recipe : Recipe, optional
        Its values for every recipe parameter this call does not give itself: through
        a recipe Python reaches every recipe parameter the CLI has (fusion, inner folds,
        gamma, enrolment draws...; docs/parameters.md).
    protocol : str
        ``loso``, ``group-kfold:K``, ``kfold:K`` (speaker-dependent) or
        ``lists:TRAIN:TEST``.
    augment : str, optional
        ``none`` (the default), ``replicate``, ``noise``, ``smote`` or a cycle-GAN.
    per_class : int, optional
        Synthetic rows per class (one amount, default 0; :func:`evaluate_sweep` takes
        several).
    balance : bool
        Add synthetic rows until every class has as many as the largest.
    seeds : int or iterable of int
        A count of repeats (seed, seed+1, ...) or consecutive seeds.
    seed : int
        The first seed when ``seeds`` is a count.

    Returns
    -------
    EvalResult
    """
    if isinstance(per_class, (list, tuple, range)):
        raise TypeError("evaluate: per_class is one amount; use seraug.evaluate_sweep for several")
    return _evaluate(features, labels, speakers, classifier, norm, protocol, augment,
                     None if per_class is None else [per_class], balance, seeds, seed, classes, balanced, C, select_keep,
                     threads, config, recipe, dnn, gan)[0]


def evaluate_sweep(features: Any, per_class: Sequence[int], labels: Optional[Sequence[str]] = None,
                   speakers: Optional[Sequence[str]] = None, **options: Any) -> list:
    """:func:`evaluate` at several synthetic amounts on the same folds (one sweep, as the
    CLI's ``--per-class 0,100,200``).

    Returns
    -------
    list of EvalResult
        One per amount, in the order given.
    """
    defaults = dict(classifier=None, norm=None, protocol="loso", augment=None, balance=False, seeds=1, seed=1,
                    classes=None, balanced=None, C=None, select_keep=None, threads=0, config=None, recipe=None,
                    dnn=None, gan=None)
    unknown = set(options) - set(defaults)
    if unknown:
        raise TypeError(f"evaluate_sweep: unexpected keyword argument(s) {sorted(unknown)}")
    defaults.update(options)
    o = defaults
    return _evaluate(features, labels, speakers, o["classifier"], o["norm"], o["protocol"], o["augment"], list(per_class),
                     o["balance"], o["seeds"], o["seed"], o["classes"], o["balanced"], o["C"], o["select_keep"],
                     o["threads"], o["config"], o["recipe"], o["dnn"], o["gan"])


class NestedResult:
    """Nested selection among recipes (:func:`select_recipe`).

    Attributes
    ----------
    candidates : list of str
        The recipes' names (their files, or "recipe k").
    each : list of EvalResult
        Every candidate on the outer folds. Their best is optimistic: it was chosen on
        the test speakers.
    nested : EvalResult
        The honest result: per outer fold, the candidate chosen inside the fold's training
        speakers, predicting its test speakers.
    optimistic : str
        The candidate with the best outer UAR.
    chosen : list of list of str
        Per seed, per outer fold: the chosen candidate.
    """

    def __init__(self, core: Any, row_names: Sequence[str]):
        self._core = core
        self.candidates: list = list(core.candidates)
        self.each: list = [EvalResult(r, row_names) for r in core.each]
        self.nested: EvalResult = EvalResult(core.nested, row_names)
        self.optimistic: str = self.candidates[core.optimistic]
        self.chosen: list = [[self.candidates[k] for k in folds] for folds in core.chosen]
        self.selection_folds: int = core.selection_folds

    def summary(self) -> str:
        """The table ``seraug evaluate --recipe A --recipe B ...`` prints."""
        return self._core.summary()

    def to_json(self) -> str:
        """Everything, as ``--format json`` writes it."""
        return self._core.to_json()

    def __repr__(self) -> str:
        return (f"<seraug.NestedResult {len(self.candidates)} recipes: honest UAR {100 * self.nested.uar:.2f}, "
                f"optimistic {100 * self.each[self.candidates.index(self.optimistic)].uar:.2f} ({self.optimistic})>")


def select_recipe(features: Any, recipes: Sequence[Recipe], labels: Optional[Sequence[str]] = None,
                  speakers: Optional[Sequence[str]] = None, protocol: str = "loso", selection_folds: int = 3,
                  seeds: Union[int, Iterable[int]] = 1, seed: int = 1, classes: Union[None, str, Sequence[str]] = None,
                  threads: int = 0, config: Optional[PathLike] = None) -> NestedResult:
    """Chooses among recipes honestly: nested cross-validation (as ``seraug evaluate
    --recipe A --recipe B ...``).

    In each outer fold every recipe is scored by ``selection_folds`` speaker-grouped
    folds of the outer training speakers only; the best (ties: the earlier) predicts the
    outer test speakers. A recipe's ``feature_set`` picks the fused features' block of
    that name (``"is10+compare"``: the columns of the files is10 and compare).

    Parameters
    ----------
    recipes : sequence of Recipe
        At least two.
    protocol : str
        ``loso`` or ``group-kfold:K`` (speaker-independent).

    Returns
    -------
    NestedResult
    """
    first, repeats = _seeds(seeds, seed)
    table = _table(features, speakers, labels)
    pairs = [r._arguments() for r in recipes]
    core = _core.select_recipe(table, _classes(classes), pairs, protocol, selection_folds, repeats, first, threads,
                               _models(config, None, None))
    return NestedResult(core, table["names"])


def augment(features: Any, labels: Optional[Sequence[str]] = None, speakers: Optional[Sequence[str]] = None,
            method: str = "smote", per_class: int = 100, balance: bool = False, seed: int = 1,
            classes: Union[None, str, Sequence[str]] = None, noise_sigma: Optional[float] = None,
            smote_k: Optional[int] = None, config: Optional[PathLike] = None, dnn: Optional[Mapping[str, Any]] = None,
            gan: Optional[Mapping[str, Any]] = None) -> "pd.DataFrame":
    """Synthetic rows from all rows (as ``seraug augment``).

    Parameters
    ----------
    method : str
        ``replicate``, ``noise``, ``smote`` or a cycle-GAN.
    noise_sigma : float, optional
        ``noise`` only (default 0.1 of each feature's std).
    smote_k : int, optional
        ``smote`` only (default 5 neighbours).
    config, dnn, gan
        As in :func:`train`; ``gan`` for the cycle-GANs, ``dnn`` their auxiliary classifier.

    Returns
    -------
    pandas.DataFrame
        Indexed by the synthetic row's name: speaker, label, synthetic, method, seed and
        sources (the ';'-separated names of the real rows it derives from), then the
        features.
    """
    table = _core.augment(_table(features, speakers, labels), _classes(classes), method, per_class, balance, seed,
                          noise_sigma, smote_k, _models(config, dnn, gan))
    return _frame(table, with_meta=True)


# --- seraug analyze: emotion over time (docs/analyze.md) -------------------------------

def _analyze_settings(settings: Mapping[str, Any]) -> list:
    """analyze's keywords as (declared name, TOML value) pairs, checked by the library as
    an [analyze] table's keys are (docs/parameters.md)."""
    return [(str(k), _setting_text(v)) for k, v in settings.items()]


def _model_core(model: Any) -> Any:
    if isinstance(model, Model):
        return model._core
    if isinstance(model, (str, os.PathLike)):
        return _core._Model.load(os.fspath(model))
    raise TypeError("model must be a seraug.Model or a model folder's path")


def _segments_frame(segments: list, classes: Sequence[str]) -> "pd.DataFrame":
    rows = []
    for s in segments:
        row = {"file": s["file"], "start": round(s["start"], 3), "end": round(s["end"], 3), "label": s["label"]}
        row.update({f"p_{c}": p for c, p in zip(classes, s["probabilities"])})
        row.update({"channel": s["channel"], "window": s["window"], "enrolled": s["enrolled"],
                    "atypicality": s["atypicality"], "flags": "|".join(s["flags"])})
        rows.append(row)
    if pd is None:
        return rows
    columns = ["file", "start", "end", "label", *[f"p_{c}" for c in classes], "channel", "window", "enrolled",
               "atypicality", "flags"]
    return pd.DataFrame(rows, columns=columns)


def analyze(model: Any, path_or_signal: Any, sampling_rate: Optional[float] = None, jobs: int = 0,
            **settings: Any) -> "pd.DataFrame":
    """An emotion timeline of a recording: voice activity detection, segments, a
    prediction per segment (``seraug analyze``).

    Parameters
    ----------
    model : seraug.Model or path
        A trained model; a speaker-normalised one is normalised with the recording's own
        speech (self-enrolment; docs/analyze.md).
    path_or_signal : path or 1-D array
        A recording (any length; read in blocks), or mono samples with ``sampling_rate``.
    settings
        Any ``[analyze]`` parameter of docs/parameters.md (``vad="webrtc"``,
        ``hangover_s=0.4``, ``enroll_scope="recording"``...), checked as the CLI's flags.

    Returns
    -------
    pandas.DataFrame
        One row per segment: file, start, end (seconds), label, p_<class>..., channel,
        window, enrolled, atypicality, flags (a list of dicts without pandas).
    """
    core = _model_core(model)
    if isinstance(path_or_signal, np.ndarray):
        if sampling_rate is None:
            raise Error("analyze: a signal needs its sampling_rate")
        stream = _core._AnalysisStream(core, float(sampling_rate), _analyze_settings(settings), "signal")
        segments = list(stream.push(path_or_signal)) + list(stream.finish())
    else:
        if sampling_rate is not None:
            raise Error("analyze: sampling_rate applies to a signal; a file is analysed at its own rate")
        segments = _core.analyze_file(core, os.fspath(path_or_signal), _analyze_settings(settings), int(jobs))
    return _segments_frame(segments, list(core.classes))


class AnalysisStream:
    """Live analysis: push blocks of mono samples as they arrive; each call returns the
    segments that closed (a DataFrame, as :func:`analyze`), with the recording's
    statistics updated online.

    >>> stream = seraug.AnalysisStream("models/emodb-best", sampling_rate=16000)
    >>> for block in microphone_blocks():
    ...     print(stream.push(block))
    >>> print(stream.finish())
    """

    def __init__(self, model: Any, sampling_rate: float, name: str = "stream", **settings: Any):
        core = _model_core(model)
        self.classes = list(core.classes)
        self._core = _core._AnalysisStream(core, float(sampling_rate), _analyze_settings(settings), name)

    def push(self, block: Any) -> "pd.DataFrame":
        return _segments_frame(list(self._core.push(np.asarray(block, dtype=np.float32))), self.classes)

    def finish(self) -> "pd.DataFrame":
        """Closes the open stretch of speech (the end of the input)."""
        return _segments_frame(list(self._core.finish()), self.classes)

    @property
    def seconds(self) -> float:
        """Audio received so far."""
        return self._core.seconds


def analyze_stream(model: Any, blocks: Iterable[Any], sampling_rate: float, **settings: Any):
    """Yields one dict per segment (the columns of :func:`analyze`) as soon as it closes,
    over an iterable of sample blocks (a generator reading a microphone or a socket)."""
    stream = AnalysisStream(model, sampling_rate, **settings)
    for block in blocks:
        frame = stream.push(block)
        yield from (frame.to_dict("records") if pd is not None else frame)
    frame = stream.finish()
    yield from (frame.to_dict("records") if pd is not None else frame)
