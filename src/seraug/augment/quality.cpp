#include "seraug/augment/quality.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <set>

#include "seraug/common/eigen_view.hpp"
#include "seraug/common/error.hpp"
#include "seraug/stats/metrics.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {
namespace {

using EigenMatrix = EigenRowMatrix;


// Population covariance and mean.
std::pair<Eigen::VectorXd, Eigen::MatrixXd> moments(const Matrix& m) {
  const auto x = eigen_view(m);
  const Eigen::VectorXd mean = x.colwise().mean();
  const EigenMatrix centred = x.rowwise() - mean.transpose();
  return {mean, (centred.transpose() * centred) / static_cast<double>(m.rows)};
}

// Symmetric PSD square root through the eigendecomposition (negative round-off clamped).
Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& c) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
  const Eigen::VectorXd root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return eig.eigenvectors() * root.asDiagonal() * eig.eigenvectors().transpose();
}

std::vector<double> kth_neighbour_radius(const Matrix& m, int k) {
  std::vector<double> radius(m.rows, 0.0);
  std::vector<double> d;
  for (std::size_t i = 0; i < m.rows; ++i) {
    d.clear();
    for (std::size_t j = 0; j < m.rows; ++j) {
      if (i == j) continue;
      double s = 0;
      for (std::size_t f = 0; f < m.cols; ++f) s += (m.at(i, f) - m.at(j, f)) * (m.at(i, f) - m.at(j, f));
      d.push_back(s);
    }
    if (d.empty()) continue;
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), d.size()) - 1;
    std::nth_element(d.begin(), d.begin() + static_cast<long>(kk), d.end());
    radius[i] = d[kk];  // squared
  }
  return radius;
}

Matrix rows_of(const Matrix& x, const std::vector<int>& y, int c) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < y.size(); ++r)
    if (y[r] == c) rows.push_back(r);
  return select_rows(x, rows);
}

}  // namespace

double frechet_distance(const Matrix& a, const Matrix& b) {
  if (a.rows < 2 || b.rows < 2 || a.cols != b.cols) throw Error("Fréchet distance needs two sets of at least two rows of one dimension");
  const auto [mu_a, c_a] = moments(a);
  const auto [mu_b, c_b] = moments(b);
  const Eigen::MatrixXd root_a = psd_sqrt(c_a);
  const Eigen::MatrixXd inner = root_a * c_b * root_a;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(0.5 * (inner + inner.transpose()));
  const double cross = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  return (mu_a - mu_b).squaredNorm() + c_a.trace() + c_b.trace() - 2.0 * cross;
}

std::vector<double> manifold_scores(const Matrix& reference, const Matrix& candidate, int k) {
  if (reference.rows < 2 || reference.cols != candidate.cols) throw Error("manifold scores need at least two reference rows of the candidates' dimension");
  const std::vector<double> radius = kth_neighbour_radius(reference, k);
  std::vector<double> scores(candidate.rows);
  for (std::size_t i = 0; i < candidate.rows; ++i) {
    double nearest = std::numeric_limits<double>::infinity();  // smallest squared distance / radius
    for (std::size_t j = 0; j < reference.rows; ++j) {
      // Beyond `bound`, row j cannot be nearer (a zero radius admits exact duplicates only).
      const double bound = radius[j] > 0 ? nearest * radius[j] : 0.0;
      double s = 0;
      for (std::size_t f = 0; f < reference.cols && s <= bound; ++f) s += std::pow(candidate.at(i, f) - reference.at(j, f), 2);
      if (s > bound) continue;
      nearest = radius[j] > 0 ? s / radius[j] : (s == 0 ? 0.0 : nearest);
    }
    scores[i] = -std::sqrt(nearest);
  }
  return scores;
}

