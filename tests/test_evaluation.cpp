#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <set>

#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/report/eval_report.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

using testing::synthetic;

TEST(Metrics, HandComputedConfusion) {
  // truth:     0 0 0 0 1 1 2 2 2 2
  // predicted: 0 0 1 2 1 1 2 2 0 2
  const std::vector<int> t{0, 0, 0, 0, 1, 1, 2, 2, 2, 2}, p{0, 0, 1, 2, 1, 1, 2, 2, 0, 2};
  const Confusion c = Confusion::from(t, p, 3);
  EXPECT_EQ(c.at(0, 1), 1);
  EXPECT_EQ(c.at(2, 0), 1);
  EXPECT_DOUBLE_EQ(c.wa(), 7.0 / 10.0);
  EXPECT_DOUBLE_EQ(c.recall(0), 0.5);
  EXPECT_DOUBLE_EQ(c.recall(1), 1.0);
  EXPECT_DOUBLE_EQ(c.recall(2), 0.75);
  EXPECT_DOUBLE_EQ(c.uar(), (0.5 + 1.0 + 0.75) / 3);
  EXPECT_DOUBLE_EQ(c.precision(0), 2.0 / 3.0);  // predicted 0: rows 0,1 (right), 8 (wrong)
  EXPECT_DOUBLE_EQ(c.precision(1), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c.f1(2), 2 * 0.75 * 0.75 / 1.5);
}

TEST(Metrics, AbsentClassIsLeftOutOfUar) {
  const Confusion c = Confusion::from(std::vector<int>{0, 0, 1}, std::vector<int>{0, 1, 1}, 3);
  EXPECT_TRUE(std::isnan(c.recall(2)));
  EXPECT_DOUBLE_EQ(c.uar(), (0.5 + 1.0) / 2);
  const MeanStd m = mean_std(std::vector<double>{1, 2, 3});
  EXPECT_DOUBLE_EQ(m.mean, 2);
  EXPECT_DOUBLE_EQ(m.std, 1);
}

TEST(Protocols, NoSpeakerIsEverOnBothSides) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const Dataset d = synthetic(3 + static_cast<int>(seed % 8), 1 + static_cast<int>(seed % 3), 3, 1.0, seed);
    for (const std::string name : {"loso", "group-kfold:2", "group-kfold:3"}) {
      for (const Fold& f : make_folds(d, parse_protocol(name), seed)) {
        std::set<std::string> train;
        for (auto r : f.train) train.insert(d.speakers[r]);
        for (auto r : f.test) ASSERT_FALSE(train.count(d.speakers[r])) << name << " seed " << seed << " " << f.name;
        EXPECT_FALSE(f.speaker_overlap);
        EXPECT_EQ(f.train.size() + f.test.size(), d.rows());
      }
    }
  }
}

TEST(Protocols, EveryRowIsTestedOnceAndKfoldIsMarkedSpeakerDependent) {
  const Dataset d = synthetic(4, 5, 3, 1.0, 3);
  for (const std::string name : {"loso", "group-kfold:3", "kfold:5"}) {
    std::vector<int> tested(d.rows(), 0);
    for (const Fold& f : make_folds(d, parse_protocol(name), 1))
      for (auto r : f.test) ++tested[r];
    for (int t : tested) ASSERT_EQ(t, 1) << name;
  }
  EXPECT_FALSE(parse_protocol("kfold:10").speaker_independent());
  EXPECT_TRUE(parse_protocol("group-kfold:5").speaker_independent());
  for (const char* bad : {"lopo", "kfold:1", "kfold:x", "group-kfold", "lists:a"}) EXPECT_THROW(parse_protocol(bad), Error) << bad;
  EXPECT_THROW(make_folds(d, parse_protocol("group-kfold:9"), 1), Error);  // only 4 speakers
}

TEST(Normalization, StatisticsComeFromTrainingRowsOnly) {
  Dataset d = synthetic(4, 5, 2, 1.0, 5);
  const Fold fold = make_folds(d, parse_protocol("loso"), 1).front();
  // Test rows far out: they must not move the training statistics.
  for (auto r : fold.test)
    for (std::size_t c = 0; c < d.dims(); ++c) d.features.at(r, c) += 1000.0;
  auto [train, test] = normalize_fold(d.features, d.speakers, fold.train, fold.test, NormKind::Global);
  for (std::size_t c = 0; c < d.dims(); ++c) {
    double mean = 0, var = 0;
    for (std::size_t r = 0; r < train.rows; ++r) mean += train.at(r, c) / static_cast<double>(train.rows);
    for (std::size_t r = 0; r < train.rows; ++r) var += (train.at(r, c) - mean) * (train.at(r, c) - mean) / static_cast<double>(train.rows);
    EXPECT_NEAR(mean, 0.0, 1e-9);
    EXPECT_NEAR(var, 1.0, 1e-9);
    EXPECT_GT(test.at(0, c), 100.0);  // still far out after normalisation
  }
}

