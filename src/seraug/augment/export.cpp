#include "seraug/augment/export.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>

#include "seraug/common/error.hpp"
#include "seraug/stats/normalize.hpp"

namespace seraug {

FeatureTable synthesize_table(const Dataset& data, const ExportOptions& o) {
  if (o.method == "none") throw Error("augment: choose a method (replicate, noise, smote)");
  if (!o.balance) require_synthetic_rows_fit(o.per_class, data.classes.size(), data.dims(), "`per_class`");
  std::vector<std::size_t> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  const ZScore z = ZScore::fit(data.features, all);
  Matrix x = data.features;
  z.apply(x);

  AugmentInput input{x, data.labels, data.speakers, data.classes.size()};
  input.neutral_class = data.class_index("neutral");
  Matrix source;
  if (o.gan_source) {
    source = *o.gan_source;
    z.apply(source);
    input.external_source = &source;
  } else if (o.config.gan.source == "unused") {  // the corpus's rows of the unselected classes
    source = data.unselected.features;
    z.apply(source);
    input.external_source = &source;
    input.source_speakers = &data.unselected.speakers;
  }
  auto augmenter = make_augmenter(o.method, o.config);
  SyntheticRows rows = augmenter->generate(input, synthetic_counts(data.labels, data.classes.size(), o.per_class, o.balance), o.seed);
  z.invert(rows.x);

  FeatureTable t;
  t.feature_names = data.feature_names;
  t.values = rows.x.data;
  char name[64];
  for (std::size_t r = 0; r < rows.x.rows; ++r) {
    std::snprintf(name, sizeof name, "%s_%06zu", o.method.c_str(), r + 1);
    std::set<std::string> speakers;
    std::string sources;
    for (auto i : rows.sources[r]) {
      speakers.insert(data.speakers[i]);
      sources += (sources.empty() ? "" : ";") + data.names[i];
    }
    t.names.push_back(name);
    if (!rows.speakers.empty()) t.speakers.push_back(rows.speakers[r]);  // a speaker-mapping GAN's target speaker
    else t.speakers.push_back(speakers.size() == 1 ? *speakers.begin() : "synthetic");
    t.labels.push_back(data.classes[static_cast<std::size_t>(rows.y[r])]);
    t.extras["synthetic"].push_back("1");
    t.extras["method"].push_back(o.method);
    t.extras["seed"].push_back(std::to_string(o.seed));
    t.extras["sources"].push_back(sources);
  }
  for (double v : t.values)
    if (!std::isfinite(v)) throw Error("augment: a synthetic value is not finite; nothing written");
  return t;
}

}  // namespace seraug
