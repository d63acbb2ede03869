#include "seraug/features/is10.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "seraug/common/error.hpp"
#include "seraug/features/whole_utterance.hpp"
#include "seraug/features/frame_analysis.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/llds.hpp"
#include "seraug/features/pitch_shs.hpp"
#include "seraug/features/voice_analysis.hpp"

namespace seraug {
namespace {

// Parameter values as in openSMILE's IS10_paraling configuration.
constexpr double kStepSeconds = 0.010;
constexpr double kShortFrameSeconds = 0.025;
constexpr double kLongFrameSeconds = 0.060;
constexpr double kPitchWindowSigma = 0.25;
constexpr double kLspRateHz = 11000.0;
constexpr int kLspOrder = 8;
constexpr int kMfccCount = 15, kMelBands = 8;
// openSMILE's first LLD level ends two frames before its pitch level (191 of 193
// frames for 2 s at 10 ms; the level joins several inputs); matched so that
// positions and frame fractions agree.
constexpr int kAllFramesShortfall = 2;

// Columns of the two LLD groups, in openSMILE's order.
enum AllFramesLld : int { kLoudness = 0, kMfcc0 = 1, kLogMel0 = kMfcc0 + kMfccCount, kLsp0 = kLogMel0 + kMelBands,
                          kF0Envelope = kLsp0 + kLspOrder, kVoicing, kAllFramesCount };
enum VoicedLld : int { kF0Final = 0, kJitterLocal, kJitterDdp, kShimmerLocal, kVoicedCount };

std::vector<ContourName> all_frames_contours() {
  std::vector<ContourName> c{{"pcm_loudness", -1}};
  for (int i = 0; i < kMfccCount; ++i) c.push_back({"mfcc", i});
  for (int i = 0; i < kMelBands; ++i) c.push_back({"logMelFreqBand", i});
  for (int i = 0; i < kLspOrder; ++i) c.push_back({"lspFreq", i});
  c.push_back({"F0finEnv", -1});
  c.push_back({"voicingFinalUnclipped", -1});
  return c;
}

const std::vector<ContourName> kVoicedContours{{"F0final", -1}, {"jitterLocal", -1}, {"jitterDDP", -1}, {"shimmerLocal", -1}};

// The two functional lists (openSMILE's Extremes, Regression, Moments, Percentiles
// and Times components in their output order); the pitch-gated group has no 1st
// percentile and no percentile range.
const std::vector<std::string> kAllFramesFunctionals{
    "maxPos", "minPos", "amean", "linregc1", "linregc2", "linregerrA", "linregerrQ", "stddev", "skewness", "kurtosis",
    "quartile1", "quartile2", "quartile3", "iqr1-2", "iqr2-3", "iqr1-3", "percentile1.0", "percentile99.0",
    "pctlrange0-1", "upleveltime75", "upleveltime90"};
const std::vector<std::string> kVoicedFunctionals{
    "maxPos", "minPos", "amean", "linregc1", "linregc2", "linregerrA", "linregerrQ", "stddev", "skewness", "kurtosis",
    "quartile1", "quartile2", "quartile3", "iqr1-2", "iqr2-3", "iqr1-3", "percentile99.0", "upleveltime75", "upleveltime90"};

// openSMILE's narrow-band loudness approximation (cIntensity): (I / I0)^0.3 with
// I0 = 1e-6 and I meant as the Hamming-weighted mean square of the raw frame. openSMILE
// bounds its sum by the size of the output vector as well as the frame, and IS10 asks
// for loudness alone, so only the first sample counts: I = w[0] x[0]^2 / sum(w). We
// reproduce that, as IS10's values do: with the whole frame, maxima positions and
// kurtosis correlated 0.65 and 0.59 with openSMILE's; with the first sample 0.95, 0.98.
struct HammingWeights {
  double first;  // w[0]
  double sum;    // sum of w over the frame
};
double loudness(const float* frame, const HammingWeights& window) {
  const double intensity = window.first * static_cast<double>(frame[0]) * frame[0] / window.sum;
  return std::pow(intensity / 1e-6, 0.3);
}

// The "simple" post-smoothing of openSMILE's cPitchSmoother, as its documentation and
// behaviour describe it: a one-frame delay removes single-frame voiced blips and fills
// single-frame gaps, and an octave jump that lasts one frame is replaced by its
// neighbour. Input: the best candidate's F0 per frame (0 when its voicing is below the
// cutoff) and its voicing; output one frame shorter, frame k describing input frame k
// (the first frame only primes the delay, so output 0 carries no pitch or voicing).
struct SmoothedPitch {
  std::vector<double> f0, envelope, voicing;
};

SmoothedPitch smooth_pitch(const std::vector<double>& pitch, const std::vector<double>& voicing) {
  SmoothedPitch out;
  double previous = 0.0, previous_voicing = 0.0, envelope = 0.0;
  int onset = 0, octave = 0;  // +1 after a voicing onset / an upward jump, -1 after an offset / a downward jump
  for (std::size_t i = 1; i < pitch.size(); ++i) {
    const double p = pitch[i];
    if (previous == 0.0 && p > 0.0) onset = 1;
    if (previous > 0.0 && p == 0.0 && onset == 0) onset = -1;
    if ((previous > 0.0) == (p > 0.0)) onset = 0;
    if (p == 0.0 && onset == 1) previous = 0.0;       // a voiced frame alone: drop it
    else if (p > 0.0 && onset == -1) previous = p;     // an unvoiced frame alone: fill it
    bool doubling = false, halving = false;
    if (previous > 0.0 && p > 0.0) {
      const double ratio = previous / p;
      halving = ratio > 1.2;
      doubling = ratio < 0.8;
    }
    if ((doubling && octave == -1) || (halving && octave == 1)) previous = p;  // a one-frame octave excursion
    if (doubling) octave = 1;
    if (halving && onset == 0) octave = -1;
    if (!halving && !doubling) octave = 0;

    out.f0.push_back(previous);
    if (previous > 0.0) envelope = envelope == 0.0 ? previous : 0.75 * envelope + 0.25 * previous;
    out.envelope.push_back(envelope);
    out.voicing.push_back(previous_voicing);
    previous = p;
    previous_voicing = voicing[i];
  }
  return out;
}

// Pitch: SHS candidates on 60 ms Gaussian frames, the best one gated by voicing, then
// the simple smoother.
SmoothedPitch is10_pitch(std::span<const float> signal, const FrameGeometry& long_g, int long_frames) {
  FrameAnalysis long_frame(long_g, 0.0, WindowKind::Gaussian, kPitchWindowSigma);
  ShsParams shs_params;
  shs_params.lowest_hz = 20.0;
  shs_params.min_pitch_hz = 52.0;
  shs_params.max_pitch_hz = 620.0;
  ShsPitch shs(long_g, shs_params);
  std::vector<double> best(static_cast<std::size_t>(long_frames), 0.0), voicing(best);
  const auto frame_candidates = shs_candidates(signal, long_frames, long_frame, shs);
  for (int t = 0; t < long_frames; ++t) {
    const auto& candidates = frame_candidates[static_cast<std::size_t>(t)];
    if (candidates.empty()) continue;
    voicing[static_cast<std::size_t>(t)] = candidates.front().voicing;
    if (candidates.front().voicing > shs_params.voicing_cutoff) best[static_cast<std::size_t>(t)] = candidates.front().f0_hz;
  }
  return smooth_pitch(best, voicing);

}

// Jitter and shimmer of the voiced 60 ms frames, next to the smoothed F0.
ContourMatrix voiced_llds(std::span<const float> signal, double rate_hz, const FrameGeometry& long_g, int voiced_frames,
                          const SmoothedPitch& pitch) {
  ContourMatrix out{voiced_frames, kVoicedCount, std::vector<double>(static_cast<std::size_t>(voiced_frames) * kVoicedCount, 0.0)};
  for (int t = 0; t < voiced_frames; ++t) {
    double* row = out.values.data() + static_cast<std::size_t>(t) * kVoicedCount;
    const double f0 = pitch.f0[static_cast<std::size_t>(t)];
    row[kF0Final] = f0;
    if (f0 <= 0.0) continue;
    const float* frame = signal.data() + static_cast<std::size_t>(t) * long_g.step_samples;
    const JitterShimmer js = jitter_shimmer({frame, static_cast<std::size_t>(long_g.frame_samples)}, rate_hz, f0, 0.2, 0.5);
    row[kJitterLocal] = js.jitter_local;
    row[kJitterDdp] = js.jitter_ddp;
    row[kShimmerLocal] = js.shimmer_local;
  }

  return out;
}

// The all-frames group of `frames` 25 ms frames.
ContourMatrix all_frames_llds(std::span<const float> signal, double rate_hz, const FrameGeometry& short_g, int frames,
                              const SmoothedPitch& pitch) {
  // 25 ms frames: loudness on the raw frame (its first sample, see loudness()); MFCC,
  // mel bands and LSPs on the pre-emphasised Hamming-windowed one.
  FrameAnalysis short_frame(short_g, 0.97, WindowKind::Hamming);
  const auto mfcc = make_lld(LldSpec{LldKind::Mfcc, "mfcc", MfccParams{26, 20.0, 8000.0, 0, kMfccCount - 1, 22.0, true, 1.0, 1e-8, false}}, short_g);
  const auto mel = make_lld(LldSpec{LldKind::Mfcc, "logMelFreqBand", MfccParams{kMelBands, 20.0, 6500.0, 0, 0, 0.0, true, 1.0, 1e-12, true}}, short_g);
  ResampledLpc lpc(short_g.frame_samples, short_g.fft_size, rate_hz, kLspRateHz, kLspOrder);
  HammingWeights hamming{0.54 - 0.46, 0.0};
  for (int i = 0; i < short_g.frame_samples; ++i)
    hamming.sum += 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * i / (short_g.frame_samples - 1));
  ContourMatrix out{frames, kAllFramesCount, std::vector<double>(static_cast<std::size_t>(frames) * kAllFramesCount, 0.0)};
  for (int t = 0; t < frames; ++t) {
    double* row = out.values.data() + static_cast<std::size_t>(t) * kAllFramesCount;
    const float* frame = signal.data() + static_cast<std::size_t>(t) * short_g.step_samples;
    short_frame.load(frame);
    row[kLoudness] = loudness(frame, hamming);
    mfcc->compute(short_frame, row + kMfcc0);
    mel->compute(short_frame, row + kLogMel0);
    // A silent frame has A(z) = 1, whose line spectral frequencies are k pi / (p + 1).
    std::vector<double> a = lpc(short_frame.spectrum());
    if (a.empty()) a.assign(kLspOrder, 0.0);
    const std::vector<double> lsf = line_spectral_frequencies(a);
    std::copy(lsf.begin(), lsf.end(), row + kLsp0);
    row[kF0Envelope] = pitch.envelope[static_cast<std::size_t>(t)];
    row[kVoicing] = pitch.voicing[static_cast<std::size_t>(t)];
  }
  return out;
}

}  // namespace

