#include "seraug/experiment/experiment.hpp"
#include "seraug/experiment/cell_timing.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <algorithm>
#include <numeric>

#include "seraug/common/cpus.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/file_lock.hpp"
#include "seraug/experiment/progress.hpp"
#include "seraug/stats/hash.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/options/options.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/features/batch.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

std::string corpus_location(const ExperimentConfig& c) { return c.corpus.empty() ? emodb_location() : c.corpus; }

// Features of the corpus are extracted once per content. This is the name of their
// cache file under <run>/cache/: the feature set and its version with a hash of every
// file's name, labels and bytes, so a new set version or changed audio gets a new name.
std::string feature_cache_name(const ExperimentConfig& c, const std::vector<Utterance>& utterances) {
  const FeatureSet& set = feature_set(c.feature_set);
  std::uint64_t h = fnv1a(kFnv1aOffset, set.name.data(), set.name.size());
  h = fnv1a(h, &set.version, sizeof set.version);
  for (const auto& u : utterances) {  // (copies_cache_name's keys start from this one)
    const std::string meta = u.name + "|" + u.speaker + "|" + u.label;
    h = fnv1a(h, meta.data(), meta.size());
    const std::string bytes = read_file_text(u.path, kMaxAudioInputBytes, "audio file");
    h = fnv1a(h, bytes.data(), bytes.size());
  }
  return "features-" + set.name + "-v" + std::to_string(set.version) + "-" + hex64(h) + ".csv";
}

// The cache file of the perturbed copies of one chain: keyed by the corpus's features
// cache (set, version, every clip's bytes), the chain, the copies' seed and the settings
// of noise and reverb. A copy does not depend on the fold or the evaluation seed, so
// each (clip, chain) is extracted once per run however many cells use it.
std::string copies_cache_name(const ExperimentConfig& c, const std::string& features_cache, const PerturbationChain& chain) {
  const std::string key = features_cache + "|" + chain_text(chain) + "|" + std::to_string(c.audio_seed) + "|" + c.audio_settings.text();
  return "copies-" + c.feature_set + "-" + chain_text(chain) + "-" + hex64(fnv1a(key)) + ".csv";
}

// Cells of a run folder are only valid with the features they were computed from: a
// folder with cells but without this build's feature cache was run on other features
// (another set version or changed audio), and resuming or merging it would mix the two.
void require_same_features(const std::string& dir, const std::string& cache_file_name) {
  if (has_cells(dir) && !fs::exists(dir + "/cache/" + cache_file_name))
    throw file_error(dir, "its cells were computed from other features than this build extracts (no cache/" + cache_file_name +
                              ": the feature set's version or the audio changed, or the cache was deleted); use a new folder");
}

FeatureTable cached_features(const ExperimentConfig& c, const std::vector<Utterance>& utterances, const std::string& run_dir,
                             const std::string& cache_name, const ExperimentOptions& o) {
  const std::string path = run_dir + "/cache/" + cache_name;
  if (fs::exists(path)) return read_feature_table(path);
  const FeatureSet& set = feature_set(c.feature_set);
  if (!o.quiet) std::cerr << "experiment: extracting " << set.name << " features of " << utterances.size() << " files\n";
  BatchOptions batch;
  batch.jobs = o.jobs;
  write_feature_table(path, extract_corpus(utterances, set, batch).table,
                      {"seraug experiment feature cache: " + set.name + " v" + std::to_string(set.version) + " of " + corpus_location(c)});
  // Every cell is computed from the cache as a resumed run reads it, so that a killed
  // and resumed run gives byte-identical results (the cache is written losslessly too).
  return read_feature_table(path);
}

// Every chain the run's methods need, in first-use order.
std::vector<PerturbationChain> run_chains(const ExperimentConfig& c) {
  std::vector<PerturbationChain> chains;
  std::set<std::string> seen;
  for (const auto& m : c.methods)
    for (const auto& chain : method_chains(c, m))
      if (seen.insert(chain_text(chain)).second) chains.push_back(chain);
  return chains;
}

// The perturbed copies of the run's clips per chain text, extracted in parallel (all
// clips of one chain at a time) and cached; read back from the cache as a resumed run
// would, so results do not depend on whether the cache existed.
std::map<std::string, CopyRows> cached_copies(const ExperimentConfig& c, const std::vector<Utterance>& utterances, const Dataset& data,
                                              const std::string& run_dir, const std::string& features_cache, const ExperimentOptions& o) {
  std::map<std::string, CopyRows> copies;
  const FeatureSet& set = feature_set(c.feature_set);
  for (const auto& chain : run_chains(c)) {
    const std::string path = run_dir + "/cache/" + copies_cache_name(c, features_cache, chain);
    if (!fs::exists(path)) {
      check_interrupt();
      if (!o.quiet) std::cerr << "experiment: extracting " << set.name << " features of " << utterances.size() << " copies (" << chain_text(chain) << ")\n";
      BatchOptions batch;
      batch.jobs = o.jobs;
      batch.copy = CopyRecipe{chain, c.audio_settings, c.audio_seed, ""};
      write_feature_table(path, extract_corpus(utterances, set, batch).table,
                          {"seraug experiment copies cache: " + set.name + " v" + std::to_string(set.version) + ", " + chain_text(chain) +
                           ", seed " + std::to_string(c.audio_seed) + ", " + c.audio_settings.text()});
    }
    copies.emplace(chain_text(chain), copies_of(data, read_feature_table(path), path));
  }
  return copies;
}

