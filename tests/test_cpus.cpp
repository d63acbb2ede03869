// "0 threads" means the CPUs this process may use, not the machine's (issue 33): the
// affinity mask, the cgroup quota and Slurm's allotment each bound it.
#include <gtest/gtest.h>
#include <sched.h>

#include <cstdlib>
#include <thread>

#include "seraug/common/cpus.hpp"
#include "seraug/common/parallel.hpp"

namespace seraug {
namespace {

// Restores the affinity mask and $SLURM_CPUS_PER_TASK it found.
class SavedAllotment {
 public:
  SavedAllotment() {
    sched_getaffinity(0, sizeof mask_, &mask_);
    if (const char* s = std::getenv("SLURM_CPUS_PER_TASK")) slurm_ = s, had_slurm_ = true;
  }
  ~SavedAllotment() {
    sched_setaffinity(0, sizeof mask_, &mask_);
    had_slurm_ ? ::setenv("SLURM_CPUS_PER_TASK", slurm_.c_str(), 1) : ::unsetenv("SLURM_CPUS_PER_TASK");
  }

 private:
  cpu_set_t mask_{};
  std::string slurm_;
  bool had_slurm_ = false;
};

TEST(Cpus, TheAffinityMaskBoundsTheCount) {
  SavedAllotment saved;
  ::unsetenv("SLURM_CPUS_PER_TASK");
  const CpuAllowance all = read_cpu_allowance();
  EXPECT_GE(all.affinity, 1u);
  EXPECT_LE(all.usable, all.affinity);
  EXPECT_LE(all.usable, std::max(1u, std::thread::hardware_concurrency()));
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);  // as `taskset -c 0` does
  const CpuAllowance pinned = read_cpu_allowance();
  EXPECT_EQ(pinned.affinity, 1u);
  EXPECT_EQ(pinned.usable, 1u);
}

TEST(Cpus, SlurmsAllotmentBoundsTheCount) {
  SavedAllotment saved;
  ::setenv("SLURM_CPUS_PER_TASK", "1", 1);
  EXPECT_EQ(read_cpu_allowance().slurm, 1u);
  EXPECT_EQ(read_cpu_allowance().usable, 1u);
  for (const char* bad : {"", "0", "4x", "-2"}) {  // not a count: ignored, never a crash
    ::setenv("SLURM_CPUS_PER_TASK", bad, 1);
    EXPECT_EQ(read_cpu_allowance().slurm, 0u) << bad;
  }
}

TEST(Cpus, ZeroThreadsMeansTheUsableCpus) {
  EXPECT_EQ(resolve_thread_count(0), usable_cpus());
  EXPECT_EQ(resolve_thread_count(3), 3u);
  EXPECT_EQ(resolve_threads(0), usable_cpus());
}

}  // namespace
}  // namespace seraug
