// The GAN study's variants ([gan] source, mapping, filter, synthetic_weight, fd_every,
// pca): method names that carry them, what each keeps or maps, and that no test row
// reaches a GAN in any of them.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "seraug/augment/augmenter.hpp"
#include "seraug/augment/pca_space.hpp"
#include "seraug/augment/quality.hpp"
#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/eval/gan_domains.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/models/classifier.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

// Three classes (the last named neutral), four speakers, six dimensions, plus two
// unselected rows per speaker (as EMO-DB's boredom and disgust under five classes).
Dataset corpus() {
  Dataset d = testing::synthetic(4, 8, 3, 3.0, 5, 6);
  d.classes = {"anger", "sadness", "neutral"};
  d.unselected.features = Matrix(0, 6);
  for (int s = 0; s < 4; ++s)
    for (int i = 0; i < 2; ++i) {
      for (int f = 0; f < 6; ++f) d.unselected.features.data.push_back(0.1 * f - 0.2 * i + s);
      ++d.unselected.features.rows;
      d.unselected.speakers.push_back("s" + std::to_string(s));
      d.unselected.names.push_back("u" + std::to_string(s) + "_" + std::to_string(i));
    }
  return d;
}

AugmentConfig tiny(const std::string& overrides = "") {
  AugmentConfig c;
  c.gan.hidden = {16};
  c.gan.epochs = 3;
  c.gan.pretrain_epochs = 1;
  c.gan.batch_size = 16;
  c.gan.lambda_class = 0;
  c.classifier.hidden = {8};
  c.classifier.max_epochs = 5;
  c.gan = apply_gan_overrides(c.gan, overrides, "cyclegan-wdiv[" + overrides + "]");
  return c;
}

SyntheticRows run(const Dataset& d, const AugmentConfig& c, const std::vector<std::size_t>& counts, std::uint64_t seed = 3) {
  AugmentInput in{d.features, d.labels, d.speakers, d.classes.size()};
  in.neutral_class = d.class_index("neutral");
  return make_augmenter("cyclegan-wdiv", c)->generate(in, counts, seed);
}

