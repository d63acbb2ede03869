#include "seraug/features/auditory_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "seraug/common/error.hpp"
#include "seraug/features/llds.hpp"

namespace seraug {

AuditorySpectrum::AuditorySpectrum(const FrameGeometry& g, int bands, double low_hz, double high_hz) {
  const double high = std::min(high_hz, g.rate_hz / 2.0);
  const double mel_low = hz_to_mel(low_hz), mel_high = hz_to_mel(high);
  const int bins = g.fft_size / 2 + 1;
  bins_ = static_cast<std::size_t>(bins);
  bands_.resize(static_cast<std::size_t>(bands));
  equal_loudness_.resize(static_cast<std::size_t>(bands));
  for (int b = 0; b < bands; ++b) {
    const double left = mel_low + (mel_high - mel_low) * b / (bands + 1);
    const double mid = mel_low + (mel_high - mel_low) * (b + 1) / (bands + 1);
    const double right = mel_low + (mel_high - mel_low) * (b + 2) / (bands + 1);
    Band& band = bands_[static_cast<std::size_t>(b)];
    for (int k = 0; k < bins; ++k) {
      const double mel = hz_to_mel(k * g.rate_hz / g.fft_size);
      if (!(mel > left && mel < right)) continue;
      const double w = mel <= mid ? (mel - left) / (mid - left) : (right - mel) / (right - mid);
      if (band.weights.empty()) band.first = static_cast<std::size_t>(k);
      band.weights.resize(static_cast<std::size_t>(k) - band.first + 1, 0.0);
      band.weights.back() = w;
    }
    // Hermansky's equal-loudness approximation at the band centre.
    const double centre_hz = 700.0 * (std::exp(mid / 1127.0) - 1.0);
    const double w2 = std::pow(2.0 * std::numbers::pi * centre_hz, 2);
    equal_loudness_[static_cast<std::size_t>(b)] = (w2 + 56.8e6) * w2 * w2 / (std::pow(w2 + 6.3e6, 2) * (w2 + 0.38e9));
  }
}

void AuditorySpectrum::band_powers(std::span<const double> power, double* out) const {
  // Each band reads its own bins only: a shorter spectrum would be read past its end.
  if (power.size() != bins_)
    throw Error("auditory spectrum: " + std::to_string(power.size()) + " power bins, built for " + std::to_string(bins_));
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    const Band& band = bands_[b];
    double e = 0.0;
    for (std::size_t k = 0; k < band.weights.size(); ++k) e += band.weights[k] * power[band.first + k];
    out[b] = e;
  }
}

double AuditorySpectrum::compressed(int b, double band_power) const {
  return std::pow(band_power * equal_loudness_[static_cast<std::size_t>(b)], kCompression);
}

double AuditorySpectrum::loudness(std::span<const double> power) const {
  std::vector<double> bands_out(bands_.size());
  band_powers(power, bands_out.data());
  double total = 0.0;
  for (int b = 0; b < bands(); ++b) total += compressed(b, bands_out[static_cast<std::size_t>(b)]);
  return total;
}

}  // namespace seraug
