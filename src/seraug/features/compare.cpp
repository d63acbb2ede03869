#include "seraug/features/compare.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>
#include <string_view>

#include "seraug/common/error.hpp"
#include "seraug/features/whole_utterance.hpp"
#include "seraug/features/auditory_spectrum.hpp"
#include "seraug/features/contour_functionals.hpp"
#include "seraug/features/frame_analysis.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/llds.hpp"
#include "seraug/features/pitch_shs.hpp"
#include "seraug/features/voice_analysis.hpp"

namespace seraug {
using namespace compare_layout;

namespace {

// Parameter values as in openSMILE's ComParE_2016 configuration.
constexpr double kStepSeconds = 0.010;
constexpr double kShortFrameSeconds = 0.020;  // energy, spectra, MFCC (Hamming)
constexpr double kLongFrameSeconds = 0.060;   // pitch, voice quality (Gaussian), ZCR
constexpr double kVoicingEnergyFloor = 0.001; // RMS of the Gaussian-windowed frame
constexpr double kMelFloor = 9.3e-10;         // cPlp's floor before the log
constexpr double kRastaLowHz = 1.0, kRastaHighHz = 29.0;
constexpr int kRastaWarmupFrames = 5;         // RASTA output is 0 until then
constexpr double kLogHnrFloor = -100.0;       // also the value of unvoiced frames
// openSMILE's contour levels are shorter than our frame counts for the same input: the
// pitch level by one frame and the level joining the 20 ms and 60 ms descriptors by
// two (192 and 193 frames for 2 s, read from its positions and frame fractions).
constexpr int kPitchShortfall = 1, kSpectralShortfall = 2;


// ---------------------------------------------------------------------------------
// Frame-level descriptors
// ---------------------------------------------------------------------------------

// cSpectral's descriptors of one power spectrum over bins 1..N-1 (DC excluded).
class SpectralDescriptors {
 public:
  explicit SpectralDescriptors(const FrameGeometry& g) : bin_hz_(g.rate_hz / g.fft_size), bins_(g.fft_size / 2 + 1) {
    bands_ = {band(250.0, 650.0), band(1000.0, 4000.0)};
    extrema_.resize(static_cast<std::size_t>(bins_));  // harmonicity's scratch, one per bin at most
    sharpness_weight_.resize(static_cast<std::size_t>(bins_));
    for (int j = 0; j < bins_; ++j) {
      const double f = j * bin_hz_;
      const double z = 26.81 * f / (1960.0 + f) - 0.53;  // Traunmueller's Bark scale
      sharpness_weight_[static_cast<std::size_t>(j)] = z * (z < 16.0 ? 1.0 : 0.066 * std::exp(0.171 * z));
    }
  }

  // p: the frame's power spectrum (its magnitude squared, in double), which
  // spectral_llds has computed already.
  void compute(std::span<const float> magnitude, const std::vector<double>& p, double* row) {
    const int n = bins_;
    const double used = n - 1;  // bins 1..n-1
    double total = 0, weighted = 0, sum_f = 0, sum_ff = 0, sharp = 0;
    for (int j = 1; j < n; ++j) {
      const double f = j * bin_hz_, v = p[static_cast<std::size_t>(j)];
      total += v, weighted += f * v, sum_f += f, sum_ff += f * f, sharp += sharpness_weight_[static_cast<std::size_t>(j)] * v;
    }
    for (std::size_t b = 0; b < bands_.size(); ++b) row[kBand250To650 + static_cast<int>(b)] = band_energy(p, bands_[b]) / used;
    roll_off(p, total, row);
    // Flux: RMS change of the magnitude spectrum since the previous frame (0 for the first).
    double flux = 0;
    if (!previous_.empty()) {
      for (int j = 1; j < n; ++j) {
        const double d = magnitude[static_cast<std::size_t>(j)] - previous_[static_cast<std::size_t>(j)];
        flux += d * d;
      }
      flux = std::sqrt(flux / used);
    }
    previous_.assign(magnitude.begin(), magnitude.end());
    row[kFlux] = flux;

    const double centroid = total != 0.0 ? weighted / total : 0.0;
    row[kCentroid] = centroid;
    double entropy = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int j = 1; j < n; ++j) {
      const double v = p[static_cast<std::size_t>(j)];
      if (total > 0 && v > 0) entropy -= (v / total) * std::log2(v / total);
      const double d = j * bin_hz_ - centroid, w = d * d * v;
      m2 += w, m3 += w * d, m4 += w * d * d;
    }
    row[kEntropy] = entropy;
    const double variance = total != 0.0 ? m2 / total : 0.0;
    row[kVariance] = variance;
    row[kSkewness] = variance > 0.0 ? m3 / (total * variance * std::sqrt(variance)) : 0.0;
    row[kKurtosis] = variance > 0.0 ? m4 / (total * variance * variance) : 0.0;
    // Least-squares slope of power against frequency, times (N - 1) as openSMILE scales it.
    const double denominator = used * sum_ff - sum_f * sum_f;
    row[kSlope] = denominator != 0.0 ? (used * weighted - sum_f * total) / denominator * (used - 1.0) : 0.0;
    row[kSharpness] = total != 0.0 ? 0.11 * sharp / total : 0.0;
    row[kHarmonicity] = harmonicity(p) / used;
  }

