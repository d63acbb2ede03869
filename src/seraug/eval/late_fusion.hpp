// Late fusion of one evaluation fold (evaluate.cpp's EvalOptions::late_fusion); internal
// to the eval layer.
#pragma once

#include <cstdint>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

// Throws seraug::Error for options late fusion cannot serve (augmentation, extra rows,
// a classifier without probabilities, a single member).
void check_late_fusion_options(const Dataset& data, const EvalOptions& options);

// Trains every member on the fold's training rows, averages their probabilities on the
// test rows. FoldOutcome::chosen holds "<tag> <classifier> <key>" entries per member.
FoldOutcome evaluate_late_fusion_fold(const Dataset& data, const EvalOptions& options, const Fold& fold, std::uint64_t seed);

}  // namespace seraug
