#include "seraug/features/functionals.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "seraug/common/error.hpp"
#include "seraug/features/contour_stats.hpp"

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
  return s;
}

ContourAnalysis::ContourAnalysis(std::span<const double> contour, const FunctionalOptions& options)
    : x_(contour.begin(), contour.end()), options_(options), summary_(summarize(contour)) {}

const std::vector<double>& ContourAnalysis::sorted() const {
  if (!sorted_) {
    sorted_ = x_;
    sort_values(*sorted_);
  }
  return *sorted_;
}

double ContourAnalysis::percentile(double p) const {
  const std::vector<double>& v = sorted();
  const double at = p * static_cast<double>(v.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at)), above = static_cast<std::size_t>(std::ceil(at));
  return v[below] + (at - static_cast<double>(below)) * (v[above] - v[below]);
}

double ContourAnalysis::fraction_above(double level) const {
  const std::vector<double>& v = sorted();
  const double threshold = summary_.min + level * (summary_.max - summary_.min);
  const auto above = v.end() - std::upper_bound(v.begin(), v.end(), threshold);
  return static_cast<double>(above) / static_cast<double>(v.size());
}

const Regression& ContourAnalysis::regression() const {
  if (!regression_) regression_ = seraug::regression(x_, options_.regression.value_or(RegressionOptions{}));
  return *regression_;
}
const SegmentLengths& ContourAnalysis::segments() const {
  if (!segments_) segments_ = threshold_segments(x_);
  return *segments_;
}
const PeakStats& ContourAnalysis::peaks() const {
  if (!peaks_) peaks_ = peak_stats(x_, options_.frame_seconds);
  return *peaks_;
}
const ContourLpc& ContourAnalysis::lpc() const {
  if (!lpc_) lpc_ = contour_lpc(x_);
  return *lpc_;
}
double ContourAnalysis::rise() const { return rise_fraction(x_); }
double ContourAnalysis::left_curvature() const { return left_curvature_fraction(x_); }
double ContourAnalysis::flatness() const { return seraug::flatness(x_); }
double ContourAnalysis::positive_mean() const { return seraug::positive_mean(x_); }
double ContourAnalysis::rms() const { return root_mean_square(x_); }
const SlopeStats& ContourAnalysis::turning_point_slopes() const {
  if (!turning_point_slopes_) turning_point_slopes_ = slope_stats(x_, 0.1, options_.frame_seconds);
  return *turning_point_slopes_;
}