Dataset experiment_dataset(const ExperimentConfig& c, const FeatureTable& table) {
  FeatureTable t = table;
  if (!c.speakers.empty()) {
    const std::set<std::string> keep(c.speakers.begin(), c.speakers.end());
    FeatureTable subset;
    subset.feature_names = t.feature_names;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!keep.count(t.speakers[r])) continue;
      subset.names.push_back(t.names[r]);
      subset.speakers.push_back(t.speakers[r]);
      subset.labels.push_back(t.labels[r]);
      subset.values.insert(subset.values.end(), t.row(r), t.row(r) + t.dims());
    }
    t = subset;
  }
  return make_dataset(t, join(c.classes, ","), "experiment corpus");
}

using Cell = ExperimentCell;

// One finished cell as CSV rows (see report.hpp for the columns).
std::string cell_rows(const Cell& cell, const std::vector<EvalResult>& results, const Dataset& data) {
  return evaluation_rows(cell.method, cell.classifier, results, data.classes);
}

// The cell's evaluation, assembled by the same builder as `seraug evaluate`.
EvaluateSettings cell_settings(const ExperimentConfig& c, const Cell& cell, const std::string& run_dir) {
  EvaluateSettings s;
  s.classifier = cell.classifier;
  s.protocol = c.protocol;
  s.norm = c.norm;
  s.select_keep = c.select_keep;
  s.balanced = c.balanced;
  s.fusion = c.fusion;
  s.repeats = 1;
  s.seed = cell.seed;
  s.augment = parse_method(cell.method).augmenter;
  s.amounts = s.augment == "none" ? std::vector<std::size_t>{0} : c.amounts;
  // The experiment's settings of one augmenter reach only the cells that use it.
  if (s.augment == "noise") s.augmentation.noise_sigma = c.noise_sigma;
  if (s.augment == "smote") s.augmentation.smote_k = c.smote_k;
  s.models.base = c.models;
  if (is_cyclegan(s.augment)) s.gan_cache = run_dir + "/cache/gans";
  return s;
}

using CopiesByChain = std::map<std::string, CopyRows>;

void run_cell(const ExperimentConfig& c, const Cell& cell, const Dataset& data, const CopiesByChain& copies, const std::string& run_dir) {
  const auto start = std::chrono::steady_clock::now();
  EvalOptions options = build_eval_options(cell_settings(c, cell, run_dir), data);
  options.inner_search_cache = run_dir + "/cache/inner_search";
  const auto chains = method_chains(c, cell.method);
  if (!chains.empty()) {
    auto joined = std::make_shared<CopyRows>();
    for (const auto& chain : chains) append_copies(*joined, copies.at(chain_text(chain)));
    options.copies = joined;
  }
  const std::vector<EvalResult> results = evaluate_sweep(data, options);
  CellTiming timing;
  timing.total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& r : results)
    for (const auto& repeat : r.repeats)
      for (const auto& fold : repeat.folds) timing.phases += fold.phases;
  timing.blas_kernel = blas_kernel();
  write_file_atomically(run_dir + "/cells/" + cell.key() + ".seconds", cell_timing_text(timing));
  // The cell file last: its presence marks the cell as done.
  write_file_atomically(run_dir + "/cells/" + cell.key() + ".csv", results_header(data.classes) + cell_rows(cell, results, data));
}

// The whole corpus z-scored with its own statistics: the space of the synthetic samples;
// its rows of the unselected classes in the same space.
std::pair<Matrix, Matrix> whole_corpus_z_scored(const Dataset& data) {
  std::vector<std::size_t> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  const ZScore z = ZScore::fit(data.features, all);
  Matrix x = data.features, unselected = data.unselected.features;
  z.apply(x);
  z.apply(unselected);
  return {x, unselected};
}

