#include "seraug/features/pitch_shs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
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
  std::vector<double> y, y2, octave, sum;
  std::vector<int> maxima;
};

namespace {

// Peak enhancement as openSMILE's SHS front end does it: between each pair of
// neighbouring local maxima, everything further than 2 bins from both is zeroed, so
// noise between harmonics adds less to the subharmonic sums. The ends count as maxima
// when they exceed their neighbour; a spectrum with fewer than two maxima is left as is.
void enhance_peaks(std::vector<double>& a, std::vector<int>& maxima) {
  const int n = static_cast<int>(a.size());
  if (n < 2) return;
  auto at = [&](int i) { return a[static_cast<std::size_t>(i)]; };
  maxima.clear();
  if (at(0) > at(1)) maxima.push_back(0);
  for (int i = 1; i + 1 < n; ++i)
    if (at(i) > at(i - 1) && at(i) >= at(i + 1)) maxima.push_back(i);
  if (at(n - 1) > at(n - 2)) maxima.push_back(n - 1);
  constexpr int kKeep = 2;
  for (std::size_t m = 1; m < maxima.size(); ++m)
    for (int j = maxima[m - 1] + kKeep + 1; j <= maxima[m] - kKeep - 1; ++j) a[static_cast<std::size_t>(j)] = 0.0;
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
  enhance_peaks(a.y, a.maxima);
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

  // The highest local maxima of the whole axis, refined by a parabola on the log2 axis;
  // those outside the pitch range are then dropped (so a frame may keep fewer than
  // params.candidates), and the best refined score moves to the front.
  std::vector<std::pair<double, int>> peaks;
  for (int i = 1; i + 1 < n; ++i)
    if (ss[static_cast<std::size_t>(i - 1)] < ss[static_cast<std::size_t>(i)] && ss[static_cast<std::size_t>(i)] > ss[static_cast<std::size_t>(i + 1)])
      peaks.emplace_back(ss[static_cast<std::size_t>(i)], i);
  std::stable_sort(peaks.begin(), peaks.end(), [](const auto& l, const auto& r) { return l.first > r.first; });
  if (static_cast<int>(peaks.size()) > params_.candidates) peaks.resize(static_cast<std::size_t>(params_.candidates));
  std::vector<PitchCandidate> out;
  std::vector<double> refined_score;
  for (const auto& [score, i] : peaks) {
    const auto [x, peak] = parabola_peak(a.grid[static_cast<std::size_t>(i)], a.step, ss[static_cast<std::size_t>(i - 1)], score, ss[static_cast<std::size_t>(i + 1)]);
    const double f0 = std::exp2(x);
    if (f0 < params_.min_pitch_hz || f0 > params_.max_pitch_hz) continue;
    PitchCandidate c;
    c.f0_hz = f0;
    c.voicing = (peak > 0.0 && peak > mean) ? 1.0 - mean / peak : 0.0;
    out.push_back(c);
    refined_score.push_back(peak);
  }
  if (!out.empty()) {
    const auto best = std::max_element(refined_score.begin(), refined_score.end()) - refined_score.begin();
    std::swap(out[0], out[static_cast<std::size_t>(best)]);
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

namespace {

// openSMILE's incremental Viterbi, reproduced with its quirks because eGeMAPS values
// depend on them: the "delta" term compares each transition with whichever transition
// was costed just before it (one running value, not the change along the path); an
// empty candidate slot is a state too; and decisions are made online with a 40-frame
// path buffer (a frame is fixed once all paths agree on it, or forced from the best
// path when the buffer is full).
class OnlineViterbi {
 public:
  OnlineViterbi(const std::vector<std::vector<PitchCandidate>>& frames, std::size_t slots, double cutoff, const ViterbiWeights& w)
      : frames_(frames), slots_(slots), states_(slots + 1), cutoff_(cutoff), w_(w) {}

  std::vector<std::size_t> decode() {
    const std::size_t T = frames_.size(), S = states_, B = static_cast<std::size_t>(std::max(1, w_.buffer_frames));
    std::vector<std::size_t> decided(T, unvoiced());
    std::vector<double> cost(S), next_cost(S);
    std::vector<std::size_t> paths(S * B), next_paths(S * B);
    long converged = -1;  // last decided frame
    for (std::size_t t = 0; t < T; ++t) {
      if (t == 0) {
        for (std::size_t s = 0; s < S; ++s) cost[s] = local(0, s), paths[s * B] = s;
      } else {
        for (std::size_t s = 0; s < S; ++s) {
          std::size_t from = 0;
          double best = transition(t, s, 0) + cost[0];
          for (std::size_t p = 1; p < S; ++p) {
            const double c = transition(t, s, p) + cost[p];
            if (c < best) best = c, from = p;
          }
          next_cost[s] = best + local(t, s);
          std::copy_n(paths.begin() + static_cast<long>(from * B), B, next_paths.begin() + static_cast<long>(s * B));
          next_paths[s * B + t % B] = s;
        }
        cost.swap(next_cost);
        paths.swap(next_paths);
      }
      const long filled = static_cast<long>(t) + 1;
      if (filled - converged > static_cast<long>(B)) {
        ++converged;
        decided[static_cast<std::size_t>(converged)] = paths[cheapest(cost) * B + static_cast<std::size_t>(converged) % B];
      } else {
        for (long n = converged + 1; n < filled; ++n) {
          const std::size_t x = paths[static_cast<std::size_t>(n) % B];
          bool agree = true;
          for (std::size_t s = 1; s < S && agree; ++s) agree = paths[s * B + static_cast<std::size_t>(n) % B] == x;
          if (!agree) break;
          decided[static_cast<std::size_t>(++converged)] = x;
        }
      }
    }
    if (T > 0) {
      const std::size_t s = cheapest(cost);
      for (long n = converged + 1; n < static_cast<long>(T); ++n) decided[static_cast<std::size_t>(n)] = paths[s * B + static_cast<std::size_t>(n) % B];
    }
    return decided;
  }

  double freq(std::size_t t, std::size_t s) const { return s < frames_[t].size() ? frames_[t][s].f0_hz : 0.0; }
  std::size_t unvoiced() const { return slots_; }

 private:
  double voicing(std::size_t t, std::size_t s) const { return s < frames_[t].size() ? frames_[t][s].voicing : 0.0; }

  static std::size_t cheapest(const std::vector<double>& cost) {
    return static_cast<std::size_t>(std::min_element(cost.begin(), cost.end()) - cost.begin());
  }

  double local(std::size_t t, std::size_t s) const {
    if (s == unvoiced()) {
      for (std::size_t j = 0; j < slots_; ++j)
        if (voicing(t, j) >= cutoff_) return w_.local * w_.threshold;
      return 0.0;
    }
    const double pv = std::clamp(voicing(t, s), 0.01, 1.0);
    const double thr = pv < cutoff_ ? w_.threshold : 0.0;
    return (-std::log(pv) + thr) * w_.local + range_penalty(freq(t, s)) * w_.range;
  }

  double transition(std::size_t t, std::size_t s, std::size_t p) {
    const bool now_voiced = s != unvoiced(), before_voiced = p != unvoiced();
    if (now_voiced && before_voiced) {
      const double f_prev = freq(t - 1, p), f_now = freq(t, s);
      if (f_prev <= 0.0 || f_now <= 0.0) return 999.0;  // empty slot
      const double r = std::log(f_now / f_prev);
      const double c = w_.voiced_voiced * std::fabs(r) + w_.voiced_delta * std::fabs(r - last_change_);
      last_change_ = r;
      return c;
    }
    if (now_voiced != before_voiced) {
      last_change_ = 0.0;
      return w_.voicing_switch;
    }
    return w_.unvoiced_unvoiced;
  }

  const std::vector<std::vector<PitchCandidate>>& frames_;
  std::size_t slots_, states_;
  double cutoff_;
  ViterbiWeights w_;
  double last_change_ = 1.0;
};

}  // namespace

PitchTrack viterbi_pitch_track(const std::vector<std::vector<PitchCandidate>>& frames, double cutoff, const ViterbiWeights& w) {
  std::size_t slots = static_cast<std::size_t>(std::max(0, w.slots));
  for (const auto& f : frames) slots = std::max(slots, f.size());
  OnlineViterbi viterbi(frames, slots, cutoff, w);
  const std::vector<std::size_t> states = viterbi.decode();
  PitchTrack track{std::vector<double>(frames.size(), 0.0), std::vector<double>(frames.size(), 0.0)};
  for (std::size_t t = 0; t < frames.size(); ++t) {
    track.f0[t] = viterbi.freq(t, states[t]);
    const std::size_t shown = states[t] == viterbi.unvoiced() ? 0 : states[t];
    track.voicing[t] = shown < frames[t].size() ? frames[t][shown].voicing : 0.0;
  }
  return track;
}

std::vector<double> viterbi_pitch(const std::vector<std::vector<PitchCandidate>>& frames, double cutoff, const ViterbiWeights& w) {
  return viterbi_pitch_track(frames, cutoff, w).f0;
}

PitchTrack gated_viterbi_pitch(std::span<const float> signal, const FrameGeometry& g, int frames, const ShsParams& params,
                               const ViterbiWeights& w, double energy_floor) {
  FrameAnalysis frame(g, 0.0, WindowKind::Gaussian);
  ShsPitch shs(g, params);
  std::vector<std::vector<PitchCandidate>> candidates(static_cast<std::size_t>(frames));
  std::vector<double> rms(static_cast<std::size_t>(frames));
  for (int t = 0; t < frames; ++t) {
    frame.load(signal.data() + static_cast<std::size_t>(t) * g.step_samples);
    double e = 0.0;
    for (const float v : frame.windowed()) e += static_cast<double>(v) * v;
    rms[static_cast<std::size_t>(t)] = std::sqrt(e / g.frame_samples);
    candidates[static_cast<std::size_t>(t)] = shs.candidates(frame.magnitude());
  }
  PitchTrack track = viterbi_pitch_track(candidates, params.voicing_cutoff, w);
  for (std::size_t t = 0; t < rms.size(); ++t)
    if (rms[t] < energy_floor) track.f0[t] = track.voicing[t] = 0.0;
  return track;
}

}  // namespace seraug