TEST(Normalization, SpeakerNormUsesEachSpeakersOwnRows) {
  Dataset d = synthetic(3, 4, 2, 1.0, 6);
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (d.speakers[r] == "s1") d.features.at(r, 0) += 50.0;  // a speaker with a shifted voice
  const Fold fold = make_folds(d, parse_protocol("loso"), 1)[1];  // s1 is the test speaker
  auto [train, test] = normalize_fold(d.features, d.speakers, fold.train, fold.test, NormKind::Speaker);
  double test_mean = 0;
  for (std::size_t r = 0; r < test.rows; ++r) test_mean += test.at(r, 0) / static_cast<double>(test.rows);
  EXPECT_NEAR(test_mean, 0.0, 1e-9);  // the shift is gone
}

TEST(Normalization, SmallEnrolmentsShrinkTowardsThePooledSpeakers) {
  // Two speakers, one column: s0 {0, 2} (mean 1, variance 1), s1 {10, 14} (mean 12, var 4).
  Matrix x(4, 1);
  x.data = {0, 2, 10, 14};
  const std::vector<std::string> speakers{"s0", "s0", "s1", "s1"};
  const ZScore prior = pooled_speaker_prior(x, speakers, {0, 1, 2, 3});
  EXPECT_DOUBLE_EQ(prior.mean[0], 6.5);               // (1 + 12) / 2
  EXPECT_DOUBLE_EQ(prior.scale[0], std::sqrt(2.5));   // sqrt((1 + 4) / 2)
  ZScore enrolment;
  enrolment.mean = {3.0};
  enrolment.scale = {3.0};
  // 2 enrolment rows and a prior worth 6: weights 1/4 and 3/4.
  const ZScore shrunk = shrink_towards(enrolment, 2, prior, 6.0);
  EXPECT_DOUBLE_EQ(shrunk.mean[0], 0.25 * 3.0 + 0.75 * 6.5);
  EXPECT_DOUBLE_EQ(shrunk.scale[0], std::sqrt(0.25 * 9.0 + 0.75 * 2.5));
  EXPECT_DOUBLE_EQ(shrink_towards(enrolment, 2, prior, 0.0).mean[0], 3.0);  // no prior: the enrolment
}

// Speaker-dependent folds: a test speaker with training rows keeps its training
// statistics, so its few test rows are not centred on themselves.
TEST(Normalization, SeenSpeakersKeepTheirTrainingStatistics) {
  const Dataset d = synthetic(3, 6, 2, 1.0, 8);
  const Fold fold = make_folds(d, parse_protocol("kfold:3"), 1).front();
  auto [train, test] = normalize_fold(d.features, d.speakers, fold.train, fold.test, NormKind::Speaker);
  for (std::size_t i = 0; i < fold.test.size(); ++i) {
    std::vector<std::size_t> own;
    for (auto r : fold.train)
      if (d.speakers[r] == d.speakers[fold.test[i]]) own.push_back(r);
    ASSERT_FALSE(own.empty());
    const ZScore z = ZScore::fit(d.features, own);
    for (std::size_t c = 0; c < test.cols; ++c)
      EXPECT_DOUBLE_EQ(test.at(i, c), (d.features.at(fold.test[i], c) - z.mean[c]) / z.scale[c]);
  }
}

TEST(Protocols, ExplicitListsAndTheirErrors) {
  const Dataset d = synthetic(2, 2, 2, 1.0, 4);
  testing::ScratchDir dir;
  std::ofstream(dir.file("train.txt")) << d.names[0] << "\n" << d.names[1] << "\n";
  std::ofstream(dir.file("test.txt")) << d.names[5] << "\n";
  const auto folds = make_folds(d, parse_protocol("lists:" + dir.file("train.txt") + ":" + dir.file("test.txt")), 1);
  ASSERT_EQ(folds.size(), 1u);
  EXPECT_EQ(folds[0].train.size(), 2u);
  EXPECT_EQ(folds[0].test, std::vector<std::size_t>{5});
  std::ofstream(dir.file("bad.txt")) << "no_such_row\n";
  EXPECT_THROW(make_folds(d, parse_protocol("lists:" + dir.file("train.txt") + ":" + dir.file("bad.txt")), 1), Error);
  EXPECT_THROW(make_folds(d, parse_protocol("lists:" + dir.file("train.txt") + ":" + dir.file("train.txt")), 1), Error);
}

