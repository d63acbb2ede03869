// Training a final model on a whole dataset (seraug train): z-score of all rows (global)
// or of each speaker's rows (speaker; predictions then enrol the new speaker), optional
// F-score selection of columns, hyperparameters (and the number of columns) by
// speaker-grouped cross-validation, or early stopping (dnn), probability calibration,
// ready to save.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seraug/data/dataset.hpp"
#include "seraug/models/saved_model.hpp"

namespace seraug {

struct TrainOptions {
  std::string classifier = "svm";
  std::string feature_set;                // "" = the set whose columns the dataset has
  std::optional<Hyperparameters> fixed;   // skip the search
  NormKind norm = NormKind::Global;       // Global or Speaker
  std::vector<std::size_t> select_keep;   // as EvalOptions::select_keep; empty = all columns
  int inner_folds = 3;
  bool balanced = false;
  std::uint64_t seed = 1;
  int threads = 0;
  DnnConfig dnn;
};

// Throws seraug::Error when the dataset's columns are not exactly a seraug feature set
// (a model must be able to extract its own inputs from audio).
TrainedModel train_model(const Dataset& data, const TrainOptions& options);

}  // namespace seraug