 private:
  // Roll-off: the first frequency below which 25, 50, 75 and 90 % of the power lie. The
  // running sum never falls (powers are >= 0) and the shares rise, so the thresholds are
  // met in order and only the next one needs a test; the sum ends at `total` exactly (the
  // same additions in the same order), so every threshold is met.
  void roll_off(const std::vector<double>& p, double total, double* row) const {
    constexpr std::array<double, 4> kShares{0.25, 0.50, 0.75, 0.90};
    std::array<double, 4> roll{};
    double cumulative = 0;
    std::size_t next = 0;
    for (int j = 1; j < bins_ && next < kShares.size(); ++j) {
      cumulative += p[static_cast<std::size_t>(j)];
      while (next < kShares.size() && cumulative >= kShares[next] * total) roll[next++] = j * bin_hz_;
    }
    for (int i = 0; i < 4; ++i) row[kRollOff25 + i] = roll[static_cast<std::size_t>(i)];
  }

  struct Band {
    int left, right;
    double left_weight, right_weight;
  };

  // Bins and edge weights of a rectangular band, with cSpectral's rounding.
  Band band(double low, double high) const {
    Band b{};
    int i = 0;
    while (i < bins_ && i * bin_hz_ <= low) ++i;
    b.left_weight = (i < bins_ && i > 0) ? (i * bin_hz_ - low) / bin_hz_ : 1.0;
    b.left = std::max(0, i - 1);
    i = 0;
    while (i < bins_ && i * bin_hz_ < high) ++i;
    b.right_weight = (i < bins_ && i > 0) ? (high - (i - 1) * bin_hz_) / bin_hz_ : 1.0;
    b.right = std::min(bins_ - 1, (i < bins_ && i * bin_hz_ == high) ? i : i - 1);
    if (b.left_weight == 0.0) b.left_weight = 1.0;
    if (b.right_weight == 0.0) b.right_weight = 1.0;
    return b;
  }

  static double band_energy(const std::vector<double>& p, const Band& b) {
    double sum = p[static_cast<std::size_t>(b.left)] * b.left_weight;
    for (int j = b.left + 1; j < b.right; ++j) sum += p[static_cast<std::size_t>(j)];
    return sum + p[static_cast<std::size_t>(b.right)] * b.right_weight;
  }

  // Half the summed height differences between successive local extrema (each
  // dominating two bins on either side). Extrema sit at random bins, so a branch per bin
  // mispredicts; their bins are gathered without branches first, then summed in order.
  double harmonicity(const std::vector<double>& p) {
    const auto at = [&](int k) { return p[static_cast<std::size_t>(k)]; };
    std::size_t count = 0;
    for (int j = 3; j < bins_ - 2; ++j) {
      const bool peak = (at(j - 2) < at(j)) & (at(j - 1) < at(j)) & (at(j) > at(j + 1)) & (at(j) > at(j + 2));
      const bool dip = (at(j - 2) > at(j)) & (at(j - 1) > at(j)) & (at(j) < at(j + 1)) & (at(j) < at(j + 2));
      extrema_[count] = j;
      count += static_cast<std::size_t>(peak | dip);
    }
    double sum = 0;
    for (std::size_t i = 1; i < count; ++i) sum += std::fabs(at(extrema_[i]) - at(extrema_[i - 1]));
    return sum / 2.0;
  }

  double bin_hz_;
  int bins_;
  std::vector<Band> bands_;
  std::vector<double> sharpness_weight_;
  std::vector<float> previous_;
  std::vector<int> extrema_;  // harmonicity's scratch: bins of the local extrema
};

// cPlp's "new" RASTA band-pass on the log band powers (pole at 1 Hz, zeros shaped for a
// 29 Hz upper edge), one transposed direct-form filter per band; the recursive part and
// the output start after kRastaWarmupFrames frames.
class RastaFilter {
 public:
  RastaFilter(int bands, double frame_seconds) : state_(static_cast<std::size_t>(bands)) {
    pole_ = 1.0 - std::sin(2.0 * std::numbers::pi * kRastaLowHz * frame_seconds);
    const double om = std::cos(2.0 * std::numbers::pi * kRastaHighHz * frame_seconds);
    const double norm = std::sqrt(10.0 * (32.0 * om * om + 8.0));
    b_ = {2.0 / norm, -4.0 * om / norm, 0.0, 4.0 * om / norm, -2.0 / norm};
  }

