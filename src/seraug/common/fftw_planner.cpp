#include "seraug/common/fftw_planner.hpp"

namespace seraug {

std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace seraug
