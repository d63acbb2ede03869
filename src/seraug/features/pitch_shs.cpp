#include "seraug/features/pitch_shs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "seraug/common/error.hpp"

namespace seraug {

// The fixed geometry of the linear -> octave resampling: knots of a natural cubic
// spline at log2 of each FFT bin's frequency, evaluated on an evenly spaced log2 grid.
struct ShsPitch::Axis {
  int bins = 0;                   // linear spectrum bins (and octave-axis points)
  std::vector<double> knot;       // log2 frequency of each linear bin
  std::vector<double> diag_inv;   // Thomas-algorithm factors of the spline system
  std::vector<double> upper;
  std::vector<double> inv_width;  // 1 / (knot[i+1] - knot[i])
  std::vector<int> interval;      // per output point: index of its left knot
  std::vector<std::array<double, 4>> coeff;  // per output point: weights of y[k], y[k+1], y2[k], y2[k+1]
  std::vector<double> grid;       // per output point: log2 frequency
  std::vector<double> weight;     // auditory weighting per output point
  double step = 0;                // grid spacing (octaves)
  double points_per_octave = 0;
  std::vector<double> y, y2, enhanced, octave, sum;
};

namespace {

// Keeps only spectral peaks and their immediate surroundings, so that noise between
// harmonics adds less to the subharmonic sums.
void enhance_peaks(std::vector<double>& a) {
  const int n = static_cast<int>(a.size());
  std::vector<char> keep(a.size(), 0);
  // +-2 bins gave voicing decisions closest to openSMILE's; wider windows gave better
  // F0 values but more fragmented voicing (docs/features.md).
  constexpr int kHalfWidth = 2;
  for (int i = 1; i + 1 < n; ++i) {
    if (a[static_cast<std::size_t>(i)] > a[static_cast<std::size_t>(i - 1)] && a[static_cast<std::size_t>(i)] >= a[static_cast<std::size_t>(i + 1)])
      for (int k = std::max(0, i - kHalfWidth); k <= std::min(n - 1, i + kHalfWidth); ++k) keep[static_cast<std::size_t>(k)] = 1;
  }
  for (int i = 0; i < n; ++i)
    if (!keep[static_cast<std::size_t>(i)]) a[static_cast<std::size_t>(i)] = 0.0;
}

// Three-tap (1/4, 1/2, 1/4) smoothing.
void smooth3(std::vector<double>& a) {
  if (a.size() < 3) return;
  double previous = a[0];
  for (std::size_t i = 1; i + 1 < a.size(); ++i) {
    const double current = a[i];
    a[i] = 0.25 * previous + 0.5 * current + 0.25 * a[i + 1];
    previous = current;
  }
}

// Vertex of the parabola through three equally spaced points (x0 - h, x0, x0 + h).
std::pair<double, double> parabola_peak(double x0, double h, double ym, double y0, double yp) {
  const double denom = ym - 2.0 * y0 + yp;
  if (denom >= 0.0) return {x0, y0};
  const double offset = 0.5 * (ym - yp) / denom;
  return {x0 + offset * h, y0 - 0.25 * (ym - yp) * offset};
}

}  // namespace

ShsPitch::ShsPitch(const FrameGeometry& g, const ShsParams& params) : params_(params), axis_(std::make_unique<Axis>()) {
  Axis& a = *axis_;
  a.bins = g.fft_size / 2 + 1;
  if (a.bins < 8) throw Error("SHS pitch: FFT too small");
  const double bin_hz = g.rate_hz / g.fft_size;
  const double top_hz = bin_hz * (a.bins - 1);
  a.knot.resize(static_cast<std::size_t>(a.bins));
  for (int k = 1; k < a.bins; ++k) a.knot[static_cast<std::size_t>(k)] = std::log2(k * bin_hz);
  a.knot[0] = 2.0 * a.knot[1] - a.knot[2];  // DC has no log frequency; extrapolate a knot

  // Natural spline: second derivatives solve a tridiagonal system whose matrix depends
  // only on the knots, so its factorisation is done once here.
  const int n = a.bins;
  a.diag_inv.assign(static_cast<std::size_t>(n), 0.0);
  a.upper.assign(static_cast<std::size_t>(n), 0.0);
  double prev_upper = 0.0, prev_diag_inv = 0.0;
  for (int i = 1; i + 1 < n; ++i) {
    const double hl = a.knot[static_cast<std::size_t>(i)] - a.knot[static_cast<std::size_t>(i - 1)];
    const double hr = a.knot[static_cast<std::size_t>(i + 1)] - a.knot[static_cast<std::size_t>(i)];
    const double lower = hl / 6.0, diag = (hl + hr) / 3.0, upper = hr / 6.0;
    const double d = diag - (i > 1 ? lower * prev_upper * prev_diag_inv : 0.0);
    a.diag_inv[static_cast<std::size_t>(i)] = 1.0 / d;
    a.upper[static_cast<std::size_t>(i)] = upper;
    prev_upper = upper;
    prev_diag_inv = 1.0 / d;
  }

  const double low = std::log2(params.lowest_hz), high = std::log2(top_hz);
  a.step = (high - low) / (n - 1);
  a.points_per_octave = (n - 1 + 1) / (high - low);
  a.grid.resize(static_cast<std::size_t>(n));
  a.interval.resize(static_cast<std::size_t>(n));
  a.weight.resize(static_cast<std::size_t>(n));
  int k = 0;
  // Auditory weighting: an arctangent ramp that attenuates the lowest frequencies.
  const double ramp_start = a.points_per_octave * std::log2(65.0 / 50.0) - 1.0;
  for (int i = 0; i < n; ++i) {
    const double x = low + i * a.step;
    while (k + 2 < n && a.knot[static_cast<std::size_t>(k + 1)] < x) ++k;
    a.grid[static_cast<std::size_t>(i)] = x;
    a.interval[static_cast<std::size_t>(i)] = k;
    const double h = a.knot[static_cast<std::size_t>(k + 1)] - a.knot[static_cast<std::size_t>(k)];
    const double B = (x - a.knot[static_cast<std::size_t>(k)]) / h, A = 1.0 - B;
    a.coeff.push_back({A, B, (A * A * A - A) * h * h / 6.0, (B * B * B - B) * h * h / 6.0});
    a.weight[static_cast<std::size_t>(i)] = 0.5 + std::atan(3.0 * (i + 1 - ramp_start) / a.points_per_octave) / std::numbers::pi;
  }
  a.inv_width.resize(static_cast<std::size_t>(n - 1));
  for (int i = 0; i + 1 < n; ++i) a.inv_width[static_cast<std::size_t>(i)] = 1.0 / (a.knot[static_cast<std::size_t>(i + 1)] - a.knot[static_cast<std::size_t>(i)]);
  a.y.resize(static_cast<std::size_t>(n));
  a.y2.resize(static_cast<std::size_t>(n));
  a.octave.resize(static_cast<std::size_t>(n));
  a.sum.resize(static_cast<std::size_t>(n));
}

ShsPitch::~ShsPitch() = default;

std::vector<PitchCandidate> ShsPitch::candidates(std::span<const float> magnitude) {
  Axis& a = *axis_;
  const int n = a.bins;
  if (static_cast<int>(magnitude.size()) != n) throw Error("SHS pitch: spectrum size mismatch");
  for (int i = 0; i < n; ++i) a.y[static_cast<std::size_t>(i)] = magnitude[static_cast<std::size_t>(i)];
  enhance_peaks(a.y);
  smooth3(a.y);

  // Spline second derivatives (natural ends: y2 = 0 at both knots at the ends).
  auto& y = a.y;
  auto& y2 = a.y2;
  std::fill(y2.begin(), y2.end(), 0.0);
  std::vector<double>& rhs = a.sum;  // reuse as scratch
  for (int i = 1; i + 1 < n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    double r = (y[u + 1] - y[u]) * a.inv_width[u] - (y[u] - y[u - 1]) * a.inv_width[u - 1];
    if (i > 1) r -= (a.knot[u] - a.knot[u - 1]) / 6.0 * rhs[u - 1] * a.diag_inv[u - 1];
    rhs[u] = r;
  }
  for (int i = n - 2; i >= 1; --i) {
    const double next = (i + 2 < n) ? y2[static_cast<std::size_t>(i + 1)] : 0.0;
    y2[static_cast<std::size_t>(i)] = (rhs[static_cast<std::size_t>(i)] - a.upper[static_cast<std::size_t>(i)] * next) * a.diag_inv[static_cast<std::size_t>(i)];
  }
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(a.interval[static_cast<std::size_t>(i)]);
    const auto& c = a.coeff[static_cast<std::size_t>(i)];
    const double v = c[0] * y[k] + c[1] * y[k + 1] + c[2] * y2[k] + c[3] * y2[k + 1];
    a.octave[static_cast<std::size_t>(i)] = v > 0.0 ? v * a.weight[static_cast<std::size_t>(i)] : 0.0;
  }

