#include "seraug/stats/metrics.hpp"

#include <cmath>
#include <limits>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void Confusion::add(int truth, int predicted, long count) {
  if (truth < 0 || predicted < 0 || static_cast<std::size_t>(truth) >= n_ || static_cast<std::size_t>(predicted) >= n_)
    throw Error("class index out of range in confusion matrix");
  counts_[static_cast<std::size_t>(truth) * n_ + static_cast<std::size_t>(predicted)] += count;
}

void Confusion::add(const Confusion& other) {
  if (other.n_ != n_) throw Error("adding confusion matrices of different sizes");
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

Confusion Confusion::from(std::span<const int> truth, std::span<const int> predicted, std::size_t classes) {
  if (truth.size() != predicted.size()) throw Error("truth and prediction counts differ");
  Confusion c(classes);
  for (std::size_t i = 0; i < truth.size(); ++i) c.add(truth[i], predicted[i]);
  return c;
}

long Confusion::total() const {
  long t = 0;
  for (long v : counts_) t += v;
  return t;
}

long Confusion::support(std::size_t c) const {
  long s = 0;
  for (std::size_t p = 0; p < n_; ++p) s += at(c, p);
  return s;
}

double Confusion::wa() const {
  long correct = 0;
  for (std::size_t c = 0; c < n_; ++c) correct += at(c, c);
  return total() > 0 ? static_cast<double>(correct) / static_cast<double>(total()) : kNaN;
}

double Confusion::recall(std::size_t c) const {
  const long s = support(c);
  return s > 0 ? static_cast<double>(at(c, c)) / static_cast<double>(s) : kNaN;
}

double Confusion::precision(std::size_t c) const {
  long predicted = 0;
  for (std::size_t t = 0; t < n_; ++t) predicted += at(t, c);
  return predicted > 0 ? static_cast<double>(at(c, c)) / static_cast<double>(predicted) : kNaN;
}

double Confusion::f1(std::size_t c) const {
  const double p = precision(c), r = recall(c);
  if (std::isnan(p) || std::isnan(r)) return kNaN;
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

double Confusion::uar() const {
  double sum = 0;
  int present = 0;
  for (std::size_t c = 0; c < n_; ++c) {
    const double r = recall(c);
    if (std::isnan(r)) continue;
    sum += r;
    ++present;
  }
  return present > 0 ? sum / present : kNaN;
}

MeanStd mean_std(std::span<const double> values) {
  MeanStd m;
  if (values.empty()) return {kNaN, kNaN};
  for (double v : values) m.mean += v;
  m.mean /= static_cast<double>(values.size());
  m.n = values.size();
  if (values.size() > 1) {
    for (double v : values) m.std += (v - m.mean) * (v - m.mean);
    m.std = std::sqrt(m.std / static_cast<double>(values.size() - 1));
  }
  return m;
}

}  // namespace seraug