Is10Llds is10_llds(std::span<const float> signal, double rate_hz) {
  const FrameGeometry short_g = frame_geometry(rate_hz, kShortFrameSeconds, kStepSeconds);
  const FrameGeometry long_g = frame_geometry(rate_hz, kLongFrameSeconds, kStepSeconds);
  const int short_frames = frame_count(signal.size(), short_g);
  const int long_frames = frame_count(signal.size(), long_g);
  const int voiced_frames = long_frames - 1;  // the pitch smoother's delay
  const int frames = std::min(short_frames, voiced_frames - kAllFramesShortfall);
  if (frames < 1)
    throw Error("too short: " + std::to_string(signal.size()) + " samples; IS10 needs at least " +
                std::to_string(long_g.frame_samples + (2 + kAllFramesShortfall) * long_g.step_samples) + " samples");
  const SmoothedPitch pitch = is10_pitch(signal, long_g, long_frames);
  Is10Llds out;
  out.frame_seconds = kStepSeconds;
  out.voiced = voiced_llds(signal, rate_hz, long_g, voiced_frames, pitch);
  out.all_frames = all_frames_llds(signal, rate_hz, short_g, frames, pitch);
  return out;
}

const std::vector<std::string>& is10_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (bool delta : {false, true})
      for (const auto& c : all_frames_contours())
        for (const auto& f : kAllFramesFunctionals) n.push_back(contour_name(c, delta) + "_" + f);
    for (bool delta : {false, true})
      for (const auto& c : kVoicedContours)
        for (const auto& f : kVoicedFunctionals) n.push_back(contour_name(c, delta) + "_" + f);
    n.push_back("F0final__Turn_onsetRate");
    n.push_back("F0final__Turn_duration");
    return n;
  }();
  return names;
}

