// The experiment runner's progress line on stderr: a bar, cells done of the shard's,
// an ETA, and what runs now.
//
// Cells differ in cost by two orders of magnitude (a GAN cell trains five GANs per fold;
// a baseline cell fits one SVM), and the cheap ones often run first, so elapsed time per
// finished cell badly underestimates what is left (a 6-minute GAN cell was announced as
// 32 s). CellTimes estimates each remaining cell from finished cells of the same cost
// class (the plan's weight), also those timed by an earlier run of the folder
// (`<cell>.seconds`), and falls back to seconds per weight unit over all of them.
#pragma once

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

namespace seraug {

class CellTimes {
 public:
  void add(int weight, double seconds) {
    auto& [sum, count] = by_weight_[weight];
    sum += seconds, ++count;
    total_seconds_ += seconds, total_weight_ += weight;
  }
  // Seconds a cell of this weight is expected to take; negative while nothing is known.
  double estimate(int weight) const {
    if (const auto it = by_weight_.find(weight); it != by_weight_.end()) return it->second.first / it->second.second;
    return total_weight_ > 0 ? total_seconds_ / total_weight_ * weight : -1;
  }

 private:
  std::map<int, std::pair<double, int>> by_weight_;
  double total_seconds_ = 0;
  double total_weight_ = 0;
};

// `remaining`: the estimated seconds of the cells not yet done (negative: unknown).
inline void experiment_progress(std::size_t done, std::size_t total, const std::string& what, double remaining) {
  const int width = 30;
  const int filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
  std::string eta = "?";
  if (remaining >= 0 && done < total) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(remaining) / 60, static_cast<int>(remaining) % 60);
    eta = buf;
  } else if (done == total) {
    eta = "0s";
  }
  std::fprintf(stderr, "experiment: [%s%s] %zu/%zu cells, ETA %s  %s\n", std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total, eta.c_str(), what.c_str());
}

}  // namespace seraug
