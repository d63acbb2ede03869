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

std::vector<double> smooth3_nonzero(std::span<const double> x) {
  const int n = static_cast<int>(x.size());
  std::vector<double> y(x.size(), 0.0);
  for (int t = 0; t < n; ++t) {
    if (x[static_cast<std::size_t>(t)] == 0.0) continue;
    double sum = 0.0;
    int count = 0;
    for (int k = std::max(0, t - 1); k <= std::min(n - 1, t + 1); ++k)
      if (const double v = x[static_cast<std::size_t>(k)]; v != 0.0) {
        sum += v;
        ++count;
      }
    y[static_cast<std::size_t>(t)] = sum / count;
  }
  return y;
}

std::vector<double> delta_in_segments(std::span<const double> x, int half_window) {
  const int n = static_cast<int>(x.size());
  double norm = 0.0;
  for (int k = 1; k <= half_window; ++k) norm += 2.0 * k * k;
  std::vector<double> d(x.size(), 0.0);
  for (int start = 0; start < n;) {
    if (x[static_cast<std::size_t>(start)] == 0.0) {
      ++start;
      continue;
    }
    int end = start;  // one past the run of non-zero frames
    while (end < n && x[static_cast<std::size_t>(end)] != 0.0) ++end;
    for (int t = start; t < end; ++t) {
      double sum = 0.0;
      for (int k = 1; k <= half_window; ++k)
        sum += k * (x[static_cast<std::size_t>(std::min(t + k, end - 1))] - x[static_cast<std::size_t>(std::max(t - k, start))]);
      d[static_cast<std::size_t>(t)] = sum / norm;
    }
    start = end;
  }
  return d;
}

}  // namespace seraug
