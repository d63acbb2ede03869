// The data the benchmarks share: EMO-DB's IS09 features of the paper's five classes,
// extracted once per benchmark process. Corpus: $SERAUG_EMODB or ../shared/data/emodb.
#pragma once

#include <filesystem>
#include <string>

#include "seraug/data/dataset.hpp"
#include "seraug/features/batch.hpp"

namespace seraug::bench {

inline std::string corpus_dir() { return emodb_location(std::string(SERAUG_SOURCE_DIR) + "/../shared/data/emodb"); }

// nullptr when the corpus is absent (benchmarks then report SkipWithError).
inline const Dataset* emodb_is09() {
  static const Dataset* data = []() -> Dataset* {
    if (!std::filesystem::exists(corpus_dir())) return nullptr;
    const auto table = extract_corpus(read_corpus(corpus_dir()), feature_set("is09")).table;
    return new Dataset(make_dataset(table, "anger,fear,happiness,sadness,neutral", "emodb is09"));
  }();
  return data;
}

}  // namespace seraug::bench
