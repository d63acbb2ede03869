// A trained model on disk: a folder holding model.json (format version, seraug version,
// feature set name/version and column order, classes, normaliser statistics, classifier
// name and settings, training provenance, a checksum of every other file and one of its
// own content, so that any changed byte is refused) plus the
// classifier's own files. Folders are written to a temporary sibling and renamed into
// place, so a crash never leaves a half-written model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "seraug/data/feature_table.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {

// 2: model.json carries a checksum of its own content ("description_checksum").
// 3: normalization.kind may be "speaker" (enrolment at prediction time), and
//    feature_names may be a selection of the set's columns (in the set's order).
// Format 2 folders are still read (global normalisation, every column).
inline constexpr int kModelFormatVersion = 3;

struct TrainedModel {
  std::string feature_set;                 // e.g. "is09"
  int feature_set_version = 0;
  std::vector<std::string> feature_names;  // column order the classifier expects (the set's,
                                           // or the columns selection kept, in the set's order)
  std::vector<std::string> classes;
  // Global: `normalizer` is the z-score of all training rows. Speaker: the classifier was
  // trained on rows z-scored per speaker; a new speaker's statistics come from its
  // enrolment clips (predict_table), and `normalizer` (all training rows pooled) is the
  // fallback when there are none.
  NormKind normalization = NormKind::Global;
  ZScore normalizer;
  // Speaker models: the training speakers' pooled statistics (pooled_speaker_prior), the
  // prior a small enrolment is shrunk towards (predict --enroll-prior). Empty otherwise.
  ZScore speaker_prior;
  std::string classifier_name;
  Hyperparameters hyperparameters;
  DnnConfig dnn;
  std::unique_ptr<Classifier> classifier;
  std::string provenance_json = "{}";      // training details, stored verbatim
};

// Throws seraug::Error; refuses to replace a folder that is not a seraug model.
void save_trained_model(const std::string& folder, const TrainedModel& model);
// Throws seraug::Error naming the folder/file and the problem: missing or damaged
// files (checksums), another format version, a feature set this seraug does not have
// or extracts differently (version or column order).
TrainedModel load_trained_model(const std::string& folder);
// Recomputes model.json's own checksum after a deliberate edit (tests that build
// folders of other versions or sets; never used on the way to a prediction).
void reseal_model_description(const std::string& folder);

struct Prediction {
  std::string name;
  std::string label;
  std::vector<double> probabilities;  // per class, in TrainedModel::classes order
};

// Features must carry the model's column names (any order; extra columns ignored).
// `enrolment`: unlabelled clips of the speaker being predicted, for a model trained with
// speaker normalisation: the features are z-scored with the enrolment clips' statistics
// only (at least 2 clips). Null, or a globally normalised model: model.normalizer.
// Throws seraug::Error when enrolment is given to a global model or has too few rows.
// `enrolment_prior` > 0 shrinks the enrolment statistics towards model.speaker_prior as
// if it were that many more clips (shrink_towards).
std::vector<Prediction> predict_table(const TrainedModel& model, const FeatureTable& features,
                                      const FeatureTable* enrolment = nullptr, double enrolment_prior = 0);
// The fewest enrolment clips predict_table takes (a standard deviation needs two).
inline constexpr std::size_t kMinEnrolmentClips = 2;

// Where each of the model's columns is among `names` (a table's or an extractor's
// columns); throws seraug::Error naming the first one missing.
std::vector<std::size_t> model_column_positions(const TrainedModel& model, const std::vector<std::string>& names);
// The z-score predict_table applies with enrolment clips: their statistics in the
// model's columns, shrunk towards model.speaker_prior as `prior` more clips when > 0.
// Throws as predict_table does (a global model, fewer than kMinEnrolmentClips clips).
ZScore enrolment_statistics(const TrainedModel& model, const FeatureTable& enrolment, double prior);

// What makes an enrolment's statistics degenerate, in words (empty when nothing does):
// clips with exactly the same features as another (one recording given twice), and
// feature columns that do not vary across the clips (identical or silent clips), whose
// scale then falls back to 1 in raw units and makes predictions confidently wrong. The
// front ends print these as warnings before predicting.
std::vector<std::string> enrolment_warnings(const TrainedModel& model, const FeatureTable& enrolment);

}  // namespace seraug
