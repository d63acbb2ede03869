#include "seraug/options/options.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>

#include "seraug/common/distinct.hpp"
#include "seraug/common/error.hpp"
#include "seraug/data/align.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {
namespace {

bool is_gan_source_setting(const std::string& source) {
  return source == "others" || source == "all" || source == "neutral" || source == "unused" || source == "copies";
}

// Settings given by a front end over a section: an undeclared name or a value the
// declaration refuses throws "<section>.<name> …".
template <typename S>
S with_overrides(S c, const std::vector<Field<S>>& fields, const std::vector<std::pair<std::string, std::string>>& given,
                 const std::string& section, ValueSyntax syntax) {
  for (const auto& setting : given) {
    // Named copies, not a structured binding: clang 14 cannot capture a binding in a lambda.
    const std::string& name = setting.first;
    const std::string& text = setting.second;
    const auto f = std::find_if(fields.begin(), fields.end(), [&](const Field<S>& x) { return x.parameter.name == name; });
    if (f == fields.end()) throw Error(section + "." + name + " is not a [" + section + "] parameter (docs/parameters.md lists them)");
    set_field_text(*f, c, text, section + "." + name, syntax);
  }
  return c;
}

GanConfig with_gan_overrides(GanConfig g, const ModelSettings& s) {
  g = with_overrides(g, gan_fields(), s.gan, "gan", s.setting_syntax);
  if (s.gan_source && is_gan_source_setting(*s.gan_source)) g.source = *s.gan_source;
  return g;
}

// A --gan-source file's rows in data's columns, shared by every fold that uses them.
// Refused for a method that has no source domain, rather than silently unused.
std::shared_ptr<const Matrix> read_gan_source(const ModelSettings& s, const std::string& method, const Dataset& data) {
  const std::string file = gan_source_file(s);
  if (file.empty()) return nullptr;
  if (!is_cyclegan(method))
    throw Error("`gan.source` " + file + ": only the cycle-GANs have a source domain, not '" + method + "'");
  return std::make_shared<const Matrix>(align_source_rows(read_feature_table(file), file, data));
}

// "1,2,3" -> {1, 2, 3}: integers in [minimum, maximum] and nothing else in an item;
// nullopt for anything else (an empty item included). "" gives {}.
std::optional<std::vector<long>> integer_list(const std::string& text, long minimum, long maximum = std::numeric_limits<long>::max()) {
  std::vector<long> values;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      const long v = std::stol(item, &used);
      if (used != item.size() || v < minimum || v > maximum) return std::nullopt;
      values.push_back(v);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return values;
}

// "svm-ovo" -> itself; "svm-ovo,dnn" (late fusion of classifiers) -> the first, and
// every name into `all`. Throws naming an unknown classifier.
std::string first_of_list(const std::string& text, std::vector<std::string>& all) {
  std::stringstream ss(text);
  std::string item;
  std::vector<std::string> names;
  while (std::getline(ss, item, ',')) {
    default_grid(item);  // throws for an unknown name
    names.push_back(item);
  }
  if (names.empty()) throw Error("`classifier` is empty");
  if (names.size() > 1) all = names;
  return names.front();
}

}  // namespace

Config build_config(const ModelSettings& s) {
  Config c = s.base ? *s.base : s.config_path.empty() ? Config{} : load_config(s.config_path);
  c.dnn = with_overrides(c.dnn, dnn_fields(), s.dnn, "dnn", s.setting_syntax);
  c.gan = with_gan_overrides(c.gan, s);
  const std::string from = s.config_path.empty() ? " (from a command-line setting)" : " (from " + s.config_path + " or a command-line setting)";
  try {
    c.dnn.validate();
    c.gan.validate();
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + from);
  }
  return c;
}

std::string resolved_models_toml(const ModelSettings& s) {
  const Config c = build_config(s);
  return "[dnn]\n" + fields_toml(dnn_fields(), c.dnn) + "\n[gan]\n" + fields_toml(gan_fields(), c.gan);
}

std::string gan_source_file(const ModelSettings& s) {
  if (!s.gan_source || s.gan_source->empty() || is_gan_source_setting(*s.gan_source)) return {};
  return *s.gan_source;
}

AugmentConfig build_augment_config(const AugmentSettings& s, const Config& models) {
  AugmentConfig a;
  if (s.noise_sigma) a.noise_sigma = *s.noise_sigma;
  if (s.smote_k) a.smote_k = *s.smote_k;
  a.gan = models.gan;
  a.classifier = models.dnn;
  a.loss_log = s.gan_losses;
  a.save_to = s.save_gan;
  a.load_from = s.load_gan;
  a.validate();
  return a;
}