TEST(GanVariants, MethodNamesCarryGanSettings) {
  const AugmenterVariant v = split_augmenter_variant("cyclegan-wdiv[source=neutral,pca=64]");
  EXPECT_EQ(v.augmenter, "cyclegan-wdiv");
  EXPECT_EQ(v.overrides, "source=neutral,pca=64");
  EXPECT_EQ(split_augmenter_variant("smote").overrides, "");
  const GanConfig g = apply_gan_overrides(GanConfig{}, "source=neutral,pca=64,filter_keep=0.25,filter=\"knn\"", "m");
  EXPECT_EQ(g.source, "neutral");
  EXPECT_EQ(g.pca, 64);
  EXPECT_EQ(g.filter, "knn");
  EXPECT_DOUBLE_EQ(g.filter_keep, 0.25);
  const auto message = [](const std::string& method) {
    try {
      const AugmenterVariant bad = split_augmenter_variant(method);
      apply_gan_overrides(GanConfig{}, bad.overrides, method);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("cyclegan-wdiv[sorce=neutral]").find("gan.sorce"), std::string::npos);
  EXPECT_NE(message("cyclegan-wdiv[pca=-1]").find("pca"), std::string::npos);
  EXPECT_NE(message("cyclegan-wdiv[source=elsewhere]").find("source"), std::string::npos);
  EXPECT_NE(message("cyclegan-wdiv[pca=2").find("[key=value"), std::string::npos);
  EXPECT_NE(message("cyclegan-wdiv[pca]").find("key=value"), std::string::npos);
  EXPECT_NE(message("cyclegan-wdiv[filter=a b]").find("filter"), std::string::npos);
  // Pairs that parse one by one but clash together (found by fuzz_experiment_config).
  EXPECT_NE(message("cyclegan-wdiv[pca=2,pca=3]").find("cyclegan-wdiv[pca=2,pca=3]"), std::string::npos);

  const MethodParts parts = parse_method("speed+cyclegan-wdiv[source=copies,filter_keep=1e+0]");
  EXPECT_EQ(parts.audio, std::vector<std::string>{"speed"});
  EXPECT_EQ(parts.augmenter, "cyclegan-wdiv[source=copies,filter_keep=1e+0]");
  EXPECT_THROW(parse_method("smote[pca=2]"), Error);
  EXPECT_THROW(parse_method("cyclegan-wdiv[pca=2]+smote"), Error);
}

TEST(GanVariants, FilterKeepsTheBestScoringRowsInDrawOrder) {
  EXPECT_EQ(best_scoring({0.1, 0.9, std::nan(""), 0.5, 0.9}, 3), (std::vector<std::size_t>{1, 3, 4}));
  EXPECT_EQ(best_scoring({0.1, 0.9, 0.5}, 0), std::vector<std::size_t>{});
  EXPECT_THROW(best_scoring({0.1}, 2), Error);
}

TEST(GanVariants, ManifoldScoresMarkRowsInsideTheRealManifold) {
  Matrix real(4, 1);
  real.data = {0, 1, 2, 3};  // distance to the 3rd nearest other row: 3, 2, 2, 3
  Matrix candidates(3, 1);
  candidates.data = {1, 4.5, 20};
  const std::vector<double> s = manifold_scores(real, candidates, 3);
  EXPECT_DOUBLE_EQ(s[0], 0.0);          // on a real row
  EXPECT_DOUBLE_EQ(s[1], -1.5 / 3.0);   // nearest ball: row 3 (radius 3)
  EXPECT_LT(s[2], -1.0);                // outside every ball
  EXPECT_DOUBLE_EQ(manifold_coverage(real, candidates, 3), 2.0 / 3.0);
}

TEST(GanVariants, PcaSpaceRoundTripsRowsOfItsSpanAndWhitens) {
  const Dataset d = testing::synthetic(3, 10, 3, 2.0, 7, 6);
  const PcaSpace full = PcaSpace::fit(d.features, 6);
  const Matrix z = full.to_space(d.features);
  const Matrix back = full.from_space(z);
  for (std::size_t i = 0; i < back.data.size(); ++i) EXPECT_NEAR(back.data[i], d.features.data[i], 1e-9);
  for (std::size_t c = 0; c < z.cols; ++c) {
    double sum = 0, squares = 0;
    for (std::size_t r = 0; r < z.rows; ++r) sum += z.at(r, c), squares += z.at(r, c) * z.at(r, c);
    EXPECT_NEAR(sum / z.rows, 0.0, 1e-9);
    EXPECT_NEAR((squares - sum * sum / z.rows) / (z.rows - 1), 1.0, 1e-9);
  }
  EXPECT_EQ(PcaSpace::fit(d.features, 100).components(), 6u);  // at most the dimension
}

TEST(GanVariants, NeutralSourceMapsNeutralRowsOntoEachEmotion) {
  const Dataset d = corpus();
  const SyntheticRows rows = run(d, tiny("source=neutral"), {6, 6, 6});
  ASSERT_EQ(rows.x.rows, 18u);
  for (std::size_t r = 0; r < rows.x.rows; ++r) {
    const int from = d.labels[rows.sources[r].at(0)];
    if (rows.y[r] == 2) EXPECT_NE(from, 2) << "the neutral GAN maps the other classes";
    else EXPECT_EQ(from, 2) << "the emotions' GANs map neutral rows";
  }
  EXPECT_THROW(run(testing::synthetic(4, 8, 3, 3.0, 5, 6), tiny("source=neutral"), {6, 6, 6}), Error);  // no neutral class
}

TEST(GanVariants, KnnFilterKeepsExactlyTheBestCandidates) {
  const Dataset d = corpus();
  testing::ScratchDir dir;
  AugmentConfig train = tiny();
  train.save_to = dir.file("gan");
  const SyntheticRows all = run(d, train, {12, 12, 12});  // the 2n candidates of n = 6
  AugmentConfig filtered = tiny("filter=knn,filter_keep=0.5");
  filtered.load_from = dir.file("gan");
  const SyntheticRows kept = run(d, filtered, {6, 6, 6});
  ASSERT_EQ(kept.x.rows, 18u);
  std::size_t at = 0;
  for (int c = 0; c < 3; ++c) {
    std::vector<std::size_t> class_rows, candidates;
    for (std::size_t r = 0; r < d.labels.size(); ++r)
      if (d.labels[r] == c) class_rows.push_back(r);
    for (std::size_t r = 0; r < all.x.rows; ++r)
      if (all.y[r] == c) candidates.push_back(r);
    const Matrix candidate_x = select_rows(all.x, candidates);
    for (std::size_t i : best_scoring(manifold_scores(select_rows(d.features, class_rows), candidate_x), 6)) {
      EXPECT_EQ(kept.y[at], c);
      for (std::size_t f = 0; f < 6; ++f) EXPECT_DOUBLE_EQ(kept.x.at(at, f), candidate_x.at(i, f)) << "class " << c << " candidate " << i;
      ++at;
    }
  }
}

TEST(GanVariants, CriticAndClassifierFiltersReloadWhatTheyScoreWith) {
  const Dataset d = corpus();
  for (const std::string filter : {"critic", "classifier"}) {
    testing::ScratchDir dir;
    AugmentConfig c = tiny("filter=" + filter + ",filter_keep=0.5");
    c.save_to = dir.file("gan");
    const SyntheticRows trained = run(d, c, {5, 5, 5});
    c.save_to.clear();
    c.load_from = dir.file("gan");
    const SyntheticRows reloaded = run(d, c, {5, 5, 5});
    ASSERT_EQ(trained.x.rows, 15u) << filter;
    ASSERT_EQ(reloaded.x.rows, 15u) << filter;
    for (std::size_t i = 0; i < trained.x.data.size(); ++i) EXPECT_NEAR(trained.x.data[i], reloaded.x.data[i], 1e-6) << filter;
  }
}

TEST(GanVariants, SpeakerMappingGivesEachRowATrainingSpeaker) {
  const Dataset d = corpus();
  const SyntheticRows rows = run(d, tiny("mapping=speaker"), {10, 10, 10});
  ASSERT_EQ(rows.speakers.size(), rows.x.rows);
  const std::set<std::string> training(d.speakers.begin(), d.speakers.end());
  for (const auto& s : rows.speakers) EXPECT_TRUE(training.count(s)) << s;
  EXPECT_GE(std::set<std::string>(rows.speakers.begin(), rows.speakers.end()).size(), 2u);
  // The code matters: the same sources sent to other speakers come out elsewhere.
  EXPECT_NE(rows.x.data, run(d, tiny(), {10, 10, 10}).x.data);
  EXPECT_TRUE(run(d, tiny(), {10, 10, 10}).speakers.empty());
}

TEST(GanVariants, EarlyStoppingHoldsOutATrainingSpeakerAndKeepsTheBestCheck) {
  const Dataset d = corpus();
  testing::ScratchDir dir;
  AugmentConfig c = tiny("fd_every=1,fd_patience=2");
  c.gan.epochs = 30;
  c.save_to = dir.file("gan");
  const std::uint64_t seed = 6;
  const SyntheticRows rows = run(d, c, {8, 8, 8}, seed);
  const std::string held_out = "s" + std::to_string(seed % 4);  // speakers s0..s3, chosen by the seed
  for (const auto& src : rows.sources) EXPECT_NE(d.speakers[src.at(0)], held_out);
  std::ifstream in(dir.file("gan") + "/generators.json");
  const nlohmann::json meta = nlohmann::json::parse(in);
  const int run_epochs = meta.at("epochs_run"), best = meta.at("best_epoch");
  EXPECT_GE(best, 1);
  EXPECT_LE(best, run_epochs);
  EXPECT_LE(run_epochs, 30);
  EXPECT_THROW(run(testing::synthetic(2, 8, 3, 3.0, 5, 6), c, {8, 8, 8}), Error);  // two speakers: none to hold out
}

TEST(GanVariants, PcaVariantReturnsRowsOfTheFoldsPrincipalSpace) {
  const Dataset d = corpus();
  const SyntheticRows rows = run(d, tiny("pca=2"), {5, 5, 5});
  ASSERT_EQ(rows.x.cols, 6u);
  const PcaSpace space = PcaSpace::fit(d.features, 2);  // the same fit the GAN made
  const Matrix back = space.from_space(space.to_space(rows.x));
  for (std::size_t i = 0; i < back.data.size(); ++i) EXPECT_NEAR(back.data[i], rows.x.data[i], 1e-6);
}

// LOSO with each variant: synthetic rows derive from training rows only, and the test
// speaker's unselected rows (a source of "unused") change nothing in its fold.
TEST(GanVariants, NoTestRowReachesAnyVariant) {
  const Dataset d = corpus();
  Dataset poisoned = d;
  for (std::size_t i = 0; i < poisoned.unselected.features.rows; ++i)
    if (poisoned.unselected.speakers[i] == "s0")
      for (std::size_t f = 0; f < 6; ++f) poisoned.unselected.features.at(i, f) += 3.0 * static_cast<double>(f + 1);
  for (const std::string variant : {"", "source=neutral", "source=unused", "mapping=speaker", "filter=knn", "filter=critic",
                                    "filter=classifier", "fd_every=1", "pca=3"}) {
    EvalOptions o;
    o.augment = "cyclegan-wdiv";
    o.norm = NormKind::Speaker;
    o.amounts = {4};
    o.fixed = Hyperparameters{{"C", 1.0}};
    o.augment_config = tiny(variant);
    const EvalResult r = evaluate(d, o);
    for (const auto& fold : r.repeats[0].folds) {
      EXPECT_EQ(fold.synthetic_rows, 12u) << variant;
      const std::set<std::size_t> test(fold.test_rows.begin(), fold.test_rows.end());
      for (auto src : fold.synthetic_source_rows) EXPECT_FALSE(test.count(src)) << variant << " " << fold.name;
    }
    const EvalResult p = evaluate(poisoned, o);
    for (std::size_t f = 0; f < r.repeats[0].folds.size(); ++f)
      if (r.repeats[0].folds[f].test_speakers == std::vector<std::string>{"s0"})
        EXPECT_EQ(r.repeats[0].folds[f].predictions, p.repeats[0].folds[f].predictions) << variant;
  }
}

TEST(GanVariants, UnusedSourceIsTheTrainingSpeakersUnselectedRows) {
  const Dataset d = corpus();
  EvalOptions o;
  o.norm = NormKind::Speaker;
  o.augment_config = tiny("source=unused");
  for (const Fold& fold : make_folds(d, parse_protocol("loso"), 1)) {
    const auto [train_x, test_x] = normalize_fold_rows(d, fold, o, 1);
    const FoldGanDomains domains = fold_gan_domains(d, o, fold, train_x, select(d.speakers, fold.train), 0, {});
    ASSERT_TRUE(domains.external);
    EXPECT_EQ(domains.target_rows, fold.train.size());
    EXPECT_EQ(domains.source.rows, 6u) << fold.name;  // two rows of each of three training speakers
    for (const auto& s : domains.source_speakers) EXPECT_NE(s, fold.test_speakers.at(0)) << fold.name;
  }
}

TEST(GanVariants, CopiesAsSourceNeedCopiesAndUseOnlyTheTrainingClips) {
  const Dataset d = corpus();
  EvalOptions o;
  o.augment = "cyclegan-wdiv";
  o.norm = NormKind::Speaker;
  o.amounts = {4};
  o.fixed = Hyperparameters{{"C", 1.0}};
  o.augment_config = tiny("source=copies");
  EXPECT_THROW(evaluate(d, o), Error);
  auto copies = std::make_shared<CopyRows>();
  copies->x = d.features;
  for (auto& v : copies->x.data) v += 0.5;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    copies->source.push_back(r);
    copies->chain.push_back("speed=1.1");
  }
  o.copies = copies;
  const EvalResult r = evaluate(d, o);
  for (const auto& fold : r.repeats[0].folds) EXPECT_EQ(fold.synthetic_rows, 12u);
}

