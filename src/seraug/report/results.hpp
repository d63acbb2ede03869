// The finished cells of an experiment as numbers: cell files read back, pooled per
// (method, classifier, amount, seed), and Table 1 in Markdown.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "seraug/experiment/experiment.hpp"
#include "seraug/stats/metrics.hpp"

namespace seraug {

// How the report names a method ("cyclegan-wdiv" -> "Cycle-GAN + Wasserstein").
std::string display_name(const std::string& method);

// One results.csv row: one fold of one amount of one cell.
struct FoldRow {
  std::string method, classifier, amount, fold;
  std::uint64_t seed = 0;
  long n = 0, correct = 0;
  std::vector<long> support, hits, confusion;  // per class; confusion row-major k x k
};

// The rows of a cell file; throws naming the file and row when one is damaged.
std::vector<FoldRow> read_cell(const std::string& path, std::size_t classes);

// Pooled WA and UAR of one (method, classifier, amount, seed) over its folds.
struct Pooled {
  long n = 0, correct = 0;
  std::vector<long> support, hits, confusion;
  double wa() const;
  double uar() const;
  void add(const FoldRow& r);
};

using PoolKey = std::tuple<std::string, std::string, std::string>;  // method, classifier, amount

struct Aggregate {
  std::map<PoolKey, std::map<std::uint64_t, Pooled>> pooled;  // -> seed -> pooled
  std::map<std::tuple<std::string, std::string, std::string, std::uint64_t, std::string>, double> fold_uars;  // +seed, fold
};

Aggregate aggregate(const std::vector<FoldRow>& rows);

// WA (or UAR) of one pooled entry: mean and std over its seeds.
MeanStd over_seeds(const std::map<std::uint64_t, Pooled>& by_seed, bool uar);
// The amount a method's table and confusion figures show: 0 for "none".
std::string table_amount_of(const ExperimentConfig& c, const std::string& method);
// "is10+compare, speaker norm, in-fold F-score selection among …, balanced class weights".
std::string recipe_description(const ExperimentConfig& c);
// "loso (speaker-independent); normalisation: per-speaker z-score (transductive …); …".
std::string protocol_description(const ExperimentConfig& c);

// Table 1 at the table amount: WA/UAR mean ± std over seeds, the paired test against
// "none" and the paper's numbers.
std::string make_table(const ExperimentConfig& c, const Aggregate& a);

}  // namespace seraug
