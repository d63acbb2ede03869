// FFTW's planner is not thread-safe (executing plans on distinct arrays is): every layer
// that plans transforms holds this one mutex while it plans or destroys a plan.
#pragma once

#include <mutex>

namespace seraug {

std::mutex& fftw_planner_mutex();

}  // namespace seraug
