#include "seraug/features/contours.hpp"

#include <algorithm>

namespace seraug {
namespace {

int clamp_frame(int t, int frames) { return std::clamp(t, 0, frames - 1); }

}  // namespace

ContourMatrix moving_average(const ContourMatrix& in, int window) {
  ContourMatrix out{in.frames, in.dims, std::vector<double>(in.values.size())};
  const int half = window / 2;
  for (int t = 0; t < in.frames; ++t)
    for (int d = 0; d < in.dims; ++d) {
      double sum = 0.0;
      for (int k = -half; k <= half; ++k) sum += in.at(clamp_frame(t + k, in.frames), d);
      out.values[static_cast<std::size_t>(t) * in.dims + d] = sum / (2 * half + 1);
    }
  return out;
}

ContourMatrix delta_regression(const ContourMatrix& in, int half_window) {
  ContourMatrix out{in.frames, in.dims, std::vector<double>(in.values.size())};
  double norm = 0.0;
  for (int k = 1; k <= half_window; ++k) norm += 2.0 * k * k;
  for (int t = 0; t < in.frames; ++t)
    for (int d = 0; d < in.dims; ++d) {
      double sum = 0.0;
      for (int k = 1; k <= half_window; ++k)
        sum += k * (in.at(clamp_frame(t + k, in.frames), d) - in.at(clamp_frame(t - k, in.frames), d));
      out.values[static_cast<std::size_t>(t) * in.dims + d] = sum / norm;
    }
  return out;
}

}  // namespace seraug
