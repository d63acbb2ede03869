#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "seraug/augment/augmenter.hpp"
#include "seraug/augment/export.hpp"
#include "seraug/augment/quality.hpp"
#include "seraug/common/error.hpp"
#include "seraug/data/align.hpp"
#include "seraug/eval/evaluate.hpp"

namespace seraug {
namespace {

struct Rows {
  Matrix x;
  std::vector<int> y;
  std::vector<std::string> speakers;
};

Rows random_rows(std::size_t per_class, std::size_t classes, std::size_t dims, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0, 1);
  Rows r;
  r.x = Matrix(per_class * classes, dims);
  for (std::size_t i = 0; i < r.x.rows; ++i) {
    r.y.push_back(static_cast<int>(i % classes));
    r.speakers.push_back("s" + std::to_string(i % 4));
    for (std::size_t f = 0; f < dims; ++f) r.x.at(i, f) = n(rng) + 3.0 * static_cast<double>(r.y.back());
  }
  return r;
}

SyntheticRows run(const std::string& method, const Rows& r, std::size_t per_class, std::uint64_t seed = 1, AugmentConfig config = {}) {
  return make_augmenter(method, config)->generate(AugmentInput{r.x, r.y, r.speakers, 3}, std::vector<std::size_t>(3, per_class), seed);
}

TEST(Augment, SmotePointsLieOnSegmentsBetweenSameClassNeighbours) {
  const Rows r = random_rows(12, 3, 6, 1);
  const SyntheticRows s = run("smote", r, 40);
  ASSERT_EQ(s.x.rows, 120u);
  for (std::size_t i = 0; i < s.x.rows; ++i) {
    ASSERT_EQ(s.sources[i].size(), 2u);
    const std::size_t a = s.sources[i][0], b = s.sources[i][1];
    EXPECT_EQ(r.y[a], s.y[i]);
    EXPECT_EQ(r.y[b], s.y[i]);
    // One u for every coordinate: x = a + u (b - a), 0 <= u <= 1.
    double u = -1;
    for (std::size_t f = 0; f < s.x.cols; ++f) {
      const double d = r.x.at(b, f) - r.x.at(a, f);
      if (std::fabs(d) < 1e-9) continue;
      const double uf = (s.x.at(i, f) - r.x.at(a, f)) / d;
      if (u < 0) u = uf;
      EXPECT_NEAR(uf, u, 1e-9);
    }
    EXPECT_GE(u, -1e-12);
    EXPECT_LE(u, 1 + 1e-12);
  }
}

TEST(Augment, SmoteNeighboursAreAmongTheKNearest) {
  const Rows r = random_rows(20, 3, 4, 2);
  AugmentConfig config;
  config.smote_k = 2;
  const SyntheticRows s = run("smote", r, 60, 1, config);
  ASSERT_EQ(s.x.rows, 180u);
  ASSERT_EQ(s.sources.size(), 180u);
  for (std::size_t i = 0; i < s.x.rows; ++i) {
    ASSERT_EQ(s.sources[i].size(), 2u);
    const std::size_t a = s.sources[i][0], b = s.sources[i][1];
    auto dist = [&](std::size_t p, std::size_t q) {
      double d = 0;
      for (std::size_t f = 0; f < r.x.cols; ++f) d += (r.x.at(p, f) - r.x.at(q, f)) * (r.x.at(p, f) - r.x.at(q, f));
      return d;
    };
    int closer = 0;  // same-class rows strictly closer to a than b
    for (std::size_t j = 0; j < r.x.rows; ++j)
      if (j != a && r.y[j] == r.y[a] && dist(a, j) < dist(a, b)) ++closer;
    EXPECT_LT(closer, 2);
  }
}

TEST(Augment, NoiseHasTheRequestedSigma) {
  Rows r = random_rows(30, 3, 5, 3);
  for (auto& v : r.x.data) v *= 2.0;  // training std of each feature ~ 2 * sqrt(1 + spread)
  AugmentConfig config;
  config.noise_sigma = 0.25;
  const SyntheticRows s = run("noise", r, 3000, 1, config);
  ASSERT_EQ(s.x.rows, 9000u);
  ASSERT_EQ(s.sources.size(), 9000u);
  for (std::size_t f = 0; f < r.x.cols; ++f) {
    double mean = 0, sd = 0, residual = 0;
    for (std::size_t i = 0; i < r.x.rows; ++i) mean += r.x.at(i, f) / static_cast<double>(r.x.rows);
    for (std::size_t i = 0; i < r.x.rows; ++i) sd += (r.x.at(i, f) - mean) * (r.x.at(i, f) - mean) / static_cast<double>(r.x.rows);
    sd = std::sqrt(sd);
    for (std::size_t i = 0; i < s.x.rows; ++i) {
      const double e = s.x.at(i, f) - r.x.at(s.sources[i][0], f);
      residual += e * e / static_cast<double>(s.x.rows);
    }
    EXPECT_NEAR(std::sqrt(residual) / sd, 0.25, 0.01) << "feature " << f;
  }
}

TEST(Augment, ReplicateCopiesEveryRowEvenly) {
  const Rows r = random_rows(5, 3, 3, 4);
  const SyntheticRows s = run("replicate", r, 10);
  ASSERT_EQ(s.x.rows, 30u);
  EXPECT_EQ(s.y, (std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}));
  std::map<std::size_t, int> used;
  for (std::size_t i = 0; i < s.x.rows; ++i) {
    const std::size_t src = s.sources[i][0];
    ++used[src];
    for (std::size_t f = 0; f < r.x.cols; ++f) EXPECT_EQ(s.x.at(i, f), r.x.at(src, f));
  }
  EXPECT_EQ(used.size(), 15u);  // every real row used
  for (const auto& [row, n] : used) EXPECT_EQ(n, 2) << row;  // 10 copies over 5 rows per class
}

