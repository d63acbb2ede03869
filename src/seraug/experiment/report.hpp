// The experiment's outputs, built from the finished cell files alone (so a merged run
// and an unsharded run give identical files):
//   results.csv  one row per method x classifier x seed x amount x fold: test rows,
//                correct rows, per-class support and hits, the fold's confusion matrix
//   table.md     Table 1's layout at the table amount: WA/UAR mean ± std over seeds
//                (pooled over folds), the paper's numbers, and a paired sign-flip
//                permutation test of per-fold UAR against "none"
//   figures/     gnuplot PNG + SVG: WA/UAR vs synthetic rows per class (Figs 5-9),
//                confusion matrices, PCA of real vs synthetic rows per class (Fig. 10)
//   report.html  all of it with the configuration, seeds, versions and timings
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/data/dataset.hpp"
#include "seraug/experiment/experiment.hpp"

namespace seraug {

struct ExperimentCell {
  std::string method, classifier;
  std::uint64_t seed = 0;
  std::string key() const;  // file name stem under cells/
};

// Methods x classifiers x seeds, in that nesting order.
std::vector<ExperimentCell> experiment_cells(const ExperimentConfig& config);

std::string results_header(const std::vector<std::string>& classes);

// Two-sided paired sign-flip permutation test of mean(differences) = 0: exact for up to
// 20 pairs, else 20,000 seeded random flips. Returns the p-value.
double sign_flip_p_value(const std::vector<double>& differences, std::uint64_t seed = 1);

void build_report(const ExperimentConfig& config, const Dataset& data, const std::string& run_dir);

}  // namespace seraug