std::vector<std::size_t> best_scoring(const std::vector<double>& scores, std::size_t keep) {
  if (keep > scores.size()) throw Error("realism filter: asked to keep more rows than were scored");
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  const auto key = [&](std::size_t i) { return std::isnan(scores[i]) ? -std::numeric_limits<double>::infinity() : scores[i]; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  order.resize(keep);
  std::sort(order.begin(), order.end());
  return order;
}

double manifold_coverage(const Matrix& reference, const Matrix& candidate, int k) {
  if (reference.rows < 2 || candidate.rows == 0) return 0.0;
  const std::vector<double> scores = manifold_scores(reference, candidate, k);
  const auto inside = std::count_if(scores.begin(), scores.end(), [](double s) { return s >= -1.0; });
  return static_cast<double>(inside) / static_cast<double>(candidate.rows);
}

QualityReport synthetic_quality(const Dataset& data, const std::string& method, const AugmentConfig& config, std::size_t per_class,
                                std::uint64_t seed, double held_out_fraction, NormKind norm) {
  if (per_class < 2) throw Error("quality report: needs at least 2 synthetic rows per class");
  QualityReport report;
  report.method = method;
  report.seed = seed;
  std::vector<std::string> speakers = data.speaker_list();
  if (speakers.size() < 2) throw Error("quality report: needs at least two speakers");
  std::mt19937_64 rng(seed);
  std::shuffle(speakers.begin(), speakers.end(), rng);
  const auto held = std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(held_out_fraction * static_cast<double>(speakers.size()))), 1,
                                            speakers.size() - 1);
  const std::set<std::string> test_speakers(speakers.begin(), speakers.begin() + static_cast<long>(held));
  report.held_out_speakers.assign(test_speakers.begin(), test_speakers.end());
  std::vector<std::size_t> train_rows, test_rows;
  for (std::size_t r = 0; r < data.rows(); ++r) (test_speakers.count(data.speakers[r]) ? test_rows : train_rows).push_back(r);

  auto [train_x, test_x] = normalize_fold(data.features, data.speakers, train_rows, test_rows, norm);
  const auto train_y = select(data.labels, train_rows), test_y = select(data.labels, test_rows);
  const auto train_speakers = select(data.speakers, train_rows);
  const std::size_t k = data.classes.size();
  AugmentInput input{train_x, train_y, train_speakers, k};
  input.neutral_class = data.class_index("neutral");
  std::vector<std::size_t> kept;
  const Matrix unselected =
      normalize_like_training(data.unselected.features, data.unselected.speakers, data.features, data.speakers, train_rows, norm, kept);
  const std::vector<std::string> unselected_speakers = select(data.unselected.speakers, kept);
  if (config.gan.source == "unused") {
    input.external_source = &unselected;
    input.source_speakers = &unselected_speakers;
  }
  const SyntheticRows synthetic = make_augmenter(method, config)->generate(input, std::vector<std::size_t>(k, per_class), seed);
  for (std::size_t c = 0; c < k; ++c) {
    const Matrix real = rows_of(train_x, train_y, static_cast<int>(c)), fake = rows_of(synthetic.x, synthetic.y, static_cast<int>(c));
    ClassQuality q{data.classes[c], real.rows, fake.rows, frechet_distance(real, fake), manifold_coverage(real, fake), manifold_coverage(fake, real)};
    report.classes.push_back(q);
  }
  // Train on synthetic only (linear SVM, C fixed at the value LOSO usually picks on IS09).
  auto svm = make_classifier("svm", {{"C", 1e-3}});
  FitOptions options;
  options.seed = seed;
  svm->fit(synthetic.x, synthetic.y, k, options);
  const Confusion confusion = Confusion::from(test_y, svm->predict(test_x), k);
  report.tstr_wa = confusion.wa();
  report.tstr_uar = confusion.uar();
  return report;
}

std::string format_quality(const std::vector<QualityReport>& reports) {
  std::string out = "| method | class | real rows | synthetic rows | Fréchet distance | precision | recall |\n|---|---|---|---|---|---|---|\n";
  char buf[256];
  for (const auto& r : reports)
    for (const auto& c : r.classes) {
      std::snprintf(buf, sizeof buf, "| %s | %s | %zu | %zu | %.1f | %.2f | %.2f |\n", r.method.c_str(), c.label.c_str(), c.real_rows,
                    c.synthetic_rows, c.frechet, c.precision, c.recall);
      out += buf;
    }
  out += "\n| method | TSTR WA (%) | TSTR UAR (%) | held-out speakers |\n|---|---|---|---|\n";
  for (const auto& r : reports) {
    std::string held;
    for (const auto& s : r.held_out_speakers) held += (held.empty() ? "" : ", ") + s;
    std::snprintf(buf, sizeof buf, "| %s | %.1f | %.1f | %s |\n", r.method.c_str(), 100 * r.tstr_wa, 100 * r.tstr_uar, held.c_str());
    out += buf;
  }
  return out;
}

}  // namespace seraug
