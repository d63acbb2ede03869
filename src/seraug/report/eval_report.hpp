// Presenting evaluation results: a table for people (stdout) and a JSON document with
// everything (configuration, seeds, versions, per-fold numbers, confusion matrices).
#pragma once

#include <string>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

std::string format_evaluation(const EvalResult& result);
std::string evaluation_json(const EvalResult& result);

}  // namespace seraug
