#include "seraug/eval/late_fusion.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/stats/selection.hpp"

namespace seraug {
namespace {

struct Member {
  std::string tag, classifier;
  std::vector<std::size_t> columns;  // dataset columns of the member's block
};

std::vector<Member> members(const Dataset& data, const EvalOptions& o) {
  const std::vector<std::string> classifiers = o.late_classifiers.empty() ? std::vector<std::string>{o.classifier} : o.late_classifiers;
  std::vector<Member> out;
  for (const auto& block : column_blocks(data.feature_names))
    for (const auto& c : classifiers) out.push_back({block.tag, c, block.columns});
  return out;
}

// One member on one fold: search, select, fit with calibration, test probabilities.
Matrix member_probabilities(const Member& m, const Matrix& train_x, const Matrix& test_x, const std::vector<int>& train_y,
                            const std::vector<std::string>& train_speakers, std::size_t classes, const EvalOptions& o,
                            std::uint64_t seed, Hyperparameters& chosen) {
  Matrix train = select_columns(train_x, m.columns), test = select_columns(test_x, m.columns);
  const ModelChoice choice = select_model(m.classifier, train, train_y, train_speakers, classes, o.inner_folds, o.balanced, seed,
                                          o.threads, o.dnn, o.select_keep);
  if (choice.keep != 0) {
    const auto kept = f_score_columns(train, train_y, classes, choice.keep);
    train = select_columns(train, kept);
    test = select_columns(test, kept);
  }
  const std::string prefix = (m.tag.empty() ? "" : m.tag + " ") + m.classifier + " ";
  for (const auto& [key, value] : choice.hyperparameters) chosen[prefix + key] = value;
  if (!o.select_keep.empty()) chosen[prefix + "features"] = static_cast<double>(train.cols);
  FitOptions fit;
  if (o.balanced) fit.class_weights = balanced_class_weights(train_y, classes);
  fit.speakers = train_speakers;
  fit.seed = seed;
  fit.calibrate = true;
  auto model = make_classifier(m.classifier, choice.hyperparameters, o.dnn);
  model->fit(train, train_y, classes, fit);
  return model->predict_proba(test);
}

}  // namespace

void check_late_fusion_options(const Dataset& data, const EvalOptions& o) {
  if (o.augment != "none" || o.balance) throw Error("late fusion does not combine with augmentation (`augment`)");
  if (o.extra || o.gan_source) throw Error("late fusion does not combine with `extra` or `gan.source` rows");
  if (o.fixed) throw Error("late fusion searches each member's hyperparameters; drop `C` and `gamma`");
  if (members(data, o).size() < 2)
    throw Error("late fusion needs at least two members: several feature files (or a fused set such as is10+compare) or several classifiers");
}

FoldOutcome evaluate_late_fusion_fold(const Dataset& data, const EvalOptions& o, const Fold& fold, std::uint64_t seed) {
  const std::size_t k = data.classes.size();
  if (fold.train.empty() || fold.test.empty()) throw Error("fold '" + fold.name + "' has an empty side");
  const auto [train_x, test_x] = normalize_fold_rows(data, fold, o, seed);
  const auto train_y = select(data.labels, fold.train), test_y = select(data.labels, fold.test);
  const auto train_speakers = select(data.speakers, fold.train);
  FoldOutcome out;
  out.name = fold.name;
  out.test_speakers = fold.test_speakers;
  out.speaker_overlap = fold.speaker_overlap;
  out.train_rows = fold.train.size();
  out.test_rows = fold.test;
  Matrix mean(test_x.rows, k);
  const auto all = members(data, o);
  for (const auto& m : all) {
    check_interrupt();
    const Matrix p = member_probabilities(m, train_x, test_x, train_y, train_speakers, k, o, seed, out.chosen);
    for (std::size_t i = 0; i < mean.data.size(); ++i) mean.data[i] += p.data[i] / static_cast<double>(all.size());
  }
  for (std::size_t r = 0; r < mean.rows; ++r)
    out.predictions.push_back(static_cast<int>(std::max_element(mean.row(r), mean.row(r) + k) - mean.row(r)));
  out.inner_uar = std::numeric_limits<double>::quiet_NaN();
  out.confusion = Confusion::from(test_y, out.predictions, k);
  return out;
}

}  // namespace seraug
