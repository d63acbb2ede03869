#include "seraug/eval/training.hpp"

#include <nlohmann/json.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/stats/selection.hpp"

namespace seraug {
namespace {

const FeatureSet& matching_feature_set(const Dataset& data, const std::string& requested) {
  if (!requested.empty()) {
    const FeatureSet& set = feature_set(requested);
    if (feature_names(set) != data.feature_names)
      throw Error(data.source + ": its columns are not seraug's " + requested + " features in order");
    return set;
  }
  for (const auto& name : feature_set_names())
    if (feature_names(feature_set(name)) == data.feature_names) return feature_set(name);
  throw Error(data.source + ": its columns match no seraug feature set; a model must extract its own features "
                            "(extract them with seraug extract)");
}

// Narrows the model (names, fallback normaliser) and the training rows to `columns`.
void keep_columns(TrainedModel& m, Matrix& x, const std::vector<std::size_t>& columns) {
  x = select_columns(x, columns);
  m.feature_names = select(m.feature_names, columns);
  m.normalizer.mean = select(m.normalizer.mean, columns);
  m.normalizer.scale = select(m.normalizer.scale, columns);
  if (!m.speaker_prior.mean.empty()) {
    m.speaker_prior.mean = select(m.speaker_prior.mean, columns);
    m.speaker_prior.scale = select(m.speaker_prior.scale, columns);
  }
}

// The recipe the model was trained with, as a [recipe] section holds it (docs/parameters.md):
// `seraug train FEATURES --recipe FILE` with these values rebuilds the model.
nlohmann::ordered_json recipe_of(const TrainOptions& o, const std::string& feature_set) {
  nlohmann::ordered_json r = {{"feature_set", feature_set}, {"norm", norm_name(o.norm)}, {"classifier", o.classifier},
                              {"balanced", o.balanced}};
  if (!o.select_keep.empty()) {
    std::string keep;
    for (std::size_t k : o.select_keep) keep += (keep.empty() ? "" : ",") + (k == 0 ? std::string("all") : std::to_string(k));
    r["select_keep"] = keep;
  }
  if (o.fixed)
    for (const auto& [name, value] : *o.fixed) r[name] = value;
  return r;
}

}  // namespace

TrainedModel train_model(const Dataset& data, const TrainOptions& o) {
  const FeatureSet& set = matching_feature_set(data, o.feature_set);
  TrainedModel m;
  m.feature_set = set.name;
  m.feature_set_version = set.version;
  m.feature_names = data.feature_names;
  m.classes = data.classes;
  m.classifier_name = o.classifier;
  m.dnn = o.dnn;

  if (o.norm == NormKind::None) throw Error("train: normalisation must be global or speaker");
  if (o.fixed && o.select_keep.size() > 1) throw Error("train: choosing among several `select_keep` values needs the search; drop `C`");
  m.normalization = o.norm;
  std::vector<std::size_t> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  m.normalizer = ZScore::fit(data.features, all);
  Matrix x = data.features;
  if (o.norm == NormKind::Speaker) {
    x = normalize_fold(data.features, data.speakers, all, {}, NormKind::Speaker).first;
    m.speaker_prior = pooled_speaker_prior(data.features, data.speakers, all);
  }
  else m.normalizer.apply(x);

  ModelChoice choice{o.fixed.value_or(Hyperparameters{}), o.select_keep.empty() ? 0 : o.select_keep.front()};
  if (!o.fixed)
    choice = select_model(o.classifier, x, data.labels, data.speakers, data.classes.size(), o.inner_folds, o.balanced, o.seed,
                          o.threads, o.dnn, o.select_keep);
  m.hyperparameters = choice.hyperparameters;
  const double inner_uar = choice.inner_uar;
  if (!o.select_keep.empty() && choice.keep != 0) keep_columns(m, x, f_score_columns(x, data.labels, data.classes.size(), choice.keep));
  m.classifier = make_classifier(o.classifier, m.hyperparameters, o.dnn);
  FitOptions fit;
  if (o.balanced) fit.class_weights = balanced_class_weights(data.labels, data.classes.size());
  fit.speakers = data.speakers;
  fit.seed = o.seed;
  fit.calibrate = true;
  m.classifier->fit(x, data.labels, data.classes.size(), fit);

  nlohmann::json provenance = {{"source", data.source},     {"rows", data.rows()},
                               {"speakers", data.speaker_list()}, {"class_counts", data.class_counts()},
                               {"seed", o.seed},            {"balanced_class_weights", o.balanced},
                               {"inner_folds", o.inner_folds},      {"normalization", norm_name(o.norm)},
                               {"select_keep", o.select_keep},      {"columns_kept", m.feature_names.size()}};
  provenance["inner_cv_uar"] = std::isfinite(inner_uar) ? nlohmann::json(inner_uar) : nlohmann::json(nullptr);
  provenance["recipe"] = recipe_of(o, m.feature_set);
  m.provenance_json = provenance.dump();
  return m;
}

}  // namespace seraug
