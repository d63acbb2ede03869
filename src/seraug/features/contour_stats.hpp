// Statistics over one contour that go beyond the one-pass summary of functionals.hpp:
// percentiles, slopes between turning points, peak counts and segment lengths. They
// are what the Geneva sets (GeMAPS / eGeMAPS) summarise contours with.
//
// Contours are values per frame; `frame_seconds` converts frame counts into seconds.
#pragma once

#include <span>
#include <vector>

namespace seraug {

// Sorts in increasing order like std::sort: the same values at every position (of equal
// values only -0.0 and +0.0 differ in bits; their order among themselves is unspecified,
// as in std::sort, and no percentile or level count depends on it). Long contours go
// through a radix sort on the values' bits: linear time (a 1-hour file has 360,000 frames).
void sort_values(std::vector<double>& values);

// p in [0, 1]; linear interpolation between the sorted values at p (n - 1).
// Throws seraug::Error for an empty contour.
double percentile(std::span<const double> values, double p);

// Mean and (population) standard deviation; 0 and 0 for an empty list.
struct MeanStddev {
  double mean = 0, stddev = 0;
};
MeanStddev mean_and_stddev(std::span<const double> values);

// Turning points found with a hysteresis of `relative_threshold` times the contour's
// range: a maximum counts once the contour has fallen that far below it (and a
// minimum likewise), so ripples smaller than the threshold are ignored.
struct TurningPoints {
  std::vector<int> maxima, minima;  // frame indices, each list in time order
};
TurningPoints turning_points(std::span<const double> contour, double relative_threshold);

// Slopes in units per second from each minimum to the next maximum (rising) and from
// each maximum to the next minimum (falling, reported as a positive magnitude).
struct SlopeStats {
  MeanStddev rising, falling;
};
SlopeStats slope_stats(std::span<const double> contour, double relative_threshold, double frame_seconds);

// Lengths in frames of the maximal runs where the value is non-zero (`voiced`) or
// exactly zero (!voiced).
std::vector<int> run_lengths(std::span<const double> contour, bool nonzero);

}  // namespace seraug
