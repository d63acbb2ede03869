// PLP's auditory spectrum as openSMILE's cMelspec + cPlp compute it for the loudness of
// the Geneva and ComParE sets: a mel filterbank over the power spectrum (triangular
// filters, band edges equally spaced in HTK mel), each band weighted by the
// equal-loudness curve at its centre and compressed by the intensity-loudness power
// law (exponent 0.33).
#pragma once

#include <span>
#include <vector>

#include "seraug/features/frame_analysis.hpp"

namespace seraug {

class AuditorySpectrum {
 public:
  static constexpr double kCompression = 0.33;
  // Bands are clamped to the Nyquist frequency of `g`.
  explicit AuditorySpectrum(const FrameGeometry& g, int bands = 26, double low_hz = 20.0, double high_hz = 8000.0);

  int bands() const { return static_cast<int>(bands_.size()); }
  // Mel band powers of a power spectrum (bins 0..fft_size/2 of the geometry it was built
  // for; another length is an Error); writes bands() values.
  void band_powers(std::span<const double> power, double* out) const;
  // Equal-loudness weight of band b.
  double equal_loudness(int b) const { return equal_loudness_[static_cast<std::size_t>(b)]; }
  // Auditory spectrum value of band b from its power: (power * weight)^0.33.
  double compressed(int b, double band_power) const;
  // Sum of the compressed bands (the L1 norm of the auditory spectrum).
  double loudness(std::span<const double> power) const;

 private:
  // A triangle's non-zero weights, bins first .. first + weights.size() - 1: a band
  // spans a few bins, and the zeros elsewhere add exactly +0 to its non-negative sum.
  struct Band {
    std::size_t first = 0;
    std::vector<double> weights;
  };
  std::vector<Band> bands_;
  std::size_t bins_ = 0;  // the power spectrum's length
  std::vector<double> equal_loudness_;
};

}  // namespace seraug
