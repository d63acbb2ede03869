// The experiment runner's progress line on stderr: a bar, cells done of the shard's,
// an ETA from the cells this process computed, and what runs now.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>

namespace seraug {

inline void experiment_progress(std::size_t done, std::size_t total, const std::string& what, double elapsed, std::size_t done_here) {
  const int width = 30;
  const int filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
  std::string eta = "?";
  if (done_here > 0 && done < total) {
    const double remaining = elapsed / static_cast<double>(done_here) * static_cast<double>(total - done);
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
