#include "seraug/features/llds.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "seraug/common/error.hpp"

namespace seraug {

double hz_to_mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }

double zero_crossing_rate(const float* x, int n) {
  if (n < 3) return 0.0;
  // Counted without branches (a sign change is a coin toss per sample), so it vectorises.
  int crossings = 0;
  for (int i = 1; i < n - 1; ++i) {
    const bool touches_zero = (x[i] == 0.0f) & (x[i - 1] * x[i + 1] <= 0.0f);
    crossings += static_cast<int>(touches_zero | (x[i - 1] * x[i] < 0.0f));
  }
  return static_cast<double>(crossings) / n;
}

namespace {

class RmsEnergy final : public LldComponent {
 public:
  int size() const override { return 1; }
  void compute(FrameAnalysis& frame, double* out) override {
    const auto x = frame.windowed();
    double sum = 0.0;
    for (const float v : x) sum += static_cast<double>(v) * v;
    out[0] = std::sqrt(sum / static_cast<double>(x.size()));
  }
};

class ZeroCrossingRate final : public LldComponent {
 public:
  int size() const override { return 1; }
  void compute(FrameAnalysis& frame, double* out) override {
    const auto x = frame.raw();
    out[0] = zero_crossing_rate(x.data(), static_cast<int>(x.size()));
  }
};

// Mel filterbank on the magnitude spectrum, log, DCT-II, liftering, in HTK's conventions
// (magnitudes on the 16-bit sample scale, DCT scaled by sqrt(2/bands)).
class Mfcc final : public LldComponent {
 public:
  Mfcc(const MfccParams& p, const FrameGeometry& g) : p_(p) {
    if (p.bands < 2 || p.first < 0 || p.last < p.first || p.last >= p.bands)
      throw Error("MFCC: need 2+ bands and 0 <= first <= last < bands");
    build_filterbank(g);
    build_dct();
  }
  int size() const override { return p_.log_bands ? p_.bands : p_.last - p_.first + 1; }
  int array_index(int element) const override { return p_.log_bands ? element : p_.first + element; }

  void compute(FrameAnalysis& frame, double* out) override {
    const auto mag = frame.magnitude();
    for (int b = 0; b < p_.bands; ++b) {
      double energy = 0.0;
      const Band& band = bands_[static_cast<std::size_t>(b)];
      for (std::size_t i = 0; i < band.weights.size(); ++i) {
        const double m = mag[band.first_bin + i];
        energy += band.weights[i] * (p_.power ? m * m : m);
      }
      const double scale = p_.power ? p_.sample_scale * p_.sample_scale : p_.sample_scale;
      log_energy_[static_cast<std::size_t>(b)] = std::log(std::max(energy * scale, p_.log_floor));
    }
    if (p_.log_bands) {
      std::copy(log_energy_.begin(), log_energy_.end(), out);
      return;
    }
    for (int c = 0; c < size(); ++c) {
      const double* row = &dct_[static_cast<std::size_t>(c * p_.bands)];
      double sum = 0.0;
      for (int b = 0; b < p_.bands; ++b) sum += row[b] * log_energy_[static_cast<std::size_t>(b)];
      out[c] = sum;
    }
  }

 private:
  struct Band {
    std::size_t first_bin = 0;
    std::vector<double> weights;
  };

