#include "seraug/features/pitch_shs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
#include <numbers>

#include "seraug/common/avx2_clones.hpp"
#include "seraug/common/error.hpp"

namespace seraug {

// The fixed geometry of the linear -> octave resampling: knots of a natural cubic
// spline at log2 of each FFT bin's frequency, evaluated on an evenly spaced log2 grid.
//
// Work buffers hold a batch of kBatch frames interleaved, value [i * kBatch + f] for
// point i of frame f: the spline recurrences are sequential along the axis, so one
// frame at a time waits on every step's latency, while interleaved frames advance
// together (in SIMD lanes) with each frame's arithmetic in the same order as alone.
struct ShsPitch::Axis {
  static constexpr int B = ShsPitch::kBatch;
  int bins = 0;                   // linear spectrum bins (and octave-axis points)
  std::vector<double> knot;       // log2 frequency of each linear bin
  std::vector<double> diag_inv;   // Thomas-algorithm factors of the spline system
  std::vector<double> upper;
  std::vector<double> lower;      // (knot[i] - knot[i-1]) / 6
  std::vector<double> inv_width;  // 1 / (knot[i+1] - knot[i])
  std::vector<int> interval;      // per output point: index of its left knot
  std::vector<std::array<double, 4>> coeff;  // per output point: weights of y[k], y[k+1], y2[k], y2[k+1]
  std::vector<double> grid;       // per output point: log2 frequency
  std::vector<double> weight;     // auditory weighting per output point
  std::vector<int> shift;         // per harmonic h = 2..H: its offset on the octave axis
  std::vector<double> scale;      // per harmonic h = 2..H: compression^(h-1)
  double step = 0;                // grid spacing (octaves)
  double points_per_octave = 0;
  std::vector<double> frame;      // one frame's spectrum while its peaks are enhanced
  std::vector<double> enhanced, y, rhs, y2, octave, sum;  // interleaved batches
  std::vector<int> maxima;
  std::array<std::vector<int>, B> lane_maxima;  // each lane's local maxima of `sum`, in axis order
  std::vector<std::pair<double, int>> peaks;  // one frame's best SHS maxima: score, index
  std::vector<PitchCandidate> kept;           // one frame's candidates while they are chosen
  std::vector<double> refined_score;          // and their refined scores
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
  // Every index is written and the count advances only at maxima: on noisy spectra a
  // branch per bin would be mispredicted about as often as not.
  maxima.resize(static_cast<std::size_t>(n));
  std::size_t count = 0;
  maxima[count] = 0;
  count += at(0) > at(1);
  for (int i = 1; i + 1 < n; ++i) {
    maxima[count] = i;
    count += static_cast<std::size_t>(int{at(i) > at(i - 1)} & int{at(i) >= at(i + 1)});  // & not &&: no branch
  }
  maxima[count] = n - 1;
  count += at(n - 1) > at(n - 2);
  maxima.resize(count);
  constexpr int kKeep = 2;
  for (std::size_t m = 1; m < maxima.size(); ++m)
    for (int j = maxima[m - 1] + kKeep + 1; j <= maxima[m] - kKeep - 1; ++j) a[static_cast<std::size_t>(j)] = 0.0;
}

// Inserts `peak` into `best` (highest score first, equal scores in arrival order) and
// keeps at most `limit`: the same as a stable sort of all peaks cut to `limit`, without
// sorting the whole axis's maxima.
void keep_highest(std::vector<std::pair<double, int>>& best, std::pair<double, int> peak, std::size_t limit) {
  auto at = best.end();
  while (at != best.begin() && std::prev(at)->first < peak.first) --at;
  if (static_cast<std::size_t>(at - best.begin()) >= limit) return;
  best.insert(at, peak);
  if (best.size() > limit) best.pop_back();
}

// Vertex of the parabola through three equally spaced points (x0 - h, x0, x0 + h).
std::pair<double, double> parabola_peak(double x0, double h, double ym, double y0, double yp) {
  const double denom = ym - 2.0 * y0 + yp;
  if (denom >= 0.0) return {x0, y0};
  const double offset = 0.5 * (ym - yp) / denom;
  return {x0 + offset * h, y0 - 0.25 * (ym - yp) * offset};
}

constexpr std::size_t kB = ShsPitch::kBatch;

// The batch loops below do each lane's arithmetic as one frame alone would, so their
// AVX2 builds (four lanes per instruction instead of SSE2's two) give the same values.

// Three-tap (1/4, 1/2, 1/4) smoothing of the interleaved batch `enhanced` into `y`; the
// end points are copied. Every lane is smoothed at once (a frame at a time, the
// interleaved stores went one double at a time).
SERAUG_AVX2_CLONES void smooth3(ShsPitch::Axis& a) {
  const auto n = static_cast<std::size_t>(a.bins);
  const double* e = a.enhanced.data();
  double* y = a.y.data();
  std::copy(e, e + kB, y);
  for (std::size_t j = kB; j < (n - 1) * kB; ++j) y[j] = 0.25 * e[j - kB] + 0.5 * e[j] + 0.25 * e[j + kB];
  std::copy(e + (n - 1) * kB, e + n * kB, y + (n - 1) * kB);
}

// Natural-spline second derivatives of the interleaved batch `y` (y2 = 0 at both ends):
// the forward sweep and back substitution of the tridiagonal system factored in the
// constructor.
SERAUG_AVX2_CLONES void solve_spline(ShsPitch::Axis& a) {
  const auto n = static_cast<std::size_t>(a.bins);
  const double* y = a.y.data();
  double* rhs = a.rhs.data();
  double* y2 = a.y2.data();
  std::fill(y2, y2 + n * kB, 0.0);
  for (std::size_t u = 1; u + 1 < n; ++u) {
    double r[kB];
    for (std::size_t f = 0; f < kB; ++f)
      r[f] = (y[(u + 1) * kB + f] - y[u * kB + f]) * a.inv_width[u] - (y[u * kB + f] - y[(u - 1) * kB + f]) * a.inv_width[u - 1];
    if (u > 1)
      for (std::size_t f = 0; f < kB; ++f) r[f] -= a.lower[u] * rhs[(u - 1) * kB + f] * a.diag_inv[u - 1];
    for (std::size_t f = 0; f < kB; ++f) rhs[u * kB + f] = r[f];
  }
  // Back substitution; y2 at u + 1 = n - 1 is the natural end's 0, so the last point's
  // loop needs no test and vectorises like the others.
  for (std::size_t u = n - 2; u >= 1; --u)
    for (std::size_t f = 0; f < kB; ++f) y2[u * kB + f] = (rhs[u * kB + f] - a.upper[u] * y2[(u + 1) * kB + f]) * a.diag_inv[u];
}

// The spline on the octave grid, auditory-weighted, negative values cut to 0; then the
// subharmonic sums: harmonic h of a tone at log2 f sits at log2 f + log2 h.
SERAUG_AVX2_CLONES void octave_sums(ShsPitch::Axis& a, int harmonics) {
  const auto n = static_cast<std::size_t>(a.bins);
  // One point's four lanes as one vector: the same sums in the same order, and the cut
  // to 0 as a mask, which compilers left as a branch per lane in the scalar form.
  static_assert(kB == 4);
  using Double4 = double __attribute__((vector_size(4 * sizeof(double))));
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(a.interval[i]);
    const auto& c = a.coeff[i];
    Double4 y0, y1, d0, d1;  // y and y2 at the interval's two knots (unaligned loads)
    std::memcpy(&y0, &a.y[k * kB], sizeof y0);
    std::memcpy(&y1, &a.y[(k + 1) * kB], sizeof y1);
    std::memcpy(&d0, &a.y2[k * kB], sizeof d0);
    std::memcpy(&d1, &a.y2[(k + 1) * kB], sizeof d1);
    const Double4 v = c[0] * y0 + c[1] * y1 + c[2] * d0 + c[3] * d1;
    const Double4 weighted = v > 0.0 ? v * a.weight[i] : Double4{};
    std::memcpy(&a.octave[i * kB], &weighted, sizeof weighted);
  }
  std::copy(a.octave.begin(), a.octave.end(), a.sum.begin());
  for (std::size_t h = 0; h + 2 <= static_cast<std::size_t>(harmonics); ++h) {
    const auto shift = static_cast<std::size_t>(a.shift[h]);
    const double scale = a.scale[h];
    for (std::size_t j = shift * kB; j < n * kB; ++j) a.sum[j - shift * kB] += a.octave[j] * scale;
  }
}

