// Functionals: statistics that map one contour (T values over an utterance) to one
// number. They are one table of name -> function over a ContourAnalysis, which gathers
// in one pass the summary most functionals need (and the rest on demand), so a set with
// many functionals still visits each contour only a few times.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seraug/features/contour_functionals.hpp"
#include "seraug/features/contour_stats.hpp"

namespace seraug {

struct ContourSummary {
  int length = 0;
  double max = 0, min = 0, mean = 0;
  int max_pos = 0, min_pos = 0;        // frame index of the first max / min
  double stddev = 0, skewness = 0, kurtosis = 0;  // population moments; 0 if constant
  double slope = 0, offset = 0;        // least-squares line y = slope * t + offset
  double line_mse = 0;                 // mean squared error of that line
  double line_mae = 0;                 // mean absolute error of that line
};

// Throws seraug::Error for an empty contour.
ContourSummary summarize(std::span<const double> contour);

// Options of the functionals that openSMILE's sets configure differently. Every set
// uses the one table below; where a name means different things in different sets'
// openSMILE configurations, the difference is an option here, never a second table.
struct FunctionalOptions {
  enum class Positions { Frames, Fraction };
  // maxPos / minPos: frame index (IS09, IS10) or index / contour length (ComParE).
  Positions positions = Positions::Frames;
  // linregc1, linregc2, linregerrQ: unset = the summary's plain least-squares line in
  // units per frame (IS09, IS10); set = regression() with these options (ComParE:
  // range-normalised values, slopes per second or per frame). qreg* and centroid always
  // use regression(), with these options or the defaults.
  std::optional<RegressionOptions> regression;
  // The set's percentile list: openSMILE names a percentile range by positions in it
  // ("pctlrange0-1": list[1] - list[0]). IS10, ComParE: 1 % and 99 %; eGeMAPS: 20, 50, 80 %.
  std::vector<double> percentiles = {0.01, 0.99};
  // meanRisingSlope etc.: Peaks = between the peaks and valleys of openSMILE's Peaks2
  // (relative threshold 0.1; ComParE); TurningPoints = between successive turning points
  // 10 % of the range apart (eGeMAPS, contour_stats' slope_stats).
  enum class Slopes { Peaks, TurningPoints };
  Slopes slopes = Slopes::Peaks;
  double frame_seconds = 0.01;  // frame period: segment lengths, peak distances, slopes per second
};

// Everything the functionals read from one contour. The summary is computed at once,
// the rest (regression, segments, peaks, LPC, ...) on first use, so a set that asks for
// a few functionals pays for those only. Owns a copy of the contour.
class ContourAnalysis {
 public:
  ContourAnalysis(std::span<const double> contour, const FunctionalOptions& options);  // throws for an empty contour

  const FunctionalOptions& options() const { return options_; }
  const ContourSummary& summary() const { return summary_; }
  // Linear interpolation between the sorted values around p (n - 1), p in [0, 1].
  double percentile(double p) const;
  // Fraction of frames above min + level * (max - min) (openSMILE's upleveltime).
  double fraction_above(double level) const;
  const Regression& regression() const;
  const SegmentLengths& segments() const;  // threshold segments
  const PeakStats& peaks() const;
  const ContourLpc& lpc() const;
  double rise() const;
  double left_curvature() const;
  double flatness() const;
  double positive_mean() const;
  double rms() const;
  const SlopeStats& turning_point_slopes() const;

 private:
  std::vector<double> x_;
  FunctionalOptions options_;
  ContourSummary summary_;
  // Sorted on first use: most sets' functionals (IS09's all) need no order statistics.
  const std::vector<double>& sorted() const;
  mutable std::optional<std::vector<double>> sorted_;
  mutable std::optional<Regression> regression_;
  mutable std::optional<SegmentLengths> segments_;
  mutable std::optional<PeakStats> peaks_;
  mutable std::optional<ContourLpc> lpc_;
  mutable std::optional<SlopeStats> turning_point_slopes_;
};

struct FunctionalDef {
  std::string_view name;  // openSMILE's suffix, e.g. "linregc1"
  double (*value)(const ContourAnalysis&);
};

// The functionals seraug knows, in a fixed order: one table for every feature set.
std::span<const FunctionalDef> all_functionals();
// Throws seraug::Error naming the unknown functional.
const FunctionalDef& functional(std::string_view name);

// A set's list of functionals with its options, resolved once.
class FunctionalList {
 public:
  FunctionalList(std::span<const std::string_view> names, const FunctionalOptions& options);
  FunctionalList(const std::vector<std::string>& names, const FunctionalOptions& options);

  std::size_t size() const { return defs_.size(); }
  const FunctionalOptions& options() const { return options_; }
  // Appends size() values of `contour`; all 0 for an empty contour (a pitch-gated
  // contour of a wholly unvoiced input).
  void append(std::span<const double> contour, std::vector<double>& out) const;
  // The same with options known only per contour (e.g. the frame period of the input).
  void append(std::span<const double> contour, const FunctionalOptions& options, std::vector<double>& out) const;
  // The same from an analysis made with this list's options.
  void append(const ContourAnalysis& analysis, std::vector<double>& out) const;
  // The values into `out` (size() of them).
  void write(const ContourAnalysis& analysis, std::span<double> out) const;

 private:
  std::vector<const FunctionalDef*> defs_;
  FunctionalOptions options_;
};

}  // namespace seraug
