#include "seraug/eval/evaluate.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "seraug/common/error.hpp"
#include "seraug/common/parallel.hpp"

namespace seraug {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

FitOptions fit_options(std::span<const int> y, std::vector<std::string> speakers, std::size_t classes, bool balanced,
                       std::uint64_t seed) {
  FitOptions o;
  if (balanced) o.class_weights = balanced_class_weights(y, classes);
  o.speakers = std::move(speakers);
  o.seed = seed;
  return o;
}

}  // namespace

std::pair<Hyperparameters, double> select_hyperparameters(const std::string& classifier, const Matrix& x,
                                                          const std::vector<int>& y, const std::vector<std::string>& speakers,
                                                          std::size_t classes, int inner_folds, bool balanced,
                                                          std::uint64_t seed, int threads, const DnnConfig& dnn) {
  const auto grid = default_grid(classifier);
  if (grid.size() == 1) return {grid.front(), std::numeric_limits<double>::quiet_NaN()};
  std::vector<std::size_t> all(x.rows);
  std::iota(all.begin(), all.end(), 0);
  const auto folds = group_kfold(speakers, all, inner_folds, seed);
  // Every (grid point, inner fold) pair is independent: run them in parallel, then add
  // up in a fixed order so the choice does not depend on the thread count.
  std::vector<double> fold_uar(grid.size() * folds.size(), 0.0);
  parallel_for(fold_uar.size(), trains_in_parallel(classifier) ? threads : 1, [&](std::size_t job) {
    const std::size_t g = job / folds.size();
    const Fold& fold = folds[job % folds.size()];
    const Matrix train = select_rows(x, fold.train), test = select_rows(x, fold.test);
    const auto train_y = select(y, fold.train), test_y = select(y, fold.test);
    auto model = make_classifier(classifier, grid[g], dnn);
    model->fit(train, train_y, classes, fit_options(train_y, select(speakers, fold.train), classes, balanced, seed));
    fold_uar[job] = Confusion::from(test_y, model->predict(test), classes).uar();
  });
  std::vector<double> score(grid.size(), 0.0);
  for (std::size_t job = 0; job < fold_uar.size(); ++job) score[job / folds.size()] += fold_uar[job] / static_cast<double>(folds.size());
  std::size_t best = 0;
  for (std::size_t g = 1; g < grid.size(); ++g)
    if (score[g] > score[best] + 1e-12) best = g;
  return {grid[best], score[best]};
}

EvalResult evaluate(const Dataset& data, const EvalOptions& options) {
  if (options.repeats < 1) throw Error("--repeats must be at least 1");
  make_classifier(options.classifier, options.fixed.value_or(default_grid(options.classifier).front()), options.dnn);  // validate early
  const auto start = std::chrono::steady_clock::now();
  EvalResult result;
  result.options = options;
  result.source = data.source;
  result.classes = data.classes;
  result.rows = data.rows();
  result.dims = data.dims();
  result.speakers = data.speaker_list().size();
  const std::size_t k = data.classes.size();

  for (int r = 0; r < options.repeats; ++r) {
    RepeatOutcome repeat;
    repeat.seed = options.seed + static_cast<std::uint64_t>(r);
    repeat.pooled = Confusion(k);
    for (const Fold& fold : make_folds(data, options.protocol, repeat.seed)) {
      const auto fold_start = std::chrono::steady_clock::now();
      if (fold.train.empty() || fold.test.empty()) throw Error("fold '" + fold.name + "' has an empty side");
      auto [train_x, test_x] = normalize_fold(data.features, data.speakers, fold.train, fold.test, options.norm);
      const auto train_y = select(data.labels, fold.train), test_y = select(data.labels, fold.test);

      FoldOutcome out;
      out.name = fold.name;
      out.test_speakers = fold.test_speakers;
      out.speaker_overlap = fold.speaker_overlap;
      out.train_rows = fold.train.size();
      out.test_rows = fold.test;
      if (options.fixed) {
        out.chosen = *options.fixed;
        out.inner_uar = std::numeric_limits<double>::quiet_NaN();
      } else {
        std::tie(out.chosen, out.inner_uar) = select_hyperparameters(
            options.classifier, train_x, train_y, select(data.speakers, fold.train), k, options.inner_folds, options.balanced, repeat.seed,
            options.threads, options.dnn);
      }
      auto model = make_classifier(options.classifier, out.chosen, options.dnn);
      model->fit(train_x, train_y, k, fit_options(train_y, select(data.speakers, fold.train), k, options.balanced, repeat.seed));
      out.predictions = model->predict(test_x);
      out.confusion = Confusion::from(test_y, out.predictions, k);
      repeat.pooled.add(out.confusion);
      out.seconds = seconds_since(fold_start);
      repeat.folds.push_back(std::move(out));
    }
    result.repeats.push_back(std::move(repeat));
  }
  result.seconds = seconds_since(start);
  return result;
}

namespace {

template <typename F>
MeanStd over_repeats(const EvalResult& r, F metric) {
  std::vector<double> v;
  for (const auto& rep : r.repeats) v.push_back(metric(rep.pooled));
  return mean_std(v);
}

}  // namespace

MeanStd EvalResult::wa() const { return over_repeats(*this, [](const Confusion& c) { return c.wa(); }); }
MeanStd EvalResult::uar() const { return over_repeats(*this, [](const Confusion& c) { return c.uar(); }); }
MeanStd EvalResult::recall(std::size_t cls) const {
  return over_repeats(*this, [cls](const Confusion& c) { return c.recall(cls); });
}
MeanStd EvalResult::fold_uar() const {
  std::vector<double> v;
  for (const auto& rep : repeats)
    for (const auto& f : rep.folds) v.push_back(f.confusion.uar());
  return mean_std(v);
}

}  // namespace seraug
