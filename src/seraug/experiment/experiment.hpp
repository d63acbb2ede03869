// `seraug experiment`: the paper's evaluation as one reproducible, resumable run.
//
// A run folder holds:
//   config.toml            the configuration as given
//   config.hash            hash of the configuration the cells were computed with, by
//                          content: comments and layout do not count (an edited
//                          config.toml passed back in is refused once cells exist)
//   cache/                 extracted features (keyed by a hash of the audio bytes and the
//                          feature-set version) and trained GANs (keyed per fold and seed)
//   cells/<cell>.csv       one finished cell = method x classifier x seed, all amounts and
//                          folds; written atomically when the cell completes, so a killed
//                          run loses at most the cell in progress and a rerun computes
//                          only what is missing
//   results.csv            every cell's rows: method, classifier, seed, amount, fold, ...
//   cells/sample__*.csv    synthetic rows of each method for the report's figures
//   table.md, figures/, report.html   built from the cells once every one is present
//                          (report/experiment_report.hpp)
// `--shard K/N` runs shard K of plan_jobs (below); shards may share one folder (claims)
// or run in their own, which `seraug merge` joins. docs/cluster.md: Slurm arrays.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "seraug/audio/perturb.hpp"
#include "seraug/augment/augmenter.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/options/config.hpp"

namespace seraug {

// A method is "none", a feature-space augmenter ("smote"), audio perturbations
// ("speed", "vtlp+pitch") or audio perturbations with one augmenter ("speed+smote":
// SMOTE over the real rows and the copies). Each audio kind adds one perturbed copy of
// every training clip per value listed under [audio_augment]. "noise" stays the
// feature-space augmenter; additive noise on the audio is "audio-noise" in a method.
struct MethodParts {
  std::vector<std::string> audio;  // perturbation kinds, in the order given
  std::string augmenter = "none";  // feature-space augmenter
};
MethodParts parse_method(const std::string& method);  // throws seraug::Error naming the bad token
// One spelling per method: audio kinds sorted ("pitch+speed" = "speed+pitch": the same
// copies), [gan] settings sorted and without blanks. Two methods with one canonical
// text train on the same rows.
std::string canonical_method(const std::string& method);

struct ExperimentConfig {
  std::string corpus;                 // folder or manifest; "" = $SERAUG_EMODB or ../shared/data/emodb
  std::string feature_set = "is09";
  std::vector<std::string> classes = paper_classes();
  std::vector<std::string> speakers;  // a subset of speakers ("" = all)
  std::string protocol = "loso";
  std::string norm = "global";
  std::string select_keep;            // in-fold F-score selection, as --select-keep ("" = none)
  bool balanced = false;              // class weights n / (k n_c)
  std::string fusion = "early";       // late: one model per tagged block of a fused set
  std::vector<std::string> methods = {"none", "replicate", "noise", "smote", "cyclegan-ce", "cyclegan-wdiv"};
  std::vector<std::string> classifiers = {"svm", "dnn"};
  std::vector<std::size_t> amounts = {0, 100, 200, 300, 400, 500};
  std::size_t table_amount = 200;     // synthetic rows per class reported in table.md
  int repeats = 3;
  std::uint64_t seed = 1;
  double noise_sigma = 0.1;
  int smote_k = 5;
  Config models;                      // [dnn] and [gan]
  // [audio_augment]: the values of each perturbation kind (one copy per value), the
  // settings of noise and reverb, and the seed of the copies' random parts (the copies
  // are the same for every evaluation seed, so they are extracted once per run).
  std::map<std::string, std::vector<double>> audio_values = {
      {"speed", {0.9, 1.1}}, {"vtlp", {0.9, 1.1}}, {"pitch", {-2, 2}}, {"noise", {30, 20}}, {"reverb", {0.3, 0.6}}};
  PerturbSettings audio_settings;
  std::uint64_t audio_seed = 1;