TEST(Normalization, ConstantColumnsBecomeZero) {
  Matrix x(3, 2);
  x.data = {5, 1, 5, 2, 5, 3};
  const ZScore z = ZScore::fit(x, {0, 1, 2});
  z.apply(x);
  for (std::size_t r = 0; r < 3; ++r) EXPECT_EQ(x.at(r, 0), 0.0);
  EXPECT_NEAR(x.at(2, 1), std::sqrt(1.5), 1e-12);
}

TEST(Evaluation, SeparableDataIsPerfect) {
  const Dataset d = synthetic(5, 8, 4, 20.0, 11);
  for (const std::string clf : {"svm", "svm-rbf"}) {
    EvalOptions o;
    o.classifier = clf;
    const EvalResult r = evaluate(d, o);
    EXPECT_DOUBLE_EQ(r.uar().mean, 1.0) << clf;
    EXPECT_DOUBLE_EQ(r.wa().mean, 1.0) << clf;
  }
}

TEST(Evaluation, ShuffledLabelsSitNearChance) {
  Dataset d = synthetic(6, 10, 4, 3.0, 12);
  std::mt19937 rng(99);
  std::shuffle(d.labels.begin(), d.labels.end(), rng);
  EvalOptions o;
  o.repeats = 2;
  const EvalResult r = evaluate(d, o);
  EXPECT_LT(r.uar().mean, 0.40);  // chance is 0.25 with 4 classes
  EXPECT_GT(r.uar().mean, 0.10);
}

TEST(Evaluation, SameSeedGivesIdenticalResults) {
  const Dataset d = synthetic(5, 6, 3, 1.5, 21);
  EvalOptions o;
  o.protocol = parse_protocol("group-kfold:3");
  o.repeats = 2;
  o.seed = 7;
  for (const std::string clf : {"svm", "svm-rbf"}) {
    o.classifier = clf;
    const EvalResult a = evaluate(d, o), b = evaluate(d, o);
    ASSERT_EQ(a.repeats.size(), b.repeats.size());
    for (std::size_t i = 0; i < a.repeats.size(); ++i)
      for (std::size_t f = 0; f < a.repeats[i].folds.size(); ++f) {
        EXPECT_EQ(a.repeats[i].folds[f].predictions, b.repeats[i].folds[f].predictions);
        EXPECT_EQ(a.repeats[i].folds[f].chosen, b.repeats[i].folds[f].chosen);
      }
  }
}

TEST(Evaluation, BalancedWeightsAndFixedHyperparametersAndJson) {
  const Dataset d = synthetic(4, 6, 3, 2.0, 8);
  EvalOptions o;
  o.balanced = true;
  o.fixed = Hyperparameters{{"C", 0.1}};
  const EvalResult r = evaluate(d, o);
  EXPECT_EQ(r.repeats.front().folds.front().chosen.at("C"), 0.1);
  const std::string json = evaluation_json(r);
  for (const char* key : {"\"seraug_version\"", "\"confusion\"", "\"seed\"", "\"per_class\"", "\"liblinear\"", "\"folds\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
  EXPECT_NE(format_evaluation(r).find("UAR"), std::string::npos);
  o.fixed = Hyperparameters{{"C", -1}};
  EXPECT_THROW(evaluate(d, o), Error);
}

TEST(Dataset, ClassSelectionAndErrors) {
  FeatureTable t;
  t.feature_names = {"f"};
  t.names = {"03a01Wa.wav", "03a01La.wav", "08a01Wa.wav", "08a01Na.wav"};
  t.speakers = {"03", "03", "08", "08"};
  t.labels = {"anger", "boredom", "anger", "neutral"};
  t.values = {1, 2, 3, 4};
  const Dataset d = make_dataset(t, "anger,neutral", "t.csv");
  EXPECT_EQ(d.rows(), 3u);  // boredom dropped
  EXPECT_EQ(make_dataset(t, "all", "t.csv").classes.size(), 3u);
  EXPECT_THROW(make_dataset(t, "anger,fear", "t.csv"), Error);  // fear has no rows
  EXPECT_THROW(make_dataset(t, "anger", "t.csv"), Error);       // one class
  t.labels[1] = "";
  EXPECT_THROW(make_dataset(t, "all", "t.csv"), Error);
}

}  // namespace
}  // namespace seraug
