#include "seraug/features/functionals.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "seraug/common/error.hpp"

namespace seraug {

ContourSummary summarize(std::span<const double> x) {
  if (x.empty()) throw Error("cannot summarise an empty contour");
  ContourSummary s;
  s.length = static_cast<int>(x.size());
  s.max = s.min = x[0];
  double sum = 0.0, weighted = 0.0;
  for (int t = 0; t < s.length; ++t) {
    const double v = x[static_cast<std::size_t>(t)];
    if (v > s.max) { s.max = v; s.max_pos = t; }
    if (v < s.min) { s.min = v; s.min_pos = t; }
    sum += v;
    weighted += t * v;
  }
  const double n = s.length;
  s.mean = sum / n;

  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (const double v : x) {
    const double d = v - s.mean, d2 = d * d;
    m2 += d2; m3 += d2 * d; m4 += d2 * d2;
  }
  m2 /= n; m3 /= n; m4 /= n;
  s.stddev = std::sqrt(m2);
  if (m2 > 0.0) {
    s.skewness = m3 / (m2 * s.stddev);
    s.kurtosis = m4 / (m2 * m2);
  }

  // Least squares over t = 0..n-1 in closed form.
  const double t_mean = (n - 1.0) / 2.0;
  const double t_var_sum = n * (n * n - 1.0) / 12.0;  // sum (t - t_mean)^2
  s.slope = t_var_sum > 0.0 ? (weighted - n * t_mean * s.mean) / t_var_sum : 0.0;
  s.offset = s.mean - s.slope * t_mean;
  double sq = 0.0, abs = 0.0;
  for (int t = 0; t < s.length; ++t) {
    const double r = x[static_cast<std::size_t>(t)] - (s.slope * t + s.offset);
    sq += r * r;
    abs += std::fabs(r);
  }
  s.line_mse = sq / n;
  s.line_mae = abs / n;
  s.sorted.assign(x.begin(), x.end());
  std::sort(s.sorted.begin(), s.sorted.end());
  return s;
}

double ContourSummary::percentile(double p) const {
  const double at = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at)), above = static_cast<std::size_t>(std::ceil(at));
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double ContourSummary::fraction_above(double level) const {
  const double threshold = min + level * (max - min);
  const auto above = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), threshold);
  return static_cast<double>(above) / static_cast<double>(sorted.size());
}

namespace {

constexpr std::array<FunctionalDef, 24> kFunctionals{{
    {"max", [](const ContourSummary& s) { return s.max; }},
    {"min", [](const ContourSummary& s) { return s.min; }},
    {"range", [](const ContourSummary& s) { return s.max - s.min; }},
    {"maxPos", [](const ContourSummary& s) { return double(s.max_pos); }},
    {"minPos", [](const ContourSummary& s) { return double(s.min_pos); }},
    {"amean", [](const ContourSummary& s) { return s.mean; }},
    {"linregc1", [](const ContourSummary& s) { return s.slope; }},
    {"linregc2", [](const ContourSummary& s) { return s.offset; }},
    {"linregerrQ", [](const ContourSummary& s) { return s.line_mse; }},
    {"stddev", [](const ContourSummary& s) { return s.stddev; }},
    {"skewness", [](const ContourSummary& s) { return s.skewness; }},
    {"kurtosis", [](const ContourSummary& s) { return s.kurtosis; }},
    {"linregerrA", [](const ContourSummary& s) { return s.line_mae; }},
    {"quartile1", [](const ContourSummary& s) { return s.percentile(0.25); }},
    {"quartile2", [](const ContourSummary& s) { return s.percentile(0.50); }},
    {"quartile3", [](const ContourSummary& s) { return s.percentile(0.75); }},
    {"iqr1-2", [](const ContourSummary& s) { return s.percentile(0.50) - s.percentile(0.25); }},
    {"iqr2-3", [](const ContourSummary& s) { return s.percentile(0.75) - s.percentile(0.50); }},
    {"iqr1-3", [](const ContourSummary& s) { return s.percentile(0.75) - s.percentile(0.25); }},
    {"percentile1.0", [](const ContourSummary& s) { return s.percentile(0.01); }},
    {"percentile99.0", [](const ContourSummary& s) { return s.percentile(0.99); }},
    // openSMILE names a percentile range by positions in its percentile list; the
    // sets here list 1 % and 99 %, so range 0-1 spans those two.
    {"pctlrange0-1", [](const ContourSummary& s) { return s.percentile(0.99) - s.percentile(0.01); }},
    {"upleveltime75", [](const ContourSummary& s) { return s.fraction_above(0.75); }},
    {"upleveltime90", [](const ContourSummary& s) { return s.fraction_above(0.90); }},
}};

}  // namespace

std::span<const FunctionalDef> all_functionals() { return kFunctionals; }

const FunctionalDef& functional(std::string_view name) {
  for (const auto& f : kFunctionals)
    if (f.name == name) return f;
  throw Error("unknown functional '" + std::string(name) + "'");
}

}  // namespace seraug