void run_sample(const ExperimentConfig& c, const SyntheticSample& sample, const Dataset& data, const std::string& run_dir) {
  AugmentSettings settings;
  const std::string sample_augmenter = parse_method(sample.method).augmenter;
  if (sample_augmenter == "noise") settings.noise_sigma = c.noise_sigma;
  if (sample_augmenter == "smote") settings.smote_k = c.smote_k;
  ModelSettings models;
  models.base = c.models;
  AugmentConfig config = build_augment_config(settings, build_config(models));
  const std::string gan_folder = run_dir + "/cache/gans/all-" + sample.method + "-seed" + std::to_string(sample.seed);
  const std::string augmenter = apply_augmenter_variant(parse_method(sample.method).augmenter, config);
  if (is_cyclegan(augmenter)) (fs::exists(gan_folder + "/generators.json") ? config.load_from : config.save_to) = gan_folder;
  const auto [x, unselected] = whole_corpus_z_scored(data);
  const std::size_t k = data.classes.size();
  AugmentInput input{x, data.labels, data.speakers, k};
  input.neutral_class = data.class_index("neutral");
  if (config.gan.source == "unused") {
    input.external_source = &unselected;
    input.source_speakers = &data.unselected.speakers;
  }
  const SyntheticRows rows = make_augmenter(augmenter, config)->generate(input, std::vector<std::size_t>(k, synthetic_sample_size(c)), sample.seed);
  FeatureTable t;
  t.feature_names = data.feature_names;
  t.values = rows.x.data;
  for (std::size_t r = 0; r < rows.x.rows; ++r) {
    t.names.push_back(sample.method + "_" + std::to_string(r + 1));
    t.speakers.push_back("synthetic");
    t.labels.push_back(data.classes[static_cast<std::size_t>(rows.y[r])]);
  }
  write_feature_table(synthetic_sample_path(run_dir, sample), t,
                      {"seraug experiment: " + sample.method + " rows of the whole z-scored corpus, seed " + std::to_string(sample.seed)});
}

// Everything a run computes (plan_jobs: cells, then synthetic samples, each with its
// shard) and how to compute it.
struct RunJob {
  PlannedJob plan;
  std::function<void()> run;
};

std::vector<RunJob> run_jobs(const ExperimentConfig& c, const Dataset& data, const CopiesByChain& copies, const std::string& run_dir,
                             int shard_count) {
  const std::vector<PlannedJob> plan = plan_jobs(c, run_dir, shard_count);
  std::vector<RunJob> jobs;
  std::size_t i = 0;
  for (const Cell& cell : experiment_cells(c))
    jobs.push_back({plan[i++], [&c, cell, &data, &copies, run_dir] { run_cell(c, cell, data, copies, run_dir); }});
  for (const SyntheticSample& sample : synthetic_samples(c))
    jobs.push_back({plan[i++], [&c, sample, &data, run_dir] { run_sample(c, sample, data, run_dir); }});
  return jobs;
}

// Runs a job unless another process holds its claim or finished it meanwhile (returns
// whether it ran); first removes the job's temporary files a killed process left behind.
bool run_claimed(const RunJob& job) {
  const auto claim = FileLock::try_acquire(claim_path(job.plan));
  if (!claim || fs::exists(job.plan.done_file)) return false;
  const fs::path cells = fs::path(job.plan.done_file).parent_path();
  for (const auto& entry : fs::directory_iterator(cells)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(job.plan.key + ".", 0) == 0 && name.find(".tmp.") != std::string::npos) fs::remove(entry.path());
  }
  job.run();
  fs::remove(claim_path(job.plan));  // (safe: whoever locks it next finds the job done)
  return true;
}

// This shard's jobs that are not done yet, one after another, with a progress line and
// an ETA from the cells' cost classes (progress.hpp); a job another process holds is
// skipped and named.
void run_shard(const std::vector<RunJob>& jobs, const std::string& run_dir, const ExperimentOptions& o) {
  std::vector<const RunJob*> todo;
  std::size_t done = 0;
  for (const RunJob& job : jobs) {
    if (job.plan.shard != o.shard.index) continue;
    if (fs::exists(job.plan.done_file)) ++done;
    else todo.push_back(&job);
  }
  const std::size_t total = done + todo.size();
  CellTimes times;  // from this shard's cells timed by earlier runs, then from each one run here
  for (const RunJob& job : jobs) {
    std::ifstream seconds(run_dir + "/cells/" + job.plan.key + ".seconds");
    if (double s = 0; job.plan.shard == o.shard.index && seconds >> s) times.add(job.plan.weight, s);
  }
  const auto remaining_seconds = [&](std::size_t from) {
    double sum = 0;
    for (std::size_t i = from; i < todo.size(); ++i) {
      const double e = times.estimate(todo[i]->plan.weight);
      if (e < 0) return -1.0;
      sum += e;
    }
    return sum;
  };
  std::vector<std::string> claimed_elsewhere;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const RunJob* job = todo[i];
    check_interrupt();
    if (!o.quiet) experiment_progress(done, total, "running " + job->plan.key, remaining_seconds(i));
    const auto start = std::chrono::steady_clock::now();
    if (!run_claimed(*job)) {
      if (!fs::exists(job->plan.done_file)) claimed_elsewhere.push_back(job->plan.key);
      else ++done;
      continue;
    }
    times.add(job->plan.weight, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    ++done;
  }
  for (const auto& key : claimed_elsewhere)
    std::cerr << "experiment: skipped " << key << ": another process is computing it (its claim is held)\n";
  if (!o.quiet) experiment_progress(done, total, "shard " + std::to_string(o.shard.index) + "/" + std::to_string(o.shard.count) + " complete", 0);
}

}  // namespace

