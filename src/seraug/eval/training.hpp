// Training a final model on a whole dataset (seraug train): global z-score of all rows,
// hyperparameters by speaker-grouped cross-validation (svm) or early stopping (dnn),
// probability calibration, ready to save.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "seraug/data/dataset.hpp"
#include "seraug/models/saved_model.hpp"

namespace seraug {

struct TrainOptions {
  std::string classifier = "svm";
  std::string feature_set;                // "" = the set whose columns the dataset has
  std::optional<Hyperparameters> fixed;   // skip the search
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