// A method with [gan] settings ("cyclegan-wdiv[source=neutral]"): the augmenter's name,
// with the settings applied to its configuration.
std::string apply_augmenter_variant(const std::string& method, AugmentConfig& config) {
  const AugmenterVariant v = split_augmenter_variant(method);
  if (v.overrides.empty()) return v.augmenter;
  if (!is_cyclegan(v.augmenter)) throw Error("method '" + method + "': only the cycle-GANs take [gan] settings in brackets");
  config.gan = apply_gan_overrides(config.gan, v.overrides, method);
  return v.augmenter;
}

namespace {

bool has_hyperparameter(const std::string& classifier, const std::string& name) {
  for (const auto& point : default_grid(classifier))
    if (point.count(name)) return true;
  return false;
}

// A setting that the chosen classifier or augmenter does not use would be silently
// ignored (issue 32, class 8): refused, naming the setting and what uses it.
void refuse_unused_augment_settings(const AugmentSettings& s, const ModelSettings& m, const std::string& augmenter) {
  if (s.noise_sigma && augmenter != "noise")
    throw Error("noise_sigma applies to the noise augmenter only, not '" + augmenter + "'");
  if (s.smote_k && augmenter != "smote") throw Error("smote_k applies to the smote augmenter only, not '" + augmenter + "'");
  if (is_cyclegan(augmenter)) return;
  const std::pair<bool, const char*> gan_settings[] = {{!s.gan_losses.empty(), "gan_losses"}, {!s.save_gan.empty(), "save_gan"},
                                                       {!s.load_gan.empty(), "load_gan"}, {m.gan_source.has_value(), "gan.source"}};
  for (const auto& [given, name] : gan_settings)
    if (given) throw Error(std::string(name) + " applies to the cycle-GAN augmenters only, not '" + augmenter + "'");
  if (!m.gan.empty()) throw Error("gan." + m.gan.front().first + " applies to the cycle-GAN augmenters only, not '" + augmenter + "'");
}

void refuse_unused_classifier_settings(const std::vector<std::string>& classifiers, const std::optional<double>& c,
                                       const std::optional<double>& gamma, const ModelSettings& m, bool gan) {
  for (const auto& k : classifiers) {
    if (c && !has_hyperparameter(k, "C")) throw Error("C applies to the SVM classifiers only; classifier '" + k + "' has no C");
    if (gamma && !has_hyperparameter(k, "gamma"))
      throw Error("gamma applies to svm-rbf only; classifier '" + k + "' has no gamma");
  }
  if (gamma && !c) throw Error("gamma is fixed together with C only (without C the inner search chooses both): give C too");
  const bool dnn_settings = !m.dnn.empty();
  const bool dnn_used = gan || std::find(classifiers.begin(), classifiers.end(), "dnn") != classifiers.end();
  if (dnn_settings && !dnn_used)
    throw Error("the dnn.* settings apply to the dnn classifier (and the cycle-GANs' auxiliary classifier); neither is used here");
}

// C fixed by the user; a classifier with a gamma (svm-rbf) takes the given one, else 1 in
// units of 1/features (the scale the inner search's grid uses).
Hyperparameters fixed_hyperparameters(const std::string& classifier, double c, const std::optional<double>& gamma) {
  Hyperparameters hp{{"C", c}};
  if (has_hyperparameter(classifier, "gamma")) hp["gamma"] = gamma.value_or(1.0);
  return hp;
}

}  // namespace

