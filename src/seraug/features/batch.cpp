#include "seraug/features/batch.hpp"

#include <atomic>
#include <exception>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "seraug/common/cpus.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/features/extractor.hpp"
#include "seraug/stats/hash.hpp"

namespace seraug {

std::uint64_t copy_seed(std::uint64_t seed, const std::string& clip_name, const PerturbationChain& chain) {
  const std::string key = clip_name + "|" + chain_text(chain);
  return fnv1a(fnv1a(kFnv1aOffset, &seed, sizeof seed), key.data(), key.size());
}

namespace {

// Features of one perturbed copy of a clip (and the copy as audio, when asked).
std::vector<double> extract_copy(FeatureExtractor& extractor, const Utterance& u, const CopyRecipe& copy, const AudioOptions& audio) {
  auto stream = AudioStream::open_file(u.path, audio);
  const double rate = stream->info().rate_hz;
  std::vector<float> samples = perturb(read_all_samples(*stream), rate, copy.chain, copy_seed(copy.seed, u.name, copy.chain), copy.settings);
  if (!copy.write_audio_dir.empty()) {
    const std::string stem = std::filesystem::path(u.name).stem().string();
    write_wav_float(copy.write_audio_dir + "/" + stem + "@" + chain_text(copy.chain) + ".wav", samples, static_cast<int>(std::lround(rate)));
  }
  auto copy_stream = AudioStream::from_samples(std::move(samples), rate, u.path + " (" + chain_text(copy.chain) + ")");
  return extractor.extract(*copy_stream);
}

// A file's failure: a seraug::Error (and its kinds) as it was thrown, anything else as
// a seraug::Error with its message.
[[noreturn]] void rethrow_as_seraug_error(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(e.what());
  }
}

}  // namespace

BatchResult extract_corpus(const std::vector<Utterance>& utterances, const FeatureSet& set,
                           const BatchOptions& options) {
  options.audio.validate();  // once, before any file: a bad rate is not a bad file for --skip-bad
  const std::size_t n = utterances.size();
  std::vector<std::vector<double>> rows(n);
  std::vector<std::optional<std::string>> errors(n);
  std::vector<std::exception_ptr> failures(n);
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  std::mutex progress_mutex;

  auto worker = [&] {
    FeatureExtractor extractor(set);
    for (std::size_t i = next++; i < n && !stop && !interrupted(); i = next++) {
      try {
        rows[i] = options.copy ? extract_copy(extractor, utterances[i], *options.copy, options.audio)
                               : extractor.extract_file(utterances[i].path, options.audio);
      } catch (const std::exception& e) {
        errors[i] = e.what();
        failures[i] = std::current_exception();  // rethrown as it is (a missing file stays MissingFile)
        if (!options.skip_bad) stop = true;  // no point finishing a run that will fail
      }
      const std::size_t finished = ++done;
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(finished, n);
      }
    }
  };

  unsigned jobs = resolve_thread_count(options.jobs);
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
      if (!options.skip_bad) rethrow_as_seraug_error(failures[i]);
      result.skipped.push_back({utterances[i].path, *errors[i]});
      continue;
    }
    if (rows[i].empty()) continue;  // not reached: only after a stop, which throws above
    result.table.names.push_back(options.copy ? copy_row_name(utterances[i].name, chain_text(options.copy->chain)) : utterances[i].name);
    result.table.speakers.push_back(utterances[i].speaker);
    result.table.labels.push_back(utterances[i].label);
    result.table.values.insert(result.table.values.end(), rows[i].begin(), rows[i].end());
  }
  if (result.table.rows() == 0) throw Error("no file could be processed (" + std::to_string(result.skipped.size()) + " skipped)");
  return result;
}

}  // namespace seraug
