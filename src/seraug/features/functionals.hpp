// Functionals: statistics that map one contour (T values over an utterance) to one
// number. They are a table of name -> function over a ContourSummary, which gathers in
// one pass everything the functionals need, so a set with many functionals still
// visits each contour only a few times.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seraug {

struct ContourSummary {
  int length = 0;
  double max = 0, min = 0, mean = 0;
  int max_pos = 0, min_pos = 0;        // frame index of the first max / min
  double stddev = 0, skewness = 0, kurtosis = 0;  // population moments; 0 if constant
  double slope = 0, offset = 0;        // least-squares line y = slope * t + offset
  double line_mse = 0;                 // mean squared error of that line
  double line_mae = 0;                 // mean absolute error of that line
  std::vector<double> sorted;          // the values in increasing order (percentiles)

  // Linear interpolation between the sorted values around p (n - 1), p in [0, 1].
  double percentile(double p) const;
  // Fraction of frames above min + level * (max - min) (openSMILE's upleveltime).
  double fraction_above(double level) const;
};

// Throws seraug::Error for an empty contour.
ContourSummary summarize(std::span<const double> contour);

struct FunctionalDef {
  std::string_view name;  // openSMILE's suffix, e.g. "linregc1"
  double (*value)(const ContourSummary&);
};

// The functionals seraug knows, in a fixed order.
std::span<const FunctionalDef> all_functionals();
// Throws seraug::Error naming the unknown functional.
const FunctionalDef& functional(std::string_view name);

}  // namespace seraug