EvalOptions build_eval_options(const EvaluateSettings& s, const Dataset& data) {
  if (!s.feature_set.empty() && data.feature_names != feature_names(seraug::feature_set(s.feature_set)))
    throw file_error(data.source, "its " + std::to_string(data.dims()) + " columns are not the feature set " + s.feature_set +
                                      "'s (feature_set = \"" + s.feature_set + "\"): extract the features with `set` " + s.feature_set);
  const Config models = build_config(s.models);
  EvalOptions o;
  o.classifier = s.classifier;
  o.protocol = parse_protocol(s.protocol);
  o.norm = parse_norm(s.norm);
  o.repeats = s.repeats;
  o.seed = s.seed;
  o.inner_folds = s.inner_folds;
  o.balanced = s.balanced;
  o.threads = s.threads;
  o.dnn = models.dnn;
  o.amounts = s.amounts;
  o.balance = s.balance;
  o.augment_config = build_augment_config(s.augmentation, models);
  o.augment = apply_augmenter_variant(s.augment, o.augment_config);
  o.gan_cache = s.gan_cache;
  if (!s.select_keep.empty()) o.select_keep = parse_keep_list(s.select_keep);
  if (s.fusion != "early" && s.fusion != "late") throw Error("`fusion` is early or late, got '" + s.fusion + "'");
  o.late_fusion = s.fusion == "late";
  o.enroll_clips = s.enroll_clips;
  o.enroll_prior = s.enroll_prior;
  o.classifier = first_of_list(s.classifier, o.late_classifiers);
  // Late fusion of several classifiers with C fixed: C alone, as before (gamma is then
  // refused below unless every classifier has one).
  if (s.c) o.fixed = o.late_classifiers.empty() ? fixed_hyperparameters(o.classifier, *s.c, s.gamma) : Hyperparameters{{"C", *s.c}};
  const std::string augmenter = split_augmenter_variant(s.augment).augmenter;
  refuse_unused_augment_settings(s.augmentation, s.models, augmenter);
  refuse_unused_classifier_settings(o.late_classifiers.empty() ? std::vector<std::string>{o.classifier} : o.late_classifiers, s.c, s.gamma,
                                    s.models, is_cyclegan(augmenter));
  if (!s.gan_cache.empty() && !is_cyclegan(augmenter)) throw Error("gan_cache applies to the cycle-GAN augmenters only, not '" + augmenter + "'");
  if (!o.late_fusion && !o.late_classifiers.empty()) throw Error("several classifiers (" + s.classifier + ") are fused late only: set `fusion` to late");
  o.gan_source = read_gan_source(s.models, s.augment, data);
  if (!s.extra.empty()) o.extra = std::make_shared<const Dataset>(align_extra_rows(read_feature_table(s.extra), s.extra, data));
  if (!s.audio_copies.empty()) {
    refuse_repeats(s.audio_copies, "audio_copies", "file", file_identity);
    auto copies = std::make_shared<CopyRows>();
    for (const auto& path : s.audio_copies) append_copies(*copies, copies_of(data, read_feature_table(path), path));
    o.copies = copies;
  }
  return o;
}

std::vector<std::size_t> parse_amounts(const std::string& text, const std::string& flag) {
  const auto values = integer_list(text, 0);
  if (!values) throw Error(flag + " takes non-negative integers separated by commas, got '" + text + "'");
  if (values->empty()) throw Error(flag + " is empty");
  return {values->begin(), values->end()};
}

std::vector<std::size_t> parse_keep_list(const std::string& text) {
  std::vector<std::size_t> keep;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == "all") {
      keep.push_back(0);
      continue;
    }
    const auto value = integer_list(item, 1);
    if (!value || value->size() != 1) throw Error("`select_keep` takes positive column counts or 'all' separated by commas, got '" + text + "'");
    keep.push_back(static_cast<std::size_t>(value->front()));
  }
  if (keep.empty()) throw Error("`select_keep` is empty");
  return keep;
}

ExportOptions build_export_options(const ExportSettings& s, const Dataset& data) {
  if (!s.balance && s.per_class == 0) throw Error("augment: give `per_class` > 0 or `balance`");
  const Config models = build_config(s.models);
  ExportOptions o;
  o.per_class = s.per_class;
  o.balance = s.balance;
  o.seed = s.seed;
  o.config = build_augment_config(s.augmentation, models);
  o.method = apply_augmenter_variant(s.method, o.config);
  refuse_unused_augment_settings(s.augmentation, s.models, o.method);
  if (o.config.gan.source == "copies") throw Error("augment: gan.source = \"copies\" needs an evaluation with audio copies (seraug evaluate --audio-copies or experiment)");
  o.gan_source = read_gan_source(s.models, s.method, data);
  return o;
}

TrainOptions build_train_options(const TrainSettings& s) {
  TrainOptions o;
  o.classifier = s.classifier;
  o.feature_set = s.feature_set;
  refuse_unused_classifier_settings({s.classifier}, s.c, s.gamma, s.models, false);
  if (s.c) o.fixed = fixed_hyperparameters(s.classifier, *s.c, s.gamma);
  o.norm = parse_norm(s.norm);
  if (!s.select_keep.empty()) o.select_keep = parse_keep_list(s.select_keep);
  o.balanced = s.balanced;
  o.seed = s.seed;
  o.threads = s.threads;
  o.dnn = build_config(s.models).dnn;
  return o;
}

}  // namespace seraug