// Sums averaged over the harmonics, negatives cut to 0; each lane's mean in axis order.
SERAUG_AVX2_CLONES std::array<double, kB> average_sums(ShsPitch::Axis& a, int harmonics) {
  const auto n = static_cast<std::size_t>(a.bins);
  std::array<double, kB> mean{};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < kB; ++f) {
      double& v = a.sum[i * kB + f];
      v = std::max(0.0, v / harmonics);
      mean[f] += v;
    }
  for (double& m : mean) m /= static_cast<double>(n);
  return mean;
}

// Each lane's local maxima of the sums (above both neighbours), all lanes in one pass.
// Every index is written and a lane's count advances only at its maxima: a branch per
// point would be mispredicted often on these jagged sums.
void find_lane_maxima(ShsPitch::Axis& a) {
  const auto n = static_cast<std::size_t>(a.bins);
  const double* s = a.sum.data();
  std::array<std::size_t, kB> count{};
  for (auto& m : a.lane_maxima) m.resize(n);
  for (std::size_t i = 1; i + 1 < n; ++i)
    for (std::size_t f = 0; f < kB; ++f) {
      const double v = s[i * kB + f];
      a.lane_maxima[f][count[f]] = static_cast<int>(i);
      count[f] += static_cast<std::size_t>(int{s[(i - 1) * kB + f] < v} & int{v > s[(i + 1) * kB + f]});
    }
  for (std::size_t f = 0; f < kB; ++f) a.lane_maxima[f].resize(count[f]);
}

}  // namespace

