// Agreement between two feature files over the rows (utterances) they share: per
// feature, the Pearson correlation across rows and the mean relative difference. Used to
// validate seraug's extractors against openSMILE's output.
#pragma once

#include <string>
#include <vector>

#include "seraug/data/feature_table.hpp"

namespace seraug {

struct FeatureAgreement {
  std::string feature;
  double correlation = 0;    // Pearson r across shared rows; 1 if both sides are the same
                             // constant, NaN if only one side is constant
  double relative_diff = 0;  // mean |a - b| / (mean |b| + tiny)
};

struct AgreementReport {
  std::size_t shared_rows = 0;
  std::vector<std::string> missing_features;  // in `reference`, absent from `ours`
  std::vector<FeatureAgreement> features;     // in reference order
  double median_correlation() const;          // constant features count as r = 0
  double fraction_at_least(double r) const;
};

// Rows are matched by name; features by column name. Throws seraug::Error if no row is
// shared.
AgreementReport compare_features(const FeatureTable& ours, const FeatureTable& reference);

// Splits "pcm_fftMag_mfcc_sma_de[3]_linregc1" into its contour ("pcm_fftMag_mfcc_sma_de")
// and functional ("linregc1") for group tables; the array index is dropped.
std::pair<std::string, std::string> split_feature_name(const std::string& name);

// A Markdown table: contour rows x functional columns of median correlation.
std::string agreement_table_markdown(const AgreementReport& report);

}  // namespace seraug
