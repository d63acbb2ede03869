// Univariate feature selection by the ANOVA F statistic (between-class variance over
// within-class variance of one column), fitted on the rows it is given — in evaluation,
// the training fold's (or an inner fold's training) rows only.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "seraug/common/matrix.hpp"

namespace seraug {

// F statistic of every column of `x` over `rows` (labels y[r] in 0..classes-1).
// A column with no within-class variance scores 0 when it is constant everywhere and
// +inf when it separates the classes exactly. Classes absent from `rows` are ignored.
std::vector<double> anova_f_scores(const Matrix& x, std::span<const std::size_t> rows, std::span<const int> y,
                                   std::size_t classes);

// The `keep` columns with the highest scores, in ascending column order (ties: the
// lower column index). keep >= scores.size() keeps every column.
std::vector<std::size_t> top_columns(const std::vector<double>& scores, std::size_t keep);

// The columns a model trained on all rows of `x` keeps: the `keep` best by F over every
// row (keep 0 = every column, listed). Evaluation calls it on a fold's training side.
std::vector<std::size_t> f_score_columns(const Matrix& x, std::span<const int> y, std::size_t classes, std::size_t keep);

// Copies the listed columns of every row, in the order given.
Matrix select_columns(const Matrix& x, std::span<const std::size_t> columns);

}  // namespace seraug
