// Our feature sets against openSMILE's own output on the same clips
// (../shared/reference/opensmile): per feature, Pearson r across the 339 clips.
// IS09 fails if the median r < 0.95 or fewer than 80% of the 384 features reach 0.90;
// eGeMAPS if the median r < 0.95 or fewer than 75% of the 88 reach 0.85 (this version:
// median 0.99, 78%; docs/features.md lists the features that still differ); IS10 if
// the median r < 0.95 or fewer than 78% of the 1582 reach 0.85 (this version: median
// 0.996, 78.4%); ComParE if the median r < 0.95 or fewer than 80% of the 6373 reach
// 0.85 (this version: median 0.991, 86.1%).
// Skips when the corpus or reference is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "seraug/data/feature_compare.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/batch.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

// openSMILE's IS09 output and the corpus clips it covers, in the reference's order.
struct ReferenceClips {
  FeatureTable reference;
  std::vector<Utterance> clips;
};

std::optional<ReferenceClips> opensmile_reference(const std::string& file) {
  const std::string corpus = testing::emodb_dir(), reference = testing::reference_dir();
  if (corpus.empty() || reference.empty()) return std::nullopt;
  ReferenceClips r{read_feature_table(reference + "/" + file), {}};
  for (const auto& u : read_corpus(corpus))
    if (std::find(r.reference.names.begin(), r.reference.names.end(), u.name) != r.reference.names.end()) r.clips.push_back(u);
  return r;
}

std::optional<ReferenceClips> is09_reference() { return opensmile_reference("IS09_emotion.csv"); }

// Extracts `set` from the reference's clips and correlates it feature by feature.
AgreementReport agreement(const ReferenceClips& data, const char* set) {
  const BatchResult ours = extract_corpus(data.clips, feature_set(set));
  EXPECT_EQ(ours.table.feature_names, data.reference.feature_names);  // openSMILE's names and order
  return compare_features(ours.table, data.reference);
}

TEST(OpenSmileValidation, Is09AgreesWithOpenSmile) {
  const auto data = is09_reference();
  if (!data) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  const FeatureTable& ref = data->reference;
  ASSERT_EQ(data->clips.size(), ref.rows());

  const AgreementReport report = agreement(*data, "is09");
  std::cout << "IS09 vs openSMILE: median r = " << report.median_correlation()
            << ", r >= 0.90: " << 100 * report.fraction_at_least(0.90) << "%\n"
            << agreement_table_markdown(report);
  EXPECT_TRUE(report.missing_features.empty());
  EXPECT_EQ(report.features.size(), 384u);
  EXPECT_GE(report.median_correlation(), 0.95);
  EXPECT_GE(report.fraction_at_least(0.90), 0.80);
}

// The same LOSO evaluation on our IS09 and on openSMILE's, for the same 339 clips:
// ours must come within 2 UAR points (or do better).
TEST(OpenSmileValidation, Is09EvaluatesLikeOpenSmile) {
  const auto data = is09_reference();
  if (!data) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  const FeatureTable& ref = data->reference;
  const FeatureTable ours = extract_corpus(data->clips, feature_set("is09")).table;

  EvalOptions options;  // linear SVM, LOSO, global z-score, C by inner CV
  const double ours_uar = evaluate(make_dataset(ours, "anger,fear,happiness,sadness,neutral", "ours"), options).uar().mean;
  const double ref_uar = evaluate(make_dataset(ref, "anger,fear,happiness,sadness,neutral", "openSMILE"), options).uar().mean;
  std::cout << "LOSO UAR on 339 clips: seraug " << 100 * ours_uar << "%, openSMILE " << 100 * ref_uar << "%\n";
  EXPECT_GE(ours_uar, ref_uar - 0.02);
}

TEST(OpenSmileValidation, EgemapsAgreesWithOpenSmile) {
  const auto data = opensmile_reference("eGeMAPSv02.csv");
  if (!data) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  const FeatureTable& ref = data->reference;
  ASSERT_EQ(data->clips.size(), ref.rows());
  const AgreementReport report = agreement(*data, "egemaps");
  std::cout << "eGeMAPS vs openSMILE: median r = " << report.median_correlation()
            << ", r >= 0.85: " << 100 * report.fraction_at_least(0.85) << "%\n"
            << agreement_table_markdown(report);
  EXPECT_TRUE(report.missing_features.empty());
  EXPECT_EQ(report.features.size(), 88u);
  EXPECT_GE(report.median_correlation(), 0.95);
  EXPECT_GE(report.fraction_at_least(0.85), 0.75);
}

TEST(OpenSmileValidation, Is10AgreesWithOpenSmile) {
  const auto data = opensmile_reference("IS10_paraling.csv");
  if (!data) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  ASSERT_EQ(data->clips.size(), data->reference.rows());
  const AgreementReport report = agreement(*data, "is10");
  std::cout << "IS10 vs openSMILE: median r = " << report.median_correlation()
            << ", r >= 0.85: " << 100 * report.fraction_at_least(0.85) << "%\n";
  EXPECT_TRUE(report.missing_features.empty());
  EXPECT_EQ(report.features.size(), 1582u);
  EXPECT_GE(report.median_correlation(), 0.95);
  EXPECT_GE(report.fraction_at_least(0.85), 0.78);
}

TEST(OpenSmileValidation, CompareAgreesWithOpenSmile) {
  const auto data = opensmile_reference("ComParE_2016.csv");
  if (!data) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  ASSERT_EQ(data->clips.size(), data->reference.rows());
  const AgreementReport report = agreement(*data, "compare");
  std::cout << "ComParE vs openSMILE: median r = " << report.median_correlation()
            << ", r >= 0.85: " << 100 * report.fraction_at_least(0.85) << "%\n";
  EXPECT_TRUE(report.missing_features.empty());
  EXPECT_EQ(report.features.size(), 6373u);
  EXPECT_GE(report.median_correlation(), 0.95);
  EXPECT_GE(report.fraction_at_least(0.85), 0.80);
}

}  // namespace
}  // namespace seraug
