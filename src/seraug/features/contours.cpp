#include "seraug/features/contours.hpp"

#include <algorithm>

namespace seraug {

std::string contour_name(const ContourName& c, bool delta) {
  std::string name = c.name + (delta ? "_sma_de" : "_sma");
  if (c.index >= 0) name += "[" + std::to_string(c.index) + "]";
  return name;
}

std::vector<double> column(const ContourMatrix& m, int d) {
  std::vector<double> x(static_cast<std::size_t>(m.frames));
  for (int t = 0; t < m.frames; ++t) x[static_cast<std::size_t>(t)] = m.at(t, d);
  return x;
}

std::vector<double> nonzero(std::span<const double> x) {
  std::vector<double> kept;
  for (double v : x)
    if (v != 0.0) kept.push_back(v);
  return kept;
}
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

std::vector<std::vector<double>> delta_in_segments(const std::vector<std::vector<double>>& contours, int half_window) {
  std::vector<std::vector<double>> deltas;
  for (const auto& c : contours) deltas.emplace_back(c.size(), 0.0);
  if (contours.empty()) return deltas;
  double norm = 0.0;
  for (int k = 1; k <= half_window; ++k) norm += 2.0 * k * k;
  const long frames = static_cast<long>(contours.front().size());
  for (long t = 0; t < frames; ++t)
    for (std::size_t d = 0; d < contours.size(); ++d) {
      const auto& x = contours[d];
      const auto valid = [&](long i) { return i >= 0 && i < frames && x[static_cast<std::size_t>(i)] != 0.0; };
      double sum = 0.0;
      for (int k = 1; k <= half_window; ++k) {
        if (!valid(t + k) || !valid(t - k)) continue;
        sum += k * (x[static_cast<std::size_t>(t + k)] - x[static_cast<std::size_t>(t - k)]);
        norm += static_cast<double>(k) * k;
      }
      deltas[d][static_cast<std::size_t>(t)] = sum / norm;
    }
  return deltas;
}

}  // namespace seraug