  void validate() const;
};

ExperimentConfig load_experiment_config(const std::string& path);  // throws seraug::Error
// The same from the file's text; `path` names it in messages and anchors a relative corpus.
ExperimentConfig parse_experiment_config(const std::string& text, const std::string& path);

struct Shard {
  int index = 1, count = 1;  // 1-based: cells i with i % count == index - 1
};
// The most shards a run or an extraction is split into (submit --array's bound), and the
// largest array index Slurm hands out (MaxArraySize is at most 4000001).
inline constexpr long long kMaxShards = 100000;
inline constexpr long long kMaxSlurmArrayIndex = 4000000;
Shard parse_shard(const std::string& text);  // "2/4"
// The shard of a Slurm array task: index = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1
// of SLURM_ARRAY_TASK_COUNT (or MAX - MIN + 1); nothing outside an array task. Throws
// seraug::Error for a sparse or stepped array, whose tasks cannot tell their shard.
std::optional<Shard> shard_from_environment();

struct ExperimentOptions {
  Shard shard;
  bool quiet = false;
  int jobs = 0;  // feature extraction threads
};

// One cell: one method x classifier x seed, every amount and fold.
struct ExperimentCell {
  std::string method, classifier;
  std::uint64_t seed = 0;
  std::string key() const;  // file name stem under cells/
};

// The perturbation chains (one transform each) of a method's copies; empty for methods
// without audio kinds.
std::vector<PerturbationChain> method_chains(const ExperimentConfig& config, const std::string& method);

// Methods x classifiers x seeds, in that nesting order.
std::vector<ExperimentCell> experiment_cells(const ExperimentConfig& config);
// The header of a cell file and of results.csv.
std::string results_header(const std::vector<std::string>& classes);
// results.csv's rows of an evaluation: one per amount, repeat (its seed) and fold.
// `seraug evaluate --format csv` writes the same layout as an experiment's results.csv.
std::string evaluation_rows(const std::string& method, const std::string& classifier, const std::vector<EvalResult>& results,
                            const std::vector<std::string>& classes);

// Every job of a run (its cells, then its synthetic samples) with the shard that computes
// it. Jobs are dealt in groups: a method's cells of one seed (every classifier) share
// their trained GANs, so they stay together; groups go, heaviest first (cycle-GANs, then
// audio methods, then the rest), to the least-loaded shard. So `--shard K/N` and the
// tasks of an N-task array split the GAN training evenly.
struct PlannedJob {
  std::string key;        // file name stem under cells/
  std::string done_file;  // the job is done when this exists (written atomically, last)
  std::size_t group = 0;
  int shard = 1;          // 1-based
  int weight = 1;         // relative cost: a cycle-GAN job 8, audio copies 2, the rest 1
};
std::vector<PlannedJob> plan_jobs(const ExperimentConfig& config, const std::string& run_dir, int shard_count);
// The claim a running job holds (a FileLock): a second task, or a second start of the
// same shard, skips a claimed job instead of computing it twice.
std::string claim_path(const PlannedJob& job);

// What is left of a run split into shard_count shards.
struct ShardStatus {
  std::size_t done = 0, missing = 0;
  std::vector<int> missing_shards;   // shards with a missing job, ascending
  std::vector<std::string> running;  // missing jobs some process holds a claim on now
};
ShardStatus shard_status(const ExperimentConfig& config, const std::string& run_dir, int shard_count);

// Synthetic rows for the report's real-vs-synthetic figures (the paper's Fig. 10): the
// method's augmenter fitted on the whole z-scored corpus (seed = the first seed),
// synthetic_sample_size rows per class. The run writes them as cells/<key>.csv (a
// feature table in the z-scored space), so that the report never trains an augmenter.
struct SyntheticSample {
  std::string method;
  std::uint64_t seed = 0;
  std::string key() const;
};
// Every purely feature-space method but "none" (audio methods have no synthetic rows to show).
std::vector<SyntheticSample> synthetic_samples(const ExperimentConfig& config);
std::size_t synthetic_sample_size(const ExperimentConfig& config);                // max(table_amount, 50)
std::string synthetic_sample_path(const std::string& run_dir, const SyntheticSample& sample);
// A written sample read back (labels as indices into data.classes; no source rows).
SyntheticRows read_synthetic_sample(const std::string& path, const Dataset& data);

// A run whose every cell and sample is present: what its report is built from.
struct FinishedRun {
  ExperimentConfig config;
  Dataset data;  // the corpus as evaluated (cached features, selected classes/speakers)
};

// Runs the missing cells and samples of this shard. Returns the finished run when every
// one is present (then build its report: report/experiment_report.hpp), else nothing.
std::optional<FinishedRun> run_experiment(const std::string& config_path, const std::string& run_dir, const ExperimentOptions& options);
// Whether a run folder holds finished cells (cells/*.csv).
bool has_cells(const std::string& run_dir);
// Whether the cells of a run folder were computed with the configuration config_text:
// the same TOML content — comments, blank lines, spacing, quoting and key order do not
// count; every value and its type (1 is not 1.0) does. A new folder matches anything.
// Folders that recorded a hash of the text (before content hashes) match their text, or
// any text of the same content while their config.toml is still the recorded text.
bool run_folder_matches(const std::string& run_dir, const std::string& config_text);
// Records config_text as the folder's configuration (config.toml, config.hash); throws
// seraug::Error when the folder holds cells of another configuration. A folder without
// cells takes the (corrected) configuration it is given.
void adopt_config(const std::string& run_dir, const std::string& config_text);

// Copies the cells of shard folders into `run_dir`; throws when one is in no folder.
FinishedRun merge_runs(const std::vector<std::string>& shard_dirs, const std::string& run_dir);

}  // namespace seraug
