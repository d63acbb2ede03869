#include "seraug/audio/real_fft.hpp"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <utility>

#include "seraug/common/error.hpp"
#include "seraug/common/fftw_planner.hpp"

namespace seraug {
namespace {

struct PlanPair {
  fftwf_plan forward = nullptr, inverse = nullptr;
};

// Owns the plans so that they are destroyed at exit (leak checkers see no loss).
struct PlanCache {
  std::map<std::size_t, PlanPair> by_size;
  PlanCache() = default;
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;
  ~PlanCache() {
    for (auto& [size, p] : by_size) {
      if (p.forward) fftwf_destroy_plan(p.forward);
      if (p.inverse) fftwf_destroy_plan(p.inverse);
    }
  }
};

// Planned on fftwf_malloc'ed buffers; executed later with the new-array interface on
// std::vector buffers, so FFTW must not assume alignment (FFTW_UNALIGNED).
PlanPair plans_for(std::size_t size) {
  static PlanCache cache;
  std::lock_guard lock(fftw_planner_mutex());
  if (const auto it = cache.by_size.find(size); it != cache.by_size.end()) return it->second;
  float* time = fftwf_alloc_real(size);
  fftwf_complex* spectrum = fftwf_alloc_complex(size / 2 + 1);
  PlanPair p;
  if (time && spectrum) {
    const int n = static_cast<int>(size);
    p.forward = fftwf_plan_dft_r2c_1d(n, time, spectrum, FFTW_ESTIMATE | FFTW_UNALIGNED);
    p.inverse = fftwf_plan_dft_c2r_1d(n, spectrum, time, FFTW_ESTIMATE | FFTW_UNALIGNED);
  }
  fftwf_free(time);
  fftwf_free(spectrum);
  if (!p.forward || !p.inverse) throw Error("FFTW could not plan a transform of size " + std::to_string(size));
  return cache.by_size.emplace(size, p).first->second;
}

}  // namespace

std::size_t next_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

RealFft::RealFft(std::size_t size) : size_(size) {
  if (size < 2 || next_power_of_two(size) != size) throw Error("RealFft: size " + std::to_string(size) + " is not a power of two >= 2");
  const PlanPair p = plans_for(size);
  forward_plan_ = p.forward;
  inverse_plan_ = p.inverse;
}

void RealFft::forward(const std::vector<float>& time, std::vector<std::complex<float>>& spectrum) const {
  spectrum.resize(bins());
  // r2c does not write its input; the cast only satisfies FFTW's signature.
  fftwf_execute_dft_r2c(static_cast<fftwf_plan>(forward_plan_), const_cast<float*>(time.data()),
                        reinterpret_cast<fftwf_complex*>(spectrum.data()));
}

void RealFft::inverse(const std::vector<std::complex<float>>& spectrum, std::vector<float>& time) const {
  time.resize(size_);
  // c2r overwrites its input: transform a copy.
  std::vector<std::complex<float>> scratch = spectrum;
  fftwf_execute_dft_c2r(static_cast<fftwf_plan>(inverse_plan_), reinterpret_cast<fftwf_complex*>(scratch.data()), time.data());
  const float scale = 1.0f / static_cast<float>(size_);
  for (auto& v : time) v *= scale;
}

}  // namespace seraug
