#include "seraug/features/voice_analysis.hpp"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace seraug {
namespace {

bool is_peak(std::span<const float> x, long i) {
  const long n = static_cast<long>(x.size());
  if (i < 0 || i >= n) return false;
  const float v = x[static_cast<std::size_t>(i)];
  if (i == 0) return n > 1 && v > x[1];
  if (i == n - 1) return v > x[static_cast<std::size_t>(i - 1)];
  return v > x[static_cast<std::size_t>(i - 1)] && v > x[static_cast<std::size_t>(i + 1)];
}

long closest_peak(std::span<const float> x, long i) {
  const long n = static_cast<long>(x.size());
  if (is_peak(x, i)) return i;
  for (long o = 1; i - o > 0 || i + o < n - 1; ++o) {
    if (i - o > 0 && is_peak(x, i - o)) return i - o;
    if (i + o < n - 1 && is_peak(x, i + o)) return i + o;
  }
  return i;
}

long nearest_bin(double hz, double bin_hz, long bins) {
  return std::clamp(static_cast<long>(std::lround(hz / bin_hz)), 0L, bins - 1);
}

}  // namespace

double acf_hnr_db(std::span<const float> acf, double rate_hz, double f0_hz) {
  if (f0_hz <= 0 || acf.size() < 3) return 0.0;
  const long lag = static_cast<long>(std::floor(rate_hz / f0_hz));
  if (lag <= 0 || lag >= static_cast<long>(acf.size())) return 0.0;
  const long peak = closest_peak(acf, lag);
  const double r0 = acf[0], rt = acf[static_cast<std::size_t>(peak)];
  const double noise = r0 - rt;
  double ratio = noise == 0.0 ? 1e11 : rt / noise;
  ratio = std::clamp(ratio, 1e-9, 1e11);
  return 10.0 * std::log10(ratio);
}

Harmonics find_harmonics(std::span<const float> mag, double bin_hz, double f0_hz, int count) {
  Harmonics h;
  h.level_db.assign(static_cast<std::size_t>(count), -200.0);
  h.freq_hz.assign(static_cast<std::size_t>(count), 0.0);
  h.magnitude.assign(static_cast<std::size_t>(count), 0.0);
  std::vector<long> bin_of(static_cast<std::size_t>(count), -1);
  const long bins = static_cast<long>(mag.size());
  if (f0_hz <= 0 || bins < 4) return h;
  const long first_bin = nearest_bin(0.5 * f0_hz, bin_hz, bins);
  std::vector<double> interpolated(static_cast<std::size_t>(count), 0.0);
  for (int i = 0; i < count; ++i) {
    const double expected = (i + 1) * f0_hz;
    if (expected >= bin_hz * (bins - 1)) {
      h.level_db[static_cast<std::size_t>(i)] = -201.0;
      continue;
    }
    const long centre = nearest_bin(expected, bin_hz, bins);
    long peak = is_peak(mag, centre) ? centre : -1;
    const long lower = nearest_bin((i + 0.5) * f0_hz, bin_hz, bins), upper = nearest_bin((i + 1.5) * f0_hz, bin_hz, bins);
    for (long r = centre + 1, l = centre - 1; peak < 0 && (l >= lower || r <= upper); ++r, --l) {
      if (r <= upper && is_peak(mag, r)) peak = r;
      else if (l >= lower && is_peak(mag, l)) peak = l;
    }
    bin_of[static_cast<std::size_t>(i)] = centre;
    if (peak < first_bin || peak >= bins - 1 || peak < 1) continue;
    bin_of[static_cast<std::size_t>(i)] = peak;
    const double ym = mag[static_cast<std::size_t>(peak - 1)], y0 = mag[static_cast<std::size_t>(peak)], yp = mag[static_cast<std::size_t>(peak + 1)];
    const double denom = ym - 2 * y0 + yp;
    const double offset = denom < 0 ? 0.5 * (ym - yp) / denom : 0.0;
    h.freq_hz[static_cast<std::size_t>(i)] = (peak + offset) * bin_hz;
    h.magnitude[static_cast<std::size_t>(i)] = y0;
    interpolated[static_cast<std::size_t>(i)] = y0 - 0.25 * (ym - yp) * offset;
  }
  const double f0_level = h.magnitude[0];
  h.level_db[0] = 0.0;
  for (int i = 1; i < count; ++i) {
    auto& level = h.level_db[static_cast<std::size_t>(i)];
    if (level == -201.0) continue;
    if (f0_level <= 0) level = -201.0;
    else if (interpolated[static_cast<std::size_t>(i)] > 0) level = std::max(-200.0, 20.0 * std::log10(interpolated[static_cast<std::size_t>(i)] / f0_level));
    else level = -200.0;
    if (bin_of[static_cast<std::size_t>(i)] == bin_of[static_cast<std::size_t>(i - 1)]) {  // same peak twice
      level = -201.0;
      h.freq_hz[static_cast<std::size_t>(i)] = 0.0;
      h.magnitude[static_cast<std::size_t>(i)] = 0.0;
    }
  }
  return h;
}

