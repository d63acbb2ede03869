#include "seraug/features/frame_analysis.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>
#include <string>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/common/fftw_planner.hpp"

namespace seraug {
namespace {

struct FftwFloats {
  float* data = nullptr;
  explicit FftwFloats(std::size_t n) : data(fftwf_alloc_real(n)) {
    if (!data) throw Error("out of memory allocating FFT buffers");
    std::fill(data, data + n, 0.0f);
  }
  ~FftwFloats() { fftwf_free(data); }
  FftwFloats(const FftwFloats&) = delete;
  FftwFloats& operator=(const FftwFloats&) = delete;
};

// FFTW plans depend only on the transform size, and planning (even FFTW_ESTIMATE)
// costs about as much as the transforms of a 2 s clip, so each size is planned once
// per process and kept. Every FrameAnalysis executes them on its own buffers through
// FFTW's new-array interface, which is safe from several threads at once; the buffers
// come from fftwf_alloc_*, as at planning time, so FFTW's alignment requirement holds.
struct Plans {
  fftwf_plan forward = nullptr;       // real -> half complex spectrum, fft_size points
  fftwf_plan even_inverse = nullptr;  // DCT-I of fft_size / 2 + 1 points
};

void destroy(Plans& p) {
  if (p.forward) fftwf_destroy_plan(p.forward);
  if (p.even_inverse) fftwf_destroy_plan(p.even_inverse);
  p = {};
}

// Owns the cached plans, so they are destroyed at exit (leak checkers see no loss).
struct PlanCache {
  std::map<int, Plans> by_size;
  PlanCache() = default;
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;
  ~PlanCache() {
    for (auto& [size, plans] : by_size) destroy(plans);
  }
};

Plans plan_transforms(int fft_size) {
  const auto half = static_cast<std::size_t>(fft_size / 2 + 1);
  FftwFloats time(static_cast<std::size_t>(fft_size)), dct_in(half), dct_out(half);
  fftwf_complex* spectrum = fftwf_alloc_complex(half);
  if (!spectrum) throw Error("out of memory allocating FFT buffers");
  Plans p;
  p.forward = fftwf_plan_dft_r2c_1d(fft_size, time.data, spectrum, FFTW_ESTIMATE);
  // A DCT-I of the half spectrum is the inverse DFT of a real, even spectrum:
  // x[j] = X0 + (-1)^j X(N/2) + 2 sum_k X_k cos(pi j k / (N/2)).
  p.even_inverse = fftwf_plan_r2r_1d(static_cast<int>(half), dct_in.data, dct_out.data, FFTW_REDFT00, FFTW_ESTIMATE);
  fftwf_free(spectrum);
  if (!p.forward || !p.even_inverse) {
    destroy(p);
    throw Error("FFTW could not plan a transform of size " + std::to_string(fft_size));
  }
  return p;
}

Plans plans_for(int fft_size) {
  static PlanCache cache;
  std::lock_guard lock(fftw_planner_mutex());
  if (const auto it = cache.by_size.find(fft_size); it != cache.by_size.end()) return it->second;
  return cache.by_size.emplace(fft_size, plan_transforms(fft_size)).first->second;
}

int next_power_of_two(int n) {
  int p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

FrameGeometry frame_geometry(double rate_hz, double frame_seconds, double step_seconds) {
  FrameGeometry g;
  g.rate_hz = rate_hz;
  g.frame_samples = static_cast<int>(std::lround(frame_seconds * rate_hz));
  g.step_samples = static_cast<int>(std::lround(step_seconds * rate_hz));
  if (g.frame_samples < 2 || g.step_samples < 1)
    throw Error("frame of " + std::to_string(frame_seconds) + " s at " + std::to_string(rate_hz) +
                " Hz is too short to analyse");
  g.fft_size = next_power_of_two(g.frame_samples);
  return g;
}

struct FrameAnalysis::Buffers {
  Buffers(const FrameGeometry& g, WindowKind window, double gauss_sigma)
      : half(g.fft_size / 2 + 1),
        raw(static_cast<std::size_t>(g.frame_samples)),
        hamming(static_cast<std::size_t>(g.frame_samples)),
        time(static_cast<std::size_t>(g.fft_size)),
        spectrum(fftwf_alloc_complex(half)),
        magnitude(half),
        dct_in(half),
        dct_out(half) {
    if (!spectrum) throw Error("out of memory allocating FFT buffers");
    const double n = g.frame_samples - 1;
    for (int i = 0; i < g.frame_samples; ++i) {
      const double z = (i - n / 2.0) / (gauss_sigma * n / 2.0);
      hamming[static_cast<std::size_t>(i)] = static_cast<float>(
          window == WindowKind::Gaussian ? std::exp(-0.5 * z * z) : 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * i / n));
    }
    plans = plans_for(g.fft_size);
  }
  ~Buffers() { fftwf_free(spectrum); }

  std::size_t half;
  std::vector<float> raw, hamming;  // `hamming`: the analysis window, whichever kind
  FftwFloats time;
  fftwf_complex* spectrum;
  std::vector<float> magnitude;
  FftwFloats dct_in, dct_out;
  std::vector<float> acf, cepstrum;
  Plans plans;  // shared, owned by the process-wide cache
};

FrameAnalysis::FrameAnalysis(const FrameGeometry& geometry, double preemphasis, WindowKind window, double gauss_sigma)
    : geometry_(geometry), preemphasis_(static_cast<float>(preemphasis)),
      buffers_(std::make_unique<Buffers>(geometry, window, gauss_sigma)) {}

FrameAnalysis::~FrameAnalysis() = default;

void FrameAnalysis::load(const float* raw) {
  std::copy(raw, raw + geometry_.frame_samples, buffers_->raw.begin());
  have_windowed_ = have_spectrum_ = have_magnitude_ = have_acf_ = have_cepstrum_ = false;
}

std::span<const float> FrameAnalysis::raw() const { return buffers_->raw; }

std::span<const float> FrameAnalysis::windowed() {
  const int n = geometry_.frame_samples;
  float* out = buffers_->time.data;
  if (!have_windowed_) {
    const auto& x = buffers_->raw;
    const auto& w = buffers_->hamming;
    for (int i = n - 1; i > 0; --i) out[i] = (x[static_cast<std::size_t>(i)] - preemphasis_ * x[static_cast<std::size_t>(i - 1)]) * w[static_cast<std::size_t>(i)];
    out[0] = x[0] * (1.0f - preemphasis_) * w[0];
    std::fill(out + n, out + geometry_.fft_size, 0.0f);  // zero padding for the FFT
    have_windowed_ = true;
  }
  return {out, static_cast<std::size_t>(n)};
}

std::span<const std::complex<float>> FrameAnalysis::spectrum() {
  if (!have_spectrum_) {
    windowed();
    fftwf_execute_dft_r2c(buffers_->plans.forward, buffers_->time.data, buffers_->spectrum);
    have_spectrum_ = true;
  }
  // fftwf_complex is float[2], laid out like std::complex<float> (FFTW manual, 4.1.1).
  return {reinterpret_cast<const std::complex<float>*>(buffers_->spectrum), buffers_->half};
}

std::span<const float> FrameAnalysis::magnitude() {
  if (!have_magnitude_) {
    spectrum();
    for (std::size_t k = 0; k < buffers_->half; ++k) {
      const float re = buffers_->spectrum[k][0], im = buffers_->spectrum[k][1];
      buffers_->magnitude[k] = std::sqrt(re * re + im * im);
    }
    have_magnitude_ = true;
  }
  return buffers_->magnitude;
}

// Both the ACF and the cepstrum invert an even spectrum f(|X|) through the DCT-I plan,
// scaled like openSMILE's (half the inverse DFT divided by the number of spectral bins),
// so that absolute values stay comparable with its intermediate signals.
template <typename SpectrumMap>
void FrameAnalysis::invert_even_spectrum(std::span<const float> mag, SpectrumMap map, bool absolute, std::vector<float>& out) {
  const std::size_t lags = buffers_->half - 1;
  for (std::size_t k = 0; k < buffers_->half; ++k) buffers_->dct_in.data[k] = map(mag[k]);
  fftwf_execute_r2r(buffers_->plans.even_inverse, buffers_->dct_in.data, buffers_->dct_out.data);
  const float scale = 0.5f / static_cast<float>(buffers_->half);
  out.resize(lags);
  for (std::size_t j = 0; j < lags; ++j) {
    const float v = buffers_->dct_out.data[j] * scale;
    out[j] = absolute ? std::fabs(v) : v;
  }
}

std::span<const float> FrameAnalysis::autocorrelation() {
  if (!have_acf_) invert_even_spectrum(magnitude(), [](float m) { return m * m; }, /*absolute=*/true, buffers_->acf);
  have_acf_ = true;
  return buffers_->acf;
}

std::span<const float> FrameAnalysis::autocorrelation_of(std::span<const float> magnitude) {
  if (magnitude.size() != buffers_->half) throw Error("autocorrelation_of: " + std::to_string(magnitude.size()) + " bins, the geometry has " + std::to_string(buffers_->half));
  invert_even_spectrum(magnitude, [](float m) { return m * m; }, /*absolute=*/true, buffers_->acf);
  have_acf_ = false;  // the buffer no longer holds the loaded frame's ACF
  return buffers_->acf;
}

std::span<const float> FrameAnalysis::cepstrum() {
  if (!have_cepstrum_) invert_even_spectrum(magnitude(), [](float m) { return std::log1p(m * m); }, /*absolute=*/false, buffers_->cepstrum);
  have_cepstrum_ = true;
  return buffers_->cepstrum;
}

}  // namespace seraug
