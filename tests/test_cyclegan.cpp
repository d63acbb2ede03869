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

TEST(CycleGan, NoTestRowReachesAGan) {
  const Toy toy = two_gaussians(24, 3);
  Dataset d;
  d.source = "toy";
  d.classes = {"a", "b"};
  d.features = toy.x;
  d.labels = toy.y;
  d.speakers = toy.speakers;
  for (std::size_t i = 0; i < toy.x.rows; ++i) d.names.push_back("r" + std::to_string(i));
  d.feature_names = {"f0", "f1"};
  EvalOptions o;
  o.augment = "cyclegan-wdiv";
  o.amounts = {10};
  o.fixed = Hyperparameters{{"C", 1.0}};
  o.augment_config = toy_config();
  o.augment_config.gan.epochs = 3;
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
  const Toy toy = two_gaussians(64, 4);
  AugmentConfig c = toy_config();
  c.gan.learning_rate = 0.9;  // far too large: the critic explodes
  c.gan.wdiv_k = 1e-6;
  c.gan.epochs = 200;
  try {
    make_augmenter("cyclegan-wdiv", c)->generate(AugmentInput{toy.x, toy.y, toy.speakers, 2}, {0, 10}, 1);
    GTEST_SKIP() << "training did not diverge with these settings";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("diverged at epoch"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace seraug
