// The inner search (evaluate.hpp: select_model): hyperparameters and column count by
// speaker-grouped cross-validation inside a fold's training rows.
#include <algorithm>
#include <limits>
#include <numeric>

#include "seraug/common/parallel.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/eval/fold_rows.hpp"
#include "seraug/stats/selection.hpp"

namespace seraug {

ModelChoice select_model(const std::string& classifier, const Matrix& x, const std::vector<int>& y,
                         const std::vector<std::string>& speakers, std::size_t classes, int inner_folds, bool balanced,
                         std::uint64_t seed, int threads, const DnnConfig& dnn, const std::vector<std::size_t>& keep_grid,
                         const std::vector<char>& training_only) {
  const auto grid = default_grid(classifier);
  const std::vector<std::size_t> keeps = keep_grid.empty() ? std::vector<std::size_t>{0} : keep_grid;
  if (grid.size() == 1 && keeps.size() == 1) return {grid.front(), keeps.front(), std::numeric_limits<double>::quiet_NaN()};
  const auto folds = inner_folds_with_training_only(speakers, training_only, inner_folds, seed);
  // Column scores of each inner fold, from its training part only.
  std::vector<std::vector<double>> fold_scores;
  if (!keep_grid.empty())
    for (const Fold& fold : folds) fold_scores.push_back(anova_f_scores(x, fold.train, y, classes));
  const int workers = trains_in_parallel(classifier) ? threads : 1;
  const bool share_gram = uses_gram(classifier);
  // One job per (column count, inner fold, share of the grid): it selects its rows and
  // columns once and fits its grid points on them; kernel SVMs also share one Gram matrix
  // (the product each fit would compute). The grid is shared out only where there are
  // too few (column count, fold) pairs to keep every thread busy. Most columns first.
  const std::size_t pairs = keeps.size() * folds.size();
  const std::size_t shares = std::clamp<std::size_t>((2 * resolve_threads(workers) + pairs - 1) / pairs, 1, grid.size());
  const std::size_t per_share = (grid.size() + shares - 1) / shares;
  std::vector<std::size_t> keep_order(keeps.size());
  std::iota(keep_order.begin(), keep_order.end(), 0);
  std::stable_sort(keep_order.begin(), keep_order.end(), [&](std::size_t a, std::size_t b) {
    return (keeps[a] == 0 ? x.cols : keeps[a]) > (keeps[b] == 0 ? x.cols : keeps[b]);
  });
  // fold_uar[(keep * grid + grid point) * folds + fold], summed below in a fixed order so
  // the choice does not depend on the thread count.
  std::vector<double> fold_uar(keeps.size() * grid.size() * folds.size(), 0.0);
  parallel_for(pairs * shares, workers, [&](std::size_t job) {
    const std::size_t k = keep_order[job / (folds.size() * shares)], f = (job / shares) % folds.size(), share = job % shares;
    const Fold& fold = folds[f];
    Matrix train = select_rows(x, fold.train), test = select_rows(x, fold.test);
    if (keeps[k] != 0) {
      const auto columns = top_columns(fold_scores[f], keeps[k]);
      train = select_columns(train, columns);
      test = select_columns(test, columns);
    }
    const auto train_y = select(y, fold.train), test_y = select(y, fold.test);
    const Matrix gram = share_gram ? linear_gram(train) : Matrix();
    FitOptions options = fit_options(train_y, select(speakers, fold.train), classes, balanced, seed);
    if (share_gram) options.gram = &gram;
    for (std::size_t g = share * per_share; g < std::min(grid.size(), (share + 1) * per_share); ++g) {
      auto model = make_classifier(classifier, grid[g], dnn);
      model->fit(train, train_y, classes, options);
      fold_uar[(k * grid.size() + g) * folds.size() + f] = Confusion::from(test_y, model->predict(test), classes).uar();
    }
  });
  std::vector<double> score(keeps.size() * grid.size(), 0.0);
  for (std::size_t job = 0; job < fold_uar.size(); ++job) score[job / folds.size()] += fold_uar[job] / static_cast<double>(folds.size());
  std::size_t best = 0;
  for (std::size_t i = 1; i < score.size(); ++i)
    if (score[i] > score[best] + 1e-12) best = i;
  return {grid[best % grid.size()], keeps[best / grid.size()], score[best]};
}

std::pair<Hyperparameters, double> select_hyperparameters(const std::string& classifier, const Matrix& x,
                                                          const std::vector<int>& y, const std::vector<std::string>& speakers,
                                                          std::size_t classes, int inner_folds, bool balanced,
                                                          std::uint64_t seed, int threads, const DnnConfig& dnn) {
  const ModelChoice choice = select_model(classifier, x, y, speakers, classes, inner_folds, balanced, seed, threads, dnn, {});
  return {choice.hyperparameters, choice.inner_uar};
}

}  // namespace seraug
