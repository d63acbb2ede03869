#include "seraug/features/gemaps.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>

#include "seraug/common/error.hpp"
#include "seraug/features/whole_utterance.hpp"
#include "seraug/features/auditory_spectrum.hpp"
#include "seraug/features/contour_stats.hpp"
#include "seraug/features/frame_analysis.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/llds.hpp"
#include "seraug/features/pitch_shs.hpp"
#include "seraug/features/voice_analysis.hpp"

namespace seraug {
namespace {

// ---------------------------------------------------------------------------------
// Frame-level descriptors
// ---------------------------------------------------------------------------------

constexpr double kStepSeconds = 0.010;
constexpr double kShortFrameSeconds = 0.020;  // energy and spectral descriptors
constexpr double kLongFrameSeconds = 0.060;   // pitch and voice quality
constexpr double kVoicingEnergyFloor = 0.001; // RMS of the Gaussian-windowed frame
constexpr double kFormantRateHz = 11000.0;    // LPC formant analysis bandwidth (x2)
constexpr int kLpcOrder = 11;
constexpr double kFloorDb = -201.0;           // openSMILE's "no value" level

// Spectral shape of the 0-5 kHz power spectrum: alpha ratio and Hammarberg index (dB),
// slopes of the dB spectrum (dB/Hz) in two bands, and spectral flux (squared distance
// between consecutive magnitude spectra).
class SpectralShape {
 public:
  explicit SpectralShape(const FrameGeometry& g) : bin_hz_(g.rate_hz / g.fft_size) {}

  void compute(std::span<const double> power, double* row) {
    double low_sum = 0, high_sum = 0, low_max = 0, high_max = 0;
    const std::size_t top = std::min(power.size(), bin(5000.0) + 1);
    for (std::size_t k = 0; k < top; ++k) {
      const double f = k * bin_hz_, p = power[k];
      if (f >= 50.0 && f < 1000.0) low_sum += p;
      if (f >= 1000.0 && f <= 5000.0) high_sum += p;
      if (f < 2000.0) low_max = std::max(low_max, p);
      else high_max = std::max(high_max, p);
    }
    constexpr double kTiny = 1e-30;
    row[kAlphaRatio] = 10.0 * std::log10((high_sum + kTiny) / (low_sum + kTiny));
    row[kHammarberg] = 10.0 * std::log10((low_max + kTiny) / (high_max + kTiny));
    row[kSlope0To500] = db_slope(power, 0.0, 500.0);
    row[kSlope500To1500] = db_slope(power, 500.0, 1500.0);
    // Flux: Euclidean distance between consecutive magnitude spectra (0-5 kHz).
    double flux = 0.0;
    if (!previous_.empty())
      for (std::size_t k = 0; k < top; ++k) {
        const double d = std::sqrt(power[k]) - previous_[k];
        flux += d * d;
      }
    previous_.resize(top);
    for (std::size_t k = 0; k < top; ++k) previous_[k] = std::sqrt(power[k]);
    row[kSpectralFlux] = std::sqrt(flux);
  }

 private:
  std::size_t bin(double hz) const { return static_cast<std::size_t>(std::floor(hz / bin_hz_)); }

  // Least-squares slope of 10 log10(power) against frequency over [from, to] Hz.
  double db_slope(std::span<const double> power, double from, double to) const {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (std::size_t k = 0; k < power.size(); ++k) {
      const double f = k * bin_hz_;
      if (f < from || f > to) continue;
      const double y = 10.0 * std::log10(power[k] + 1e-30);
      sx += f, sy += y, sxx += f * f, sxy += f * y;
      ++n;
    }
    const double d = n * sxx - sx * sx;
    return (n >= 2 && d > 0) ? (n * sxy - sx * sy) / d : 0.0;
  }

  double bin_hz_;
  std::vector<double> previous_;
};

// Formants by 11th-order LPC of the frame resampled to 11 kHz, as openSMILE computes
// them (ResampledLpc: for a 20 ms frame the LPC sees bins up to ~4.7 kHz and an empty
// band up to 5.5 kHz), with its A(z) = 2 root convention.
class FormantAnalysis {
 public:
  explicit FormantAnalysis(const FrameGeometry& g) : lpc_(g.frame_samples, g.fft_size, g.rate_hz, kFormantRateHz, kLpcOrder) {}

  Formants operator()(std::span<const std::complex<float>> spectrum) {
    const std::vector<double> a = lpc_(spectrum);
    if (a.empty()) return {};
    return lpc_formants(a, lpc_.rate_hz(), 50.0, 5450.0, FormantRoots::OpenSmile);
  }

 private:
  ResampledLpc lpc_;
};

double semitones_from_27_5(double f0) {
  if (f0 <= 0.0) return 0.0;
  return f0 > 29.136 ? 12.0 * std::log2(f0 / 27.5) : 1.0;
}

// The analyses of the two frame grids, kept for the whole signal (their buffers are
// reused frame after frame).
class GemapsFrames {
 public:
  GemapsFrames(std::span<const float> signal, double rate_hz)
      : signal_(signal),
        rate_hz_(rate_hz),
        short_g_(frame_geometry(rate_hz, kShortFrameSeconds, kStepSeconds)),
        long_g_(frame_geometry(rate_hz, kLongFrameSeconds, kStepSeconds)),
        short_frame_(short_g_, 0.0, WindowKind::Hamming),
        long_frame_(long_g_, 0.0, WindowKind::Gaussian),
        mfcc_(make_lld(LldSpec{LldKind::Mfcc, "mfcc", MfccParams{26, 20.0, 8000.0, 1, 4, 22.0, true}}, short_g_)),
        auditory_(short_g_),
        shape_(short_g_),
        formants_(short_g_),
        power_(static_cast<std::size_t>(short_g_.fft_size / 2 + 1)) {}

