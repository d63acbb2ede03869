// Classifier costs on EMO-DB IS09 (5 classes): training on one LOSO fold (9 speakers,
// ~370 rows) for each classifier, and the warm end-to-end latency of predicting one 2 s
// clip with the shipped model (feature extraction + normalisation + classification).
#include <benchmark/benchmark.h>

#include "bench_data.hpp"

#include <filesystem>

#include "seraug/data/dataset.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/features/extractor.hpp"
#include "seraug/models/saved_model.hpp"

namespace {

using seraug::bench::corpus_dir;

using seraug::bench::emodb_is09;

// Training one fold: normalise, (svm) choose C by inner CV, fit.
void BM_TrainOneLosoFold(benchmark::State& state, const char* classifier) {
  const auto* data = emodb_is09();
  if (!data) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  const seraug::Fold fold = seraug::make_folds(*data, seraug::parse_protocol("loso"), 1).front();
  auto [train_x, test_x] = seraug::normalize_fold(data->features, data->speakers, fold.train, fold.test, seraug::NormKind::Global);
  const auto train_y = seraug::select(data->labels, fold.train);
  const auto speakers = seraug::select(data->speakers, fold.train);
  for (auto _ : state) {
    const auto [hp, inner] = seraug::select_hyperparameters(classifier, train_x, train_y, speakers, data->classes.size(), 3, false, 1);
    auto model = seraug::make_classifier(classifier, hp);
    seraug::FitOptions options;
    options.speakers = speakers;
    model->fit(train_x, train_y, data->classes.size(), options);
    benchmark::DoNotOptimize(model->predict(test_x));
  }
  state.counters["train_rows"] = static_cast<double>(fold.train.size());
}

void BM_PredictOneClipWarm(benchmark::State& state) {
  const std::string model_dir = std::string(SERAUG_SOURCE_DIR) + "/models/emodb-is09-svm";
  const std::string clip = corpus_dir() + "/wav/03a01Fa.wav";
  if (!std::filesystem::exists(clip)) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  const seraug::TrainedModel model = seraug::load_trained_model(model_dir);
  seraug::FeatureExtractor extractor(seraug::feature_set(model.feature_set));
  for (auto _ : state) {
    seraug::FeatureTable t;
    t.feature_names = extractor.names();
    t.names = {clip};
    t.speakers = {""};
    t.labels = {""};
    t.values = extractor.extract_file(clip);
    benchmark::DoNotOptimize(seraug::predict_table(model, t));
  }
}

BENCHMARK_CAPTURE(BM_TrainOneLosoFold, svm, "svm")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_TrainOneLosoFold, svm_rbf, "svm-rbf")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_TrainOneLosoFold, svm_ovo, "svm-ovo")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_TrainOneLosoFold, dnn, "dnn")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_PredictOneClipWarm)->Unit(benchmark::kMillisecond);

}  // namespace
