// eGeMAPS's functionals: the set's contour rows (which LLD, which frames, which
// functionals from the shared table) and its temporal features; see gemaps.hpp.
#include <algorithm>
#include <cmath>
#include <map>

#include "seraug/features/contour_stats.hpp"
#include "seraug/features/contours.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/gemaps.hpp"
#include "seraug/features/whole_utterance.hpp"

namespace seraug {

// ---------------------------------------------------------------------------------
// Functionals: the set's definition as a table
// ---------------------------------------------------------------------------------

namespace {

enum class Frames { All, Voiced, Unvoiced };  // which frames of the LLD enter the contour

struct Contour {
  std::string name;  // e.g. "F0semitoneFrom27.5Hz_sma3nz"
  GemapsLld lld;
  Frames frames;
  bool pitch_grid;   // lives on the 60 ms grid (joined with F0)
  bool nonzero;      // "nz": smoothing and statistics skip zero frames
};

// The functionals of a contour row, by their names in the shared table (functionals.hpp),
// with eGeMAPS's options (see gemaps_options).
const std::vector<std::string_view> kFullFunctionals = {
    "amean", "stddevNorm", "percentile20.0", "percentile50.0", "percentile80.0", "pctlrange0-2",
    "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope", "stddevFallingSlope"};
const std::vector<std::string_view> kMeanAndVariation = {"amean", "stddevNorm"};
const std::vector<std::string_view> kMeanOnly = {"amean"};

struct ContourRow {
  Contour contour;
  const std::vector<std::string_view>* functionals;
};

const std::vector<ContourRow>& contour_rows() {
  static const std::vector<ContourRow> rows = {
      {{"F0semitoneFrom27.5Hz_sma3nz", kF0Semitone, Frames::All, true, true}, &kFullFunctionals},
      {{"loudness_sma3", kLoudness, Frames::All, false, false}, &kFullFunctionals},
      {{"spectralFlux_sma3", kSpectralFlux, Frames::All, false, false}, &kMeanAndVariation},
      {{"mfcc1_sma3", kMfcc1, Frames::All, false, false}, &kMeanAndVariation},
      {{"mfcc2_sma3", kMfcc2, Frames::All, false, false}, &kMeanAndVariation},
      {{"mfcc3_sma3", kMfcc3, Frames::All, false, false}, &kMeanAndVariation},
      {{"mfcc4_sma3", kMfcc4, Frames::All, false, false}, &kMeanAndVariation},
      {{"jitterLocal_sma3nz", kJitter, Frames::All, true, true}, &kMeanAndVariation},
      {{"shimmerLocaldB_sma3nz", kShimmer, Frames::All, true, true}, &kMeanAndVariation},
      {{"HNRdBACF_sma3nz", kHnr, Frames::All, true, true}, &kMeanAndVariation},
      {{"logRelF0-H1-H2_sma3nz", kH1H2, Frames::All, true, true}, &kMeanAndVariation},
      {{"logRelF0-H1-A3_sma3nz", kH1A3, Frames::All, true, true}, &kMeanAndVariation},
      {{"F1frequency_sma3nz", kF1Freq, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"F1bandwidth_sma3nz", kF1Bandwidth, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"F1amplitudeLogRelF0_sma3nz", kF1Amplitude, Frames::All, true, true}, &kMeanAndVariation},
      {{"F2frequency_sma3nz", kF2Freq, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"F2bandwidth_sma3nz", kF2Bandwidth, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"F2amplitudeLogRelF0_sma3nz", kF2Amplitude, Frames::All, true, true}, &kMeanAndVariation},
      {{"F3frequency_sma3nz", kF3Freq, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"F3bandwidth_sma3nz", kF3Bandwidth, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"F3amplitudeLogRelF0_sma3nz", kF3Amplitude, Frames::All, true, true}, &kMeanAndVariation},
      {{"alphaRatioV_sma3nz", kAlphaRatio, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"hammarbergIndexV_sma3nz", kHammarberg, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"slopeV0-500_sma3nz", kSlope0To500, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"slopeV500-1500_sma3nz", kSlope500To1500, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"spectralFluxV_sma3nz", kSpectralFlux, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"mfcc1V_sma3nz", kMfcc1, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"mfcc2V_sma3nz", kMfcc2, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"mfcc3V_sma3nz", kMfcc3, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"mfcc4V_sma3nz", kMfcc4, Frames::Voiced, true, true}, &kMeanAndVariation},
      {{"alphaRatioUV_sma3nz", kAlphaRatio, Frames::Unvoiced, true, true}, &kMeanOnly},
      {{"hammarbergIndexUV_sma3nz", kHammarberg, Frames::Unvoiced, true, true}, &kMeanOnly},
      {{"slopeUV0-500_sma3nz", kSlope0To500, Frames::Unvoiced, true, true}, &kMeanOnly},
      {{"slopeUV500-1500_sma3nz", kSlope500To1500, Frames::Unvoiced, true, true}, &kMeanOnly},
      {{"spectralFluxUV_sma3nz", kSpectralFlux, Frames::Unvoiced, true, true}, &kMeanOnly},
  };
  return rows;
}

// The temporal features: statistics of whole contours (zero frames included) with names
// of their own, after the contour rows.
enum class Temporal {
  PeaksPerSecond, VoicedPerSecond, VoicedMeanSeconds, VoicedStdSeconds, UnvoicedMeanSeconds, UnvoicedStdSeconds,
  EquivalentSoundLevel
};

struct TemporalFeature {
  std::string name;
  Contour contour;
  Temporal kind;
};

const std::vector<TemporalFeature>& temporal_features() {
  static const std::vector<TemporalFeature> features = [] {
    const Contour pitch = contour_rows()[0].contour, loudness = contour_rows()[1].contour;
    const Contour energy{"energy", kFrameEnergy, Frames::All, false, false};
    using enum Temporal;
    return std::vector<TemporalFeature>{
        {"loudnessPeaksPerSec", loudness, PeaksPerSecond},
        {"VoicedSegmentsPerSec", pitch, VoicedPerSecond},
        {"MeanVoicedSegmentLengthSec", pitch, VoicedMeanSeconds},
        {"StddevVoicedSegmentLengthSec", pitch, VoicedStdSeconds},
        {"MeanUnvoicedSegmentLength", pitch, UnvoicedMeanSeconds},
        {"StddevUnvoicedSegmentLength", pitch, UnvoicedStdSeconds},
        {"equivalentSoundLevel_dBp", energy, EquivalentSoundLevel},
    };
  }();
  return features;
}

// openSMILE's eGeMAPS functionals: percentiles 20, 50 and 80 (so pctlrange0-2 spans 20
// to 80), and slopes between the turning points of the non-zero values.
FunctionalOptions gemaps_options(double frame_seconds) {
  FunctionalOptions o;
  o.percentiles = {0.2, 0.5, 0.8};
  o.slopes = FunctionalOptions::Slopes::TurningPoints;
  o.frame_seconds = frame_seconds;
  return o;
}

// Centred 3-frame moving average (the ends average the frames they have); with
// `nonzero`, over non-zero frames only.
std::vector<double> smooth3(const std::vector<double>& x, bool nonzero, bool smooth) {
  if (!smooth) return x;
  if (nonzero) return smooth3_nonzero(x);
  const int n = static_cast<int>(x.size());
  std::vector<double> y(x.size(), 0.0);
  for (int t = 0; t < n; ++t) {
    double sum = 0.0;
    const int first = std::max(0, t - 1), last = std::min(n - 1, t + 1);
    for (int k = first; k <= last; ++k) sum += x[static_cast<std::size_t>(k)];
    y[static_cast<std::size_t>(t)] = sum / (last - first + 1);
  }
  return y;
}

std::vector<double> select_contour(const GemapsLlds& llds, const Contour& c) {
  const int frames = c.pitch_grid ? llds.pitch_frames : llds.values.frames;
  std::vector<double> x(static_cast<std::size_t>(frames));
  for (int t = 0; t < frames; ++t) {
    const double v = llds.values.at(t, c.lld);
    const bool voiced = t < llds.pitch_frames && llds.values.at(t, kF0Semitone) > 1e-6;
    const bool keep = c.frames == Frames::All || (c.frames == Frames::Voiced) == voiced;
    x[static_cast<std::size_t>(t)] = keep ? v : 0.0;
  }
  return smooth3(x, c.nonzero, c.lld != kFrameEnergy);
}

double segment_stat(const std::vector<int>& runs, bool mean, double frame_seconds) {
  std::vector<double> seconds;
  for (int r : runs) seconds.push_back(r * frame_seconds);
  const MeanStddev ms = mean_and_stddev(seconds);
  return mean ? ms.mean : ms.stddev;
}

double temporal_value(const std::vector<double>& contour, Temporal kind, double frame_seconds) {
  const double duration = contour.size() * frame_seconds;
  switch (kind) {
    case Temporal::PeaksPerSecond: return turning_points(contour, 0.1).maxima.size() / duration;
    case Temporal::VoicedPerSecond: return run_lengths(contour, true).size() / duration;
    case Temporal::VoicedMeanSeconds: return segment_stat(run_lengths(contour, true), true, frame_seconds);
    case Temporal::VoicedStdSeconds: return segment_stat(run_lengths(contour, true), false, frame_seconds);
    case Temporal::UnvoicedMeanSeconds: return segment_stat(run_lengths(contour, false), true, frame_seconds);
    case Temporal::UnvoicedStdSeconds: return segment_stat(run_lengths(contour, false), false, frame_seconds);
    case Temporal::EquivalentSoundLevel: return 10.0 * std::log10(std::max(mean_and_stddev(contour).mean, 1e-20));
  }
  return 0.0;
}

// The values the functionals see: with "nz", the non-zero frames only.
std::vector<double> functional_input(const std::vector<double>& contour, const Contour& c) {
  if (!c.nonzero) return contour;
  std::vector<double> values;
  for (double v : contour)
    if (v != 0.0) values.push_back(v);
  return values;
}

}  // namespace

const std::vector<std::string>& gemaps_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& row : contour_rows())
      for (const auto f : *row.functionals) n.push_back(row.contour.name + "_" + std::string(f));
    for (const auto& t : temporal_features()) n.push_back(t.name);
    return n;
  }();
  return names;
}

