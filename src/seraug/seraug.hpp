// seraug: speech emotion recognition with data augmentation. Read this header first.
//
// Data flows one way, and so do the layers of src/seraug (each a library that links only
// the layers below it; the build refuses an include or a call that points up):
//
//   common -> stats -> audio -> data -> features -> models -> augment -> eval
//          -> options -> experiment -> report            (front ends: src/cli, bindings)
//
// Conventions everywhere: a Matrix is row-major doubles, one row per utterance (or
// synthetic row), one column per feature; class labels are indices into a class list;
// errors are seraug::Error (common/error.hpp) naming the file, row or key; nothing is
// written half (common/atomic_file.hpp). Values are owned by the struct that holds them;
// a reference parameter is borrowed for the call only.
#pragma once

// --- audio: files -> mono float samples ------------------------------------------
// AudioStream::open_file(path, {sample_rate_hz}) -> std::unique_ptr<AudioStream> (owned
// by the caller); read() yields mono floats in [-1, 1] at info().rate_hz (Hz), optionally
// resampled with libsoxr. WAV/FLAC/OGG through libsndfile.
#include "seraug/audio/audio.hpp"

// --- data: which files, and tables of features --------------------------------------
// read_corpus(folder_or_manifest) -> std::vector<Utterance> {path, name, speaker, label}.
// FeatureTable: names/speakers/labels per row, values rows x dims (CSV + JSON sidecar via
// read_feature_table / write_feature_table). Dataset: a FeatureTable with a class
// selection (make_dataset / load_dataset; default paper_classes()), features rows x dims,
// labels as class indices.
#include "seraug/data/corpus.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"

// --- features: audio -> one row of functionals per utterance ------------------------
// feature_set("is09" | "egemaps" | "is10" | "compare") -> const FeatureSet& (static; one
// registry entry each, with its FeaturePipeline). FeatureExtractor(set).extract(audio)
// -> feature_names(set).size() finite doubles (one extractor per thread).
// extract_corpus(utterances, set, {jobs}) -> FeatureTable, in parallel, deterministic.
#include "seraug/features/batch.hpp"
#include "seraug/features/extractor.hpp"
#include "seraug/features/feature_set.hpp"

// --- models: classifiers ----------------------------------------------------------------
// make_classifier("svm" | "svm-rbf" | "dnn", hyperparameters, dnn config) ->
// std::unique_ptr<Classifier>: fit(x rows x dims, y, classes), predict(x) -> class index
// per row. The DNN lives in the LibTorch plug-in, loaded on first use.
// save_trained_model / load_trained_model: a model folder that can predict from audio.
#include "seraug/models/classifier.hpp"
#include "seraug/models/saved_model.hpp"

// --- augment: synthetic rows inside a training fold -----------------------------------
// make_augmenter("replicate" | "noise" | "smote" | "cyclegan-wdiv" | "cyclegan-ce", config)
// -> generate({x normalised rows x dims, y, speakers, classes}, counts per class, seed)
// -> SyntheticRows {x, y, sources: the input rows each row derives from}.
#include "seraug/augment/augmenter.hpp"
#include "seraug/augment/export.hpp"

// --- eval: honest evaluation --------------------------------------------------------------
// evaluate_sweep(dataset, EvalOptions) -> one EvalResult per amount of synthetic rows:
// for each seed and fold (LOSO by default) normalise on the training fold, augment it,
// choose hyperparameters by speaker-grouped inner CV, train, predict the test fold.
// WA / UAR as fractions in [0, 1], pooled over folds; mean and std over seeds.
// train_model(dataset, TrainOptions) -> TrainedModel on all rows.
#include "seraug/eval/evaluate.hpp"
#include "seraug/eval/training.hpp"

// --- options: the one place options are assembled -----------------------------------------
// Defaults -> TOML config ([dnn], [gan]) -> explicit settings (flags, keyword arguments):
// build_eval_options(EvaluateSettings, dataset), build_export_options, build_train_options.
#include "seraug/options/config.hpp"
#include "seraug/options/options.hpp"

// --- experiment + report: the paper's grid as one resumable run ---------------------------
// run_experiment_and_report(config.toml, run folder, {shard, jobs}) -> cells/ (one file per
// method x classifier x seed), results.csv, table.md, figures/, report.html.
#include "seraug/experiment/experiment.hpp"
#include "seraug/report/eval_report.hpp"
#include "seraug/report/experiment_report.hpp"
