// Presenting evaluation results: a table for people (stdout) and a JSON document with
// everything (configuration, seeds, versions, per-fold numbers, confusion matrices).
#pragma once

#include <string>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

std::string format_evaluation(const EvalResult& result);
std::string evaluation_json(const EvalResult& result);

// Several amounts of one augmentation method: a table of WA/UAR per amount (the
// paper's Figs 5-7), and a JSON document whose "results" hold one evaluation each.
std::string format_sweep(const std::vector<EvalResult>& results);
std::string sweep_json(const std::vector<EvalResult>& results);

}  // namespace seraug