TEST(Augment, DeterministicUnderSeedAndPrefixesAreSamples) {
  const Rows r = random_rows(10, 3, 4, 5);
  for (const std::string m : {"replicate", "noise", "smote"}) {
    const SyntheticRows a = run(m, r, 30, 7), b = run(m, r, 30, 7), c = run(m, r, 30, 8);
    EXPECT_EQ(a.x.data, b.x.data) << m;
    if (m != "replicate") EXPECT_NE(a.x.data, c.x.data) << m;
    const SyntheticRows prefix = take_per_class(a, {10, 10, 10});
    const SyntheticRows small = run(m, r, 10, 7);
    EXPECT_EQ(prefix.x.data, small.x.data) << m << ": a smaller amount is a prefix of a larger one";
  }
}

TEST(Augment, BalanceEqualisesClassCounts) {
  const std::vector<int> y{0, 0, 0, 0, 0, 1, 1, 2};
  const auto counts = synthetic_counts(y, 3, 0, true);
  EXPECT_EQ(counts, (std::vector<std::size_t>{0, 3, 4}));
  Rows r = random_rows(1, 3, 2, 6);
  r.x = Matrix(8, 2);
  r.y = y;
  r.speakers.assign(8, "s");
  const SyntheticRows s = make_augmenter("smote", {})->generate(AugmentInput{r.x, r.y, r.speakers, 3}, counts, 1);
  std::vector<int> total(3, 0);
  for (int label : y) ++total[static_cast<std::size_t>(label)];
  for (int label : s.y) ++total[static_cast<std::size_t>(label)];
  EXPECT_EQ(total, (std::vector<int>{5, 5, 5}));
  EXPECT_THROW(make_augmenter("gan9000", {}), Error);
}

Dataset labelled(unsigned seed) {
  const Rows r = random_rows(8, 3, 6, seed);
  Dataset d;
  d.source = "synthetic";
  d.classes = {"a", "b", "c"};
  d.features = r.x;
  d.labels = r.y;
  for (std::size_t i = 0; i < r.x.rows; ++i) {
    d.speakers.push_back("spk" + std::to_string(i % 6));
    d.names.push_back("row" + std::to_string(i));
  }
  for (std::size_t f = 0; f < r.x.cols; ++f) d.feature_names.push_back("f" + std::to_string(f));
  return d;
}

TEST(Augment, NoSyntheticRowDerivesFromATestRow) {
  const Dataset d = labelled(7);
  for (const std::string m : {"replicate", "noise", "smote"}) {
    EvalOptions o;
    o.augment = m;
    o.amounts = {0, 20};
    o.fixed = Hyperparameters{{"C", 0.1}};
    const auto results = evaluate_sweep(d, o);
    ASSERT_EQ(results.size(), 2u);
    for (const auto& fold : results[1].repeats[0].folds) {
      EXPECT_EQ(fold.synthetic_rows, 60u);
      const std::set<std::size_t> test(fold.test_rows.begin(), fold.test_rows.end());
      ASSERT_FALSE(fold.synthetic_source_rows.empty());
      for (auto src : fold.synthetic_source_rows) EXPECT_FALSE(test.count(src)) << m << " " << fold.name;
    }
    for (const auto& fold : results[0].repeats[0].folds) EXPECT_EQ(fold.synthetic_rows, 0u);
  }
}

