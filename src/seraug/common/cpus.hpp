// How many CPUs this process may use: what "0 = all" means for every thread count.
//
// std::thread::hardware_concurrency() counts the machine's CPUs and ignores what a
// scheduler allots: on a 64-core node where Slurm (--cpus-per-task=4), taskset or a
// container's CPU quota gives this process 4, it says 64, and a pool of 64 threads (plus
// OpenBLAS's and LibTorch's) fights over 4 CPUs. The count here is the smallest of:
//   - the CPUs in this process's affinity mask (sched_getaffinity: taskset, Slurm's
//     task/affinity and cgroup cpusets),
//   - the cgroup CPU bandwidth quota, rounded up (cgroup v2 cpu.max, v1
//     cpu.cfs_quota_us / cpu.cfs_period_us): a container limited to 1.5 CPUs gets 2,
//   - $SLURM_CPUS_PER_TASK when Slurm set it,
// and at least 1. Computed once per process.
#pragma once

#include <string>
#include <vector>

namespace seraug {

struct CpuAllowance {
  unsigned affinity = 0;    // CPUs in the affinity mask (0: unknown)
  unsigned quota = 0;       // cgroup bandwidth quota in CPUs, rounded up (0: none)
  unsigned slurm = 0;       // $SLURM_CPUS_PER_TASK (0: unset)
  unsigned usable = 1;      // the smallest of those known, at least 1
};

// Read once; the same for the whole process.
const CpuAllowance& cpu_allowance();
// Read now (tests change the affinity mask or $SLURM_CPUS_PER_TASK and read again).
CpuAllowance read_cpu_allowance();
// cpu_allowance().usable.
unsigned usable_cpus();
// A thread-count setting: > 0 is taken as it is, 0 (or less) means usable_cpus().
unsigned resolve_thread_count(int requested);
// The thread-count functions of every OpenBLAS already loaded in the process (LibTorch's
// matrix products), each once: libblas.so.3 may hand back libopenblas's own functions.
struct BlasThreads {
  void (*set)(int);
  int (*get)();
};
std::vector<BlasThreads> loaded_blas_threads();
// Sets the thread pool of every loaded OpenBLAS to `threads`; nothing when none is loaded.
void limit_blas_threads(unsigned threads);
// The kernel family the loaded OpenBLAS chose for this CPU at load time ("Haswell",
// "SkylakeX", ...; $OPENBLAS_CORETYPE overrides it), "" when none is loaded. The DNN's and
// the cycle-GANs' numbers depend on it: kernels sum a product's terms in different orders.
std::string blas_kernel();

}  // namespace seraug
