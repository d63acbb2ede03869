// Rows of one fold beyond the plain train/test split (internal to the eval layer): the
// perturbed copies of its training clips, the inner folds that train on them, and the
// fit options of a set of training rows.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

// The fold's perturbed copies: those of its training clips, normalised as
// EvalOptions::copies says, with their clips' labels, speakers (for grouping) and rows.
struct FoldCopies {
  Matrix x;
  std::vector<int> y;
  std::vector<std::string> speakers;
  std::vector<std::size_t> source;
};
FoldCopies fold_copies(const Dataset& data, const EvalOptions& o, const Fold& fold);

// Speaker-grouped inner folds over the rows not marked training-only; every training-only
// row joins the training part of each fold whose test part holds none of its speaker's rows.
std::vector<Fold> inner_folds_with_training_only(const std::vector<std::string>& speakers, const std::vector<char>& training_only,
                                                 int inner_folds, std::uint64_t seed);

// Class weights (when balanced), speakers and seed of a fit on these rows.
FitOptions fit_options(std::span<const int> y, std::vector<std::string> speakers, std::size_t classes, bool balanced, std::uint64_t seed);

}  // namespace seraug
