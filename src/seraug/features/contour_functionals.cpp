#include "seraug/features/contour_functionals.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "seraug/features/voice_analysis.hpp"

namespace seraug {

double ratio_limit(double x, double limit, double excess) {
  if (x > limit) return limit + excess * std::tanh((std::sqrt(x - limit + 1.0) - 1.0) / (0.5 * excess));
  if (x < -limit) return -limit - excess * std::tanh((std::sqrt(-x - limit + 1.0) - 1.0) / (0.5 * excess));
  return x;
}

Regression regression(std::span<const double> x, const RegressionOptions& options) {
  Regression out;
  const std::size_t count = x.size();
  if (count == 0) return out;
  const double n = static_cast<double>(count);
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const double min = *lo;
  double range = *hi - *lo, range_inv = 1.0;
  if (range <= 0.0) range = 1.0, range_inv = 0.0;
  else range_inv = 1.0 / range;

  double sum = 0, sum_t = 0, sum_tt = 0, abs_sum = 0, abs_sum_t = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i), v = x[i];
    sum += v, sum_t += v * t, sum_tt += v * t * t;
    abs_sum += std::fabs(v), abs_sum_t += std::fabs(v) * t;
  }
  out.centroid = abs_sum != 0.0 ? ratio_limit(abs_sum_t / abs_sum, n, n) / n : 0.0;

  // Normal equations of the line and the parabola over t = 0..n-1 (sums of t^k closed form).
  double m = 0, t0 = x[0], a = 0, b = 0, c = x[0];
  if (count > 1) {
    const double s1 = n * (n - 1.0) / 2.0, s2 = n * (n - 1.0) * (2.0 * n - 1.0) / 6.0;
    const double s3 = s1 * s1, s4 = s2 * (3.0 * ((n - 1.0) * (n - 1.0) + (n - 1.0)) - 1.0) / 5.0;
    const double denominator = n - s1 * s1 / s2;
    t0 = denominator == 0.0 ? 0.0 : (sum - sum_t * s1 / s2) / denominator;
    m = (sum_t - t0 * s1) / s2;
    const double det = s4 * s2 * n + 2.0 * s3 * s1 * s2 - s2 * s2 * s2 - s3 * s3 * n - s3 * s4;
    if (det != 0.0) {
      a = ((s2 * n - s3) * sum_tt + (s1 * s2 - s3 * n) * sum_t + (s3 * s1 - s2 * s2) * sum) / det;
      b = ((s1 * s2 - s3 * n) * sum_tt + (s4 * n - s2 * s2) * sum_t + (s3 * s2 - s4 * s1) * sum) / det;
      c = ((s3 * s1 - s2 * s2) * sum_tt + (s3 * s2 - s4 * s1) * sum_t + (s4 * s2 - s3 * s3) * sum) / det;
    } else {
      c = 0.0;
    }
  }
  const double error_scale = options.normalise_values ? range_inv : 1.0;
  double linear_sq = 0, quad_sq = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i);
    const double el = (x[i] - (m * t + t0)) * error_scale, eq = (x[i] - (a * t * t + b * t + c)) * error_scale;
    linear_sq += el * el, quad_sq += eq * eq;
  }
  // Soft limits against near-vertical fits, then time and value normalisation.
  m = ratio_limit(m, range / 10.0, range / 10.0 + 0.01);
  a = ratio_limit(a, std::sqrt(range / 10.0), std::sqrt(range / 10.0) + 0.01);
  b = ratio_limit(b, range / 10.0, range / 10.0 + 0.01);
  m *= options.time_unit, a *= options.time_unit * options.time_unit, b *= options.time_unit;
  if (options.normalise_values) {
    m *= range_inv, a *= range_inv, b *= range_inv;
    t0 = (t0 - min) * range_inv, c = (c - min) * range_inv;
  }
  auto finite = [](double v) { return std::isfinite(v) ? v : 0.0; };
  out.linear_slope = finite(m), out.linear_offset = finite(t0), out.linear_mse = finite(linear_sq / n);
  out.quad_a = finite(a), out.quad_b = finite(b), out.quad_c = finite(c), out.quad_mse = finite(quad_sq / n);
  return out;
}

namespace {

struct SegmentCollector {
  std::vector<long> lengths;
  SegmentLengths stats() const {
    SegmentLengths s;
    if (lengths.empty()) return s;
    double total = 0;
    for (long l : lengths) total += static_cast<double>(l);
    s.mean = total / static_cast<double>(lengths.size());
    s.max = static_cast<double>(*std::max_element(lengths.begin(), lengths.end()));
    s.min = static_cast<double>(*std::min_element(lengths.begin(), lengths.end()));
    if (lengths.size() > 1) {
      double var = 0;
      for (long l : lengths) var += (static_cast<double>(l) - s.mean) * (static_cast<double>(l) - s.mean);
      s.stddev = std::sqrt(var / static_cast<double>(lengths.size()));
    }
    return s;
  }
};

}  // namespace

