// Feature extraction speed: the whole EMO-DB copy (535 clips, 1070 s of audio) with
// 1 and with all threads, its perturbed copies (audio augmentation), and one 2 s clip. Prints wall seconds per corpus pass, the
// real-time factor (processing seconds / audio seconds) and the peak resident set.
//
// openSMILE 3.0.2 on this machine type (shared/reference/opensmile/README.md), IS09:
// 3.5 s as one long file, 7.6-8.3 s run once per clip.
//
// Corpus: $SERAUG_EMODB or ../shared/data/emodb beside the source tree.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "seraug/data/corpus.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/features/extractor.hpp"

namespace {

const int kAllCores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

const std::vector<seraug::Utterance>* corpus() {
  static const std::vector<seraug::Utterance>* list = [] {
    const std::string dir = seraug::emodb_location(std::string(SERAUG_SOURCE_DIR) + "/../shared/data/emodb");
    if (!std::filesystem::exists(dir)) return static_cast<std::vector<seraug::Utterance>*>(nullptr);
    return new std::vector<seraug::Utterance>(seraug::read_corpus(dir));
  }();
  return list;
}

double audio_seconds(const std::vector<seraug::Utterance>& list) {
  double total = 0;
  for (const auto& u : list) {
    auto s = seraug::AudioStream::open_file(u.path);
    total += static_cast<double>(s->info().file_frames) / s->info().file_rate_hz;
  }
  return total;
}

void BM_ExtractCorpus(benchmark::State& state, const char* set_name) {
  const auto* list = corpus();
  if (!list) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  const int jobs = static_cast<int>(state.range(0));
  seraug::BatchOptions options;
  options.jobs = jobs;
  const auto& set = seraug::feature_set(set_name);
  double wall_s = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(seraug::extract_corpus(*list, set, options));
    wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double audio_s = audio_seconds(*list);
  state.counters["files"] = static_cast<double>(list->size());
  state.counters["audio_s"] = audio_s;
  // Wall seconds per pass / audio seconds; with several jobs this is the throughput RTF.
  state.counters["rtf"] = wall_s / static_cast<double>(state.iterations()) / audio_s;
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

// The augmented corpus of the audio-augmentation study: one perturbed copy of every clip
// per chain (the study's ten: two values of each kind), all cores. Counters: wall seconds
// for all copies, and the ratio to one plain extraction of the corpus per copy (1 = a copy
// costs no more than extracting its clip; the rest is the perturbation itself).
void BM_ExtractAugmentedCorpus(benchmark::State& state, const char* set_name) {
  const auto* list = corpus();
  if (!list) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  const auto& set = seraug::feature_set(set_name);
  const std::vector<std::string> chains = {"speed=0.9", "speed=1.1", "vtlp=0.9", "vtlp=1.1", "pitch=-2",
                                           "pitch=2",   "noise=30",  "noise=20", "reverb=0.3", "reverb=0.6"};
  seraug::BatchOptions plain;
  plain.jobs = kAllCores;
  const auto plain_start = std::chrono::steady_clock::now();
  benchmark::DoNotOptimize(seraug::extract_corpus(*list, set, plain));
  const double plain_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - plain_start).count();
  double wall_s = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& chain : chains) {
      seraug::BatchOptions options = plain;
      options.copy = seraug::CopyRecipe{seraug::parse_perturbation_chain(chain), {}, 1, ""};
      benchmark::DoNotOptimize(seraug::extract_corpus(*list, set, options));
    }
    wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double per_pass = wall_s / static_cast<double>(state.iterations());
  state.counters["copies"] = static_cast<double>(list->size() * chains.size());
  state.counters["wall_s"] = per_pass;
  state.counters["vs_plain_extraction"] = per_pass / (plain_s * static_cast<double>(chains.size()));
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

void BM_ExtractOneClip(benchmark::State& state) {
  const auto* list = corpus();
  if (!list) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  seraug::FeatureExtractor extractor(seraug::feature_set("is09"));
  const std::string& path = list->front().path;
  for (auto _ : state) benchmark::DoNotOptimize(extractor.extract_file(path));
}

BENCHMARK_CAPTURE(BM_ExtractCorpus, is09, "is09")->Arg(1)->Arg(kAllCores)->ArgName("jobs")
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);
BENCHMARK_CAPTURE(BM_ExtractCorpus, egemaps, "egemaps")->Arg(1)->Arg(kAllCores)->ArgName("jobs")
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);
BENCHMARK_CAPTURE(BM_ExtractCorpus, is10, "is10")->Arg(1)->Arg(kAllCores)->ArgName("jobs")
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);
BENCHMARK_CAPTURE(BM_ExtractCorpus, compare, "compare")->Arg(1)->Arg(kAllCores)->ArgName("jobs")
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);
BENCHMARK_CAPTURE(BM_ExtractAugmentedCorpus, is09, "is09")->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK_CAPTURE(BM_ExtractAugmentedCorpus, is10, "is10")->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_ExtractOneClip)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
