// `seraug experiment`: the paper's evaluation as one reproducible, resumable run.
//
// A run folder holds:
//   config.toml            the configuration as given
//   config.hash            hash of the text the cells were computed with (an edited
//                          config.toml passed back in is refused once cells exist)
//   cache/                 extracted features (keyed by a hash of the audio bytes and the
//                          feature-set version) and trained GANs (keyed per fold and seed)
//   cells/<cell>.csv       one finished cell = method x classifier x seed, all amounts and
//                          folds; written atomically when the cell completes, so a killed
//                          run loses at most the cell in progress and a rerun computes
//                          only what is missing
//   results.csv            every cell's rows: method, classifier, seed, amount, fold, ...
//   table.md, figures/, report.html   built once every cell is present
// `--shard K/N` runs every N-th cell; `seraug merge` joins shard folders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/common/config.hpp"

namespace seraug {

struct ExperimentConfig {
  std::string corpus;                 // folder or manifest; "" = $SERAUG_EMODB or ../shared/data/emodb
  std::string feature_set = "is09";
  std::vector<std::string> classes = {"anger", "fear", "happiness", "sadness", "neutral"};
  std::vector<std::string> speakers;  // a subset of speakers ("" = all)
  std::string protocol = "loso";
  std::string norm = "global";
  std::vector<std::string> methods = {"none", "replicate", "noise", "smote", "cyclegan-ce", "cyclegan-wdiv"};
  std::vector<std::string> classifiers = {"svm", "dnn"};
  std::vector<std::size_t> amounts = {0, 100, 200, 300, 400, 500};
  std::size_t table_amount = 200;     // synthetic rows per class reported in table.md
  int repeats = 3;
  std::uint64_t seed = 1;
  double noise_sigma = 0.1;
  int smote_k = 5;
  Config models;                      // [dnn] and [gan]

  void validate() const;
};

ExperimentConfig load_experiment_config(const std::string& path);  // throws seraug::Error
// The same from the file's text; `path` names it in messages and anchors a relative corpus.
ExperimentConfig parse_experiment_config(const std::string& text, const std::string& path);

struct Shard {
  int index = 1, count = 1;  // 1-based: cells i with i % count == index - 1
};
Shard parse_shard(const std::string& text);  // "2/4"

struct ExperimentOptions {
  Shard shard;
  bool quiet = false;
  int jobs = 0;  // feature extraction threads
};

// Runs the missing cells of this shard; builds the report when every cell is present.
// Returns true when the report was built.
bool run_experiment(const std::string& config_path, const std::string& run_dir, const ExperimentOptions& options);

// Copies the cells of shard folders into `run_dir` and builds the report.
void merge_runs(const std::vector<std::string>& shard_dirs, const std::string& run_dir);

}  // namespace seraug
