#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/features/functionals.hpp"

namespace seraug {
namespace {

double value_of(std::string_view name, const std::vector<double>& x, const FunctionalOptions& options = {}) {
  return functional(name).value(ContourAnalysis(x, options));
}

struct Case {
  std::string_view functional;
  std::vector<double> contour;
  double expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.functional; }

class FunctionalValues : public ::testing::TestWithParam<Case> {};

TEST_P(FunctionalValues, MatchesHandComputedValue) {
  const Case& c = GetParam();
  EXPECT_NEAR(value_of(c.functional, c.contour), c.expected, 1e-9) << c.functional;
}

// Hand-computed: x = {1, 3, 2, 3, 1}: mean 2, deviations {-1,1,0,1,-1}, m2 = 0.8, m3 = 0,
// m4 = 0.8 -> kurtosis 0.8/0.64 = 1.25. Line fit over t = 0..4: slope 0, offset 2.
INSTANTIATE_TEST_SUITE_P(
    HandComputed, FunctionalValues,
    ::testing::Values(Case{"max", {1, 3, 2, 3, 1}, 3}, Case{"min", {1, 3, 2, 3, 1}, 1},
                      Case{"range", {1, 3, 2, 3, 1}, 2}, Case{"maxPos", {1, 3, 2, 3, 1}, 1},  // first maximum
                      Case{"minPos", {1, 3, 2, 3, 1}, 0}, Case{"amean", {1, 3, 2, 3, 1}, 2},
                      Case{"stddev", {1, 3, 2, 3, 1}, std::sqrt(0.8)}, Case{"skewness", {1, 3, 2, 3, 1}, 0},
                      Case{"kurtosis", {1, 3, 2, 3, 1}, 1.25}, Case{"linregc1", {1, 3, 2, 3, 1}, 0},
                      Case{"linregc2", {1, 3, 2, 3, 1}, 2}, Case{"linregerrQ", {1, 3, 2, 3, 1}, 0.8},
                      // A line is fitted exactly.
                      Case{"linregc1", {5, 3, 1, -1}, -2}, Case{"linregc2", {5, 3, 1, -1}, 5},
                      Case{"linregerrQ", {5, 3, 1, -1}, 0},
                      // Skewed: {0,0,0,4}: mean 1, m2 = 3, m3 = (3*(-1) + 27)/4 = 6 -> 6/3^1.5.
                      Case{"skewness", {0, 0, 0, 4}, 6.0 / std::pow(3.0, 1.5)},
                      // Constant and single-frame contours: moments and slope are 0, not NaN.
                      Case{"skewness", {7, 7, 7}, 0}, Case{"kurtosis", {7, 7, 7}, 0}, Case{"stddev", {7}, 0},
                      Case{"linregc1", {7}, 0}, Case{"linregc2", {7}, 7},
                      // Percentiles interpolate between sorted values at p (n - 1):
                      // sorted {1, 1, 2, 3, 3}, quartile 1 at index 1, 99th at 3.96.
                      Case{"quartile1", {1, 3, 2, 3, 1}, 1}, Case{"quartile2", {1, 3, 2, 3, 1}, 2},
                      Case{"quartile3", {1, 3, 2, 3, 1}, 3}, Case{"iqr1-3", {1, 3, 2, 3, 1}, 2},
                      Case{"percentile1.0", {1, 3, 2, 3, 1}, 1}, Case{"percentile99.0", {1, 3, 2, 3, 1}, 3},
                      Case{"quartile1", {0, 10}, 2.5}, Case{"percentile99.0", {0, 10}, 9.9},
                      Case{"pctlrange0-1", {0, 10}, 9.8}, Case{"iqr1-2", {0, 10}, 2.5},
                      // Line errors: {1,3,2,3,1} around the flat line 2, |r| = 1,1,0,1,1.
                      Case{"linregerrA", {1, 3, 2, 3, 1}, 0.8},
                      // Frames strictly above min + 75 % / 90 % of the range: {0,1,...,9}
                      // -> above 6.75: 7, 8, 9; above 8.1: 9.
                      Case{"upleveltime75", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.3},
                      Case{"upleveltime90", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.1}));

TEST(Functionals, EmptyContourAndUnknownNameAreErrors) {
  EXPECT_THROW(summarize(std::vector<double>{}), Error);
  EXPECT_THROW(functional("median_of_everything"), Error);
}

TEST(Functionals, ZeroContourGivesFiniteZeros) {
  const std::vector<double> zeros(50, 0.0);
  FunctionalOptions three_percentiles;  // so that every range of the table is defined
  three_percentiles.percentiles = {0.01, 0.5, 0.99};
  const ContourAnalysis a(zeros, three_percentiles);
  // Two ratios have defined values for a contour of zeros: flatness (geometric over
  // arithmetic mean) is 1, and peakMeanRel (peak mean over contour mean) takes openSMILE's
  // saturated limit 20 when the contour mean is 0.
  for (const auto& f : all_functionals()) {
    const double expected = f.name == "flatness" ? 1.0 : f.name == "peakMeanRel" ? 20.0 : 0.0;
    EXPECT_EQ(f.value(a), expected) << f.name;
  }
}

// One table serves every set; what openSMILE's configurations set differently is an option.
TEST(Functionals, OptionsChangeOnlyWhatTheyName) {
  const std::vector<double> x = {1, 3, 2, 3, 1};
  FunctionalOptions fraction;
  fraction.positions = FunctionalOptions::Positions::Fraction;
  EXPECT_EQ(value_of("maxPos", x), 1.0);
  EXPECT_DOUBLE_EQ(value_of("maxPos", x, fraction), 0.2);
  EXPECT_DOUBLE_EQ(value_of("minPos", {4, 3, 2, 0, 1}, fraction), 0.6);
  EXPECT_EQ(value_of("amean", x, fraction), value_of("amean", x));

  // The plain line in units per frame, or range-normalised values per second.
  const std::vector<double> line = {5, 3, 1, -1};
  FunctionalOptions per_second;
  per_second.regression = RegressionOptions{true, 100.0};  // 10 ms frames
  EXPECT_DOUBLE_EQ(value_of("linregc1", line), -2.0);
  EXPECT_EQ(value_of("linregc1", line, per_second), regression(line, *per_second.regression).linear_slope);
  EXPECT_NE(value_of("linregc1", line, per_second), -2.0);

  // Percentile ranges by positions in the set's list; eGeMAPS's slopes between turning points.
  const std::vector<double> wave = {0, 2, 1, 4, 3, 6, 2, 0, 1};
  FunctionalOptions gemaps;
  gemaps.percentiles = {0.2, 0.5, 0.8};
  gemaps.slopes = FunctionalOptions::Slopes::TurningPoints;
  EXPECT_DOUBLE_EQ(value_of("pctlrange0-2", wave, gemaps), percentile(wave, 0.8) - percentile(wave, 0.2));
  EXPECT_DOUBLE_EQ(value_of("pctlrange0-1", wave, gemaps), percentile(wave, 0.5) - percentile(wave, 0.2));
  EXPECT_DOUBLE_EQ(value_of("pctlrange0-1", wave), percentile(wave, 0.99) - percentile(wave, 0.01));
  EXPECT_THROW(value_of("pctlrange0-2", wave), Error);  // the default list has two entries
  EXPECT_EQ(value_of("meanRisingSlope", wave, gemaps), slope_stats(wave, 0.1, 0.01).rising.mean);
  EXPECT_EQ(value_of("meanRisingSlope", wave), peak_stats(wave, 0.01).rising_mean);
  EXPECT_DOUBLE_EQ(value_of("stddevNorm", {1, 3}), 0.5);

  // The list appends zeros for an empty (wholly unvoiced) contour, values otherwise.
  const FunctionalList list(std::vector<std::string>{"max", "maxPos"}, fraction);
  std::vector<double> out;
  list.append(std::vector<double>{}, out);
  list.append(x, out);
  EXPECT_EQ(out, (std::vector<double>{0, 0, 3, 0.2}));
}

}  // namespace
}  // namespace seraug
