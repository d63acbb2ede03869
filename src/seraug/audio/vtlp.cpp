// Vocal-tract-length perturbation in the audio domain. Each frame's spectrum X is split
// into a smooth envelope E (an all-pole fit) times a fine structure (the
// harmonics); the frame is resynthesised as X * E(w^-1(f)) / E(f), so the envelope, and
// with it every formant, moves from f to w(f) while the harmonics and the phase stay.
// Applying it to the audio reaches every feature set's front end alike (spectra, MFCCs,
// the resampled LPC and pitch paths), which warping one filter bank would not.
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "seraug/audio/perturb.hpp"
#include "seraug/audio/real_fft.hpp"
#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// Frames of about 32 ms or more (a power of two), hop a quarter frame.
constexpr double kFrameSeconds = 0.032;
// Order of the envelope's all-pole model: the usual rule of thumb, one pole pair per kHz
// of bandwidth plus two.
std::size_t lpc_order(double rate_hz) { return static_cast<std::size_t>(std::lround(rate_hz / 1000.0)) + 2; }

// The frequency (Hz) whose envelope value lands on `f` after warping by alpha:
// w(f) = alpha f up to the boundary, then a line to Nyquist (Jaitly & Hinton 2013).
double unwarp(double f, double alpha, double boundary_hz, double nyquist) {
  const double knee = boundary_hz * std::min(alpha, 1.0);  // w(knee / alpha) = knee
  if (f <= knee) return f / alpha;
  const double source_knee = knee / alpha;
  return nyquist - (nyquist - f) * (nyquist - source_knee) / (nyquist - knee);
}

// Linear interpolation of v at fractional index x (clamped to the ends).
double interpolate(const std::vector<double>& v, double x) {
  if (x <= 0) return v.front();
  const double last = static_cast<double>(v.size() - 1);
  if (x >= last) return v.back();
  const auto i = static_cast<std::size_t>(x);
  const double t = x - static_cast<double>(i);
  return v[i] * (1 - t) + v[i + 1] * t;
}

// All-pole (LPC) log-magnitude envelope of one frame's spectrum (bins values): the
// autocorrelation is the inverse FFT of the power spectrum, Levinson-Durbin gives the
// predictor, and the envelope is -log |A(f)| on the FFT's bins. An all-pole model keeps
// formant peaks as sharp as they are; cepstral smoothing short enough to stay below the
// pitch period blurs them and leaves them where they were.
std::vector<double> log_envelope(const std::vector<std::complex<float>>& spectrum, const RealFft& fft, std::size_t order) {
  std::vector<std::complex<float>> power(spectrum.size());
  for (std::size_t k = 0; k < spectrum.size(); ++k) power[k] = std::norm(spectrum[k]);
  std::vector<float> autocorrelation;
  fft.inverse(power, autocorrelation);
  std::vector<double> a(order + 1, 0.0), previous;
  a[0] = 1.0;
  // A -40 dB noise floor keeps the recursion stable on silent or pure-tone frames.
  double error = autocorrelation[0] * (1.0 + 1e-4) + 1e-20;
  for (std::size_t i = 1; i <= order; ++i) {
    double acc = autocorrelation[i];
    for (std::size_t j = 1; j < i; ++j) acc += a[j] * autocorrelation[i - j];
    const double reflection = -acc / error;
    previous = a;
    for (std::size_t j = 1; j < i; ++j) a[j] = previous[j] + reflection * previous[i - j];
    a[i] = reflection;
    error *= 1.0 - reflection * reflection;
  }
  std::vector<float> padded(fft.size(), 0.0f);
  for (std::size_t j = 0; j <= order; ++j) padded[j] = static_cast<float>(a[j]);
  std::vector<std::complex<float>> response;
  fft.forward(padded, response);
  std::vector<double> out(response.size());
  for (std::size_t k = 0; k < response.size(); ++k) out[k] = -std::log(std::abs(response[k]) + 1e-12);
  return out;
}

}  // namespace

std::vector<float> warp_vocal_tract(const std::vector<float>& samples, double rate_hz, double alpha, double boundary) {
  if (samples.empty() || alpha == 1.0) return samples;
  if (!(rate_hz > 0)) throw Error("vtlp: sample rate must be positive");
  const RealFft fft(next_power_of_two(static_cast<std::size_t>(std::ceil(kFrameSeconds * rate_hz))));
  const std::size_t n = fft.size(), hop = n / 4;
  const std::size_t order = lpc_order(rate_hz);
  const double nyquist = rate_hz / 2, boundary_hz = boundary * nyquist, bin_hz = rate_hz / static_cast<double>(n);
  std::vector<double> source_bin(fft.bins());  // where each output bin reads the envelope
  for (std::size_t k = 0; k < source_bin.size(); ++k)
    source_bin[k] = unwarp(static_cast<double>(k) * bin_hz, alpha, boundary_hz, nyquist) / bin_hz;
  std::vector<float> window(n);
  for (std::size_t i = 0; i < n; ++i) window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n)));

  // Padded by a frame on both sides so that every sample is covered by four frames.
  const std::size_t padded = samples.size() + 2 * n;
  std::vector<double> out(padded, 0.0), weight(padded, 0.0);
  std::vector<float> frame(n), resynthesised;
  std::vector<std::complex<float>> spectrum;
  for (std::size_t start = 0; start + n <= padded; start += hop) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = start + i;
      frame[i] = at >= n && at - n < samples.size() ? samples[at - n] * window[i] : 0.0f;
    }
    fft.forward(frame, spectrum);
    const std::vector<double> envelope = log_envelope(spectrum, fft, order);
    for (std::size_t k = 0; k < spectrum.size(); ++k)
      spectrum[k] *= static_cast<float>(std::exp(interpolate(envelope, source_bin[k]) - envelope[k]));
    fft.inverse(spectrum, resynthesised);
    for (std::size_t i = 0; i < n; ++i) {
      out[start + i] += resynthesised[i] * window[i];
      weight[start + i] += static_cast<double>(window[i]) * window[i];
    }
  }
  std::vector<float> y(samples.size());
  double in_power = 0, out_power = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double w = weight[i + n];
    y[i] = static_cast<float>(w > 1e-9 ? out[i + n] / w : 0.0);
    in_power += static_cast<double>(samples[i]) * samples[i];
    out_power += static_cast<double>(y[i]) * y[i];
  }
  // A longer or shorter vocal tract is not a louder one: keep the clip's energy.
  if (out_power > 0) {
    const double gain = std::sqrt(in_power / out_power);
    for (auto& v : y) v = static_cast<float>(v * gain);
  }
  return y;
}

}  // namespace seraug