std::vector<double> gemaps_functionals(const GemapsLlds& llds) {
  const FunctionalOptions options = gemaps_options(llds.frame_seconds);
  std::map<std::string, std::vector<double>> contours;  // each contour prepared once
  const auto contour_of = [&](const Contour& c) -> const std::vector<double>& {
    auto it = contours.find(c.name);
    if (it == contours.end()) it = contours.emplace(c.name, select_contour(llds, c)).first;
    return it->second;
  };
  std::vector<double> out;
  out.reserve(gemaps_names().size());
  // The rows' functional lists, resolved by name once.
  static const std::vector<FunctionalList> lists = [] {
    std::vector<FunctionalList> l;
    for (const auto& row : contour_rows()) l.emplace_back(*row.functionals, FunctionalOptions{});
    return l;
  }();
  for (std::size_t i = 0; i < contour_rows().size(); ++i) {
    const ContourRow& row = contour_rows()[i];
    lists[i].append(functional_input(contour_of(row.contour), row.contour), options, out);
  }
  for (const auto& t : temporal_features()) out.push_back(temporal_value(contour_of(t.contour), t.kind, llds.frame_seconds));
  return out;
}

std::shared_ptr<const FeaturePipeline> gemaps_pipeline() {
  using Pipeline = WholeUtterancePipeline<GemapsLlds>;
  return std::make_shared<const Pipeline>(Pipeline::Steps{gemaps_llds, gemaps_names, gemaps_functionals, [](const GemapsLlds& l) { return l.values; }});
}

}  // namespace seraug
