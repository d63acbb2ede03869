// Where an experiment cell's time went: cells/<key>.seconds holds the cell's wall seconds
// on its first line (what the progress estimate reads) and then one "<phase> <seconds>"
// line per phase of eval/evaluate.hpp's PhaseSeconds, summed over the cell's folds, and
// "blas_kernel <name>": the OpenBLAS kernel of the process that ran the cell (its DNN and
// cycle-GAN numbers depend on it; common/cpus.hpp).
// The report collects them into timings.csv and report.html.
#pragma once

#include <string>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

struct CellTiming {
  double total = 0;      // wall seconds of the cell
  PhaseSeconds phases;   // zero for cells timed before phases were recorded
  std::string blas_kernel;  // "" where none was loaded or the cell predates the record
  double other() const { return total - phases.total(); }  // loading, copies, bookkeeping
};

std::string cell_timing_text(const CellTiming& t);
// A missing or unreadable file reads as all zeros (a cell of an older run).
CellTiming read_cell_timing(const std::string& path);

// timings.csv: cell,total,normalise,inner_search,selection,augmentation,fit,predict,other,blas_kernel
std::string cell_timing_csv_header();
std::string cell_timing_csv_row(const std::string& cell, const CellTiming& t);

}  // namespace seraug
