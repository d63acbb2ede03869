// Extracting a whole corpus in parallel. Rows come back in the order of the input
// list whatever the number of threads, so output is identical for any --jobs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "seraug/audio/audio.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

struct BatchOptions {
  int jobs = 0;             // threads; 0 = all hardware threads
  bool skip_bad = false;    // report and skip unreadable files instead of failing
  AudioOptions audio;
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
