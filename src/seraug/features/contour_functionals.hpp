// The contour statistics of the ComParE functional set beyond the one-pass summary of
// functionals.hpp: normalised linear and quadratic regression, threshold and non-zero
// segment lengths, peak and slope statistics, LPC of the contour, rise/curvature times
// and generalised means. Definitions follow the descriptions of openSMILE's
// cFunctionalRegression, cFunctionalSegments, cFunctionalPeaks2, cFunctionalLpc,
// cFunctionalTimes and cFunctionalMeans (including their soft "ratio limits"); the code
// is our own.
//
// All take a contour of T >= 1 values in time order; `frame_seconds` is the frame
// period where an output is in seconds or per second.
#pragma once

#include <array>
#include <span>

namespace seraug {

// openSMILE's soft limiter: linear within +-limit, then a tanh that saturates at
// +-(limit + excess).
double ratio_limit(double x, double limit, double excess);

struct RegressionOptions {
  bool normalise_values = true;  // map values to 0..1 by the contour's range first
  double time_unit = 1.0;        // slopes per time_unit frames (1 / frame_seconds: per second)
};
struct Regression {
  double linear_slope = 0, linear_offset = 0, linear_mse = 0;  // y = slope t + offset
  double quad_a = 0, quad_b = 0, quad_c = 0, quad_mse = 0;     // y = a t^2 + b t + c
  double centroid = 0;  // sum t |y| / sum |y|, relative to the contour length
};
Regression regression(std::span<const double> x, const RegressionOptions& options);

// Lengths (in frames) of the segments between successive crossings of the levels 25 %
// and 75 % of the range by a 3-frame running mean, at least 2 frames apart
// (openSMILE's relTh segmentation); and of the runs of non-zero values at least 3 frames
// long, pauses of at least 2 frames (its nonX segmentation, with its length
// conventions). All 0 when there is no segment.
struct SegmentLengths {
  double mean = 0, max = 0, min = 0, stddev = 0;
};
SegmentLengths threshold_segments(std::span<const double> x);
SegmentLengths nonzero_segments(std::span<const double> x);

// Peaks and valleys that rise or fall at least 10 % of the range from their neighbours
// (openSMILE's Peaks2 with relThresh 0.1), their distances (seconds), amplitudes and
// the slopes (units per second) between them.
struct PeakStats {
  double mean_distance = 0, distance_stddev = 0;
  double range_abs = 0, range_rel = 0, mean_abs = 0, mean_minus_contour_mean = 0, mean_rel = 0;
  double valley_range_rel = 0;
  double rising_mean = 0, rising_stddev = 0, falling_mean = 0, falling_stddev = 0;
};
PeakStats peak_stats(std::span<const double> x, double frame_seconds);

// LPC of the contour itself (autocorrelation method): the prediction error per frame
// and the coefficients a_1..a_order (x[n] ~ -sum a_k x[n-k]).
struct ContourLpc {
  double gain = 0;
  std::array<double, 5> coefficients{};
};
ContourLpc contour_lpc(std::span<const double> x);

// Fraction of steps that rise, and of inner frames where the slope increases.
double rise_fraction(std::span<const double> x);
double left_curvature_fraction(std::span<const double> x);

// Geometric mean of the non-zero |x| over the arithmetic mean of |x| (1 if all zero);
// mean of the positive values; root mean square; fraction of non-zero values.
double flatness(std::span<const double> x);
double positive_mean(std::span<const double> x);
double root_mean_square(std::span<const double> x);
double nonzero_fraction(std::span<const double> x);

}  // namespace seraug
