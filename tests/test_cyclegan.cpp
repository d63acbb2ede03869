// The cycle-GAN augmenters through the public Augmenter interface (the LibTorch plug-in
// is loaded on first use).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "seraug/augment/augmenter.hpp"
#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

// Class 0: N((0, 0), 0.3^2 I); class 1: N((3, 2), diag(0.6, 0.25)^2).
struct Toy {
  Matrix x{0, 2};
  std::vector<int> y;
  std::vector<std::string> speakers;
};

Toy two_gaussians(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> z(0, 1);
  Toy t;
  for (std::size_t i = 0; i < 2 * n; ++i) {
    const int c = static_cast<int>(i % 2);
    t.x.data.push_back(c ? 3.0 + 0.6 * z(rng) : 0.3 * z(rng));
    t.x.data.push_back(c ? 2.0 + 0.25 * z(rng) : 0.3 * z(rng));
    ++t.x.rows;
    t.y.push_back(c);
    t.speakers.push_back("s" + std::to_string(i % 4));
  }
  return t;
}

AugmentConfig toy_config() {
  AugmentConfig c;
  c.gan.hidden = {64, 64};
  c.gan.epochs = 400;
  c.gan.batch_size = 64;
  c.gan.halve_lr_every = 150;
  c.gan.learning_rate = 1e-3;
  c.gan.lambda_class = 0;  // no auxiliary classifier for the toy
  return c;
}

TEST(CycleGan, MovesSourceSamplesOntoTheTargetDistribution) {
  const Toy toy = two_gaussians(256, 1);
  auto gan = make_augmenter("cyclegan-wdiv", toy_config());
  const SyntheticRows s = gan->generate(AugmentInput{toy.x, toy.y, toy.speakers, 2}, {0, 600}, 1);
  ASSERT_EQ(s.x.rows, 600u);
  double mean[2] = {0, 0}, var[2] = {0, 0};
  for (std::size_t r = 0; r < s.x.rows; ++r)
    for (int f = 0; f < 2; ++f) mean[f] += s.x.at(r, static_cast<std::size_t>(f)) / 600.0;
  for (std::size_t r = 0; r < s.x.rows; ++r)
    for (int f = 0; f < 2; ++f) var[f] += std::pow(s.x.at(r, static_cast<std::size_t>(f)) - mean[f], 2) / 600.0;
  EXPECT_NEAR(mean[0], 3.0, 0.3);
  EXPECT_NEAR(mean[1], 2.0, 0.3);
  EXPECT_NEAR(std::sqrt(var[0]), 0.6, 0.3);
  EXPECT_NEAR(std::sqrt(var[1]), 0.25, 0.2);
  for (const auto& src : s.sources) EXPECT_EQ(toy.y[src.at(0)], 0) << "sources come from the other class";
}

TEST(CycleGan, SameSeedSameRowsAndSavedGeneratorsReload) {
  const Toy toy = two_gaussians(64, 2);
  AugmentConfig c = toy_config();
  c.gan.epochs = 5;
  testing::ScratchDir dir;
  c.save_to = dir.file("gan");
  for (const std::string method : {"cyclegan-wdiv", "cyclegan-ce"}) {
    const AugmentInput in{toy.x, toy.y, toy.speakers, 2};
    const SyntheticRows a = make_augmenter(method, c)->generate(in, {20, 20}, 9);
    AugmentConfig plain = c;
    plain.save_to.clear();
    const SyntheticRows b = make_augmenter(method, plain)->generate(in, {20, 20}, 9);
    EXPECT_EQ(a.x.data, b.x.data) << method;
    AugmentConfig reload = plain;
    reload.load_from = dir.file("gan");
    const SyntheticRows r = make_augmenter(method, reload)->generate(in, {20, 20}, 9);
    // The same generators applied to the same sampled sources: identical rows.
    ASSERT_EQ(r.x.rows, a.x.rows);
    for (std::size_t i = 0; i < a.x.data.size(); ++i) EXPECT_NEAR(r.x.data[i], a.x.data[i], 1e-6) << method;
  }
}

Dataset toy_dataset(std::size_t n, unsigned seed) {
  const Toy toy = two_gaussians(n, seed);
  Dataset d;
  d.source = "toy";
  d.classes = {"a", "b"};
  d.features = toy.x;
  d.labels = toy.y;
  d.speakers = toy.speakers;
  for (std::size_t i = 0; i < toy.x.rows; ++i) d.names.push_back("r" + std::to_string(i));
  d.feature_names = {"f0", "f1"};
  return d;
}

// A LOSO evaluation of the toy with the Wasserstein cycle-GAN, C fixed.
EvalOptions toy_evaluation(std::size_t per_class, int gan_epochs) {
  EvalOptions o;
  o.augment = "cyclegan-wdiv";
  o.amounts = {per_class};
  o.fixed = Hyperparameters{{"C", 1.0}};
  o.augment_config = toy_config();
  o.augment_config.gan.epochs = gan_epochs;
  return o;
}