std::vector<double> is10_functionals(const Is10Llds& llds) {
  // openSMILE's IS10 functionals: positions in frames, the plain least-squares line.
  static const FunctionalList all_frames_functionals(kAllFramesFunctionals, FunctionalOptions{}),
      voiced_functionals(kVoicedFunctionals, FunctionalOptions{});
  std::vector<double> out;
  out.reserve(is10_names().size());
  const ContourMatrix smooth = moving_average(llds.all_frames, 3);
  const ContourMatrix delta = delta_regression(smooth, 2);
  for (const ContourMatrix* m : {&smooth, &delta})
    for (int d = 0; d < m->dims; ++d) all_frames_functionals.append(column(*m, d), out);

  std::vector<std::vector<double>> voiced_smooth;
  for (int d = 0; d < llds.voiced.dims; ++d) {
    voiced_smooth.push_back(smooth3_nonzero(column(llds.voiced, d)));
  }
  const std::vector<std::vector<double>> voiced_delta = delta_in_segments(voiced_smooth, 2);
  const std::vector<std::vector<double>>* voiced_groups[] = {&voiced_smooth, &voiced_delta};
  for (const auto* group : voiced_groups)
    for (const auto& contour : *group) voiced_functionals.append(nonzero(contour), out);

  // Onsets (unvoiced -> voiced steps of the F0 contour, including a voiced start) per
  // second, and the contour's duration.
  const std::vector<double> f0 = column(llds.voiced, kF0Final);
  int onsets = 0;
  for (std::size_t t = 0; t < f0.size(); ++t)
    if (f0[t] > 0.0 && (t == 0 || f0[t - 1] <= 0.0)) ++onsets;
  const double seconds = static_cast<double>(f0.size()) * llds.frame_seconds;
  out.push_back(onsets / seconds);
  out.push_back(seconds);
  return out;
}

std::shared_ptr<const FeaturePipeline> is10_pipeline() {
  using Pipeline = WholeUtterancePipeline<Is10Llds>;
  return std::make_shared<const Pipeline>(Pipeline::Steps{is10_llds, is10_names, is10_functionals, [](const Is10Llds& l) { return l.all_frames; }});
}

}  // namespace seraug
