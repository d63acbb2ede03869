#include "seraug/features/contour_stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>

#include "seraug/common/error.hpp"

namespace seraug {

namespace {

// The bits of a double as an unsigned key in the same order (negatives reversed).
std::uint64_t order_key(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  return (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

double from_order_key(std::uint64_t key) {
  return std::bit_cast<double>((key >> 63) ? key & ~(std::uint64_t{1} << 63) : ~key);
}

}  // namespace

void sort_values(std::vector<double>& values) {
  // Short contours: the comparison sort is as fast and needs no buffers.
  if (values.size() < 1024) {
    std::sort(values.begin(), values.end());
    return;
  }
  // Least significant digit first, 11 bits per pass; passes where every key has the same
  // digit (common in the exponent bits of one contour) are skipped.
  constexpr int kBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  std::vector<std::uint64_t> keys(values.size()), scratch(values.size());
  std::transform(values.begin(), values.end(), keys.begin(), order_key);
  std::vector<std::size_t> count(kBuckets);
  for (int shift = 0; shift < 64; shift += kBits) {
    std::fill(count.begin(), count.end(), 0);
    for (const std::uint64_t k : keys) ++count[(k >> shift) & (kBuckets - 1)];
    if (std::find(count.begin(), count.end(), keys.size()) != count.end()) continue;
    std::size_t start = 0;
    for (std::size_t& c : count) start += std::exchange(c, start);
    for (const std::uint64_t k : keys) scratch[count[(k >> shift) & (kBuckets - 1)]++] = k;
    keys.swap(scratch);
  }
  std::transform(keys.begin(), keys.end(), values.begin(), from_order_key);
}

double percentile(std::span<const double> values, double p) {
  if (values.empty()) throw Error("percentile of an empty contour");
  std::vector<double> sorted(values.begin(), values.end());
  sort_values(sorted);
  const double position = std::clamp(p, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

MeanStddev mean_and_stddev(std::span<const double> values) {
  MeanStddev r;
  if (values.empty()) return r;
  for (double v : values) r.mean += v;
  r.mean /= static_cast<double>(values.size());
  double ss = 0.0;
  for (double v : values) ss += (v - r.mean) * (v - r.mean);
  r.stddev = std::sqrt(ss / static_cast<double>(values.size()));
  return r;
}

TurningPoints turning_points(std::span<const double> x, double relative_threshold) {
  TurningPoints tp;
  if (x.size() < 3) return tp;
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const double threshold = relative_threshold * (*hi - *lo);
  if (threshold <= 0.0) return tp;
  double high = x[0], low = x[0];
  int high_at = 0, low_at = 0;
  bool seeking_max = true;
  for (int t = 1; t < static_cast<int>(x.size()); ++t) {
    const double v = x[static_cast<std::size_t>(t)];
    if (v > high) high = v, high_at = t;
    if (v < low) low = v, low_at = t;
    if (seeking_max && v < high - threshold) {
      tp.maxima.push_back(high_at);
      low = v, low_at = t;
      seeking_max = false;
    } else if (!seeking_max && v > low + threshold) {
      tp.minima.push_back(low_at);
      high = v, high_at = t;
      seeking_max = true;
    }
  }
  return tp;
}

SlopeStats slope_stats(std::span<const double> x, double relative_threshold, double frame_seconds) {
  const TurningPoints tp = turning_points(x, relative_threshold);
  // Merge into one time-ordered list of (index, is_max) to pair neighbours.
  std::vector<std::pair<int, bool>> points;
  for (int i : tp.maxima) points.emplace_back(i, true);
  for (int i : tp.minima) points.emplace_back(i, false);
  std::sort(points.begin(), points.end());
  std::vector<double> rising, falling;
  for (std::size_t k = 1; k < points.size(); ++k) {
    const auto [i0, max0] = points[k - 1];
    const auto [i1, max1] = points[k];
    if (max0 == max1 || i1 == i0) continue;
    const double dt = (i1 - i0) * frame_seconds;
    const double dv = x[static_cast<std::size_t>(i1)] - x[static_cast<std::size_t>(i0)];
    if (max1) rising.push_back(dv / dt);
    else falling.push_back(-dv / dt);
  }
  return {mean_and_stddev(rising), mean_and_stddev(falling)};
}

std::vector<int> run_lengths(std::span<const double> x, bool nonzero) {
  std::vector<int> runs;
  int current = 0;
  for (double v : x) {
    if ((v != 0.0) == nonzero) {
      ++current;
    } else if (current > 0) {
      runs.push_back(current);
      current = 0;
    }
  }
  if (current > 0) runs.push_back(current);
  return runs;
}

}  // namespace seraug