TEST(CycleGan, NoTestRowReachesAGan) {
  const Dataset d = toy_dataset(24, 3);
  const EvalOptions o = toy_evaluation(10, 3);
  const EvalResult r = evaluate(d, o);
  for (const auto& fold : r.repeats[0].folds) {
    EXPECT_EQ(fold.synthetic_rows, 20u);
    const std::set<std::size_t> test(fold.test_rows.begin(), fold.test_rows.end());
    for (auto src : fold.synthetic_source_rows) EXPECT_FALSE(test.count(src)) << fold.name;
  }
}

}  // namespace
}  // namespace seraug

namespace seraug {
namespace {

TEST(CycleGan, DivergingTrainingStopsNamingTheEpoch) {
  // Rows of magnitude 1e12 (z-scoring would never give them) make the critics' outputs,
  // and so the losses, exceed the divergence bound in the first epoch: training must
  // stop there with an error, never return rows. Deterministic, so it cannot pass by luck.
  Toy toy = two_gaussians(64, 4);
  for (double& v : toy.x.data) v *= 1e12;
  AugmentConfig c = toy_config();
  c.gan.epochs = 3;
  try {
    make_augmenter("cyclegan-wdiv", c)->generate(AugmentInput{toy.x, toy.y, toy.speakers, 2}, {0, 10}, 1);
    ADD_FAILURE() << "training on rows of magnitude 1e12 did not stop as diverged";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("diverged at epoch 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace seraug

#include <filesystem>

#include "seraug/options/options.hpp"

namespace seraug {
namespace {


std::size_t folders_in(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

// The cache key covers the auxiliary classifier: other [dnn] settings train new GANs
// instead of reusing generators trained under the old ones; the same settings reuse them.
TEST(CycleGan, GanCacheMissesWhenAnySettingOfTheTrainingChanges) {
  const Dataset d = toy_dataset(24, 5);
  testing::ScratchDir dir;
  EvalOptions o = toy_evaluation(4, 1);
  o.augment_config.gan.pretrain_epochs = 0;
  o.augment_config.gan.hidden = {8};
  o.gan_cache = dir.file("cache");
  const EvalResult first = evaluate(d, o);
  const std::size_t folds = first.repeats[0].folds.size();
  ASSERT_EQ(folders_in(o.gan_cache), folds);
  const EvalResult again = evaluate(d, o);
  EXPECT_EQ(folders_in(o.gan_cache), folds);  // reused
  for (std::size_t f = 0; f < folds; ++f) EXPECT_EQ(again.repeats[0].folds[f].predictions, first.repeats[0].folds[f].predictions);
  o.augment_config.classifier.dropout = 0.5;
  evaluate(d, o);
  EXPECT_EQ(folders_in(o.gan_cache), 2 * folds);
  const Matrix external = select_rows(d.features, std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  o.gan_source = std::make_shared<const Matrix>(external);
  evaluate(d, o);
  EXPECT_EQ(folders_in(o.gan_cache), 3 * folds);
  Matrix other = external;
  other.data[0] += 1.0;  // same row count, other content
  o.gan_source = std::make_shared<const Matrix>(other);
  evaluate(d, o);
  EXPECT_EQ(folders_in(o.gan_cache), 4 * folds);
}

// `seraug augment --gan-source FILE` trains the GANs from the file's rows: every
// synthetic row then derives from no real row of the input.
TEST(CycleGan, ExportTakesItsSourceRowsFromAGanSourceFile) {
  const Dataset d = toy_dataset(16, 6);
  testing::ScratchDir dir;
  FeatureTable source;
  source.feature_names = d.feature_names;
  for (std::size_t r = 0; r < 6; ++r) {
    source.names.push_back("unlabelled" + std::to_string(r));
    source.speakers.push_back("x");
    source.labels.push_back("");
    source.values.insert(source.values.end(), d.features.row(r), d.features.row(r) + d.dims());
  }
  write_feature_table(dir.file("source.csv"), source, {"test"});
  ExportSettings s;
  s.method = "cyclegan-wdiv";
  s.per_class = 3;
  s.models.base = Config{};
  s.models.base->gan = toy_config().gan;
  s.models.base->gan.epochs = 1;
  s.models.base->gan.hidden = {8};
  const FeatureTable own = synthesize_table(d, build_export_options(s, d));
  s.models.gan_source = dir.file("source.csv");
  const ExportOptions with_file = build_export_options(s, d);
  ASSERT_TRUE(with_file.gan_source);
  EXPECT_EQ(with_file.gan_source->rows, 6u);
  const FeatureTable external = synthesize_table(d, with_file);
  ASSERT_EQ(own.rows(), 6u);
  ASSERT_EQ(external.rows(), 6u);
  for (std::size_t r = 0; r < 6; ++r) {
    EXPECT_FALSE(own.extras.at("sources")[r].empty());
    EXPECT_TRUE(external.extras.at("sources")[r].empty()) << external.extras.at("sources")[r];
  }
  EXPECT_NE(own.values, external.values);
}

}  // namespace
}  // namespace seraug
