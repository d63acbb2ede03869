// The checks evaluate_sweep runs before any fold is trained (internal to the eval layer).
#pragma once

#include "seraug/data/dataset.hpp"
#include "seraug/eval/evaluate.hpp"

namespace seraug {

// Throws seraug::Error naming the option for every combination evaluate_sweep cannot run.
void check_sweep_options(const Dataset& data, const EvalOptions& options);

}  // namespace seraug