TEST(Augment, ExportedRowsAreInTheInputSpaceWithProvenance) {
  const Dataset d = labelled(8);
  ExportOptions o;
  o.method = "replicate";
  o.per_class = 4;
  const FeatureTable t = synthesize_table(d, o);
  ASSERT_EQ(t.rows(), 12u);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& src = t.extras.at("sources")[r];
    const auto row = static_cast<std::size_t>(std::find(d.names.begin(), d.names.end(), src) - d.names.begin());
    ASSERT_LT(row, d.rows());
    for (std::size_t f = 0; f < t.dims(); ++f) EXPECT_NEAR(t.row(r)[f], d.features.at(row, f), 1e-9);
    EXPECT_EQ(t.extras.at("synthetic")[r], "1");
    EXPECT_EQ(t.extras.at("method")[r], "replicate");
  }
  // Rows derived from the evaluated corpus are refused as --extra; other rows are taken.
  EXPECT_THROW(align_extra_rows(t, "syn.csv", d), Error);
  FeatureTable other = t;
  for (auto& s : other.extras["sources"]) s = "elsewhere.wav";
  EXPECT_EQ(align_extra_rows(other, "other.csv", d).rows(), 12u);
}

}  // namespace
}  // namespace seraug

namespace seraug {
namespace {

TEST(Quality, FrechetDistanceOfKnownShiftsAndManifoldCoverage) {
  const Rows r = random_rows(40, 1, 4, 11);
  EXPECT_NEAR(frechet_distance(r.x, r.x), 0.0, 1e-6);
  Matrix shifted = r.x;
  for (std::size_t i = 0; i < shifted.rows; ++i) {
    shifted.at(i, 0) += 3.0;
    shifted.at(i, 1) -= 4.0;
  }
  EXPECT_NEAR(frechet_distance(r.x, shifted), 25.0, 1e-6);  // same covariance: |shift|^2
  EXPECT_DOUBLE_EQ(manifold_coverage(r.x, r.x), 1.0);
  Matrix far = r.x;
  for (auto& v : far.data) v += 100.0;
  EXPECT_DOUBLE_EQ(manifold_coverage(r.x, far), 0.0);
}

TEST(Quality, ReportCoversEveryClassAndTstr) {
  const Dataset d = labelled(12);
  const QualityReport q = synthetic_quality(d, "smote", {}, 10, 1);
  // A deliberately bad generator: noise of five training standard deviations.
  AugmentConfig wide;
  wide.noise_sigma = 5.0;
  const QualityReport bad = synthetic_quality(d, "noise", wide, 10, 1);
  ASSERT_EQ(q.classes.size(), 3u);
  ASSERT_EQ(bad.classes.size(), 3u);
  for (std::size_t c = 0; c < q.classes.size(); ++c) {
    EXPECT_EQ(q.classes[c].synthetic_rows, 10u);
    // SMOTE rows lie between real neighbours: inside the real rows' manifold, and
    // closer in distribution than the wide noise.
    EXPECT_GE(q.classes[c].precision, 0.8) << q.classes[c].label;
    EXPECT_LT(bad.classes[c].precision, q.classes[c].precision) << q.classes[c].label;
    EXPECT_GT(bad.classes[c].frechet, q.classes[c].frechet) << q.classes[c].label;
  }
  EXPECT_GT(q.tstr_uar, 0.9);  // well-separated classes
  EXPECT_NE(format_quality({q}).find("| smote | a |"), std::string::npos);
}

}  // namespace
}  // namespace seraug

#include "seraug/augment/gan_fingerprint.hpp"