  void build_filterbank(const FrameGeometry& g) {
    const double nyquist = g.rate_hz / 2.0;
    const double high = std::min(p_.high_hz, nyquist);
    if (!(p_.low_hz >= 0.0 && p_.low_hz < high)) throw Error("MFCC: low edge must lie below the high edge and Nyquist");
    const double mel_low = hz_to_mel(p_.low_hz), mel_high = hz_to_mel(high);
    std::vector<double> centre(static_cast<std::size_t>(p_.bands + 2));
    for (int m = 0; m < p_.bands + 2; ++m) centre[static_cast<std::size_t>(m)] = mel_low + (mel_high - mel_low) * m / (p_.bands + 1);
    const int bins = g.fft_size / 2 + 1;
    bands_.resize(static_cast<std::size_t>(p_.bands));
    for (int b = 0; b < p_.bands; ++b) {
      const double left = centre[static_cast<std::size_t>(b)], mid = centre[static_cast<std::size_t>(b + 1)], right = centre[static_cast<std::size_t>(b + 2)];
      Band& band = bands_[static_cast<std::size_t>(b)];
      for (int k = 1; k < bins; ++k) {  // DC carries no speech and HTK skips it
        const double mel = hz_to_mel(k * g.rate_hz / g.fft_size);
        double w = 0.0;
        if (mel > left && mel < right) w = mel <= mid ? (mel - left) / (mid - left) : (right - mel) / (right - mid);
        if (w <= 0.0) continue;
        if (band.weights.empty()) band.first_bin = static_cast<std::size_t>(k);
        band.weights.resize(static_cast<std::size_t>(k) - band.first_bin + 1, 0.0);
        band.weights.back() = w;
      }
    }
    log_energy_.assign(static_cast<std::size_t>(p_.bands), 0.0);
  }

  void build_dct() {
    const int n = p_.bands;
    dct_.resize(static_cast<std::size_t>(size() * n));
    for (int c = 0; c < size(); ++c) {
      const int q = p_.first + c;
      const double lift = p_.lifter > 0 ? 1.0 + p_.lifter / 2.0 * std::sin(std::numbers::pi * q / p_.lifter) : 1.0;
      for (int b = 0; b < n; ++b)
        dct_[static_cast<std::size_t>(c * n + b)] = lift * std::sqrt(2.0 / n) * std::cos(std::numbers::pi * q * (b + 0.5) / n);
    }
  }

  MfccParams p_;
  std::vector<Band> bands_;
  std::vector<double> dct_;  // size() x bands, liftering folded in
  std::vector<double> log_energy_;
};

int shortest_pitch_lag(const PitchParams& p, const FrameGeometry& g) {
  return p.max_pitch_hz > 0 ? static_cast<int>(g.rate_hz / p.max_pitch_hz) : 0;
}

// Highest rising ACF peak at lags >= min_lag relative to the zero-lag energy: close to 1
// for periodic frames, small for noise. 0 for a silent frame.
double voicing_probability(std::span<const float> acf, int min_lag) {
  const int n = static_cast<int>(acf.size());
  double peak = acf[static_cast<std::size_t>(n - 1)];
  for (int i = std::max(min_lag, 1); i < n; ++i)
    if (acf[static_cast<std::size_t>(i)] > peak && acf[static_cast<std::size_t>(i - 1)] < acf[static_cast<std::size_t>(i)]) peak = acf[static_cast<std::size_t>(i)];
  return acf[0] > 0.0f ? peak / acf[0] : 0.0;
}

// First local cepstral peak beyond min_lag that reaches 60% of (maximum + mean |c|);
// 0 when there is none.
int cepstral_pitch_lag(std::span<const float> cep, int min_lag) {
  const int n = static_cast<int>(cep.size());
  double highest = cep[static_cast<std::size_t>(n - 1)], mean_abs = 0.0;
  for (int i = 0; i < n; ++i) {
    mean_abs += std::fabs(cep[static_cast<std::size_t>(i)]);
    if (i >= min_lag) highest = std::max<double>(highest, cep[static_cast<std::size_t>(i)]);
  }
  mean_abs /= n;
  const double threshold = 0.6 * (highest + mean_abs);
  for (int i = min_lag + 1; i < n - 1; ++i) {
    const float c = cep[static_cast<std::size_t>(i)];
    if (c > threshold && cep[static_cast<std::size_t>(i - 1)] < c && c > cep[static_cast<std::size_t>(i + 1)]) return i;
  }
  return 0;
}

class VoicingProbability final : public LldComponent {
 public:
  VoicingProbability(const PitchParams& p, const FrameGeometry& g) : min_lag_(shortest_pitch_lag(p, g)) {}
  int size() const override { return 1; }
  void compute(FrameAnalysis& frame, double* out) override { out[0] = voicing_probability(frame.autocorrelation(), min_lag_); }

