#include "seraug/models/svm_support.hpp"

#include <cstdlib>
#include <map>

#include "seraug/common/error.hpp"

namespace seraug::svm_detail {

void silent(const char*) {}

std::mutex& solver_mutex() {
  static std::mutex m;
  return m;
}

double required(const Hyperparameters& hp, const std::string& key, const std::string& model) {
  const auto it = hp.find(key);
  if (it == hp.end()) throw Error(model + ": hyperparameter '" + key + "' is required");
  if (!(it->second > 0) || !std::isfinite(it->second)) throw Error(model + ": " + key + " must be a positive number");
  return it->second;
}

void check_training_input(const Matrix& x, std::span<const int> y, std::size_t classes) {
  if (x.rows == 0 || x.rows != y.size()) throw Error("classifier: training needs rows with one label each");
  for (int label : y)
    if (label < 0 || static_cast<std::size_t>(label) >= classes) throw Error("classifier: class index out of range");
}

// Temperature T minimising the cross-entropy of softmax(scores / T) against y
// (golden-section search on log T; the NLL is unimodal in T for fixed scores).
double fit_temperature(const Matrix& scores, std::span<const int> y) {
  auto nll = [&](double log_t) {
    Matrix p = scores;
    softmax_rows(p, std::exp(log_t));
    double loss = 0;
    for (std::size_t r = 0; r < p.rows; ++r) loss -= std::log(std::max(p.at(r, static_cast<std::size_t>(y[r])), 1e-300));
    return loss;
  };
  double lo = -8, hi = 6;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 80; ++i) {
    const double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return std::exp((lo + hi) / 2);
}

// Out-of-fold assignment for calibration: by speaker when there are enough, else by row.
std::vector<int> calibration_folds(const FitOptions& options, std::size_t rows, int k) {
  std::vector<int> fold(rows);
  std::map<std::string, int> speaker_fold;
  for (const auto& s : options.speakers) speaker_fold.emplace(s, 0);
  const bool by_speaker = options.speakers.size() == rows && static_cast<int>(speaker_fold.size()) >= k;
  int next = 0;
  for (auto& [speaker, f] : speaker_fold) f = next++ % k;
  for (std::size_t r = 0; r < rows; ++r) fold[r] = by_speaker ? speaker_fold[options.speakers[r]] : static_cast<int>(r % static_cast<std::size_t>(k));
  return fold;
}

}  // namespace seraug::svm_detail