  // Filters one frame of log band powers in place.
  void filter(double* x) {
    const bool warm = frames_ >= kRastaWarmupFrames;
    for (std::size_t i = 0; i < state_.size(); ++i) {
      auto& s = state_[i];
      const double in = x[i], out = b_[0] * in + s[0];
      s[0] = b_[1] * in + s[1] + (warm ? pole_ * out : 0.0);
      s[1] = b_[2] * in + s[2];
      s[2] = b_[3] * in + s[3];
      s[3] = b_[4] * in;
      x[i] = warm ? out : 0.0;
    }
    if (!warm) ++frames_;
  }

 private:
  std::vector<std::array<double, 4>> state_;
  std::array<double, 5> b_{};
  double pole_ = 0;
  int frames_ = 0;
};

// The raw frame's RMS.
double rms(const float* x, int n) {
  double e = 0.0;
  for (int i = 0; i < n; ++i) e += static_cast<double>(x[i]) * x[i];
  return std::sqrt(e / n);
}

// The all-frames group: auditory and RASTA spectra, energy, ZCR, spectral descriptors
// and MFCC of `frames` 20 ms Hamming frames (ZCR over 60 ms frames).
ContourMatrix spectral_llds(std::span<const float> signal, const FrameGeometry& short_g, const FrameGeometry& long_g, int frames) {
  ContourMatrix out{frames, kSpectralCount, std::vector<double>(static_cast<std::size_t>(frames) * kSpectralCount, 0.0)};
  FrameAnalysis short_frame(short_g, 0.0, WindowKind::Hamming);
  const auto mfcc = make_lld(LldSpec{LldKind::Mfcc, "mfcc", MfccParams{26, 20.0, 8000.0, 1, kMfccCount, 22.0, true}}, short_g);
  const AuditorySpectrum auditory(short_g, kBands);
  RastaFilter rasta(kBands, kStepSeconds);
  SpectralDescriptors spectral(short_g);
  std::vector<double> power(static_cast<std::size_t>(short_g.fft_size / 2 + 1)), bands(kBands), filtered(kBands);
  std::vector<double> log_equal_loudness(kBands);
  for (int b = 0; b < kBands; ++b) log_equal_loudness[static_cast<std::size_t>(b)] = std::log(auditory.equal_loudness(b));
  for (int t = 0; t < frames; ++t) {
    double* row = out.values.data() + static_cast<std::size_t>(t) * kSpectralCount;
    const float* frame = signal.data() + static_cast<std::size_t>(t) * short_g.step_samples;
    short_frame.load(frame);
    const auto magnitude = short_frame.magnitude();
    for (std::size_t k = 0; k < power.size(); ++k) power[k] = static_cast<double>(magnitude[k]) * magnitude[k];
    auditory.band_powers(power, bands.data());
    double plain = 0.0, rasta_sum = 0.0;
    for (int b = 0; b < kBands; ++b) {
      const double floored = std::max(bands[static_cast<std::size_t>(b)], kMelFloor);
      plain += auditory.compressed(b, floored);
      filtered[static_cast<std::size_t>(b)] = std::log(floored);
    }
    // RASTA works on log powers; the equal-loudness weight and compression follow in
    // the log domain and exp() returns to the auditory spectrum.
    rasta.filter(filtered.data());
    for (int b = 0; b < kBands; ++b) {
      const double v = std::exp(AuditorySpectrum::kCompression * (filtered[static_cast<std::size_t>(b)] + log_equal_loudness[static_cast<std::size_t>(b)]));
      row[kRasta0 + b] = v;
      rasta_sum += v;
    }
    row[kAudspecSum] = plain;
    row[kRastaSum] = rasta_sum;
    row[kRmsEnergy] = rms(frame, short_g.frame_samples);
    row[kZcr] = zero_crossing_rate(signal.data() + static_cast<std::size_t>(t) * long_g.step_samples, long_g.frame_samples);
    spectral.compute(magnitude, power, row);
    mfcc->compute(short_frame, row + kMfcc1);
  }

  return out;
}

// The magnitude spectra of the last `frames` frames kept, by frame index (a ring).
class RecentMagnitudes {
 public:
  RecentMagnitudes(std::size_t frames, std::size_t bins) : bins_(bins), values_(frames * bins), owner_(frames, -1) {}

  void keep(int t, std::span<const float> magnitude) {
    const std::size_t slot = slot_of(t);
    std::copy(magnitude.begin(), magnitude.end(), values_.begin() + static_cast<std::ptrdiff_t>(slot * bins_));
    owner_[slot] = t;
  }
  // Throws if frame t was never kept or has been overwritten since.
  std::span<const float> of(int t) const {
    const std::size_t slot = slot_of(t);
    if (owner_[slot] != t) throw Error("ComParE voice: frame " + std::to_string(t) + "'s spectrum is no longer kept");
    return {values_.data() + slot * bins_, bins_};
  }

