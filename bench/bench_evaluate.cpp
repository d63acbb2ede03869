// One full leave-one-speaker-out evaluation on EMO-DB IS09 (408 rows x 384 features,
// 5 classes, 10 folds), with C chosen by 3-fold speaker-grouped inner CV per fold, for
// each classifier. Features are extracted once before timing.
#include <benchmark/benchmark.h>

#include "bench_data.hpp"

#include <filesystem>

#include "seraug/data/dataset.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/batch.hpp"

namespace {

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

BENCHMARK_CAPTURE(BM_LosoEvaluation, svm, "svm")->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(BM_LosoEvaluation, svm_rbf, "svm-rbf")->Unit(benchmark::kSecond)->Iterations(2);
BENCHMARK_CAPTURE(BM_LosoEvaluation, svm_ovo, "svm-ovo")->Unit(benchmark::kSecond)->Iterations(2);

}  // namespace
