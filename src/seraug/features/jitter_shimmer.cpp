// voice_analysis.hpp's jitter_shimmer: the period search and its correlations.
#include "seraug/features/voice_analysis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "seraug/common/avx2_clones.hpp"

namespace seraug {
namespace {

// s[q][u] = sum over chunks c < chunks of a[4c + u] * b[4c + q + u]: the running sums
// of lags L + q when b = a + L. A four-double vector is one lag's four sums, so
// lane u adds exactly the products the scalar order adds; the AVX2 build holds it in
// one register, the baseline in two SSE2 ones.
SERAUG_AVX2_CLONES void shared_cross_sums(const double* a, const double* b, int chunks,
                                          std::array<std::array<double, 4>, 4>& s) {
  using Double4 = double __attribute__((vector_size(4 * sizeof(double))));
  Double4 s0{}, s1{}, s2{}, s3{};
  for (int c = 0; c < chunks; ++c) {
    const int k = 4 * c;
    Double4 x, y0, y1, y2, y3;
    std::memcpy(&x, a + k, sizeof x);  // unaligned loads
    std::memcpy(&y0, b + k, sizeof y0);
    std::memcpy(&y1, b + k + 1, sizeof y1);
    std::memcpy(&y2, b + k + 2, sizeof y2);
    std::memcpy(&y3, b + k + 3, sizeof y3);
    s0 += x * y0;
    s1 += x * y1;
    s2 += x * y2;
    s3 += x * y3;
  }
  std::memcpy(s[0].data(), &s0, sizeof s0);
  std::memcpy(s[1].data(), &s1, sizeof s1);
  std::memcpy(s[2].data(), &s2, sizeof s2);
  std::memcpy(s[3].data(), &s3, sizeof s3);
}

// Period search correlations: for each lag L, the normalised correlation of the
// period x[pos..pos+L) with the next one, x[pos+L..pos+2L). `energy` holds prefix sums
// of x^2, so only the cross terms cost a pass over the samples.
//
// Summation order (so results do not depend on how lags are grouped): per lag, products
// go into four running sums by k mod 4 over whole chunks of four (k + 4 <= L), the tail
// into the first, and the result is (s0 + s1) + (s2 + s3). One running sum per lag
// would serialise on the add latency; four consecutive lags share one pass over the
// samples, which gives 16 independent sums and reuses each loaded x[pos + k].
class LagCorrelator {
 public:
  LagCorrelator(std::span<const float> x) : x_(x.begin(), x.end()), energy_(x.size() + 1, 0.0) {
    for (std::size_t i = 0; i < x_.size(); ++i) energy_[i + 1] = energy_[i] + x_[i] * x_[i];
  }

  // cc[L] for every L in [first, last] (cc must hold last + 1 values).
  void correlate(int pos, int first, int last, std::vector<double>& cc) const {
    int lag = first;
    for (; lag + 3 <= last; lag += 4) four_lags(pos, lag, cc);
    for (; lag <= last; ++lag) cc[static_cast<std::size_t>(lag)] = normalise(pos, lag, cross_sum(pos, lag, 0, {0, 0, 0, 0}));
  }

 private:
  using Sums = std::array<double, 4>;

  // Continues lag L's running sums from chunk `chunk` to its end and folds them.
  double cross_sum(int pos, int lag, int chunk, Sums s) const {
    const double* a = x_.data() + pos;
    const double* b = a + lag;
    int k = 4 * chunk;
    for (; k + 4 <= lag; k += 4)
      for (int u = 0; u < 4; ++u) s[static_cast<std::size_t>(u)] += a[k + u] * b[k + u];
    for (; k < lag; ++k) s[0] += a[k] * b[k];
    return (s[0] + s[1]) + (s[2] + s[3]);
  }

  void four_lags(int pos, int lag, std::vector<double>& cc) const {
    const int shared_chunks = lag / 4;  // whole chunks of the shortest of the four lags
    std::array<Sums, 4> s;
    shared_cross_sums(x_.data() + pos, x_.data() + pos + lag, shared_chunks, s);
    for (int q = 0; q < 4; ++q)
      cc[static_cast<std::size_t>(lag + q)] = normalise(pos, lag + q, cross_sum(pos, lag + q, shared_chunks, s[static_cast<std::size_t>(q)]));
  }

