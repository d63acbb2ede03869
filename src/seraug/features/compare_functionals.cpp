// ComParE 2016's functionals: which functional lists apply to which contours, in
// openSMILE's output order; see compare.hpp.
#include <optional>
#include <string_view>

#include "seraug/common/error.hpp"
#include "seraug/features/compare.hpp"
#include "seraug/features/contour_functionals.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/whole_utterance.hpp"

namespace seraug {
using namespace compare_layout;

// ---------------------------------------------------------------------------------
// Functionals: the set's definition as tables
// ---------------------------------------------------------------------------------

namespace {

// The functional lists of the set's cFunctionals components, in output order.
// Spectral/energy contours: Extremes, Percentiles, Moments, Segments, Times and Lpc,
// then Means, Peaks2 and Regression (contours) or Means and Peaks2 (deltas).
const std::vector<std::string_view> kSharedFunctionals{
    "range", "maxPos", "minPos", "quartile1", "quartile2", "quartile3", "iqr1-2", "iqr2-3", "iqr1-3",
    "percentile1.0", "percentile99.0", "pctlrange0-1", "stddev", "skewness", "kurtosis", "meanSegLen",
    "maxSegLen", "minSegLen", "segLenStddev", "upleveltime25", "upleveltime50", "upleveltime75",
    "upleveltime90", "risetime", "leftctime", "lpgain", "lpc0", "lpc1", "lpc2", "lpc3", "lpc4"};
const std::vector<std::string_view> kPeakFunctionals{
    "meanPeakDist", "peakDistStddev", "peakRangeAbs", "peakRangeRel", "peakMeanAbs", "peakMeanMeanDist",
    "peakMeanRel", "minRangeRel", "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope", "stddevFallingSlope"};
const std::vector<std::string_view> kRegressionFunctionals{
    "linregc1", "linregc2", "linregerrQ", "qregc1", "qregc2", "qregc3", "qregerrQ", "centroid"};
// Pitch-gated contours (over their non-zero frames).
const std::vector<std::string_view> kVoicedFunctionals{
    "amean", "flatness", "posamean", "rqmean", "range", "maxPos", "minPos", "linregc1", "linregc2",
    "linregerrQ", "qregc1", "qregc2", "qregc3", "qregerrQ", "centroid", "quartile1", "quartile2",
    "quartile3", "iqr1-2", "iqr2-3", "iqr1-3", "percentile1.0", "percentile99.0", "pctlrange0-1",
    "stddev", "skewness", "kurtosis", "upleveltime25", "upleveltime50", "upleveltime75", "upleveltime90",
    "risetime", "leftctime", "lpgain", "lpc0", "lpc1", "lpc2", "lpc3", "lpc4"};

// What the two cFunctionals components shared by all spectral/energy contours add: for
// contours Means, Peaks2 and Regression, for deltas Means and Peaks2.
const std::vector<std::string_view>& contour_extras() {
  static const auto list = [] {
    std::vector<std::string_view> l{"amean", "flatness", "rqmean"};
    l.insert(l.end(), kPeakFunctionals.begin(), kPeakFunctionals.end());
    l.insert(l.end(), kRegressionFunctionals.begin(), kRegressionFunctionals.end());
    return l;
  }();
  return list;
}
const std::vector<std::string_view>& delta_extras() {
  static const auto list = [] {
    std::vector<std::string_view> l{"flatness", "posamean", "rqmean"};
    l.insert(l.end(), kPeakFunctionals.begin(), kPeakFunctionals.end());
    return l;
  }();
  return list;
}

// The functional lists resolved once, not by name for every contour. Their values come
// from analyses made with the contour group's options (see compare_functionals).
const FunctionalList& resolved(const std::vector<std::string_view>& names) {
  static const FunctionalList shared(kSharedFunctionals, {}), voiced(kVoicedFunctionals, {}), contour(contour_extras(), {}),
      delta(delta_extras(), {});
  if (&names == &kSharedFunctionals) return shared;
  if (&names == &kVoicedFunctionals) return voiced;
  if (&names == &contour_extras()) return contour;
  if (&names == &delta_extras()) return delta;
  throw Error("ComParE: functional list without statistics");
}

std::vector<ContourName> energy_contours() {
  return {{"audspec_lengthL1norm", -1}, {"audspecRasta_lengthL1norm", -1}, {"pcm_RMSenergy", -1}, {"pcm_zcr", -1}};
}
std::vector<ContourName> spectral_contours() {
  std::vector<ContourName> c;
  for (int i = 0; i < kBands; ++i) c.push_back({"audSpec_Rfilt", i});
  for (const char* n : {"pcm_fftMag_fband250-650", "pcm_fftMag_fband1000-4000", "pcm_fftMag_spectralRollOff25.0",
                        "pcm_fftMag_spectralRollOff50.0", "pcm_fftMag_spectralRollOff75.0", "pcm_fftMag_spectralRollOff90.0",
                        "pcm_fftMag_spectralFlux", "pcm_fftMag_spectralCentroid", "pcm_fftMag_spectralEntropy",
                        "pcm_fftMag_spectralVariance", "pcm_fftMag_spectralSkewness", "pcm_fftMag_spectralKurtosis",
                        "pcm_fftMag_spectralSlope", "pcm_fftMag_psySharpness", "pcm_fftMag_spectralHarmonicity"})
    c.push_back({n, -1});
  for (int i = 1; i <= kMfccCount; ++i) c.push_back({"mfcc", i});
  return c;
}
const std::vector<ContourName> kVoiceContours{{"F0final", -1}, {"voicingFinalUnclipped", -1}, {"jitterLocal", -1},
                                              {"jitterDDP", -1}, {"shimmerLocal", -1}, {"logHNR", -1}};
const std::vector<std::string_view> kF0SegmentFunctionals{"ff0_nnz", "ff0_meanSegLen", "ff0_maxSegLen", "ff0_minSegLen", "ff0_segLenStddev"};


// openSMILE concatenates its functional components' outputs in this order:
//  1. Extremes ... Lpc over the energy contours and their deltas, then the spectral
//     contours and their deltas (118 x 31);
//  2. the pitch-gated contours and their deltas (12 x 39), then the F0 segments (5);
//  3. Means, Peaks2, Regression over the 59 contours (x 23);
//  4. Means, Peaks2 over the 59 deltas (x 15).
// `visit(contour index, delta, functional list)` is called in that order; indices count
// the spectral columns, then kSpectralCount + the pitch-gated ones.
template <typename Visit>
void for_each_block(Visit visit) {
  for (const auto& [first, last] : {std::pair{0, int(kEnergyGroupCount)}, std::pair{int(kEnergyGroupCount), int(kSpectralCount)}})
    for (bool delta : {false, true})
      for (int d = first; d < last; ++d) visit(d, delta, kSharedFunctionals);
  for (bool delta : {false, true})
    for (int d = 0; d < kVoiceCount; ++d) visit(kSpectralCount + d, delta, kVoicedFunctionals);
  visit(int(kSpectralCount) + int(kF0), false, kF0SegmentFunctionals);
  for (int d = 0; d < kSpectralCount; ++d) visit(d, false, contour_extras());
  for (int d = 0; d < kSpectralCount; ++d) visit(d, true, delta_extras());
}

std::vector<ContourName> all_contour_names() {
  std::vector<ContourName> all = energy_contours();
  for (auto& c : spectral_contours()) all.push_back(std::move(c));
  for (const auto& c : kVoiceContours) all.push_back(c);
  return all;
}

}  // namespace

const std::vector<std::string>& compare_names() {
  static const std::vector<std::string> names = [] {
    const std::vector<ContourName> contours = all_contour_names();
    std::vector<std::string> n;
    for_each_block([&](int d, bool delta, const std::vector<std::string_view>& functionals) {
      for (const auto f : functionals) n.push_back(contour_name(contours[static_cast<std::size_t>(d)], delta) + "_" + std::string(f));
    });
    return n;
  }();
  return names;
}

std::vector<double> compare_functionals(const CompareLlds& llds) {
  const double T = llds.frame_seconds;
  // Slopes of the spectral/energy contours are per second, of the pitch-gated ones per
  // frame; both on the range-normalised value scale.
  const RegressionOptions per_second{true, 1.0 / T}, per_frame{true, 1.0};
  const auto options = [T](const RegressionOptions& regression) {
    FunctionalOptions o;
    o.positions = FunctionalOptions::Positions::Fraction;
    o.regression = regression;
    o.frame_seconds = T;
    return o;
  };
  const FunctionalOptions spectral_options = options(per_second), voice_options = options(per_frame);

  const ContourMatrix smooth = moving_average(llds.spectral, 3);
  const ContourMatrix delta = delta_regression(smooth, 2);
  std::vector<std::vector<double>> voice_smooth;
  for (int d = 0; d < llds.voice.dims; ++d) voice_smooth.push_back(smooth3_nonzero(column(llds.voice, d)));
  const std::vector<std::vector<double>> voice_delta = delta_in_segments(voice_smooth, 2);
  // Share of voiced frames and lengths of voiced segments over the whole F0 contour.
  const std::vector<double>& f0 = voice_smooth[kF0];
  const SegmentLengths segments = nonzero_segments(f0);
  const double f0_segments[] = {nonzero_fraction(f0), segments.mean * T, segments.max * T, segments.min * T, segments.stddev * T};

  // Where each block of the output starts, per contour (d, delta): a contour's blocks are
  // spread over the output, and it is analysed once for all of them, then dropped (one
  // contour's copies in memory at a time, not 130: a long file's peak memory).
  const std::size_t contours = static_cast<std::size_t>(kSpectralCount) + static_cast<std::size_t>(kVoiceCount);
  std::vector<std::vector<std::pair<std::size_t, const FunctionalList*>>> blocks(2 * contours);
  std::vector<double> out(compare_names().size(), 0.0);
  std::size_t at = 0;
  for_each_block([&](int d, bool is_delta, const std::vector<std::string_view>& functionals) {
    if (&functionals == &kF0SegmentFunctionals) {
      std::copy(std::begin(f0_segments), std::end(f0_segments), out.begin() + static_cast<std::ptrdiff_t>(at));
      at += std::size(f0_segments);
      return;
    }
    const FunctionalList& list = resolved(functionals);
    blocks[static_cast<std::size_t>(is_delta) * contours + static_cast<std::size_t>(d)].emplace_back(at, &list);
    at += list.size();
  });
  // Contour d's analysis; the pitch-gated ones see only their non-zero frames (none when
  // the recording is unvoiced: their blocks stay 0).
  const auto analyse = [&](int d, bool is_delta) -> std::optional<ContourAnalysis> {
    if (d < kSpectralCount) return ContourAnalysis(column(is_delta ? delta : smooth, d), spectral_options);
    const std::vector<double> kept = nonzero((is_delta ? voice_delta : voice_smooth)[static_cast<std::size_t>(d - kSpectralCount)]);
    if (kept.empty()) return std::nullopt;
    return ContourAnalysis(kept, voice_options);
  };
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].empty()) continue;
    if (const std::optional<ContourAnalysis> a = analyse(static_cast<int>(i % contours), i >= contours))
      for (const auto& [offset, list] : blocks[i]) list->write(*a, std::span<double>(out).subspan(offset, list->size()));
  }
  return out;
}

std::shared_ptr<const FeaturePipeline> compare_pipeline() {
  using Pipeline = WholeUtterancePipeline<CompareLlds>;
  return std::make_shared<const Pipeline>(Pipeline::Steps{compare_llds, compare_names, compare_functionals, [](const CompareLlds& l) { return l.spectral; }});
}

}  // namespace seraug
