#include "seraug/eval/training.hpp"

#include <nlohmann/json.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/features/feature_set.hpp"

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

  std::vector<std::size_t> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  m.normalizer = ZScore::fit(data.features, all);
  Matrix x = data.features;
  m.normalizer.apply(x);

  double inner_uar = std::numeric_limits<double>::quiet_NaN();
  if (o.fixed) m.hyperparameters = *o.fixed;
  else
    std::tie(m.hyperparameters, inner_uar) = select_hyperparameters(o.classifier, x, data.labels, data.speakers, data.classes.size(),
                                                                     o.inner_folds, o.balanced, o.seed, o.threads, o.dnn);
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
                               {"inner_folds", o.inner_folds}};
  provenance["inner_cv_uar"] = std::isfinite(inner_uar) ? nlohmann::json(inner_uar) : nlohmann::json(nullptr);
  m.provenance_json = provenance.dump();
  return m;
}

}  // namespace seraug