int formant_harmonic(const Harmonics& h, double formant_hz) {
  const double left = 0.8 * formant_hz, right = 1.2 * formant_hz;
  int best = -1;
  double best_mag = 0.0;
  for (std::size_t i = 0; i < h.freq_hz.size(); ++i)
    if (h.freq_hz[i] >= left && h.freq_hz[i] <= right && h.magnitude[i] > best_mag) best = static_cast<int>(i), best_mag = h.magnitude[i];
  return best;
}

std::vector<double> levinson(std::span<const double> r, int order) {
  std::vector<double> a(static_cast<std::size_t>(order + 1), 0.0), previous;
  a[0] = 1.0;
  double error = r[0];
  for (int i = 1; i <= order && error > 0; ++i) {
    double acc = r[static_cast<std::size_t>(i)];
    for (int j = 1; j < i; ++j) acc += a[static_cast<std::size_t>(j)] * r[static_cast<std::size_t>(i - j)];
    const double k = -acc / error;
    previous = a;
    for (int j = 1; j < i; ++j) a[static_cast<std::size_t>(j)] = previous[static_cast<std::size_t>(j)] + k * previous[static_cast<std::size_t>(i - j)];
    a[static_cast<std::size_t>(i)] = k;
    error *= (1.0 - k * k);
  }
  return {a.begin() + 1, a.end()};
}

Formants lpc_formants(std::span<const double> lpc, double rate_hz, double min_hz, double max_hz, FormantRoots roots) {
  Formants f;
  const int p = static_cast<int>(lpc.size());
  if (p < 2) return f;
  // Roots of z^p + s (a1 z^(p-1) + ... + ap) as eigenvalues of the companion matrix,
  // s = +1 for A(z) = 0 and -1 for openSMILE's negated coefficients.
  const double s = roots == FormantRoots::OpenSmile ? -1.0 : 1.0;
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(p, p);
  for (int j = 0; j < p; ++j) companion(0, j) = -s * lpc[static_cast<std::size_t>(j)];
  for (int i = 1; i < p; ++i) companion(i, i - 1) = 1.0;
  Eigen::EigenSolver<Eigen::MatrixXd> solver(companion, /*computeEigenvectors=*/false);
  if (solver.info() != Eigen::Success) return f;
  std::vector<std::pair<double, double>> found;
  for (const auto& root : solver.eigenvalues()) {
    if (root.imag() <= 0.0) continue;
    const double freq = std::atan2(root.imag(), root.real()) * rate_hz / (2.0 * std::numbers::pi);
    const double bw = std::abs(std::log(std::abs(root))) * rate_hz / std::numbers::pi;
    if (freq >= min_hz && freq <= max_hz) found.emplace_back(freq, bw);
  }
  std::sort(found.begin(), found.end());
  for (std::size_t i = 0; i < found.size() && i < f.freq.size(); ++i) {
    f.freq[i] = found[i].first;
    f.bandwidth[i] = found[i].second;
  }
  return f;
}

