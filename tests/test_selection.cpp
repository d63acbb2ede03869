// In-fold feature selection and late fusion: the F statistic, the ranking, and that no
// test row ever shapes which columns a fold keeps, which hyperparameters it chooses or
// how the fused members are calibrated.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/stats/selection.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

TEST(FeatureSelection, HandComputedFStatistic) {
  // Column 0: class 0 {1,2,3}, class 1 {5,6,7}: between = 3*4 + 3*4 = 24 over 1 df,
  // within = 2 + 2 = 4 over 4 df, so F = 24. Column 1 is constant; column 2 separates
  // the classes with no spread inside them.
  Matrix x(6, 3);
  const double c0[] = {1, 2, 3, 5, 6, 7}, c2[] = {0, 0, 0, 1, 1, 1};
  for (std::size_t r = 0; r < 6; ++r) {
    x.at(r, 0) = c0[r];
    x.at(r, 1) = 4;
    x.at(r, 2) = c2[r];
  }
  const std::vector<int> y{0, 0, 0, 1, 1, 1};
  const std::vector<std::size_t> rows{0, 1, 2, 3, 4, 5};
  const auto f = anova_f_scores(x, rows, y, 2);
  EXPECT_DOUBLE_EQ(f[0], 24.0);
  EXPECT_EQ(f[1], 0.0);
  EXPECT_TRUE(std::isinf(f[2]));
  // Only the rows given count: {1,2} and {5,6} give between = 2*4 + 2*4 = 16 over 1 df,
  // within = 4 * 0.25 = 1 over 2 df, so F = 32.
  EXPECT_DOUBLE_EQ(anova_f_scores(x, std::vector<std::size_t>{0, 1, 3, 4}, y, 2)[0], 32.0);
  EXPECT_THROW(anova_f_scores(x, rows, std::vector<int>{0, 0, 0, 1, 1, 2}, 2), Error);
}

TEST(FeatureSelection, TopColumnsKeepsTheBestInColumnOrder) {
  const std::vector<double> scores{0.5, 3.0, 1.0, 3.0, 2.0};
  EXPECT_EQ(top_columns(scores, 2), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(top_columns(scores, 3), (std::vector<std::size_t>{1, 3, 4}));
  EXPECT_EQ(top_columns(scores, 0).size(), 0u);
  EXPECT_EQ(top_columns(scores, 99), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  Matrix x(1, 5);
  for (std::size_t c = 0; c < 5; ++c) x.at(0, c) = static_cast<double>(c) * 10;
  const Matrix kept = select_columns(x, top_columns(scores, 2));
  EXPECT_EQ(kept.cols, 2u);
  EXPECT_EQ(kept.at(0, 1), 30.0);
}

// Four speakers, three classes; only columns 0..2 carry the class.
Dataset informative_columns_dataset(unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  Dataset d;
  d.source = "synthetic";
  d.classes = {"a", "b", "c"};
  constexpr std::size_t kDims = 24;
  for (std::size_t f = 0; f < kDims; ++f) d.feature_names.push_back("f" + std::to_string(f));
  for (int s = 0; s < 4; ++s)
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 6; ++i) {
        for (std::size_t f = 0; f < kDims; ++f) d.features.data.push_back(noise(rng) + (f == static_cast<std::size_t>(c) ? 2.5 : 0.0));
        d.labels.push_back(c);
        d.speakers.push_back("s" + std::to_string(s));
        d.names.push_back("s" + std::to_string(s) + "_" + std::to_string(c) + "_" + std::to_string(i));
      }
  d.features.rows = d.labels.size();
  d.features.cols = kDims;
  return d;
}

// svm-ovo with speaker norm: the settings every evaluation here starts from.
EvalOptions ovo_with_speaker_norm() {
  EvalOptions o;
  o.classifier = "svm-ovo";
  o.norm = NormKind::Speaker;
  return o;
}

TEST(FeatureSelection, KeepsTheInformativeColumns) {
  const Dataset d = informative_columns_dataset(3);
  EvalOptions o = ovo_with_speaker_norm();
  o.select_keep = {3};
  const EvalResult r = evaluate(d, o);
  for (const auto& fold : r.repeats.front().folds) {
    EXPECT_EQ(fold.selected_columns, (std::vector<std::size_t>{0, 1, 2})) << fold.name;
    EXPECT_EQ(fold.chosen.at("features"), 3.0);
  }
  o.fixed = Hyperparameters{{"C", 1.0}};
  o.select_keep = {3, 0};
  EXPECT_THROW(evaluate(d, o), Error);  // a choice among several counts needs the search
}

// `d` with the listed rows' values and labels replaced by arbitrary ones.
Dataset scrambled(const Dataset& d, const std::vector<std::size_t>& rows, std::mt19937& rng) {
  std::uniform_real_distribution<double> wild(-50.0, 50.0);
  Dataset changed = d;
  for (auto r : rows) {
    for (std::size_t c = 0; c < changed.dims(); ++c) changed.features.at(r, c) = wild(rng);
    changed.labels[r] = static_cast<int>(rng() % 3);
  }
  return changed;
}

// The property: for every fold, replacing the test speaker's rows (values and labels)
// with anything else changes neither the columns kept nor the hyperparameters chosen.
TEST(FeatureSelection, NoTestRowShapesTheSelectionOfItsFold) {
  const Dataset d = informative_columns_dataset(5);
  EvalOptions o = ovo_with_speaker_norm();
  o.select_keep = {2, 6, 0};
  const EvalResult reference = evaluate(d, o);
  std::mt19937 rng(11);
  const auto& folds = reference.repeats.front().folds;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const EvalResult result = evaluate(scrambled(d, folds[f].test_rows, rng), o);
    const FoldOutcome& again = result.repeats.front().folds[f];
    EXPECT_EQ(again.selected_columns, folds[f].selected_columns) << folds[f].name;
    EXPECT_EQ(again.chosen, folds[f].chosen) << folds[f].name;
    EXPECT_EQ(again.inner_uar, folds[f].inner_uar) << folds[f].name;
  }
}

