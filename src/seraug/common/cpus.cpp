#include "seraug/common/cpus.hpp"

#include <dlfcn.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

#include "seraug/common/tokens.hpp"

namespace seraug {
namespace {

unsigned affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return static_cast<unsigned>(CPU_COUNT(&set));
}

// CPUs = ceil(quota / period); 0 for "no limit" or when the files are absent.
unsigned quota_cpus(double quota, double period) {
  if (!(quota > 0) || !(period > 0)) return 0;
  return static_cast<unsigned>(std::max(1.0, std::ceil(quota / period - 1e-9)));
}

// The quota of the nearest group, from `dir` up to `root`, that sets one.
template <typename ReadQuota>
unsigned nearest_quota(std::string dir, const std::string& root, ReadQuota read) {
  while (true) {
    if (const unsigned cpus = read(dir); cpus > 0) return cpus;
    if (dir.size() <= root.size()) return 0;
    dir = dir.substr(0, dir.rfind('/'));
  }
}

unsigned cgroup_quota_cpus() {
  // /proc/self/cgroup: "0::/path" (v2) and "N:cpu,cpuacct:/path" (v1) lines.
  std::string v2_group, v1_group;
  bool v1 = false;
  {
    std::ifstream in("/proc/self/cgroup");
    for (std::string line; std::getline(in, line);) {
      const auto first = line.find(':'), second = line.find(':', first + 1);
      if (first == std::string::npos || second == std::string::npos) continue;
      const std::string controllers = "," + line.substr(first + 1, second - first - 1) + ",";
      const std::string path = line.substr(second + 1);
      if (controllers == ",,") v2_group = path;
      if (controllers.find(",cpu,") != std::string::npos) v1 = true, v1_group = path;
    }
  }
  if (v1) {
    for (const std::string mount : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
      const unsigned cpus = nearest_quota(mount + (v1_group == "/" ? "" : v1_group), mount, [](const std::string& dir) {
        std::ifstream q(dir + "/cpu.cfs_quota_us"), p(dir + "/cpu.cfs_period_us");
        double quota = 0, period = 0;
        return q >> quota && p >> period ? quota_cpus(quota, period) : 0u;  // quota -1: none
      });
      if (cpus > 0) return cpus;
    }
    return 0;
  }
  const std::string root = "/sys/fs/cgroup";
  return nearest_quota(root + (v2_group == "/" ? "" : v2_group), root, [](const std::string& dir) {
    std::ifstream in(dir + "/cpu.max");
    std::string quota, period;
    if (!(in >> quota >> period) || quota == "max") return 0u;
    const auto q = parse_finite_number_token(quota), p = parse_finite_number_token(period);
    return q && p ? quota_cpus(*q, *p) : 0u;
  });
}

unsigned slurm_cpus() {
  const char* text = std::getenv("SLURM_CPUS_PER_TASK");
  if (!text) return 0;
  const auto value = parse_unsigned_token(text, 1 << 20);
  return value ? static_cast<unsigned>(*value) : 0;
}

}  // namespace

CpuAllowance read_cpu_allowance() {
  CpuAllowance a;
  a.affinity = affinity_cpus();
  a.quota = cgroup_quota_cpus();
  a.slurm = slurm_cpus();
  unsigned usable = 0;
  for (unsigned n : {a.affinity, a.quota, a.slurm})
    if (n > 0) usable = usable == 0 ? n : std::min(usable, n);
  a.usable = std::max(1u, usable);
  return a;
}

const CpuAllowance& cpu_allowance() {
  static const CpuAllowance allowance = read_cpu_allowance();
  return allowance;
}

unsigned usable_cpus() { return cpu_allowance().usable; }

namespace {

// Calls `use(handle)` for each OpenBLAS already loaded in the process (libblas.so.3 may
// be OpenBLAS under its other name), without loading one.
template <typename Use>
void for_each_loaded_openblas(Use use) {
  for (const char* library : {"libopenblas.so.0", "libblas.so.3"})
    if (void* handle = dlopen(library, RTLD_NOW | RTLD_NOLOAD)) {
      use(handle);
      dlclose(handle);  // RTLD_NOLOAD took a reference; the library stays loaded
    }
}

}  // namespace

std::vector<BlasThreads> loaded_blas_threads() {
  std::vector<BlasThreads> found;
  for_each_loaded_openblas([&](void* handle) {
    auto set = reinterpret_cast<void (*)(int)>(dlsym(handle, "openblas_set_num_threads"));
    auto get = reinterpret_cast<int (*)()>(dlsym(handle, "openblas_get_num_threads"));
    const bool seen = std::any_of(found.begin(), found.end(), [&](const BlasThreads& b) { return b.set == set; });
    if (set && get && !seen) found.push_back({set, get});
  });
  return found;
}

void limit_blas_threads(unsigned threads) {
  for (const auto& blas : loaded_blas_threads()) blas.set(static_cast<int>(threads));
}

std::string blas_kernel() {
  std::string kernel;
  for_each_loaded_openblas([&](void* handle) {
    auto name = reinterpret_cast<char* (*)()>(dlsym(handle, "openblas_get_corename"));
    if (name && kernel.empty()) kernel = name();
  });
  return kernel;
}

unsigned resolve_thread_count(int requested) { return requested > 0 ? static_cast<unsigned>(requested) : usable_cpus(); }

}  // namespace seraug
