// The experiment report's figures, drawn with gnuplot from finished cells and the run's
// synthetic samples: each figure is a .dat (the numbers), a .gp script and PNG + SVG.
#pragma once

#include <string>
#include <vector>

#include "seraug/experiment/experiment.hpp"
#include "seraug/report/results.hpp"

namespace seraug {

// Runs gnuplot on a script, in the script's folder, its messages into <script>.log;
// throws seraug::Error naming the script when gnuplot fails.
void run_gnuplot(const std::string& script_path);

// WA and UAR against synthetic rows per class, one line per method (the paper's Figs 5-9).
std::vector<std::string> curve_figures(const ExperimentConfig& c, const Aggregate& a, const std::string& dir);
// Confusion matrices at the table amount, per method and classifier.
// Per classifier: UAR of each test fold (each speaker under LOSO) and recall of each
// class, every method at its table amount, mean over seeds: folds_<clf>.*, recall_<clf>.*.
std::vector<std::string> breakdown_figures(const ExperimentConfig& c, const Aggregate& a, const std::vector<std::string>& classes,
                                           const std::string& dir);
std::vector<std::string> confusion_figures(const ExperimentConfig& c, const Aggregate& a, const std::vector<std::string>& classes,
                                           const std::string& dir);
// Real vs synthetic rows per class by PCA and t-SNE (Fig. 10), from cells/sample__*.csv.
std::vector<std::string> projection_figures(const ExperimentConfig& c, const Dataset& data, const std::string& run_dir, const std::string& dir);

}  // namespace seraug