// The inner-search cache: the choice a search makes, read back from its file by the next
// call with the same rows and settings (a planted value proves the read), its own file for
// another seed or other rows, and a damaged file searched again and rewritten.
TEST(InnerSearchCache, ReadsBackTheChoiceOfTheSameRowsAndSettings) {
  const Dataset d = informative_columns_dataset(7);
  const testing::ScratchDir dir;
  const std::string folder = dir.file("inner");
  const std::vector<std::size_t> keeps{2, 6, 0};
  const auto cached = [&](const Matrix& x, std::uint64_t seed) {
    return select_model_cached(folder, "svm-ovo", x, d.labels, d.speakers, 3, 3, false, seed, 1, {}, keeps);
  };
  const auto files = [&] {
    std::vector<std::filesystem::path> found;
    for (const auto& e : std::filesystem::directory_iterator(folder)) found.push_back(e.path());
    return found;
  };
  const ModelChoice searched = select_model("svm-ovo", d.features, d.labels, d.speakers, 3, 3, false, 1, 1, {}, keeps);
  const ModelChoice first = cached(d.features, 1);
  EXPECT_EQ(first.hyperparameters, searched.hyperparameters);
  EXPECT_EQ(first.keep, searched.keep);
  EXPECT_EQ(first.inner_uar, searched.inner_uar);  // bit for bit through the text file
  ASSERT_EQ(files().size(), 1u);
  const std::string entry = files().front().string();

  std::ofstream(entry) << "keep=6\ninner_uar=0.125\nhp.C=4\n";
  const ModelChoice planted = cached(d.features, 1);
  EXPECT_EQ(planted.keep, 6u);
  EXPECT_EQ(planted.inner_uar, 0.125);
  EXPECT_EQ(planted.hyperparameters, (Hyperparameters{{"C", 4.0}}));

  cached(d.features, 2);
  Matrix changed = d.features;
  changed.at(0, 0) += 1e-9;
  cached(changed, 1);
  EXPECT_EQ(files().size(), 3u);

  std::ofstream(entry) << "keep=six\n";
  const ModelChoice again = cached(d.features, 1);
  EXPECT_EQ(again.hyperparameters, searched.hyperparameters);
  EXPECT_EQ(again.inner_uar, searched.inner_uar);
  EXPECT_EQ(cached(d.features, 1).keep, searched.keep);  // rewritten: read back
}

