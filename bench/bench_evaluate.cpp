// One full leave-one-speaker-out evaluation on EMO-DB IS09 (408 rows x 384 features,
// 5 classes, 10 folds), with C chosen by 3-fold speaker-grouped inner CV per fold, for
// each classifier; then the large sets: ComParE (6373 columns) with svm-rbf and speaker
// norm (the 640 s case), and the best recipe (configs/best.toml, one seed).
// Features are extracted once before timing.
#include <benchmark/benchmark.h>

#include "bench_data.hpp"

#include <filesystem>

#include "seraug/data/dataset.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/batch.hpp"

namespace {

using seraug::bench::emodb_features;
using seraug::bench::emodb_is09;

void BM_LosoEvaluation(benchmark::State& state, const char* classifier) {
  const auto* data = emodb_is09();
  if (!data) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  seraug::EvalOptions options;
  options.classifier = classifier;
  double uar = 0;
  for (auto _ : state) uar = seraug::evaluate(*data, options).uar().mean;
  state.counters["rows"] = static_cast<double>(data->rows());
  state.counters["uar"] = uar;
}

// A large set with speaker norm; `best` adds the best recipe's selection and weights.
void BM_LosoLargeSet(benchmark::State& state, const char* set, const char* classifier, bool best) {
  const auto* data = emodb_features(set);
  if (!data) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  seraug::EvalOptions options;
  options.classifier = classifier;
  options.norm = seraug::NormKind::Speaker;
  if (best) {
    options.select_keep = {500, 1000, 2000, 4000, 0};
    options.balanced = true;
  }
  double uar = 0;
  for (auto _ : state) uar = seraug::evaluate(*data, options).uar().mean;
  state.counters["dims"] = static_cast<double>(data->dims());
  state.counters["uar"] = uar;
}

BENCHMARK_CAPTURE(BM_LosoEvaluation, svm, "svm")->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(BM_LosoEvaluation, svm_rbf, "svm-rbf")->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(BM_LosoEvaluation, svm_ovo, "svm-ovo")->Unit(benchmark::kSecond)->Iterations(2);

BENCHMARK_CAPTURE(BM_LosoLargeSet, compare_svm_rbf, "compare", "svm-rbf", false)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_LosoLargeSet, compare_svm_ovo, "compare", "svm-ovo", false)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_LosoLargeSet, best_recipe, "is10+compare", "svm-rbf", true)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
