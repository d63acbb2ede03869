// Voice-quality and resonance measures of one voiced frame, as the Geneva sets use
// them: period-to-period jitter and shimmer on the waveform, a harmonics-to-noise
// ratio from the autocorrelation, harmonic amplitudes relative to each other and near
// the formants, and formants from linear prediction. Definitions follow the
// descriptions of openSMILE's cPitchJitter, cHarmonics, cLpc and cFormantLpc
// components and the GeMAPS paper (Eyben et al. 2016); the code is our own.
#pragma once

#include <array>
#include <complex>
#include <memory>
#include <span>
#include <vector>

namespace seraug {

// Jitter (mean absolute difference of consecutive periods / mean period) and shimmer
// (mean absolute dB ratio of consecutive period peak amplitudes) of the periods
// found in `x` by cross-correlation, each period searched within +-search_rel of
// 1 / f0 and accepted when the correlation reaches min_correlation. Also the
// "difference of differences of periods" jitter (mean |(T_i - T_i-1) - (T_i-1 - T_i-2)|
// / mean period) and shimmer as a relative amplitude difference (mean |A_i - A_i-1| /
// mean of the pair). Each is 0 when too few consecutive periods are found.
struct JitterShimmer {
  double jitter_local = 0, shimmer_db = 0;
  double jitter_ddp = 0, shimmer_local = 0;
};
JitterShimmer jitter_shimmer(std::span<const float> x, double rate_hz, double f0_hz,
                             double search_rel = 0.1, double min_correlation = 0.5);

// HNR in dB from an autocorrelation (lag 0 = energy): 10 log10(r(T0) / (r(0) - r(T0)))
// at the ACF peak closest to the lag of f0, limited to [-90, 110] dB (0 if f0 <= 0).
double acf_hnr_db(std::span<const float> acf, double rate_hz, double f0_hz);

// Harmonic analysis of a magnitude spectrum (bins 0..N-1, `bin_hz` apart) at F0.
// Index 0 is F0 itself; index h the (h+1)-th harmonic. Levels are dB relative to the
// F0 peak; -200 for a harmonic without a peak, -201 for a duplicate.
struct Harmonics {
  std::vector<double> level_db;   // per harmonic
  std::vector<double> freq_hz;    // interpolated peak frequency (0: none)
  std::vector<double> magnitude;  // raw peak magnitude (0: none)
};
Harmonics find_harmonics(std::span<const float> magnitude, double bin_hz, double f0_hz, int count = 100);

// Level (dB re F0) of the strongest harmonic within +-20 % of `formant_hz`; -1 index
// when there is none.
int formant_harmonic(const Harmonics& h, double formant_hz);

// Formants from LPC coefficients: frequencies and bandwidths (Hz) of the complex roots
// with frequency in [min_hz, max_hz], by increasing frequency; unused slots are 0.
// Which polynomial is solved:
//  - PredictionError: A(z) = 1 + sum a_k z^-k = 0, the textbook vocal-tract resonances.
//  - OpenSmile: openSMILE's cFormantLpc negates the coefficients before solving, i.e. it
//    finds A(z) = 2. Its eGeMAPS formants and bandwidths (e.g. F1 bandwidth ~1100 Hz)
//    follow from that, so eGeMAPS uses it for comparable values. Roots outside the unit
//    circle are reflected inside (bandwidth |ln r| fs / pi), as openSMILE does.
enum class FormantRoots { PredictionError, OpenSmile };
struct Formants {
  std::array<double, 5> freq{}, bandwidth{};
};
Formants lpc_formants(std::span<const double> lpc, double rate_hz, double min_hz = 50.0, double max_hz = 5450.0,
                      FormantRoots roots = FormantRoots::PredictionError);

// Line spectral frequencies (radians in (0, pi), increasing) of the LPC polynomial
// A(z) = 1 + sum a_k z^-k, order = a.size(): the angles of the unit-circle roots of
// P(z) = A(z) + z^-(p+1) A(1/z) and Q(z) = A(z) - z^-(p+1) A(1/z), without the trivial
// roots at 0 and pi. Fewer than `order` values only for a degenerate A.
std::vector<double> line_spectral_frequencies(std::span<const double> lpc);

// LPC of a windowed frame resampled to a lower rate in the frequency domain, the way
// openSMILE's cSpecResample + cLpc compute it for its formant and LSP descriptors: an
// inverse DFT at the new sample spacing over the complex bins below half the resampled
// length (DC weighted like each other bin, as openSMILE does, i.e. twice a true
// inverse's DC), then the linear autocorrelation of the resampled frame and Levinson-Durbin.
// The inverse-DFT table is built once per frame geometry.
class ResampledLpc {
 public:
  // `frame_samples`, `fft_size`, `rate_hz`: the frames whose spectra operator() gets.
  ResampledLpc(int frame_samples, int fft_size, double rate_hz, double target_rate_hz, int order);
  ~ResampledLpc();
  ResampledLpc(const ResampledLpc&) = delete;
  ResampledLpc& operator=(const ResampledLpc&) = delete;

  // a[1..order] of the frame with this spectrum (bins 0..fft_size/2); empty for a
  // silent frame.
  std::vector<double> operator()(std::span<const std::complex<float>> spectrum);
  double rate_hz() const;  // the exact resampled rate

 private:
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

// Linear prediction coefficients a[1..order] (x[n] ~ -sum a_k x[n-k]) from
// autocorrelation values r[0..order] by the Levinson-Durbin recursion.
std::vector<double> levinson(std::span<const double> r, int order);

}  // namespace seraug
