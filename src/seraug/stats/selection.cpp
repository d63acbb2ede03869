#include "seraug/stats/selection.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "seraug/common/error.hpp"

namespace seraug {

std::vector<double> anova_f_scores(const Matrix& x, std::span<const std::size_t> rows, std::span<const int> y,
                                   std::size_t classes) {
  std::vector<double> count(classes, 0.0);
  for (auto r : rows) {
    if (y[r] < 0 || static_cast<std::size_t>(y[r]) >= classes) throw Error("feature selection: class index out of range");
    count[static_cast<std::size_t>(y[r])] += 1;
  }
  const auto present = static_cast<double>(std::count_if(count.begin(), count.end(), [](double n) { return n > 0; }));
  const auto n = static_cast<double>(rows.size());
  std::vector<double> scores(x.cols, 0.0);
  if (present < 2 || n <= present) return scores;  // nothing to compare, or no within-class freedom
  // Column by column over class sums: two passes for numerically safe variances.
  std::vector<double> class_mean(classes);
  for (std::size_t c = 0; c < x.cols; ++c) {
    std::fill(class_mean.begin(), class_mean.end(), 0.0);
    double mean = 0;
    for (auto r : rows) {
      class_mean[static_cast<std::size_t>(y[r])] += x.at(r, c);
      mean += x.at(r, c);
    }
    mean /= n;
    double between = 0;
    for (std::size_t k = 0; k < classes; ++k)
      if (count[k] > 0) {
        class_mean[k] /= count[k];
        between += count[k] * (class_mean[k] - mean) * (class_mean[k] - mean);
      }
    double within = 0;
    for (auto r : rows) {
      const double d = x.at(r, c) - class_mean[static_cast<std::size_t>(y[r])];
      within += d * d;
    }
    const double between_ms = between / (present - 1), within_ms = within / (n - present);
    if (within_ms > 0) scores[c] = between_ms / within_ms;
    else scores[c] = between_ms > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return scores;
}

std::vector<std::size_t> top_columns(const std::vector<double>& scores, std::size_t keep) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  if (keep >= scores.size()) return order;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  order.resize(keep);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<std::size_t> f_score_columns(const Matrix& x, std::span<const int> y, std::size_t classes, std::size_t keep) {
  std::vector<std::size_t> rows(x.rows);
  std::iota(rows.begin(), rows.end(), 0);
  if (keep == 0 || keep >= x.cols) {
    rows.resize(x.cols);
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
  }
  return top_columns(anova_f_scores(x, rows, y, classes), keep);
}

Matrix select_columns(const Matrix& x, std::span<const std::size_t> columns) {
  Matrix out(x.rows, columns.size());
  for (std::size_t r = 0; r < x.rows; ++r)
    for (std::size_t i = 0; i < columns.size(); ++i) out.at(r, i) = x.at(r, columns[i]);
  return out;
}

}  // namespace seraug