  const FrameGeometry& short_grid() const { return short_g_; }
  const FrameGeometry& long_grid() const { return long_g_; }

  // Pass 1, 20 ms Hamming frame t: everything that does not need F0.
  void spectral_descriptors(int t, double* r) {
    const float* frame = signal_.data() + static_cast<std::size_t>(t) * short_g_.step_samples;
    short_frame_.load(frame);
    double energy = 0.0;
    for (int i = 0; i < short_g_.frame_samples; ++i) energy += static_cast<double>(frame[i]) * frame[i];
    r[kFrameEnergy] = energy / short_g_.frame_samples;
    const auto mag = short_frame_.magnitude();
    for (std::size_t k = 0; k < power_.size(); ++k) power_[k] = static_cast<double>(mag[k]) * mag[k];
    r[kLoudness] = auditory_.loudness(power_);
    shape_.compute(power_, r);
    mfcc_->compute(short_frame_, r + kMfcc1);
  }

  // Pass 3: the F0-dependent descriptors of frame t, voiced at f0 Hz.
  void voice_descriptors(int t, double f0, double* r) {
    // Formants are only ever used in voiced frames, so only those pay for the LPC.
    short_frame_.load(signal_.data() + static_cast<std::size_t>(t) * short_g_.step_samples);
    const Formants fm = formants_(short_frame_.spectrum());
    r[kF0Semitone] = semitones_from_27_5(f0);
    const float* frame = signal_.data() + static_cast<std::size_t>(t) * long_g_.step_samples;
    const JitterShimmer js = jitter_shimmer({frame, static_cast<std::size_t>(long_g_.frame_samples)}, rate_hz_, f0);
    r[kJitter] = js.jitter_local;
    r[kShimmer] = js.shimmer_db;
    long_frame_.load(frame);
    r[kHnr] = acf_hnr_db(long_frame_.autocorrelation(), rate_hz_, f0);
    const Harmonics h = find_harmonics(long_frame_.magnitude(), rate_hz_ / long_g_.fft_size, f0);
    // openSMILE counts harmonics from H0 = F0, so its "H1-H2" compares the 2nd and
    // 3rd partials and "H1-A3" the 2nd partial and the strongest one near F3.
    const double h1 = h.level_db[1];
    r[kH1H2] = std::clamp(h1 - h.level_db[2], -201.0, 201.0);
    const int a3 = formant_harmonic(h, fm.freq[2]);
    r[kH1A3] = std::clamp(h1 - (a3 >= 0 ? h.level_db[static_cast<std::size_t>(a3)] : 201.0), -201.0, 201.0);
    const int amp_cols[3] = {kF1Amplitude, kF2Amplitude, kF3Amplitude};
    const int freq_cols[3] = {kF1Freq, kF2Freq, kF3Freq};
    const int bw_cols[3] = {kF1Bandwidth, kF2Bandwidth, kF3Bandwidth};
    for (int k = 0; k < 3; ++k) {
      const int idx = formant_harmonic(h, fm.freq[static_cast<std::size_t>(k)]);
      r[amp_cols[k]] = idx >= 0 ? h.level_db[static_cast<std::size_t>(idx)] : 0.0;
      r[freq_cols[k]] = fm.freq[static_cast<std::size_t>(k)];
      r[bw_cols[k]] = fm.bandwidth[static_cast<std::size_t>(k)];
    }
  }

 private:
  std::span<const float> signal_;
  double rate_hz_;
  FrameGeometry short_g_, long_g_;
  FrameAnalysis short_frame_, long_frame_;
  std::unique_ptr<LldComponent> mfcc_;
  AuditorySpectrum auditory_;
  SpectralShape shape_;
  FormantAnalysis formants_;
  std::vector<double> power_;
};

}  // namespace

GemapsLlds gemaps_llds(std::span<const float> signal, double rate_hz) {
  GemapsFrames frames(signal, rate_hz);
  const FrameGeometry& short_g = frames.short_grid();
  const FrameGeometry& long_g = frames.long_grid();
  const int short_frames = frame_count(signal.size(), short_g);
  const int long_frames = frame_count(signal.size(), long_g);
  if (long_frames == 0)
    throw Error("too short: " + std::to_string(signal.size()) + " samples; eGeMAPS needs at least one 60 ms frame (" +
                std::to_string(long_g.frame_samples) + " samples)");

  GemapsLlds out;
  out.frame_seconds = kStepSeconds;
  out.values = ContourMatrix{short_frames, kGemapsLldCount,
                             std::vector<double>(static_cast<std::size_t>(short_frames) * kGemapsLldCount, 0.0)};
  auto row = [&](int t) { return out.values.values.data() + static_cast<std::size_t>(t) * kGemapsLldCount; };
  for (int t = 0; t < short_frames; ++t) frames.spectral_descriptors(t, row(t));

  // Pass 2, 60 ms Gaussian frames: pitch candidates, then the Viterbi contour, gated
  // by frame energy.
  const std::vector<double> f0 = gated_viterbi_pitch(signal, long_g, long_frames, ShsParams{}, ViterbiWeights{}, kVoicingEnergyFloor).f0;

  // Pass 3: F0-dependent descriptors of the frames both grids share.
  const int shared = std::min(long_frames, short_frames);
  for (int t = 0; t < shared; ++t) {
    double* r = row(t);
    const double f = f0[static_cast<std::size_t>(t)];
    if (f > 0.0) frames.voice_descriptors(t, f, r);
    else r[kF1Amplitude] = r[kF2Amplitude] = r[kF3Amplitude] = kFloorDb;
  }
  out.pitch_frames = shared;
  return out;
}

}  // namespace seraug