namespace {

// Angles in (0, pi) of the roots of sum c_k z^(n-k) (c_0 != 0) with positive imaginary part.
std::vector<double> upper_root_angles(const std::vector<double>& c) {
  const int n = static_cast<int>(c.size()) - 1;
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(n, n);
  for (int j = 0; j < n; ++j) companion(0, j) = -c[static_cast<std::size_t>(j + 1)] / c[0];
  for (int i = 1; i < n; ++i) companion(i, i - 1) = 1.0;
  Eigen::EigenSolver<Eigen::MatrixXd> solver(companion, /*computeEigenvectors=*/false);
  std::vector<double> angles;
  if (solver.info() != Eigen::Success) return angles;
  for (const auto& root : solver.eigenvalues())
    if (root.imag() > 1e-9) angles.push_back(std::atan2(root.imag(), root.real()));
  return angles;
}

}  // namespace

std::vector<double> line_spectral_frequencies(std::span<const double> lpc) {
  const std::size_t p = lpc.size();
  // A(z) coefficients 1, a_1..a_p, and a zero for the mirrored z^-(p+1) term.
  std::vector<double> a(p + 2, 0.0);
  a[0] = 1.0;
  std::copy(lpc.begin(), lpc.end(), a.begin() + 1);
  std::vector<double> sum(p + 2), difference(p + 2);
  for (std::size_t k = 0; k <= p + 1; ++k) {
    sum[k] = a[k] + a[p + 1 - k];
    difference[k] = a[k] - a[p + 1 - k];
  }
  std::vector<double> angles = upper_root_angles(sum);
  const std::vector<double> more = upper_root_angles(difference);
  angles.insert(angles.end(), more.begin(), more.end());
  std::sort(angles.begin(), angles.end());
  if (angles.size() > p) angles.resize(p);
  return angles;
}

struct ResampledLpc::Tables {
  long samples;  // resampled frame length
  long bins;     // complex bins kept
  double rate_hz;
  int order;
  Eigen::MatrixXd inverse;  // samples x (2 bins): the resampling inverse DFT
  Eigen::VectorXd spectrum, resampled;
};

ResampledLpc::ResampledLpc(int frame_samples, int fft_size, double rate_hz, double target_rate_hz, int order)
    : tables_(std::make_unique<Tables>()) {
  Tables& t = *tables_;
  t.samples = std::lround(frame_samples * target_rate_hz / rate_hz);
  t.bins = std::min<long>(fft_size, t.samples) / 2;
  t.rate_hz = rate_hz * static_cast<double>(t.samples) / frame_samples;  // exact ratio
  t.order = order;
  t.inverse.resize(t.samples, 2 * t.bins);
  t.spectrum.resize(2 * t.bins);
  t.resampled.resize(t.samples);
  // Output sample i sits at input position i * frame_samples / samples; the real and
  // imaginary parts of bin k meet cos and -sin of its phase there. openSMILE's inverse
  // DFT gives DC and every other bin the same weight, without the factor 2 a true
  // inverse gives the bins whose mirror images it folds in, so DC counts double
  // relative to them. We weigh them as it does: all eGeMAPS formant values correlate
  // better with openSMILE's (F3 bandwidth mean 0.887 -> 0.919), IS10's LSFs no worse.
  const double period = fft_size * static_cast<double>(t.samples) / frame_samples;
  for (long i = 0; i < t.samples; ++i)
    for (long k = 0; k < t.bins; ++k) {
      const double phase = 2.0 * std::numbers::pi * static_cast<double>(k * i) / period;
      t.inverse(i, 2 * k) = std::cos(phase);
      t.inverse(i, 2 * k + 1) = k == 0 ? 0.0 : -std::sin(phase);
    }
}

ResampledLpc::~ResampledLpc() = default;

double ResampledLpc::rate_hz() const { return tables_->rate_hz; }

std::vector<double> ResampledLpc::operator()(std::span<const std::complex<float>> spectrum) {
  Tables& t = *tables_;
  for (long k = 0; k < t.bins; ++k) {
    t.spectrum(2 * k) = spectrum[static_cast<std::size_t>(k)].real();
    t.spectrum(2 * k + 1) = spectrum[static_cast<std::size_t>(k)].imag();
  }
  t.resampled.noalias() = t.inverse * t.spectrum;
  std::vector<double> r(static_cast<std::size_t>(t.order + 1));
  for (int lag = 0; lag <= t.order; ++lag)
    r[static_cast<std::size_t>(lag)] = t.resampled.head(t.samples - lag).dot(t.resampled.tail(t.samples - lag));
  if (r[0] <= 0.0) return {};
  return levinson(r, t.order);
}

}  // namespace seraug