// Enrolment in evaluation: a test speaker's statistics from a few of its clips only.
TEST(Enrolment, TestSpeakersAreNormalisedByTheirEnrolmentClips) {
  const Dataset d = informative_columns_dataset(4);
  EvalOptions o;
  o.norm = NormKind::Speaker;
  const Fold fold = make_folds(d, o.protocol, 1).front();
  const auto [train_all, test_all] = normalize_fold_rows(d, fold, o, 1);
  o.enroll_clips = 1000;  // more than the speaker has: all of them, as without enrolment
  EXPECT_EQ(normalize_fold_rows(d, fold, o, 1).second.data, test_all.data);
  o.enroll_clips = 5;
  const auto [train, test] = normalize_fold_rows(d, fold, o, 1);
  EXPECT_EQ(train.data, train_all.data);  // training speakers are untouched
  // Statistics from five clips: the speaker's clips together are no longer centred.
  std::size_t uncentred_columns = 0;
  for (std::size_t c = 0; c < test.cols; ++c) {
    double s = 0;
    for (std::size_t r = 0; r < test.rows; ++r) s += test.at(r, c);
    uncentred_columns += std::abs(s) > 1e-9;
  }
  EXPECT_EQ(uncentred_columns, test.cols);
  EXPECT_NE(normalize_fold_rows(d, fold, o, 2).second.data, test.data);  // another seed, other clips
  o.enroll_clips = 1;
  EXPECT_THROW(evaluate(d, o), Error);
  o.enroll_clips = 5;
  o.norm = NormKind::Global;
  EXPECT_THROW(evaluate(d, o), Error);
}

TEST(LateFusion, ColumnBlocksFollowTheFusedTags) {
  const auto blocks = column_blocks({"is10:a", "is10:b", "compare:a", "plain", "compare:c"});
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].tag, "is10");
  EXPECT_EQ(blocks[0].columns, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(blocks[1].tag, "compare");
  EXPECT_EQ(blocks[1].columns, (std::vector<std::size_t>{2, 4}));
  EXPECT_EQ(blocks[2].tag, "");
}

// Two fused "files": columns 0..11 tagged a:, 12..23 tagged b:.
Dataset two_blocks(unsigned seed) {
  Dataset d = informative_columns_dataset(seed);
  for (std::size_t c = 0; c < d.dims(); ++c) d.feature_names[c] = (c < 12 ? "a:" : "b:") + d.feature_names[c];
  return d;
}

TEST(LateFusion, LearnsAndRefusesWhatItCannotServe) {
  const Dataset d = two_blocks(7);
  EvalOptions o = ovo_with_speaker_norm();
  o.late_fusion = true;
  const EvalResult r = evaluate(d, o);
  EXPECT_GT(r.uar().mean, 0.8);
  const auto& chosen = r.repeats.front().folds.front().chosen;
  EXPECT_TRUE(chosen.count("a svm-ovo C") && chosen.count("b svm-ovo C"));
  o.late_classifiers = {"svm-ovo", "svm"};  // blocks x classifiers = 4 members
  EXPECT_EQ(evaluate(d, o).repeats.front().folds.front().chosen.size(), 4u);
  EvalOptions augmented = o;
  augmented.augment = "smote";
  augmented.amounts = {10};
  EXPECT_THROW(evaluate(d, augmented), Error);
  EvalOptions single = o;
  single.late_classifiers.clear();
  EXPECT_THROW(evaluate(informative_columns_dataset(7), single), Error);  // one block, one classifier
}

// With global normalisation a test row reaches nothing that is fitted, so changing some
// test rows leaves every choice and the other test rows' predictions (through search,
// selection and calibration) exactly as they were; with speaker norm the choices stay.
TEST(LateFusion, NoTestRowShapesAnyMemberOfItsFold) {
  for (NormKind norm : {NormKind::Global, NormKind::Speaker}) {
    const Dataset d = two_blocks(9);
    EvalOptions o = ovo_with_speaker_norm();
    o.norm = norm;
    o.late_fusion = true;
    o.select_keep = {3, 0};
    const EvalResult reference = evaluate(d, o);
    std::mt19937 rng(13);
    const auto& folds = reference.repeats.front().folds;
    for (std::size_t f = 0; f < folds.size(); ++f) {
      std::vector<std::size_t> even;  // the odd test rows stay as they were
      for (auto r : folds[f].test_rows)
        if (r % 2 == 0) even.push_back(r);
      const EvalResult result = evaluate(scrambled(d, even, rng), o);
      const FoldOutcome& again = result.repeats.front().folds[f];
      EXPECT_EQ(again.chosen, folds[f].chosen) << folds[f].name;
      if (norm == NormKind::Global)
        for (std::size_t i = 0; i < again.test_rows.size(); ++i)
          if (again.test_rows[i] % 2 == 1) EXPECT_EQ(again.predictions[i], folds[f].predictions[i]) << folds[f].name;
    }
  }
}

}  // namespace
}  // namespace seraug
