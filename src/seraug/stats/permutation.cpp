#include "seraug/stats/permutation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace seraug {

double sign_flip_p_value(const std::vector<double>& d, std::uint64_t seed) {
  if (d.empty()) return 1.0;
  const double observed = std::fabs(std::accumulate(d.begin(), d.end(), 0.0));
  const double tolerance = 1e-12 * (1.0 + observed);
  long extreme = 0, total = 0;
  if (d.size() <= 20) {
    for (unsigned long mask = 0; mask < (1ul << d.size()); ++mask, ++total) {
      double s = 0;
      for (std::size_t i = 0; i < d.size(); ++i) s += (mask >> i & 1) ? -d[i] : d[i];
      if (std::fabs(s) >= observed - tolerance) ++extreme;
    }
    return static_cast<double>(extreme) / static_cast<double>(total);
  }
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution flip(0.5);
  constexpr long kDraws = 20000;
  for (long i = 0; i < kDraws; ++i) {
    double s = 0;
    for (double v : d) s += flip(rng) ? -v : v;
    if (std::fabs(s) >= observed - tolerance) ++extreme;
  }
  return static_cast<double>(extreme + 1) / static_cast<double>(kDraws + 1);
}


std::vector<double> holm_adjusted(const std::vector<double>& p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(p.size());
  double running = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(p.size() - i) * p[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

}  // namespace seraug
