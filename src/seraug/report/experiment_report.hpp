// The experiment's outputs, built from the finished cell files and synthetic samples
// alone (so a merged run and an unsharded run give identical files, and nothing is
// trained here):
//   results.csv  one row per method x classifier x seed x amount x fold: test rows,
//                correct rows, per-class support and hits, the fold's confusion matrix
//   table.md     Table 1's layout at the table amount: WA/UAR mean ± std over seeds
//                (pooled over folds), the paper's numbers, and a paired sign-flip
//                permutation test of per-fold UAR against "none"
//   figures/     gnuplot PNG + SVG: WA/UAR vs synthetic rows per class (Figs 5-9),
//                confusion matrices, PCA and t-SNE of real vs synthetic rows (Fig. 10)
//   report.html  all of it with the configuration, seeds, versions and timings
#pragma once

#include <string>
#include <vector>

#include "seraug/experiment/experiment.hpp"

namespace seraug {

// Throws seraug::Error naming a missing or damaged cell or sample file.
void build_report(const FinishedRun& run, const std::string& run_dir);

// `seraug experiment`: runs this shard's missing cells (experiment.hpp) and, when every
// cell of the run is present, builds the report. Returns true when it was built.
bool run_experiment_and_report(const std::string& config_path, const std::string& run_dir, const ExperimentOptions& options);
// `seraug merge`: joins shard folders into run_dir and builds its report.
void merge_and_report(const std::vector<std::string>& shard_dirs, const std::string& run_dir);

}  // namespace seraug
