// Operations on LLD contours. A contour matrix holds T frames x D descriptors,
// row-major (frame t, descriptor d at [t * D + d]).
#pragma once

#include <span>
#include <vector>

namespace seraug {

struct ContourMatrix {
  int frames = 0;
  int dims = 0;
  std::vector<double> values;  // frames * dims, row-major
  double at(int t, int d) const { return values[static_cast<std::size_t>(t) * dims + d]; }
};

// Centred moving average over `window` frames (odd); the ends repeat the edge frame.
ContourMatrix moving_average(const ContourMatrix& in, int window);

// First-order delta by linear regression over +-half_window frames:
// d_t = sum_k k (x_{t+k} - x_{t-k}) / (2 sum_k k^2); the ends repeat the edge frame.
ContourMatrix delta_regression(const ContourMatrix& in, int half_window);

// Pitch-gated contours (0 = unvoiced) in openSMILE's conventions:
// 3-frame centred moving average over non-zero frames only; zero frames stay zero and
// zero neighbours do not count (its noZeroSma).
std::vector<double> smooth3_nonzero(std::span<const double> x);
// Delta regression (as delta_regression) inside each run of non-zero frames, the run's
// edge values repeated beyond it, and 0 outside runs (openSMILE's onlyInSegments).
std::vector<double> delta_in_segments(std::span<const double> x, int half_window);

}  // namespace seraug
