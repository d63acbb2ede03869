#include "seraug/features/functionals.hpp"

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
  double sq = 0.0;
  for (int t = 0; t < s.length; ++t) {
    const double r = x[static_cast<std::size_t>(t)] - (s.slope * t + s.offset);
    sq += r * r;
  }
  s.line_mse = sq / n;
  return s;
}

namespace {

constexpr std::array<FunctionalDef, 12> kFunctionals{{
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
}};

}  // namespace

std::span<const FunctionalDef> all_functionals() { return kFunctionals; }

const FunctionalDef& functional(std::string_view name) {
  for (const auto& f : kFunctionals)
    if (f.name == name) return f;
  throw Error("unknown functional '" + std::string(name) + "'");
}

}  // namespace seraug
