// The data the benchmarks share: EMO-DB's features (IS09 unless a benchmark names another
// set) of the paper's five classes, extracted once per set and benchmark process. Corpus: $SERAUG_EMODB or ../shared/data/emodb.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "seraug/data/dataset.hpp"
#include "seraug/features/batch.hpp"

namespace seraug::bench {

inline std::string corpus_dir() { return emodb_location(std::string(SERAUG_SOURCE_DIR) + "/../shared/data/emodb"); }

// nullptr when the corpus is absent (benchmarks then report SkipWithError).
inline const Dataset* emodb_features(const std::string& set) {
  static std::map<std::string, std::unique_ptr<Dataset>> cache;
  if (!std::filesystem::exists(corpus_dir())) return nullptr;
  auto& data = cache[set];
  if (!data) {
    const auto table = extract_corpus(read_corpus(corpus_dir()), feature_set(set)).table;
    data = std::make_unique<Dataset>(make_dataset(table, paper_class_selection(), "emodb " + set));
  }
  return data.get();
}
inline const Dataset* emodb_is09() { return emodb_features("is09"); }

}  // namespace seraug::bench
