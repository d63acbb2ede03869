// peak_stats (contour_functionals.hpp): the Peaks2 functionals of a contour in steps:
// salient extrema, then amplitude, distance and slope statistics.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "seraug/features/contour_functionals.hpp"

namespace seraug {

namespace {

struct Extremum {
  bool is_max;
  double y;
  long x;
  bool erased = false;  // pruned: the passes skip it; salient_extrema drops it at the end
};
// A contour's extrema in time order. The pruning passes mark entries erased instead of
// removing them, so that the positions they remember (the last maximum, the last
// minimum) stay valid, as a linked list's iterators would, without a node allocation per
// extremum (a ComParE clip's 130 contours have dozens each).
using ExtremumList = std::vector<Extremum>;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// All local extrema (away from the first and last two frames).
ExtremumList local_extrema(std::span<const double> in) {
  ExtremumList list;
  list.reserve(in.size() / 2);
  const long n = static_cast<long>(in.size());
  for (long i = 2; i < n - 2; ++i) {
    const double v = in[static_cast<std::size_t>(i)], l = in[static_cast<std::size_t>(i - 1)], r = in[static_cast<std::size_t>(i + 1)];
    if (v > l && v > r) list.push_back({true, v, i});
    else if (v < l && v < r) list.push_back({false, v, i});
  }
  return list;
}

// Pass 1: drops maxima that rise less than `threshold` from the last extremum and from
// the last minimum, keeping the higher of close maxima.
void prune_small_rises(ExtremumList& list, double first, double threshold) {
  auto below = [threshold](double d) { return d < threshold; };
  double last_value = first, last_min = first, last_max = first;
  bool min_flag = false;
  std::size_t last_max_at = kNone;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Extremum& e = list[i];
    const double y = e.y;
    if (e.is_max) {
      if (below(std::fabs(y - last_value))) {
        if (below(y - last_min)) {
          e.erased = true;
        } else {
          if (y > last_max * 1.05) {
            if (last_max_at != kNone) list[last_max_at].erased = true;
            last_max = y, last_max_at = i;
          } else if (min_flag) {
            last_max = y, last_max_at = i;
          } else {
            e.erased = true;
          }
          min_flag = false;
        }
      } else {
        min_flag = false, last_max = y, last_max_at = i;
      }
    } else if (!below(std::fabs(y - last_value))) {
      min_flag = true, last_min = y;
    }
    last_value = y;
  }
}

// Pass 2: drops minima less than `threshold` below the running maximum.
void prune_small_valleys(ExtremumList& list, double first, double threshold) {
  double running_max = first;
  for (Extremum& e : list) {
    if (e.erased) continue;
    if (!e.is_max && running_max - e.y < threshold) e.erased = true;
    else if (e.is_max) running_max = e.y;
  }
}

// Pass 3: makes maxima and minima alternate; of two same-type neighbours the more
// extreme stays.
void keep_alternating(ExtremumList& list) {
  bool init = true, after_min = false;
  std::size_t last_min_at = kNone, last_max_at = kNone;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Extremum& e = list[i];
    if (e.erased) continue;
    if (!e.is_max) {
      if (!after_min || init) {
        last_min_at = i, after_min = true, init = false;
      } else if (e.y >= list[last_min_at].y) {
        e.erased = true;
      } else {
        list[last_min_at].erased = true;
        last_min_at = i;
      }
    } else {
      if (after_min || init) {
        last_max_at = i, after_min = false, init = false;
      } else if (e.y <= list[last_max_at].y) {
        e.erased = true;
      } else {
        list[last_max_at].erased = true;
        last_max_at = i;
      }
    }
  }
}

// Local extrema that survive openSMILE's three pruning passes: minimum rise/fall,
// small valleys, and alternation (of two same-type neighbours the more extreme stays).
ExtremumList salient_extrema(std::span<const double> in, double threshold) {
  ExtremumList list = local_extrema(in);
  prune_small_rises(list, in[0], threshold);
  prune_small_valleys(list, in[0], threshold);
  keep_alternating(list);
  std::erase_if(list, [](const Extremum& e) { return e.erased; });
  return list;
}

struct MeanStd {
  double mean = 0, stddev = 0;
};

// Peak and valley amplitudes and the mean distance (frames) between successive peaks.
struct Amplitudes {
  double peak_max = 0, peak_min = 0, peak_sum = 0, peak_distance = 0, valley_max = 0, valley_min = 0;
  long peaks = 0;
};

Amplitudes amplitudes(const ExtremumList& list) {
  Amplitudes a;
  const Extremum* last_peak = nullptr;
  const Extremum* last_valley = nullptr;
  for (const auto& e : list) {
    if (e.is_max) {
      if (!last_peak) a.peak_min = a.peak_max = e.y;
      else a.peak_distance += static_cast<double>(e.x - last_peak->x), a.peak_min = std::min(a.peak_min, e.y), a.peak_max = std::max(a.peak_max, e.y);
      last_peak = &e, a.peak_sum += e.y, ++a.peaks;
    } else {
      if (!last_valley) a.valley_min = a.valley_max = e.y;
      else a.valley_min = std::min(a.valley_min, e.y), a.valley_max = std::max(a.valley_max, e.y);
      last_valley = &e;
    }
  }
  if (a.peaks > 1) a.peak_distance /= static_cast<double>(a.peaks - 1);
  return a;
}

