#include "seraug/features/batch.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/features/extractor.hpp"

namespace seraug {

BatchResult extract_corpus(const std::vector<Utterance>& utterances, const FeatureSet& set,
                           const BatchOptions& options) {
  const std::size_t n = utterances.size();
  std::vector<std::vector<double>> rows(n);
  std::vector<std::optional<std::string>> errors(n);
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  std::mutex progress_mutex;

  auto worker = [&] {
    FeatureExtractor extractor(set);
    for (std::size_t i = next++; i < n && !stop && !interrupted(); i = next++) {
      try {
        rows[i] = extractor.extract_file(utterances[i].path, options.audio);
      } catch (const std::exception& e) {
        errors[i] = e.what();
        if (!options.skip_bad) stop = true;  // no point finishing a run that will fail
      }
      const std::size_t finished = ++done;
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(finished, n);
      }
    }
  };

  unsigned jobs = options.jobs > 0 ? static_cast<unsigned>(options.jobs) : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  check_interrupt();  // files were left unprocessed: no partial table
  BatchResult result;
  result.table.feature_names = feature_names(set);
  for (std::size_t i = 0; i < n; ++i) {
    if (errors[i]) {
      if (!options.skip_bad) throw Error(*errors[i]);
      result.skipped.push_back({utterances[i].path, *errors[i]});
      continue;
    }
    if (rows[i].empty()) continue;  // not reached: only after a stop, which throws above
    result.table.names.push_back(utterances[i].name);
    result.table.speakers.push_back(utterances[i].speaker);
    result.table.labels.push_back(utterances[i].label);
    result.table.values.insert(result.table.values.end(), rows[i].begin(), rows[i].end());
  }
  if (result.table.rows() == 0) throw Error("no file could be processed (" + std::to_string(result.skipped.size()) + " skipped)");
  return result;
}

}  // namespace seraug