SegmentLengths threshold_segments(std::span<const double> x) {
  SegmentCollector segments;
  const long n = static_cast<long>(x.size());
  if (n == 0) return {};
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const double levels[2] = {*lo + 0.25 * (*hi - *lo), *lo + 0.75 * (*hi - *lo)};
  const long min_length = std::max(2L, n / 100 - 1);
  long last = -min_length / 2;
  double running = 0.0, previous = 0.0;
  for (long i = 0; i < n; ++i) {
    running += x[static_cast<std::size_t>(i)];
    if (i >= 3) running -= x[static_cast<std::size_t>(i - 3)];
    const double mean = running / static_cast<double>(std::min(i + 1, 3L));
    bool crossed = false;
    for (const double level : levels)
      crossed = crossed || (mean > level && previous <= level) || (mean < level && previous >= level);
    previous = mean;
    if (crossed && i - last > min_length) {
      segments.lengths.push_back(i - last);
      last = i;
    }
  }
  return segments.stats();
}

SegmentLengths nonzero_segments(std::span<const double> x) {
  constexpr int kMinSegment = 3, kMinPause = 2;
  SegmentCollector segments;
  enum { Pause, Candidate, Segment } state = Pause;
  int run = 0, gap = 0;
  long start = 0;
  const long n = static_cast<long>(x.size());
  for (long i = 0; i < n; ++i) {
    if (x[static_cast<std::size_t>(i)] != 0.0) {
      if (state == Candidate) {
        gap = 0;
        if (++run >= kMinSegment) run = 0, state = Segment;
      } else if (state == Pause) {
        ++run, start = i, state = Candidate;
      } else {
        gap = 0;
      }
    } else if (state == Segment) {
      run = 0;
      if (++gap >= kMinPause) {
        segments.lengths.push_back(i - gap - start);  // openSMILE's length convention
        gap = 0, state = Pause;
      }
    } else if (state == Candidate) {
      if (++gap >= kMinPause) gap = 0, run = 0, state = Pause;
    }
  }
  if (state == Segment) segments.lengths.push_back(n - (gap + 1) - start);
  return segments.stats();
}

ContourLpc contour_lpc(std::span<const double> x) {
  constexpr int kOrder = 5;
  ContourLpc out;
  double r[kOrder + 1] = {};
  for (int lag = 0; lag <= kOrder; ++lag)
    for (std::size_t i = static_cast<std::size_t>(lag); i < x.size(); ++i) r[lag] += x[i] * x[i - static_cast<std::size_t>(lag)];
  if (r[0] == 0.0) return out;
  const std::vector<double> a = levinson(r, kOrder);
  double error = r[0];
  for (int k = 0; k < kOrder; ++k) error += a[static_cast<std::size_t>(k)] * r[k + 1];
  out.gain = error / static_cast<double>(x.size());
  std::copy(a.begin(), a.end(), out.coefficients.begin());
  return out;
}

double rise_fraction(std::span<const double> x) {
  if (x.size() < 2) return 0.0;
  int rises = 0;
  for (std::size_t i = 1; i < x.size(); ++i) rises += x[i - 1] < x[i];
  return rises / static_cast<double>(x.size() - 1);
}

double left_curvature_fraction(std::span<const double> x) {
  if (x.size() < 3) return 0.0;
  int left = 0;
  for (std::size_t i = 1; i + 1 < x.size(); ++i) left += (x[i] - x[i - 1]) < (x[i + 1] - x[i]);
  return left / static_cast<double>(x.size() - 2);
}

double flatness(std::span<const double> x) {
  if (x.empty()) return 1.0;
  double abs_sum = 0, log_sum = 0;
  int nonzero = 0;
  for (double v : x) {
    abs_sum += std::fabs(v);
    if (v != 0.0) log_sum += std::log(std::fabs(v)), ++nonzero;
  }
  const double abs_mean = abs_sum / static_cast<double>(x.size());
  if (abs_mean == 0.0) return 1.0;
  return std::exp(nonzero > 0 ? log_sum / nonzero : 0.0) / abs_mean;
}

double positive_mean(std::span<const double> x) {
  double sum = 0;
  int count = 0;
  for (double v : x)
    if (v > 0) sum += v, ++count;
  return count > 0 ? sum / count : 0.0;
}

double root_mean_square(std::span<const double> x) {
  if (x.empty()) return 0.0;
  double sq = 0;
  for (double v : x) sq += v * v;
  return std::sqrt(sq / static_cast<double>(x.size()));
}

double nonzero_fraction(std::span<const double> x) {
  if (x.empty()) return 0.0;
  return static_cast<double>(std::count_if(x.begin(), x.end(), [](double v) { return v != 0.0; })) / static_cast<double>(x.size());
}

}  // namespace seraug
