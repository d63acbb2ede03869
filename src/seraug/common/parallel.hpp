// A minimal parallel loop: calls fn(i) for i in [0, n) on up to `threads` threads
// (0 = every CPU this process may use). Each index runs exactly once; results written to
// per-index slots stay deterministic. The first exception is rethrown after all threads
// have stopped. A SIGINT/SIGTERM stops the loop before its next index (Interrupted), so
// long searches (a hyperparameter grid: one fit per index) stop within one fit.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "seraug/common/cpus.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {

// 0 = the CPUs this process may use (cpus.hpp: affinity, cgroup quota, Slurm's allotment).
inline unsigned resolve_threads(int threads) { return resolve_thread_count(threads); }

template <typename Fn>
void parallel_for(std::size_t n, int threads, Fn fn) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        check_interrupt();
        fn(i);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = n;  // stop handing out work
      }
    }
  };
  const unsigned count = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), std::max<std::size_t>(n, 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace seraug