  // Subharmonic summation: harmonic h of a tone at log2 f sits at log2 f + log2 h.
  auto& ss = a.sum;
  std::copy(a.octave.begin(), a.octave.end(), ss.begin());
  double scale = params_.compression;
  for (int h = 2; h <= params_.harmonics; ++h) {
    const int shift = static_cast<int>(std::floor(a.points_per_octave * std::log2(h)));
    for (int j = shift; j < n; ++j) ss[static_cast<std::size_t>(j - shift)] += a.octave[static_cast<std::size_t>(j)] * scale;
    scale *= params_.compression;
  }
  double mean = 0.0;
  for (auto& v : ss) {
    v = std::max(0.0, v / params_.harmonics);
    mean += v;
  }
  mean /= n;

  // The highest local maxima, refined by a parabola on the log2 axis.
  std::vector<std::pair<double, int>> peaks;
  for (int i = 1; i + 1 < n; ++i)
    if (ss[static_cast<std::size_t>(i - 1)] < ss[static_cast<std::size_t>(i)] && ss[static_cast<std::size_t>(i)] > ss[static_cast<std::size_t>(i + 1)])
      peaks.emplace_back(ss[static_cast<std::size_t>(i)], i);
  std::sort(peaks.begin(), peaks.end(), [](const auto& l, const auto& r) { return l.first > r.first; });
  std::vector<PitchCandidate> out;
  for (const auto& [score, i] : peaks) {
    if (static_cast<int>(out.size()) == params_.candidates) break;
    const auto [x, peak] = parabola_peak(a.grid[static_cast<std::size_t>(i)], a.step, ss[static_cast<std::size_t>(i - 1)], score, ss[static_cast<std::size_t>(i + 1)]);
    const double f0 = std::exp2(x);
    if (f0 < params_.min_pitch_hz || f0 > params_.max_pitch_hz) continue;
    PitchCandidate c;
    c.f0_hz = f0;
    c.voicing = (peak > 0.0 && peak > mean) ? 1.0 - mean / peak : 0.0;
    out.push_back(c);
  }
  return out;
}