namespace {

using A = ContourAnalysis;

double position(const A& a, int frame) {
  return a.options().positions == FunctionalOptions::Positions::Fraction ? frame / double(a.summary().length) : double(frame);
}
double pctl(const A& a, double p) { return a.percentile(p); }

// The range between positions `low` and `high` of the set's percentile list.
double percentile_range(const A& a, std::size_t low, std::size_t high) {
  const std::vector<double>& list = a.options().percentiles;
  if (high >= list.size()) throw Error("pctlrange" + std::to_string(low) + "-" + std::to_string(high) + ": the set's percentile list has " +
                                       std::to_string(list.size()) + " entries");
  return pctl(a, list[high]) - pctl(a, list[low]);
}

bool uses_turning_points(const A& a) { return a.options().slopes == FunctionalOptions::Slopes::TurningPoints; }

const FunctionalDef kFunctionals[] = {
    // Extremes
    {"max", [](const A& a) { return a.summary().max; }},
    {"min", [](const A& a) { return a.summary().min; }},
    {"range", [](const A& a) { return a.summary().max - a.summary().min; }},
    {"maxPos", [](const A& a) { return position(a, a.summary().max_pos); }},
    {"minPos", [](const A& a) { return position(a, a.summary().min_pos); }},
    // Means
    {"amean", [](const A& a) { return a.summary().mean; }},
    {"flatness", [](const A& a) { return a.flatness(); }},
    {"posamean", [](const A& a) { return a.positive_mean(); }},
    {"rqmean", [](const A& a) { return a.rms(); }},
    // Regression
    {"linregc1", [](const A& a) { return a.options().regression ? a.regression().linear_slope : a.summary().slope; }},
    {"linregc2", [](const A& a) { return a.options().regression ? a.regression().linear_offset : a.summary().offset; }},
    {"linregerrA", [](const A& a) { return a.summary().line_mae; }},
    {"linregerrQ", [](const A& a) { return a.options().regression ? a.regression().linear_mse : a.summary().line_mse; }},
    {"qregc1", [](const A& a) { return a.regression().quad_a; }},
    {"qregc2", [](const A& a) { return a.regression().quad_b; }},
    {"qregc3", [](const A& a) { return a.regression().quad_c; }},
    {"qregerrQ", [](const A& a) { return a.regression().quad_mse; }},
    {"centroid", [](const A& a) { return a.regression().centroid; }},
    // Moments
    {"stddev", [](const A& a) { return a.summary().stddev; }},
    {"stddevNorm", [](const A& a) { return a.summary().mean != 0.0 ? a.summary().stddev / a.summary().mean : 0.0; }},
    {"skewness", [](const A& a) { return a.summary().skewness; }},
    {"kurtosis", [](const A& a) { return a.summary().kurtosis; }},
    // Percentiles; a range is named by positions in the set's percentile list.
    {"quartile1", [](const A& a) { return pctl(a, 0.25); }},
    {"quartile2", [](const A& a) { return pctl(a, 0.50); }},
    {"quartile3", [](const A& a) { return pctl(a, 0.75); }},
    {"iqr1-2", [](const A& a) { return pctl(a, 0.50) - pctl(a, 0.25); }},
    {"iqr2-3", [](const A& a) { return pctl(a, 0.75) - pctl(a, 0.50); }},
    {"iqr1-3", [](const A& a) { return pctl(a, 0.75) - pctl(a, 0.25); }},
    {"percentile1.0", [](const A& a) { return pctl(a, 0.01); }},
    {"percentile99.0", [](const A& a) { return pctl(a, 0.99); }},
    {"percentile20.0", [](const A& a) { return pctl(a, 0.20); }},
    {"percentile50.0", [](const A& a) { return pctl(a, 0.50); }},
    {"percentile80.0", [](const A& a) { return pctl(a, 0.80); }},
    {"pctlrange0-1", [](const A& a) { return percentile_range(a, 0, 1); }},
    {"pctlrange0-2", [](const A& a) { return percentile_range(a, 0, 2); }},
    // Times
    {"upleveltime25", [](const A& a) { return a.fraction_above(0.25); }},
    {"upleveltime50", [](const A& a) { return a.fraction_above(0.50); }},
    {"upleveltime75", [](const A& a) { return a.fraction_above(0.75); }},
    {"upleveltime90", [](const A& a) { return a.fraction_above(0.90); }},
    {"risetime", [](const A& a) { return a.rise(); }},
    {"leftctime", [](const A& a) { return a.left_curvature(); }},
    // Segments (seconds)
    {"meanSegLen", [](const A& a) { return a.segments().mean * a.options().frame_seconds; }},
    {"maxSegLen", [](const A& a) { return a.segments().max * a.options().frame_seconds; }},
    {"minSegLen", [](const A& a) { return a.segments().min * a.options().frame_seconds; }},
    {"segLenStddev", [](const A& a) { return a.segments().stddev * a.options().frame_seconds; }},
    // LPC of the contour
    {"lpgain", [](const A& a) { return a.lpc().gain; }},
    {"lpc0", [](const A& a) { return a.lpc().coefficients[0]; }},
    {"lpc1", [](const A& a) { return a.lpc().coefficients[1]; }},
    {"lpc2", [](const A& a) { return a.lpc().coefficients[2]; }},
    {"lpc3", [](const A& a) { return a.lpc().coefficients[3]; }},
    {"lpc4", [](const A& a) { return a.lpc().coefficients[4]; }},
    // Peaks
    {"meanPeakDist", [](const A& a) { return a.peaks().mean_distance; }},
    {"peakDistStddev", [](const A& a) { return a.peaks().distance_stddev; }},
    {"peakRangeAbs", [](const A& a) { return a.peaks().range_abs; }},
    {"peakRangeRel", [](const A& a) { return a.peaks().range_rel; }},
    {"peakMeanAbs", [](const A& a) { return a.peaks().mean_abs; }},
    {"peakMeanMeanDist", [](const A& a) { return a.peaks().mean_minus_contour_mean; }},
    {"peakMeanRel", [](const A& a) { return a.peaks().mean_rel; }},
    {"minRangeRel", [](const A& a) { return a.peaks().valley_range_rel; }},
    // Slopes (units per second)
    {"meanRisingSlope", [](const A& a) { return uses_turning_points(a) ? a.turning_point_slopes().rising.mean : a.peaks().rising_mean; }},
    {"stddevRisingSlope", [](const A& a) { return uses_turning_points(a) ? a.turning_point_slopes().rising.stddev : a.peaks().rising_stddev; }},
    {"meanFallingSlope", [](const A& a) { return uses_turning_points(a) ? a.turning_point_slopes().falling.mean : a.peaks().falling_mean; }},
    {"stddevFallingSlope", [](const A& a) { return uses_turning_points(a) ? a.turning_point_slopes().falling.stddev : a.peaks().falling_stddev; }},
};

}  // namespace

std::span<const FunctionalDef> all_functionals() { return kFunctionals; }

const FunctionalDef& functional(std::string_view name) {
  for (const auto& f : kFunctionals)
    if (f.name == name) return f;
  throw Error("unknown functional '" + std::string(name) + "'");
}

FunctionalList::FunctionalList(std::span<const std::string_view> names, const FunctionalOptions& options) : options_(options) {
  for (const auto name : names) defs_.push_back(&functional(name));
}

FunctionalList::FunctionalList(const std::vector<std::string>& names, const FunctionalOptions& options) : options_(options) {
  for (const auto& name : names) defs_.push_back(&functional(name));
}

void FunctionalList::append(const ContourAnalysis& analysis, std::vector<double>& out) const {
  for (const auto* f : defs_) out.push_back(f->value(analysis));
}
void FunctionalList::write(const ContourAnalysis& analysis, std::span<double> out) const {
  if (out.size() != defs_.size()) throw Error("functionals: " + std::to_string(defs_.size()) + " values, room for " + std::to_string(out.size()));
  for (std::size_t i = 0; i < defs_.size(); ++i) out[i] = defs_[i]->value(analysis);
}

void FunctionalList::append(std::span<const double> contour, std::vector<double>& out) const { append(contour, options_, out); }

void FunctionalList::append(std::span<const double> contour, const FunctionalOptions& options, std::vector<double>& out) const {
  if (contour.empty()) {
    out.insert(out.end(), defs_.size(), 0.0);
    return;
  }
  append(ContourAnalysis(contour, options), out);
}

}  // namespace seraug
