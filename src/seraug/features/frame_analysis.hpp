// Per-frame signal analysis shared by all low-level descriptors of a feature set:
// the raw frame, its pre-emphasised Hamming-windowed version, the magnitude spectrum,
// the autocorrelation and the cepstrum. Each is computed at most once per frame, on
// first request, so a set pays only for what its descriptors use.
//
// Layout: all spans are float arrays owned by the FrameAnalysis and valid until the
// next load(). Not thread-safe: each extraction thread owns its own instance.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace seraug {

struct FrameGeometry {
  double rate_hz = 0;
  int frame_samples = 0;  // analysis window length
  int step_samples = 0;   // hop between frame starts
  int fft_size = 0;       // next power of two >= frame_samples (zero padding)
};

// Frame and step lengths in samples are rounded to the nearest sample, as openSMILE's
// framer does (25 ms at 22050 Hz -> 551 samples; 10 ms -> 221 samples).
FrameGeometry frame_geometry(double rate_hz, double frame_seconds, double step_seconds);

// Whole frames in `samples` samples (frames start at 0, step_samples apart).
inline int frame_count(std::size_t samples, const FrameGeometry& g) {
  if (samples < static_cast<std::size_t>(g.frame_samples)) return 0;
  return static_cast<int>((samples - static_cast<std::size_t>(g.frame_samples)) / static_cast<std::size_t>(g.step_samples)) + 1;
}

// Analysis window. Gaussian is openSMILE's "gauss" window, by default with sigma = 0.4:
// w[n] = exp(-0.5 ((n - (N-1)/2) / (sigma (N-1)/2))^2), used for pitch analysis.
enum class WindowKind { Hamming, Gaussian };

class FrameAnalysis {
 public:
  FrameAnalysis(const FrameGeometry& geometry, double preemphasis, WindowKind window = WindowKind::Hamming, double gauss_sigma = 0.4);
  ~FrameAnalysis();
  FrameAnalysis(const FrameAnalysis&) = delete;
  FrameAnalysis& operator=(const FrameAnalysis&) = delete;

  const FrameGeometry& geometry() const { return geometry_; }

  // Starts a new frame; `raw` must hold geometry().frame_samples samples.
  void load(const float* raw);

  std::span<const float> raw() const;
  // x[n] - k x[n-1] (first sample scaled by 1-k), then the analysis window.
  std::span<const float> windowed();
  // FFT of the zero-padded windowed frame, bins 0..fft_size/2 (unnormalised,
  // X_k = sum_n x[n] e^{-2 pi i k n / fft_size}).
  std::span<const std::complex<float>> spectrum();
  // |FFT|, bins 0..fft_size/2.
  std::span<const float> magnitude();
  // |inverse DFT of |X|^2|, lags 0..fft_size/2-1.
  std::span<const float> autocorrelation();
  // autocorrelation() of a frame whose magnitude() was `magnitude` (kept from an earlier
  // frame of this geometry: fft_size/2+1 bins, else seraug::Error), without loading it
  // again. Valid until the next call; the loaded frame's other results stay.
  std::span<const float> autocorrelation_of(std::span<const float> magnitude);
  // Inverse DFT of log(1 + |X|^2), lags 0..fft_size/2-1 (signed).
  std::span<const float> cepstrum();

 private:
  struct Buffers;
  template <typename SpectrumMap>
  void invert_even_spectrum(std::span<const float> magnitude, SpectrumMap map, bool absolute, std::vector<float>& out);

  FrameGeometry geometry_;
  float preemphasis_;
  std::unique_ptr<Buffers> buffers_;
  bool have_windowed_ = false, have_spectrum_ = false, have_magnitude_ = false, have_acf_ = false, have_cepstrum_ = false;
};

}  // namespace seraug