 private:
  std::size_t slot_of(int t) const { return static_cast<std::size_t>(t) % owner_.size(); }

  std::size_t bins_;
  std::vector<float> values_;  // slot after slot, bins_ values each
  std::vector<int> owner_;     // the frame each slot holds (-1: none yet)
};

// The pitch-gated group over 60 ms Gaussian frames: F0 and voicing, and where voiced,
// jitter, shimmer and log HNR.
ContourMatrix voice_llds(std::span<const float> signal, double rate_hz, const FrameGeometry& long_g, int long_frames, int pitch_frames) {
  ContourMatrix out{pitch_frames, kVoiceCount, std::vector<double>(static_cast<std::size_t>(pitch_frames) * kVoiceCount, 0.0)};
  ShsParams shs;
  shs.lowest_hz = 25.0;
  shs.min_pitch_hz = 52.0;
  shs.max_pitch_hz = 620.0;
  ViterbiWeights weights;
  weights.buffer_frames = 30;
  // The HNR's autocorrelation comes from the pitch chain's own spectrum of each frame
  // (the same Gaussian frames): the recent frames' magnitudes wait until the search has
  // fixed their F0, so voiced frames are not windowed and transformed again.
  RecentMagnitudes recent(static_cast<std::size_t>(pitch_decision_lag(weights) + 1), static_cast<std::size_t>(long_g.fft_size / 2 + 1));
  std::vector<double> hnr_db(static_cast<std::size_t>(std::max(0, pitch_frames)), 0.0);
  FrameAnalysis acf_frame(long_g, 0.0, WindowKind::Gaussian);
  PitchFrameHooks hooks;
  hooks.loaded = [&](int t, FrameAnalysis& loaded) { recent.keep(t, loaded.magnitude()); };
  hooks.decided = [&](int t, double f0) {
    if (t < pitch_frames && f0 > 0.0) hnr_db[static_cast<std::size_t>(t)] = acf_hnr_db(acf_frame.autocorrelation_of(recent.of(t)), rate_hz, f0);
  };
  const PitchTrack pitch = gated_viterbi_pitch(signal, long_g, long_frames, shs, weights, kVoicingEnergyFloor, hooks);
  for (int t = 0; t < pitch_frames; ++t) {
    double* row = out.values.data() + static_cast<std::size_t>(t) * kVoiceCount;
    const double f0 = pitch.f0[static_cast<std::size_t>(t)];
    row[kF0] = f0;
    row[kVoicing] = pitch.voicing[static_cast<std::size_t>(t)];
    row[kLogHnr] = kLogHnrFloor;
    if (f0 <= 0.0) continue;
    const float* frame = signal.data() + static_cast<std::size_t>(t) * long_g.step_samples;
    const JitterShimmer js = jitter_shimmer({frame, static_cast<std::size_t>(long_g.frame_samples)}, rate_hz, f0, 0.25, 0.5);
    row[kJitterLocal] = js.jitter_local;
    row[kJitterDdp] = js.jitter_ddp;
    row[kShimmerLocal] = js.shimmer_local;
    // openSMILE's logHNR is ln(harmonic RMS / noise RMS); from the autocorrelation HNR
    // (a power ratio in dB) that is dB * ln(10) / 20.
    row[kLogHnr] = std::max(kLogHnrFloor, hnr_db[static_cast<std::size_t>(t)] * std::numbers::ln10 / 20.0);
  }
  return out;
}

}  // namespace

CompareLlds compare_llds(std::span<const float> signal, double rate_hz) {
  const FrameGeometry short_g = frame_geometry(rate_hz, kShortFrameSeconds, kStepSeconds);
  const FrameGeometry long_g = frame_geometry(rate_hz, kLongFrameSeconds, kStepSeconds);
  const int long_frames = frame_count(signal.size(), long_g);
  const int pitch_frames = long_frames - kPitchShortfall;
  const int frames = std::min(frame_count(signal.size(), short_g), long_frames - kSpectralShortfall);
  if (frames < 1)
    throw Error("too short: " + std::to_string(signal.size()) + " samples; ComParE needs at least " +
                std::to_string(long_g.frame_samples + kSpectralShortfall * long_g.step_samples) + " samples");
  CompareLlds out;
  out.frame_seconds = kStepSeconds;
  out.spectral = spectral_llds(signal, short_g, long_g, frames);
  out.voice = voice_llds(signal, rate_hz, long_g, long_frames, pitch_frames);
  return out;
}

}  // namespace seraug