  double normalise(int pos, int lag, double ab) const {
    const auto at = [&](int i) { return energy_[static_cast<std::size_t>(i)]; };
    const double aa = at(pos + lag) - at(pos), bb = at(pos + 2 * lag) - at(pos + lag);
    return (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0.0;
  }

  std::vector<double> x_;       // float samples as doubles (float products are exact in double)
  std::vector<double> energy_;  // energy_[i] = sum of x^2 over [0, i)
};

// The largest |x[i]|, as max(largest x, -smallest x). Maxima and minima are exact, so
// running them in vector lanes (one running value would wait on each comparison) gives
// the value of a single scan, and widening the float to double afterwards is exact.
double peak_amplitude(const float* x, int n) {
  using Float4 = float __attribute__((vector_size(4 * sizeof(float))));
  Float4 high{}, low{};
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    Float4 v;
    std::memcpy(&v, x + i, sizeof v);
    high = v > high ? v : high;
    low = v < low ? v : low;
  }
  float top = 0.0f, bottom = 0.0f;
  for (int u = 0; u < 4; ++u) top = std::max(top, high[u]), bottom = std::min(bottom, low[u]);
  for (; i < n; ++i) top = std::max(top, x[i]), bottom = std::min(bottom, x[i]);
  return static_cast<double>(std::max(top, -bottom));
}

}  // namespace

JitterShimmer jitter_shimmer(std::span<const float> x, double rate_hz, double f0_hz, double search_rel, double min_correlation) {
  JitterShimmer out;
  if (f0_hz <= 0) return out;
  const double t0 = rate_hz / f0_hz;
  const int shortest = std::max(2, static_cast<int>(std::floor(t0 * (1.0 - search_rel))));
  const int longest = static_cast<int>(std::ceil(t0 * (1.0 + search_rel)));
  const int n = static_cast<int>(x.size());
  // Start at the largest peak of the first period, where period marks are most stable.
  int pos = 0;
  for (int i = 1; i < std::min(n, longest); ++i)
    if (std::fabs(x[static_cast<std::size_t>(i)]) > std::fabs(x[static_cast<std::size_t>(pos)])) pos = i;

  const LagCorrelator correlator(x);
  std::vector<double> periods, amplitudes;
  std::vector<double> cc(static_cast<std::size_t>(longest + 2), -1.0);
  double jitter_sum = 0, shimmer_sum = 0, shimmer_rel_sum = 0, ddp_sum = 0, period_sum = 0;
  int pairs = 0, triples = 0, counted_periods = 0;
  while (pos + 2 * longest + 1 < n) {
    correlator.correlate(pos, shortest - 1, longest + 1, cc);
    int best = shortest;
    for (int lag = shortest + 1; lag <= longest; ++lag)
      if (cc[static_cast<std::size_t>(lag)] > cc[static_cast<std::size_t>(best)]) best = lag;
    if (cc[static_cast<std::size_t>(best)] < min_correlation) {  // not periodic here: restart the chain
      periods.clear();
      amplitudes.clear();
      pos += static_cast<int>(std::lround(t0));
      continue;
    }
    const double ym = cc[static_cast<std::size_t>(best - 1)], y0 = cc[static_cast<std::size_t>(best)], yp = cc[static_cast<std::size_t>(best + 1)];
    const double denom = ym - 2 * y0 + yp;
    const double period = best + (denom < 0 ? 0.5 * (ym - yp) / denom : 0.0);
    const double amplitude = peak_amplitude(x.data() + pos, best);
    if (!periods.empty()) {
      jitter_sum += std::fabs(period - periods.back()) / (0.5 * (period + periods.back()));
      if (amplitude > 0 && amplitudes.back() > 0) shimmer_sum += std::fabs(20.0 * std::log10(amplitude / amplitudes.back()));
      const double mean_amplitude = 0.5 * (amplitude + amplitudes.back());
      if (mean_amplitude > 0) shimmer_rel_sum += std::fabs(amplitude - amplitudes.back()) / mean_amplitude;
      ++pairs;
    }
    if (periods.size() >= 2) {  // difference of consecutive period differences
      const std::size_t k = periods.size();
      ddp_sum += std::fabs((period - periods[k - 1]) - (periods[k - 1] - periods[k - 2]));
      ++triples;
    }
    period_sum += period;
    ++counted_periods;
    periods.push_back(period);
    amplitudes.push_back(amplitude);
    pos += best;
  }
  if (pairs > 0) {
    out.jitter_local = jitter_sum / pairs;
    out.shimmer_db = shimmer_sum / pairs;
    out.shimmer_local = shimmer_rel_sum / pairs;
  }
  if (triples > 0) out.jitter_ddp = ddp_sum / triples / (period_sum / counted_periods);
  return out;
}

}  // namespace seraug
