// Real FFTs of power-of-two sizes for the audio perturbations (internal to the audio
// layer). Plans are made once per size and process under the shared planner mutex and
// executed on the caller's buffers, so any number of threads may transform at once.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace seraug {

class RealFft {
 public:
  explicit RealFft(std::size_t size);  // size: a power of two >= 2
  std::size_t size() const { return size_; }
  std::size_t bins() const { return size_ / 2 + 1; }
  // time (size values) -> spectrum (bins values)
  void forward(const std::vector<float>& time, std::vector<std::complex<float>>& spectrum) const;
  // spectrum (bins values) -> time (size values), scaled by 1/size so inverse(forward(x)) = x
  void inverse(const std::vector<std::complex<float>>& spectrum, std::vector<float>& time) const;

 private:
  std::size_t size_;
  void* forward_plan_;
  void* inverse_plan_;
};

std::size_t next_power_of_two(std::size_t n);

}  // namespace seraug
