// Presenting evaluation results: a table for people (stdout) and a JSON document with
// everything (configuration, seeds, versions, per-fold numbers, confusion matrices).
#pragma once

#include <string>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

// "mean ± std" of a fraction over repeats, in percent with `decimals` places; with one
// repeat the spread stays blank (the same width, so columns stay aligned).
std::string percent_text(const MeanStd& m, int decimals);

std::string format_evaluation(const EvalResult& result);
std::string evaluation_json(const EvalResult& result);

// Several amounts of one augmentation method: a table of WA/UAR per amount (the
// paper's Figs 5-7), and a JSON document whose "results" hold one evaluation each.
std::string format_sweep(const std::vector<EvalResult>& results);
std::string sweep_json(const std::vector<EvalResult>& results);

}  // namespace seraug
