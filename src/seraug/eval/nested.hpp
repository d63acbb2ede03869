// Honest selection among recipes: nested cross-validation.
//
// Picking the best of several recipes by their LOSO scores reuses the test speakers to
// choose, so the best score is optimistic. Here each outer fold chooses for itself: every
// candidate is scored by a speaker-grouped cross-validation of the outer fold's training
// rows only (inner folds of whole training speakers), the best inner UAR wins (ties: the
// earlier candidate), and the outer test speaker is predicted by the winner trained on
// the whole outer training side. The pooled outer predictions give the honest number.
//
// The outer predictions of the winner are the winner's own outer fold outcome: every
// candidate is evaluated on every outer fold anyway (that is the optimistic table), and
// an evaluation of one fold equals that fold within the whole protocol (same seed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

struct NestedCandidate {
  std::string name;                  // e.g. the recipe file, for the report
  EvalOptions options;               // how it evaluates (its protocol, repeats and seed are the nested run's)
  std::vector<std::size_t> columns;  // dataset columns it uses, ascending; empty = all
};

struct NestedChoice {
  std::string fold;                // the outer fold's name
  std::size_t chosen = 0;          // candidate index
  std::vector<double> inner_uar;   // per candidate: pooled UAR over the inner folds
};

struct NestedResult {
  std::vector<std::string> candidates;
  std::vector<EvalResult> each;                    // per candidate, on the outer folds (the optimistic table)
  EvalResult nested;                               // per outer fold the chosen candidate's outcome (honest)
  std::vector<std::vector<NestedChoice>> choices;  // per repeat, per outer fold
  int selection_folds = 3;
  std::size_t optimistic() const;                  // the candidate with the best mean outer UAR (ties: earlier)
};

// Runs `repeats` seeds (seed, seed+1, ...) of `outer` (a speaker-independent protocol);
// each candidate's own options decide everything else. `selection_folds` speaker-grouped
// inner folds choose (reduced to the outer training speakers when fewer). Throws for
// fewer than two candidates, a speaker-dependent protocol or an augmentation sweep.
NestedResult evaluate_nested(const Dataset& data, const std::vector<NestedCandidate>& candidates, const Protocol& outer,
                             int selection_folds, int repeats, std::uint64_t seed);

// The dataset with only `columns` (ascending; empty = all of them), rows unchanged.
Dataset with_columns(const Dataset& data, const std::vector<std::size_t>& columns);

}  // namespace seraug