TEST(GanVariants, SyntheticWeightReachesOnlyTheDnn) {
  const Dataset d = corpus();
  EvalOptions o;
  o.augment = "cyclegan-wdiv";
  o.amounts = {4};
  o.fixed = Hyperparameters{{"C", 1.0}};
  o.augment_config = tiny("synthetic_weight=0.5");
  EXPECT_THROW(evaluate(d, o), Error);  // the linear SVM has no row weights

  // The dnn: uniform weights change nothing, uneven ones change the model.
  DnnConfig dnn;
  dnn.hidden = {8};
  dnn.max_epochs = 20;
  const auto proba = [&](std::vector<double> weights) {
    auto model = make_classifier("dnn", {}, dnn);
    FitOptions fit;
    fit.speakers = d.speakers;
    fit.row_weights = std::move(weights);
    model->fit(d.features, d.labels, 3, fit);
    return model->predict_proba(d.features).data;
  };
  const auto plain = proba({});
  const auto halved = proba(std::vector<double>(d.rows(), 0.5));
  for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_NEAR(plain[i], halved[i], 1e-5);
  std::vector<double> uneven(d.rows(), 1.0);
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (d.labels[r] == 0) uneven[r] = 0.01;
  EXPECT_NE(plain, proba(uneven));
  auto svm = make_classifier("svm", Hyperparameters{{"C", 1.0}});
  FitOptions weighted;
  weighted.row_weights.assign(d.rows(), 0.5);
  EXPECT_THROW(svm->fit(d.features, d.labels, 3, weighted), Error);
}

}  // namespace
}  // namespace seraug
