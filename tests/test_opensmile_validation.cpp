// Our IS09 against openSMILE's own output on the same clips (../shared/reference/opensmile):
// per feature, Pearson r across the 339 clips. Fails if the median r < 0.95 or fewer than
// 80% of the 384 features reach r >= 0.90. Skips when the corpus or reference is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "seraug/data/feature_compare.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/batch.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

TEST(OpenSmileValidation, Is09AgreesWithOpenSmile) {
  const std::string corpus = testing::emodb_dir(), reference = testing::reference_dir();
  if (corpus.empty() || reference.empty()) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  const FeatureTable ref = read_feature_table(reference + "/IS09_emotion.csv");

  // Only the clips the reference covers.
  std::vector<Utterance> clips;
  for (const auto& u : read_corpus(corpus))
    if (std::find(ref.names.begin(), ref.names.end(), u.name) != ref.names.end()) clips.push_back(u);
  ASSERT_EQ(clips.size(), ref.rows());

  const BatchResult ours = extract_corpus(clips, feature_set("is09"));
  const AgreementReport report = compare_features(ours.table, ref);
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
  const std::string corpus = testing::emodb_dir(), reference = testing::reference_dir();
  if (corpus.empty() || reference.empty()) GTEST_SKIP() << "EMO-DB copy or openSMILE reference not found";
  const FeatureTable ref = read_feature_table(reference + "/IS09_emotion.csv");
  std::vector<Utterance> clips;
  for (const auto& u : read_corpus(corpus))
    if (std::find(ref.names.begin(), ref.names.end(), u.name) != ref.names.end()) clips.push_back(u);
  const FeatureTable ours = extract_corpus(clips, feature_set("is09")).table;

  EvalOptions options;  // linear SVM, LOSO, global z-score, C by inner CV
  const double ours_uar = evaluate(make_dataset(ours, "anger,fear,happiness,sadness,neutral", "ours"), options).uar().mean;
  const double ref_uar = evaluate(make_dataset(ref, "anger,fear,happiness,sadness,neutral", "openSMILE"), options).uar().mean;
  std::cout << "LOSO UAR on 339 clips: seraug " << 100 * ours_uar << "%, openSMILE " << 100 * ref_uar << "%\n";
  EXPECT_GE(ours_uar, ref_uar - 0.02);
}

}  // namespace
}  // namespace seraug