namespace seraug {
namespace {

// Every input of GAN training is in the fingerprint: changing any one of them gives a
// different cache folder.
TEST(GanFingerprint, EveryTrainingInputChangesIt) {
  Matrix external(2, 2);
  external.data = {1, 2, 3, 4};
  GanTrainingInputs base;
  base.method = "cyclegan-wdiv";
  base.seed = 1;
  base.normalisation = "global";
  base.training_rows = {"a.wav", "b.wav"};
  using Change = std::function<void(GanTrainingInputs&)>;
  const std::vector<std::pair<std::string, Change>> changes = {
      {"method", [](auto& in) { in.method = "cyclegan-ce"; }},
      {"seed", [](auto& in) { in.seed = 2; }},
      {"normalisation", [](auto& in) { in.normalisation = "speaker"; }},
      {"gan.hidden", [](auto& in) { in.gan.hidden = {800}; }},
      {"gan.leaky_slope", [](auto& in) { in.gan.leaky_slope = 0.1; }},
      {"gan.epochs", [](auto& in) { in.gan.epochs = 99; }},
      {"gan.batch_size", [](auto& in) { in.gan.batch_size = 32; }},
      {"gan.pretrain_epochs", [](auto& in) { in.gan.pretrain_epochs = 3; }},
      {"gan.learning_rate", [](auto& in) { in.gan.learning_rate = 0.0003; }},
      {"gan.beta1", [](auto& in) { in.gan.beta1 = 0.6; }},
      {"gan.beta2", [](auto& in) { in.gan.beta2 = 0.99; }},
      {"gan.halve_lr_every", [](auto& in) { in.gan.halve_lr_every = 10; }},
      {"gan.generator_steps_per_critic", [](auto& in) { in.gan.generator_steps_per_critic = 1; }},
      {"gan.lambda_cycle", [](auto& in) { in.gan.lambda_cycle = 2; }},
      {"gan.lambda_class", [](auto& in) { in.gan.lambda_class = 0; }},
      {"gan.wdiv_k", [](auto& in) { in.gan.wdiv_k = 3; }},
      {"gan.wdiv_p", [](auto& in) { in.gan.wdiv_p = 5; }},
      {"gan.real_label", [](auto& in) { in.gan.real_label = 1; }},
      {"gan.input_noise", [](auto& in) { in.gan.input_noise = 0.1; }},
      {"gan.source", [](auto& in) { in.gan.source = "all"; }},
      {"classifier.hidden", [](auto& in) { in.classifier.hidden = {64}; }},
      {"classifier.dropout", [](auto& in) { in.classifier.dropout = 0.5; }},
      {"classifier.leaky_slope", [](auto& in) { in.classifier.leaky_slope = 0.2; }},
      {"classifier.learning_rate", [](auto& in) { in.classifier.learning_rate = 0.01; }},
      {"classifier.weight_decay", [](auto& in) { in.classifier.weight_decay = 0; }},
      {"classifier.batch_size", [](auto& in) { in.classifier.batch_size = 64; }},
      {"classifier.max_epochs", [](auto& in) { in.classifier.max_epochs = 5; }},
      {"classifier.patience", [](auto& in) { in.classifier.patience = 2; }},
      {"classifier.validation_fraction", [](auto& in) { in.classifier.validation_fraction = 0.3; }},
      {"classifier.balanced_loss", [](auto& in) { in.classifier.balanced_loss = true; }},
      {"training_rows", [](auto& in) { in.training_rows.back() = "c.wav"; }},
      {"external_source", [&external](auto& in) { in.external_source = &external; }},
  };
  // One change per field of the list (the version is not an input).
  EXPECT_EQ(changes.size() + 1, gan_training_fields(base).size());
  // The study's variants are listed only when set (older caches stay valid), and each
  // changes the fingerprint; the classifier's synthetic_weight does not.
  const std::vector<std::pair<std::string, Change>> variants = {
      {"gan.mapping", [](auto& in) { in.gan.mapping = "speaker"; }},
      {"gan.filter", [](auto& in) { in.gan.filter = "knn"; }},
      {"gan.fd_every", [](auto& in) { in.gan.fd_every = 5; }},
      {"gan.pca", [](auto& in) { in.gan.pca = 32; }},
      {"gan.source", [](auto& in) { in.gan.source = "unused"; }},
  };
  for (const auto& [field, change] : variants) {
    GanTrainingInputs changed = base;
    change(changed);
    EXPECT_NE(gan_fingerprint(changed), gan_fingerprint(base)) << field;
  }
  GanTrainingInputs filtered = base, filtered_more = base, weighted = base;
  filtered.gan.filter = filtered_more.gan.filter = "critic";
  filtered_more.gan.filter_keep = 0.25;
  EXPECT_NE(gan_fingerprint(filtered), gan_fingerprint(filtered_more));
  weighted.gan.synthetic_weight = 0.5;
  EXPECT_EQ(gan_fingerprint(weighted), gan_fingerprint(base));
  const std::string before = gan_fingerprint(base);
  EXPECT_EQ(gan_fingerprint(base), before);
  for (const auto& [field, change] : changes) {
    GanTrainingInputs changed = base;
    change(changed);
    EXPECT_NE(gan_fingerprint(changed), before) << field;
  }
  // An external source is known by its content, not its size.
  GanTrainingInputs with_source = base, with_other_source = base;
  Matrix other = external;
  other.data[3] = 5;
  with_source.external_source = &external;
  with_other_source.external_source = &other;
  EXPECT_NE(gan_fingerprint(with_source), gan_fingerprint(with_other_source));
}

}  // namespace
}  // namespace seraug