 private:
  int min_lag_;
};

// F0 from the cepstral peak, gated by the voicing probability, followed by the
// ACF/cepstrum pitch tracker's light contour repair (as in openSMILE's cPitchACF):
// octave-like jumps far from a running mean are replaced by that mean, and the output
// runs one frame behind so that a value can be averaged with its predecessor.
class PitchAcf final : public LldComponent {
 public:
  PitchAcf(const PitchParams& p, const FrameGeometry& g) : p_(p), rate_hz_(g.rate_hz), min_lag_(shortest_pitch_lag(p, g)) {}
  int size() const override { return 1; }
  void reset() override { tracker_ = Tracker{}; }

  void compute(FrameAnalysis& frame, double* out) override {
    // Unvoiced frames get F0 0 whatever their cepstrum says, so only voiced frames pay
    // for it (a logarithm per spectral bin: the largest cost of IS09 otherwise).
    double f0 = 0.0;
    if (!(voicing_probability(frame.autocorrelation(), min_lag_) < p_.voicing_cutoff)) {
      const int lag = cepstral_pitch_lag(frame.cepstrum(), min_lag_ + 1);
      if (lag > 0) f0 = rate_hz_ / lag;
    }
    out[0] = tracker_.step(f0);
  }

 private:
  struct Tracker {
    double previous = 0.0, before_previous = 0.0, running_mean = 0.0;
    int onset = 0;  // +1 voicing just started, -1 just ended, 0 steady

    double step(double f0) {
      if (previous == 0.0 && f0 > 0.0) onset = 1;
      else if (previous > 0.0 && f0 == 0.0 && onset == 0) onset = -1;
      else if ((previous > 0.0 && f0 > 0.0) || (previous == 0.0 && f0 == 0.0)) onset = 0;
      if (f0 == 0.0 && onset == 1) previous = 0.0;

      const double measured = f0;
      double adapt = 0.3;
      if (f0 > 0.0) {
        if (running_mean == 0.0) running_mean = f0;
        constexpr double kTolerance = 0.4;
        if (!(f0 < (1.0 + kTolerance) * running_mean && f0 > (1.0 - kTolerance) * running_mean)) {
          f0 = running_mean;  // implausible jump: hold the running mean
          adapt /= 3.0;
        }
        if (onset != 0 && previous > f0) previous *= 0.85;
      }
      if (f0 > 0.0 && onset == -1) previous = f0;
      if (measured > 0.0) running_mean = (1.0 - adapt) * running_mean + adapt * measured;

      const double output = (before_previous != 0.0 && previous != 0.0) ? 0.5 * (before_previous + previous) : previous;
      before_previous = previous;
      previous = f0;
      return output;
    }
  };

  PitchParams p_;
  double rate_hz_;
  int min_lag_;
  Tracker tracker_;
};

}  // namespace

std::unique_ptr<LldComponent> make_lld(const LldSpec& spec, const FrameGeometry& geometry) {
  switch (spec.kind) {
    case LldKind::RmsEnergy: return std::make_unique<RmsEnergy>();
    case LldKind::Mfcc: return std::make_unique<Mfcc>(spec.mfcc, geometry);
    case LldKind::ZeroCrossingRate: return std::make_unique<ZeroCrossingRate>();
    case LldKind::VoicingProbability: return std::make_unique<VoicingProbability>(spec.pitch, geometry);
    case LldKind::PitchAcf: return std::make_unique<PitchAcf>(spec.pitch, geometry);
  }
  throw Error("unknown low-level descriptor kind for " + spec.name);
}

}  // namespace seraug