namespace {

// Frequency-range penalty: 0 inside 100-350 Hz, rising outside.
double range_penalty(double f) {
  if (f <= 0.0) return 2.0;
  if (f < 100.0) return 1.0 - f / 100.0;
  if (f < 350.0) return 0.0;
  if (f < 600.0) return (f - 350.0) / 250.0;
  return 1.2;
}

}  // namespace

std::vector<double> viterbi_pitch(const std::vector<std::vector<PitchCandidate>>& frames, double cutoff, const ViterbiWeights& w) {
  const std::size_t T = frames.size();
  std::vector<double> f0(T, 0.0);
  if (T == 0) return f0;
  std::size_t slots = 0;
  for (const auto& f : frames) slots = std::max(slots, f.size());
  const std::size_t S = slots + 1;  // last state: unvoiced
  const std::size_t unvoiced = slots;
  auto freq = [&](std::size_t t, std::size_t s) { return s < frames[t].size() ? frames[t][s].f0_hz : 0.0; };
  auto local = [&](std::size_t t, std::size_t s) {
    if (s == unvoiced) {
      for (const auto& c : frames[t])
        if (c.voicing >= cutoff) return w.local * w.threshold;
      return 0.0;
    }
    if (s >= frames[t].size()) return 1e6;  // empty slot: never chosen
    const double pv = std::clamp(frames[t][s].voicing, 0.01, 1.0);
    const double thr = pv < cutoff ? w.threshold : 0.0;
    return (-std::log(pv) + thr) * w.local + range_penalty(frames[t][s].f0_hz) * w.range;
  };

  std::vector<double> cost(S), next_cost(S), change(S, 0.0), next_change(S, 0.0);
  std::vector<std::vector<std::uint8_t>> back(T, std::vector<std::uint8_t>(S, 0));
  for (std::size_t s = 0; s < S; ++s) cost[s] = local(0, s);
  for (std::size_t t = 1; t < T; ++t) {
    for (std::size_t s = 0; s < S; ++s) {
      double best = std::numeric_limits<double>::infinity();
      std::size_t arg = 0;
      double best_change = 0.0;
      for (std::size_t p = 0; p < S; ++p) {
        double trans, r = 0.0;
        if (s == unvoiced && p == unvoiced) trans = 0.0;
        else if (s == unvoiced || p == unvoiced) trans = w.voicing_switch;
        else {
          const double f_prev = freq(t - 1, p), f_now = freq(t, s);
          if (f_prev <= 0.0 || f_now <= 0.0) trans = 999.0;
          else {
            r = std::log(f_now / f_prev);
            trans = w.voiced_voiced * std::fabs(r) + w.voiced_delta * std::fabs(r - change[p]);
          }
        }
        const double c = cost[p] + trans;
        if (c < best) best = c, arg = p, best_change = r;
      }
      next_cost[s] = best + local(t, s);
      next_change[s] = best_change;
      back[t][s] = static_cast<std::uint8_t>(arg);
    }
    cost.swap(next_cost);
    change.swap(next_change);
  }
  std::size_t s = static_cast<std::size_t>(std::min_element(cost.begin(), cost.end()) - cost.begin());
  for (std::size_t t = T; t-- > 0;) {
    f0[t] = s == unvoiced ? 0.0 : freq(t, s);
    if (t > 0) s = back[t][s];
  }
  return f0;
}

}  // namespace seraug