namespace {

// Natural spline over the log-frequency knots: the second derivatives solve a
// tridiagonal system whose matrix depends only on the knots, so it is factorised once.
void factor_spline(ShsPitch::Axis& a) {
  const int n = a.bins;
  a.diag_inv.assign(static_cast<std::size_t>(n), 0.0);
  a.upper.assign(static_cast<std::size_t>(n), 0.0);
  a.lower.assign(static_cast<std::size_t>(n), 0.0);
  double prev_upper = 0.0, prev_diag_inv = 0.0;
  for (int i = 1; i + 1 < n; ++i) {
    const double hl = a.knot[static_cast<std::size_t>(i)] - a.knot[static_cast<std::size_t>(i - 1)];
    const double hr = a.knot[static_cast<std::size_t>(i + 1)] - a.knot[static_cast<std::size_t>(i)];
    const double lower = hl / 6.0, diag = (hl + hr) / 3.0, upper = hr / 6.0;
    const double d = diag - (i > 1 ? lower * prev_upper * prev_diag_inv : 0.0);
    a.diag_inv[static_cast<std::size_t>(i)] = 1.0 / d;
    a.upper[static_cast<std::size_t>(i)] = upper;
    a.lower[static_cast<std::size_t>(i)] = lower;
    prev_upper = upper;
    prev_diag_inv = 1.0 / d;
  }

}

// The evenly spaced log-frequency grid from lowest_hz to top_hz: each point's spline
// interval and coefficients, and the auditory weight.
void lay_out_grid(ShsPitch::Axis& a, double lowest_hz, double top_hz) {
  const int n = a.bins;
  const double low = std::log2(lowest_hz), high = std::log2(top_hz);
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
}

// Octave shifts and compressed weights of harmonics 2..harmonics.
void harmonic_shifts(ShsPitch::Axis& a, const ShsParams& params) {
  const int n = a.bins;
  double scale = params.compression;
  for (int h = 2; h <= params.harmonics; ++h) {
    // A shift past the axis adds nothing; clamping keeps the loops' bounds simple.
    a.shift.push_back(std::min(n, static_cast<int>(std::floor(a.points_per_octave * std::log2(h)))));
    a.scale.push_back(scale);
    scale *= params.compression;
  }
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
  factor_spline(a);
  lay_out_grid(a, params.lowest_hz, top_hz);
  harmonic_shifts(a, params);
  const auto batch = static_cast<std::size_t>(a.bins) * kB;
  a.frame.resize(static_cast<std::size_t>(a.bins));
  for (auto* v : {&a.enhanced, &a.y, &a.rhs, &a.y2, &a.octave, &a.sum}) v->assign(batch, 0.0);
}

ShsPitch::~ShsPitch() = default;

int ShsPitch::bins() const { return axis_->bins; }

std::vector<PitchCandidate> ShsPitch::candidates(std::span<const float> magnitude) {
  std::vector<PitchCandidate> out;
  candidates(magnitude, {&out, 1});
  return out;
}

void ShsPitch::candidates(std::span<const float> magnitudes, std::span<std::vector<PitchCandidate>> out) {
  Axis& a = *axis_;
  const auto n = static_cast<std::size_t>(a.bins);
  const std::size_t frames = out.size();
  if (frames > kB || magnitudes.size() != frames * n) throw Error("SHS pitch: spectrum size mismatch");
  // Each frame's spectrum, peak-enhanced, into its lane; unused lanes are 0. Then all
  // lanes smoothed into y.
  for (std::size_t f = 0; f < kB; ++f) {
    if (f < frames) {
      for (std::size_t i = 0; i < n; ++i) a.frame[i] = magnitudes[f * n + i];
      enhance_peaks(a.frame, a.maxima);
    } else {
      std::fill(a.frame.begin(), a.frame.end(), 0.0);
    }
    for (std::size_t i = 0; i < n; ++i) a.enhanced[i * kB + f] = a.frame[i];
  }
  smooth3(a);
  solve_spline(a);
  octave_sums(a, params_.harmonics);
  const auto mean = average_sums(a, params_.harmonics);
  find_lane_maxima(a);
  for (std::size_t f = 0; f < frames; ++f) out[f] = best_peaks(f, mean[f]);
}

std::vector<PitchCandidate> ShsPitch::best_peaks(std::size_t lane, double mean) {
  Axis& a = *axis_;
  const auto ss = [&](std::size_t i) { return a.sum[i * kB + lane]; };

  // The highest local maxima of the whole axis, refined by a parabola on the log2 axis;
  // those outside the pitch range are then dropped (so a frame may keep fewer than
  // params.candidates), and the best refined score moves to the front.
  auto& peaks = a.peaks;
  peaks.clear();
  for (const int i : a.lane_maxima[lane])
    keep_highest(peaks, {ss(static_cast<std::size_t>(i)), i}, static_cast<std::size_t>(std::max(0, params_.candidates)));
  // Built in the axis's scratch and returned in one allocation of the final size: a long
  // file keeps every frame's candidates, and growing each list by push_back left the
  // heap fragmented (docs/performance.md, "Extraction").
  auto& kept = a.kept;
  auto& refined_score = a.refined_score;
  kept.clear();
  refined_score.clear();
  for (const auto& [score, index] : peaks) {
    const auto i = static_cast<std::size_t>(index);
    const auto [x, peak] = parabola_peak(a.grid[i], a.step, ss(i - 1), score, ss(i + 1));
    const double f0 = std::exp2(x);
    if (f0 < params_.min_pitch_hz || f0 > params_.max_pitch_hz) continue;
    PitchCandidate c;
    c.f0_hz = f0;
    c.voicing = (peak > 0.0 && peak > mean) ? 1.0 - mean / peak : 0.0;
    kept.push_back(c);
    refined_score.push_back(peak);
  }
  if (!kept.empty()) {
    const auto best = std::max_element(refined_score.begin(), refined_score.end()) - refined_score.begin();
    std::swap(kept[0], kept[static_cast<std::size_t>(best)]);
  }
  return {kept.begin(), kept.end()};
}

std::vector<std::vector<PitchCandidate>> shs_candidates(std::span<const float> signal, int frames, FrameAnalysis& analysis,
                                                        ShsPitch& shs, const std::function<void(int, FrameAnalysis&)>& also) {
  std::vector<std::vector<PitchCandidate>> out;
  shs_candidates(signal, frames, analysis, shs, out, also, nullptr);
  return out;
}

void shs_candidates(std::span<const float> signal, int frames, FrameAnalysis& analysis, ShsPitch& shs,
                    std::vector<std::vector<PitchCandidate>>& out, const std::function<void(int, FrameAnalysis&)>& also,
                    const std::function<void(int, int)>& batch_done) {
  const FrameGeometry& g = analysis.geometry();
  const auto n = static_cast<std::size_t>(shs.bins());
  if (static_cast<std::size_t>(g.fft_size / 2 + 1) != n) throw Error("SHS pitch: spectrum size mismatch");
  out.assign(static_cast<std::size_t>(std::max(0, frames)), {});
  std::vector<float> batch(n * ShsPitch::kBatch);
  for (int first = 0; first < frames; first += ShsPitch::kBatch) {
    const int count = std::min(ShsPitch::kBatch, frames - first);
    for (int f = 0; f < count; ++f) {
      const int t = first + f;
      analysis.load(signal.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(g.step_samples));
      if (also) also(t, analysis);
      const auto magnitude = analysis.magnitude();
      std::copy(magnitude.begin(), magnitude.end(), batch.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(f) * n));
    }
    shs.candidates({batch.data(), static_cast<std::size_t>(count) * n},
                   {out.data() + first, static_cast<std::size_t>(count)});
    if (batch_done) batch_done(first, count);
  }
}

}  // namespace seraug