std::optional<FinishedRun> run_experiment(const std::string& config_path, const std::string& run_dir, const ExperimentOptions& o) {
  // Everything that can be wrong with the configuration or the corpus is found before the
  // run folder is created or a feature extracted.
  const ExperimentConfig c = load_experiment_config(config_path);
  const std::string config_text = read_file_text(config_path);
  std::vector<Utterance> utterances;
  try {
    utterances = read_corpus(corpus_location(c));
  } catch (const Error& e) {
    throw file_error(config_path, std::string("experiment.corpus: ") + e.what());
  }
  const std::string cache_name = feature_cache_name(c, utterances);
  if (fs::exists(run_dir) && !fs::is_directory(run_dir)) throw file_error(run_dir, "exists and is not a folder");
  require_same_features(run_dir, cache_name);

  fs::create_directories(run_dir + "/cells");
  adopt_config(run_dir, config_text);  // (refuses a target holding cells of another configuration)
  fs::create_directories(run_dir + "/cache");
  adopt_config(run_dir, config_text);
  // Tasks sharing the folder extract the features and copies once: the first holds the
  // lock while it extracts, the others wait and read its cache files.
  std::optional<FileLock> extracting(FileLock::acquire(run_dir + "/cache/extract.lock"));
  const Dataset data = experiment_dataset(c, cached_features(c, utterances, run_dir, cache_name, o));
  const CopiesByChain copies = cached_copies(c, utterances, data, run_dir, cache_name, o);
  extracting.reset();
  const std::vector<RunJob> jobs = run_jobs(c, data, copies, run_dir, o.shard.count);
  run_shard(jobs, run_dir, o);
  for (const auto& job : jobs)
    if (!fs::exists(job.plan.done_file)) {
      if (!o.quiet) std::cerr << "experiment: other shards' cells are missing; join the shard folders with seraug merge\n";
      return std::nullopt;
    }
  return FinishedRun{c, data};
}

FinishedRun merge_runs(const std::vector<std::string>& shard_dirs, const std::string& run_dir) {
  if (shard_dirs.empty()) throw Error("merge: no shard folders given");
  // Every shard must come from one configuration and one build's features; checked
  // before anything is copied.
  const std::string config_text = read_file_text(shard_dirs.front() + "/config.toml");
  const ExperimentConfig c = load_experiment_config(shard_dirs.front() + "/config.toml");
  const std::vector<Utterance> utterances = read_corpus(corpus_location(c));
  const std::string cache_name = feature_cache_name(c, utterances);
  for (const auto& dir : shard_dirs) {
    if (!run_folder_matches(dir, config_text)) throw file_error(dir, "was run with another configuration than " + shard_dirs.front());
    require_same_features(dir, cache_name);
  }
  require_same_features(run_dir, cache_name);

  fs::create_directories(run_dir + "/cells");
  adopt_config(run_dir, config_text);  // (refuses a target holding cells of another configuration)
  for (const auto& dir : shard_dirs) {
    for (const auto& entry : fs::directory_iterator(dir + "/cells")) {
      const fs::path target = fs::path(run_dir) / "cells" / entry.path().filename();
      if (entry.path().extension() == ".csv" || entry.path().extension() == ".seconds")
        if (!fs::exists(target)) fs::copy_file(entry.path(), target);
    }
    if (fs::exists(dir + "/cache"))
      for (const auto& entry : fs::directory_iterator(dir + "/cache"))
        if (entry.path().extension() == ".csv" && !fs::exists(fs::path(run_dir) / "cache" / entry.path().filename())) {
          fs::create_directories(run_dir + "/cache");
          fs::copy_file(entry.path(), fs::path(run_dir) / "cache" / entry.path().filename());
        }
  }
  ExperimentOptions o;
  o.quiet = true;
  Dataset data = experiment_dataset(c, cached_features(c, utterances, run_dir, cache_name, o));
  for (const auto& job : plan_jobs(c, run_dir, 1))
    if (!fs::exists(job.done_file)) throw file_error(run_dir, "cell " + job.key + " is in no shard folder");
  return FinishedRun{c, std::move(data)};
}

}  // namespace seraug
