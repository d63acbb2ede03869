// Helpers shared by the SVM classifiers (svm.cpp: LIBLINEAR; libsvm_svm.cpp: LIBSVM).
// Internal to the models layer.
#pragma once

#include <algorithm>
#include <cmath>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "seraug/common/interrupt.hpp"
#include "seraug/common/matrix.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug::svm_detail {

// A print function that prints nothing (the solvers' progress output).
void silent(const char*);

// LIBLINEAR's dual solver draws its coordinate order from the C library's rand();
// seeding it and training under one lock keeps results reproducible with threads.
std::mutex& solver_mutex();

// A hyperparameter that must be present, finite and positive; throws naming the model.
double required(const Hyperparameters& hp, const std::string& key, const std::string& model);

// Throws on no rows, a row count that differs from the labels', a class out of range.
void check_training_input(const Matrix& x, std::span<const int> y, std::size_t classes);

// Temperature T minimising the cross-entropy of softmax(scores / T) against y.
double fit_temperature(const Matrix& scores, std::span<const int> y);

// Out-of-fold assignment for calibration: by speaker when there are enough, else by row.
std::vector<int> calibration_folds(const FitOptions& options, std::size_t rows, int k);

// Dense rows as LIBLINEAR/LIBSVM sparse node lists (1-based indices, -1 terminator),
// optionally with a constant bias feature.
template <typename Node>
struct SparseRows {
  std::vector<Node> nodes;
  std::vector<Node*> rows;

  SparseRows(const Matrix& x, double bias) {
    const std::size_t per_row = x.cols + (bias >= 0 ? 2 : 1);
    nodes.resize(x.rows * per_row);
    rows.resize(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) {
      Node* n = &nodes[r * per_row];
      rows[r] = n;
      for (std::size_t c = 0; c < x.cols; ++c) *n++ = Node{static_cast<int>(c + 1), x.at(r, c)};
      if (bias >= 0) *n++ = Node{static_cast<int>(x.cols + 1), bias};
      *n = Node{-1, 0.0};
    }
  }
};

// Out-of-fold decision scores: `scores_of(train_rows, test_rows)` trains a fresh model on
// the first and scores the second (rows x classes).
template <typename ScoresOf>
Matrix out_of_fold_scores(const Matrix& x, std::size_t classes, const FitOptions& options, ScoresOf scores_of) {
  constexpr int kFolds = 3;
  const std::vector<int> fold = calibration_folds(options, x.rows, kFolds);
  Matrix out_of_fold(x.rows, classes);
  for (int f = 0; f < kFolds; ++f) {
    check_interrupt();
    std::vector<std::size_t> train_rows, test_rows;
    for (std::size_t r = 0; r < x.rows; ++r) (fold[r] == f ? test_rows : train_rows).push_back(r);
    if (train_rows.empty() || test_rows.empty()) continue;
    const Matrix s = scores_of(train_rows, test_rows);
    for (std::size_t i = 0; i < test_rows.size(); ++i) std::copy(s.row(i), s.row(i) + classes, out_of_fold.row(test_rows[i]));
  }
  // Classes missing from a calibration fold leave -inf scores; they cannot teach T.
  for (auto& v : out_of_fold.data)
    if (!std::isfinite(v)) v = -1e3;
  return out_of_fold;
}


}  // namespace seraug::svm_detail
