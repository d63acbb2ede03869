// Operations on LLD contours. A contour matrix holds T frames x D descriptors,
// row-major (frame t, descriptor d at [t * D + d]).
#pragma once

#include <span>
#include <string>
#include <vector>

namespace seraug {

// A contour in openSMILE's naming: "<name>_sma[<index>]" or, for its delta,
// "<name>_sma_de[<index>]" (no index for scalar descriptors).
struct ContourName {
  std::string name;  // without "_sma"
  int index = -1;    // -1: scalar
};
std::string contour_name(const ContourName& c, bool delta);

struct ContourMatrix {
  int frames = 0;
  int dims = 0;
  std::vector<double> values;  // frames * dims, row-major
  double at(int t, int d) const { return values[static_cast<std::size_t>(t) * dims + d]; }
};

// Column d (one descriptor over time) and the non-zero values of a contour.
std::vector<double> column(const ContourMatrix& m, int d);
std::vector<double> nonzero(std::span<const double> x);

// Centred moving average over `window` frames (odd); the ends repeat the edge frame.
ContourMatrix moving_average(const ContourMatrix& in, int window);

// First-order delta by linear regression over +-half_window frames:
// d_t = sum_k k (x_{t+k} - x_{t-k}) / (2 sum_k k^2); the ends repeat the edge frame.
ContourMatrix delta_regression(const ContourMatrix& in, int half_window);

// Pitch-gated contours (0 = unvoiced) in openSMILE's conventions:
// 3-frame centred moving average over non-zero frames only; zero frames stay zero and
// zero neighbours do not count (its noZeroSma).
std::vector<double> smooth3_nonzero(std::span<const double> x);
// Delta regression of pitch-gated contours as openSMILE's cDeltaRegression computes
// it with onlyInSegments: a pair of neighbours (t-k, t+k) counts only if both are
// non-zero, and the normaliser is not 2 sum k^2 per frame but a running sum that starts
// there and grows by k^2 for every pair used, shared by all contours of the level
// (frames in time order, contours in the given order). Deltas therefore shrink along
// the utterance; feature values depend on this, so it is reproduced. All contours
// have the same length.
std::vector<std::vector<double>> delta_in_segments(const std::vector<std::vector<double>>& contours, int half_window);

}  // namespace seraug
