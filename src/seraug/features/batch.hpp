// Extracting a whole corpus in parallel. Rows come back in the order of the input
// list whatever the number of threads, so output is identical for any --jobs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "seraug/audio/audio.hpp"
#include "seraug/audio/perturb.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

// Perturbed copies of the clips instead of the clips themselves.
struct CopyRecipe {
  PerturbationChain chain;
  PerturbSettings settings;
  std::uint64_t seed = 1;       // with the clip's name and the chain: each copy's own seed
  std::string write_audio_dir;  // also keep each copy as a float WAV here ("" = no)
};

// The seed of one clip's copy: the same clip, chain and seed give the same copy on any
// number of threads.
std::uint64_t copy_seed(std::uint64_t seed, const std::string& clip_name, const PerturbationChain& chain);

struct BatchOptions {
  int jobs = 0;             // threads; 0 = all hardware threads
  bool skip_bad = false;    // report and skip unreadable files instead of failing
  AudioOptions audio;
  std::optional<CopyRecipe> copy;  // extract perturbed copies (rows named by data/copies.hpp's copy_row_name)
  // Called from worker threads (serialised) after each file: done, total.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct BatchFailure {
  std::string path;
  std::string message;
};

struct BatchResult {
  FeatureTable table;
  std::vector<BatchFailure> skipped;  // only with skip_bad
};

// Throws seraug::Error (the first failure in input order) unless skip_bad is set.
BatchResult extract_corpus(const std::vector<Utterance>& utterances, const FeatureSet& set,
                           const BatchOptions& options = {});

}  // namespace seraug
