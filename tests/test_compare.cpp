#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/features/compare.hpp"
#include "seraug/features/contour_functionals.hpp"
#include "seraug/features/contours.hpp"

namespace seraug {
namespace {

TEST(CompareSet, NamesFollowOpenSmileOrder) {
  const auto& n = compare_names();
  ASSERT_EQ(n.size(), 6373u);
  // Blocks by functional component: 31 shared functionals over 4 energy contours, their
  // deltas, 55 spectral contours and their deltas; 39 over the 12 pitch-gated contours;
  // 5 F0 segment values; 23 more over the 59 contours, 15 more over their deltas.
  EXPECT_EQ(n.front(), "audspec_lengthL1norm_sma_range");
  EXPECT_EQ(n[31], "audspecRasta_lengthL1norm_sma_range");
  EXPECT_EQ(n[4 * 31], "audspec_lengthL1norm_sma_de_range");
  EXPECT_EQ(n[8 * 31], "audSpec_Rfilt_sma[0]_range");
  EXPECT_EQ(n[118 * 31], "F0final_sma_amean");
  EXPECT_EQ(n[118 * 31 + 12 * 39], "F0final_sma_ff0_nnz");
  EXPECT_EQ(n[118 * 31 + 12 * 39 + 5], "audspec_lengthL1norm_sma_amean");
  EXPECT_EQ(n[118 * 31 + 12 * 39 + 5 + 59 * 23], "audspec_lengthL1norm_sma_de_flatness");
  EXPECT_EQ(n.back(), "mfcc_sma_de[14]_stddevFallingSlope");
  EXPECT_EQ(std::count(n.begin(), n.end(), "mfcc_sma_de[14]_stddevFallingSlope"), 1);
}

TEST(CompareSet, SilenceAndToneGiveFiniteValues) {
  std::vector<float> tone(22050), silence(22050, 0.0f);
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = 0.3f * static_cast<float>(std::sin(2 * std::numbers::pi * 180.0 * i / 22050.0));
  for (const auto* signal : {&tone, &silence}) {
    const std::vector<double> v = compare_functionals(compare_llds(*signal, 22050.0));
    ASSERT_EQ(v.size(), 6373u);
    for (double x : v) ASSERT_TRUE(std::isfinite(x));
  }
  EXPECT_THROW(compare_llds(std::vector<float>(1000, 0.1f), 22050.0), Error);  // too short: a clear seraug error
}

TEST(ContourFunctionals, PitchGatedDeltasUseARunningNormaliser) {
  // One contour 1..5: the normaliser starts at 2 (1 + 4) = 10 and grows by k^2 for every
  // neighbour pair used, so later deltas are divided by more.
  const auto d = delta_in_segments({{1, 2, 3, 4, 5}}, 2);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_DOUBLE_EQ(d[0][0], 0.0);             // no pair: t-1 is outside
  EXPECT_DOUBLE_EQ(d[0][1], 2.0 / 11.0);      // pair k=1 only
  EXPECT_DOUBLE_EQ(d[0][2], 10.0 / 16.0);     // k=1 and k=2: 2 + 2*4
  EXPECT_DOUBLE_EQ(d[0][3], 2.0 / 17.0);
  EXPECT_DOUBLE_EQ(d[0][4], 0.0);
  // Zeros are segment bounds, and the normaliser is shared across contours.
  const auto two = delta_in_segments({{0, 2, 3, 4, 0}, {1, 1, 1, 1, 1}}, 1);
  EXPECT_DOUBLE_EQ(two[0][1], 0.0);           // left neighbour is 0
  // By frame 2 the second contour has already added its frame-1 pair: norm 2 + 1 + 1.
  EXPECT_DOUBLE_EQ(two[0][2], 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(two[1][2], 0.0);
}

TEST(ContourFunctionals, RatioLimitIsLinearInsideAndSaturates) {
  EXPECT_DOUBLE_EQ(ratio_limit(3.0, 10.0, 10.0), 3.0);
  EXPECT_DOUBLE_EQ(ratio_limit(-10.0, 10.0, 10.0), -10.0);
  EXPECT_NEAR(ratio_limit(10.0 + 1e-9, 10.0, 10.0), 10.0, 1e-6);
  EXPECT_LT(ratio_limit(200.0, 10.0, 10.0), 20.0);
  EXPECT_GT(ratio_limit(200.0, 10.0, 10.0), 19.5);
  EXPECT_LE(ratio_limit(1e12, 10.0, 10.0), 20.0);
  EXPECT_DOUBLE_EQ(ratio_limit(-1e12, 10.0, 10.0), -ratio_limit(1e12, 10.0, 10.0));
}

TEST(ContourFunctionals, RegressionRecoversAParabolaAndNormalises) {
  std::vector<double> x;
  for (int t = 0; t < 20; ++t) x.push_back(0.5 * t * t - 3.0 * t + 5.0);
  const Regression raw = regression(x, {false, 1.0});
  EXPECT_NEAR(raw.quad_a, 0.5, 1e-9);
  EXPECT_NEAR(raw.quad_b, -3.0, 1e-9);
  EXPECT_NEAR(raw.quad_c, 5.0, 1e-9);
  EXPECT_NEAR(raw.quad_mse, 0.0, 1e-12);
  std::vector<double> line;
  for (int t = 0; t < 50; ++t) line.push_back(4.0 + 0.2 * t);
  const Regression per_second = regression(line, {true, 100.0});  // 10 ms frames
  const double range = 0.2 * 49;
  EXPECT_NEAR(per_second.linear_slope, 0.2 * 100.0 / range, 1e-9);
  EXPECT_NEAR(per_second.linear_offset, 0.0, 1e-9);  // (4 - min) / range
  EXPECT_NEAR(per_second.linear_mse, 0.0, 1e-15);
  // Centroid of a constant contour is the middle of the frame range, relative to length.
  EXPECT_NEAR(regression(std::vector<double>(10, 1.0), {true, 1.0}).centroid, 4.5 / 10.0, 1e-12);
}

TEST(ContourFunctionals, ThresholdSegmentsOfASquareWave) {
  std::vector<double> x;
  for (int period = 0; period < 3; ++period) {
    x.insert(x.end(), 10, 0.0);
    x.insert(x.end(), 10, 1.0);
  }
  // The 3-frame running mean crosses 25 % or 75 % once per edge: segments start at
  // frames 10, 20, ..., 50; the first is measured from frame -1.
  const SegmentLengths s = threshold_segments(x);
  EXPECT_DOUBLE_EQ(s.max, 11.0);
  EXPECT_DOUBLE_EQ(s.min, 10.0);
  EXPECT_DOUBLE_EQ(s.mean, 51.0 / 5.0);
  EXPECT_NEAR(s.stddev, std::sqrt((0.8 * 0.8 + 4 * 0.2 * 0.2) / 5.0), 1e-12);
}

TEST(ContourFunctionals, NonzeroSegmentsUseOpenSmilesLengths) {
  const std::vector<double> x{0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0};
  const SegmentLengths s = nonzero_segments(x);
  EXPECT_DOUBLE_EQ(s.max, 3.0);  // a 4-frame run counts as 3
  EXPECT_DOUBLE_EQ(s.min, 2.0);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(nonzero_segments(std::vector<double>{0, 1, 0, 1, 0}).max, 0.0);  // runs too short
}

TEST(ContourFunctionals, PeaksOfASineWave) {
  std::vector<double> x;
  for (int t = 0; t < 100; ++t) x.push_back(std::sin(2 * std::numbers::pi * t / 20.0));
  const PeakStats p = peak_stats(x, 0.01);
  EXPECT_NEAR(p.mean_distance, 0.20, 1e-12);  // one period: 20 frames of 10 ms
  EXPECT_NEAR(p.range_abs, 0.0, 1e-12);       // all peaks equal
  EXPECT_NEAR(p.mean_abs, 1.0, 1e-12);
  EXPECT_NEAR(p.falling_mean, 20.0, 1e-9);    // from +1 to -1 in 0.1 s
  EXPECT_NEAR(p.falling_stddev, 0.0, 1e-9);
  // A contour with no salient extrema has one overall slope per frame count.
  const PeakStats flat = peak_stats(std::vector<double>{1, 2, 3, 4, 5, 6}, 0.01);
  EXPECT_NEAR(flat.rising_mean, 5.0 / 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(flat.falling_mean, 0.0);
}

TEST(ContourFunctionals, LpcOfAnExponentialDecay) {
  std::vector<double> x;
  for (int t = 0; t < 300; ++t) x.push_back(std::pow(0.9, t));
  const ContourLpc lpc = contour_lpc(x);
  EXPECT_NEAR(lpc.coefficients[0], -0.9, 1e-6);
  for (int k = 1; k < 5; ++k) EXPECT_NEAR(lpc.coefficients[static_cast<std::size_t>(k)], 0.0, 1e-6);
  EXPECT_NEAR(lpc.gain, 1.0 / 300.0, 1e-6);  // the only unpredicted sample is x[0] = 1
  EXPECT_DOUBLE_EQ(contour_lpc(std::vector<double>(10, 0.0)).gain, 0.0);
}

TEST(ContourFunctionals, TimesAndMeans) {
  const std::vector<double> up{0, 1, 4, 9, 16};
  EXPECT_DOUBLE_EQ(rise_fraction(up), 1.0);
  EXPECT_DOUBLE_EQ(left_curvature_fraction(up), 1.0);
  const std::vector<double> down{16, 9, 4, 1, 0};
  EXPECT_DOUBLE_EQ(rise_fraction(down), 0.0);
  EXPECT_DOUBLE_EQ(left_curvature_fraction(down), 1.0);  // slopes -7, -5, -3, -1 increase
  EXPECT_DOUBLE_EQ(flatness(std::vector<double>(5, 2.0)), 1.0);
  EXPECT_NEAR(flatness(std::vector<double>{1, 4}), 2.0 / 2.5, 1e-12);  // geometric / arithmetic
  EXPECT_DOUBLE_EQ(positive_mean(std::vector<double>{-3, 1, 2}), 1.5);
  EXPECT_DOUBLE_EQ(root_mean_square(std::vector<double>{3, -4}), std::sqrt(12.5));
  EXPECT_DOUBLE_EQ(nonzero_fraction(std::vector<double>{0, 1, 0, 2}), 0.5);
}

}  // namespace
}  // namespace seraug
