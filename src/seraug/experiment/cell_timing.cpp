#include "seraug/experiment/cell_timing.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

namespace seraug {
namespace {

std::vector<std::pair<const char*, double PhaseSeconds::*>> phase_fields() {
  return {{"normalise", &PhaseSeconds::normalise}, {"inner_search", &PhaseSeconds::inner_search},
          {"selection", &PhaseSeconds::selection}, {"augmentation", &PhaseSeconds::augmentation},
          {"fit", &PhaseSeconds::fit},             {"predict", &PhaseSeconds::predict}};
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

}  // namespace

std::string cell_timing_text(const CellTiming& t) {
  std::string out = seconds_text(t.total) + "\n";
  for (const auto& [name, field] : phase_fields()) out += std::string(name) + " " + seconds_text(t.phases.*field) + "\n";
  if (!t.blas_kernel.empty()) out += "blas_kernel " + t.blas_kernel + "\n";
  return out;
}

CellTiming read_cell_timing(const std::string& path) {
  CellTiming t;
  std::ifstream in(path);
  if (!(in >> t.total)) return {};
  std::string name;
  while (in >> name) {
    if (name == "blas_kernel") {
      in >> t.blas_kernel;
      continue;
    }
    double seconds = 0;
    if (!(in >> seconds)) break;
    for (const auto& [phase, field] : phase_fields())
      if (name == phase) t.phases.*field = seconds;
  }
  return t;
}

std::string cell_timing_csv_header() {
  std::string out = "cell,total";
  for (const auto& [name, field] : phase_fields()) out += std::string(",") + name;
  return out + ",other,blas_kernel\n";
}

std::string cell_timing_csv_row(const std::string& cell, const CellTiming& t) {
  std::string out = cell + "," + seconds_text(t.total);
  for (const auto& [name, field] : phase_fields()) out += "," + seconds_text(t.phases.*field);
  return out + "," + seconds_text(t.other()) + "," + t.blas_kernel + "\n";
}

}  // namespace seraug