// openSMILE's spread of peak distances measures each peak from the valley before it.
double peak_distance_variance(const ExtremumList& list, double mean_distance, long peaks) {
  double variance = 0;
  const Extremum* last_valley = nullptr;
  bool seen_peak = false;
  for (const auto& e : list) {
    if (!e.is_max) { last_valley = &e; continue; }
    if (seen_peak && last_valley) {
      const double d = static_cast<double>(e.x - last_valley->x) - mean_distance;
      variance += d * d;
    }
    seen_peak = true;
  }
  if (peaks > 2) variance /= static_cast<double>(peaks - 1);
  return variance;
}

// Calls rising(slope) / falling(slope) for the slopes between successive extrema (units
// per second); returns where the last extremum left off.
struct SlopeEnd {
  int last_is_max = -1;  // -1: no extremum
  double last_max = 0;
  long last_max_pos = 0;
  double last_min = 0;
  long last_min_pos = 0;
};

template <typename Rising, typename Falling>
SlopeEnd for_each_slope(std::span<const double> in, const ExtremumList& list, double T, Rising&& rising, Falling&& falling) {
  SlopeEnd e{-1, in[0], 0, in[0], 0};
  for (const auto& x : list) {
    if (x.is_max) {
      e.last_max = x.y, e.last_max_pos = x.x;
      if (e.last_max_pos - e.last_min_pos > 0) rising((e.last_max - e.last_min) / (static_cast<double>(e.last_max_pos - e.last_min_pos) * T)), e.last_is_max = 1;
    } else {
      e.last_min = x.y, e.last_min_pos = x.x;
      if (e.last_min_pos - e.last_max_pos > 0) falling((e.last_max - e.last_min) / (static_cast<double>(e.last_min_pos - e.last_max_pos) * T)), e.last_is_max = 0;
    }
  }
  return e;
}

// Mean and standard deviation of the rising and falling slopes, the slope from the last
// extremum to the end included (and, without extrema, the slope of the whole contour).
std::pair<MeanStd, MeanStd> slope_moments(std::span<const double> in, const ExtremumList& list, double T) {
  const long n = static_cast<long>(in.size());
  MeanStd rising, falling;
  int n_rising = 0, n_falling = 0;
  const SlopeEnd end = for_each_slope(in, list, T, [&](double s) { rising.mean += s, ++n_rising; }, [&](double s) { falling.mean += s, ++n_falling; });
  const double end_value = in[static_cast<std::size_t>(n - 1)];
  if (end.last_is_max == 1 && n - 1 - end.last_max_pos > 0) {
    falling.mean += (end_value - end.last_max) / (static_cast<double>(n - 1 - end.last_max_pos) * T), ++n_falling;
  } else if (end.last_is_max == 0 && n - 1 - end.last_min_pos > 0) {
    rising.mean += (end_value - end.last_min) / (static_cast<double>(n - 1 - end.last_min_pos) * T), ++n_rising;
  } else if (end.last_is_max == -1) {
    const double s = (end_value - in[0]) / static_cast<double>(n);
    if (s > 0) rising.mean = s, n_rising = 1;
    else if (s < 0) falling.mean = s, n_falling = 1;
  }
  if (n_rising > 1) rising.mean /= n_rising;
  if (n_falling > 1) falling.mean /= n_falling;
  for_each_slope(in, list, T, [&](double s) { rising.stddev += (s - rising.mean) * (s - rising.mean); },
                 [&](double s) { falling.stddev += (s - falling.mean) * (s - falling.mean); });
  if (n_rising > 1) rising.stddev /= n_rising;
  if (n_falling > 1) falling.stddev /= n_falling;
  return {rising, falling};
}

}  // namespace

PeakStats peak_stats(std::span<const double> in, double frame_seconds) {
  PeakStats out;
  const long n = static_cast<long>(in.size());
  if (n == 0) return out;
  const auto [lo, hi] = std::minmax_element(in.begin(), in.end());
  const double range = *hi - *lo;
  double mean = 0;
  for (double v : in) mean += v;
  mean /= static_cast<double>(n);
  const ExtremumList list = salient_extrema(in, 0.1 * range);
  const Amplitudes a = amplitudes(list);
  const double peak_mean = a.peaks > 0 ? a.peak_sum / static_cast<double>(a.peaks) : 0.0;
  const double distance_var = peak_distance_variance(list, a.peak_distance, a.peaks);
  const double T = frame_seconds;
  const auto [rising, falling] = slope_moments(in, list, T);

  out.mean_distance = a.peak_distance * T;
  out.distance_stddev = distance_var > 0 ? std::sqrt(distance_var) * T : 0.0;
  out.range_abs = a.peak_max - a.peak_min;
  out.range_rel = range != 0.0 ? std::min(1.0, std::fabs(out.range_abs / range)) : out.range_abs;
  out.mean_abs = peak_mean;
  out.mean_minus_contour_mean = peak_mean - mean;
  out.mean_rel = mean != 0.0 ? ratio_limit(peak_mean / mean, 10.0, 10.0) : 20.0;
  out.valley_range_rel = range != 0.0 ? std::min(1.0, std::fabs((a.valley_max - a.valley_min) / range)) : a.valley_max - a.valley_min;
  out.rising_mean = rising.mean, out.rising_stddev = rising.stddev > 0 ? std::sqrt(rising.stddev) : 0.0;
  out.falling_mean = falling.mean, out.falling_stddev = falling.stddev > 0 ? std::sqrt(falling.stddev) : 0.0;
  return out;
}

}  // namespace seraug
