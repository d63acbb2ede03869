#include "seraug/experiment/experiment.hpp"
#include "seraug/experiment/experiment_parameters.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <cctype>
#include <toml++/toml.h>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/common/distinct.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/tokens.hpp"
#include "seraug/common/toml_reader.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/options/options.hpp"
#include "seraug/options/recipe.hpp"
#include "seraug/eval/protocol.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/stats/hash.hpp"
#include "seraug/stats/normalize.hpp"

namespace fs = std::filesystem;

// What a run is made of: its configuration, cells, synthetic samples and shards. Running
// them is experiment.cpp's job.
namespace seraug {

MethodParts parse_method(const std::string& method) {
  MethodParts parts;
  if (method == "none") return parts;
  const auto kinds = perturbation_kinds(), augmenters = synthesising_augmenter_names();
  std::size_t start = 0;
  while (start <= method.size()) {
    std::size_t plus = start;  // the next '+' outside a [gan settings] list
    for (int depth = 0; plus < method.size() && (method[plus] != '+' || depth > 0); ++plus) depth += method[plus] == '[' ? 1 : method[plus] == ']' ? -1 : 0;
    std::string token = method.substr(start, plus - start);
    start = plus + 1;
    if (token.find('[') != std::string::npos || token.find(']') != std::string::npos) {
      const AugmenterVariant v = split_augmenter_variant(token);
      if (!is_cyclegan(v.augmenter) || std::find(augmenters.begin(), augmenters.end(), v.augmenter) == augmenters.end())
        throw Error("method '" + method + "': only the cycle-GANs take [gan] settings in brackets, not '" + v.augmenter + "'");
      apply_gan_overrides(GanConfig{}, v.overrides, token);  // keys and values checked here, before any run
      if (parts.augmenter != "none") throw Error("method '" + method + "' combines two feature-space augmenters");
      parts.augmenter = token;
      continue;
    }
    // "noise" is the feature-space augmenter (the paper's "Add noise"); additive noise on
    // the audio is spelled "audio-noise" in a method.
    if (token == "noise") {
      if (parts.augmenter != "none") throw Error("method '" + method + "' combines two feature-space augmenters");
      parts.augmenter = token;
      continue;
    }
    if (token == "audio-noise") token = "noise";
    if (std::find(kinds.begin(), kinds.end(), token) != kinds.end()) {
      if (std::find(parts.audio.begin(), parts.audio.end(), token) != parts.audio.end())
        throw Error("method '" + method + "' names '" + token + "' twice");
      parts.audio.push_back(token);
    } else if (std::find(augmenters.begin(), augmenters.end(), token) != augmenters.end()) {
      if (parts.augmenter != "none") throw Error("method '" + method + "' combines two feature-space augmenters");
      parts.augmenter = token;
    } else {
      std::string known;
      for (const auto& k : kinds) known += (k == "noise" ? "audio-noise" : k) + ", ";
      for (const auto& a : augmenters) known += a + ", ";
      throw Error("unknown method '" + token + "' in '" + method + "' (known: none, " + known.substr(0, known.size() - 2) +
                  "; audio kinds may be joined by '+', with at most one of the others)");
    }
  }
  return parts;
}

std::string canonical_method(const std::string& method) {
  MethodParts parts = parse_method(method);
  std::sort(parts.audio.begin(), parts.audio.end());
  std::string text;
  for (const auto& kind : parts.audio) text += kind + "+";
  AugmenterVariant v = split_augmenter_variant(parts.augmenter);
  std::vector<std::string> pairs;
  std::string pair;
  std::stringstream settings(v.overrides);
  while (std::getline(settings, pair, ',')) {
    pair.erase(std::remove_if(pair.begin(), pair.end(), [](unsigned char c) { return std::isspace(c); }), pair.end());
    pairs.push_back(pair);
  }
  std::sort(pairs.begin(), pairs.end());
  text += v.augmenter;
  if (!pairs.empty()) {
    text += "[";
    for (std::size_t i = 0; i < pairs.size(); ++i) text += (i ? "," : "") + pairs[i];
    text += "]";
  }
  return text;
}

std::vector<PerturbationChain> method_chains(const ExperimentConfig& c, const std::string& method) {
  std::vector<PerturbationChain> chains;
  for (const auto& kind : parse_method(method).audio)
    for (double v : c.audio_values.at(kind)) chains.push_back(parse_perturbation_chain(kind + "=" + exact_text(v)));
  return chains;
}

std::string ExperimentCell::key() const { return method + "__" + classifier + "__seed" + std::to_string(seed); }

std::vector<ExperimentCell> experiment_cells(const ExperimentConfig& c) {
  std::vector<ExperimentCell> cells;
  for (const auto& m : c.methods)
    for (const auto& k : c.classifiers)
      for (int r = 0; r < c.repeats; ++r) cells.push_back({m, k, c.seed + static_cast<std::uint64_t>(r)});
  return cells;
}

std::string results_header(const std::vector<std::string>& classes) {
  std::string h = "method,classifier,seed,amount,fold,test_speakers,test_rows,correct";
  for (const auto& c : classes) h += ",support_" + c + ",hits_" + c;
  for (const auto& t : classes)
    for (const auto& p : classes) h += ",n_" + t + "_as_" + p;
  return h + "\n";
}


namespace {

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : sep) + item;
  return text;
}

}  // namespace

std::string evaluation_rows(const std::string& method, const std::string& classifier, const std::vector<EvalResult>& results,
                            const std::vector<std::string>& classes) {
  std::string out;
  char buf[128];
  for (const auto& r : results)
    for (const auto& repeat : r.repeats)
      for (const auto& f : repeat.folds) {
        out += csv_field(method) + "," + classifier + "," + std::to_string(repeat.seed) + "," + r.amount + "," + csv_field(f.name) + "," +
               csv_field(joined(f.test_speakers, ";"));
        std::snprintf(buf, sizeof buf, ",%ld,%ld", f.confusion.total(), static_cast<long>(f.confusion.wa() * static_cast<double>(f.confusion.total()) + 0.5));
        out += buf;
        for (std::size_t c = 0; c < classes.size(); ++c) {
          std::snprintf(buf, sizeof buf, ",%ld,%ld", f.confusion.support(c), f.confusion.at(c, c));
          out += buf;
        }
        for (std::size_t t = 0; t < classes.size(); ++t)
          for (std::size_t p = 0; p < classes.size(); ++p) out += "," + std::to_string(f.confusion.at(t, p));
        out += "\n";
      }
  return out;
}

std::string SyntheticSample::key() const { return "sample__" + method + "__seed" + std::to_string(seed); }

std::vector<SyntheticSample> synthetic_samples(const ExperimentConfig& c) {
  std::vector<SyntheticSample> samples;
  for (const auto& m : c.methods) {
    const MethodParts parts = parse_method(m);
    if (parts.audio.empty() && parts.augmenter != "none") samples.push_back({m, c.seed});
  }
  return samples;
}

std::size_t synthetic_sample_size(const ExperimentConfig& c) { return std::max<std::size_t>(c.table_amount, 50); }

std::string synthetic_sample_path(const std::string& run_dir, const SyntheticSample& sample) {
  return run_dir + "/cells/" + sample.key() + ".csv";
}

SyntheticRows read_synthetic_sample(const std::string& path, const Dataset& data) {
  const FeatureTable t = read_feature_table(path);
  if (t.feature_names != data.feature_names) throw file_error(path, "has other feature columns than the run's corpus");
  SyntheticRows rows;
  rows.x = Matrix(t.rows(), t.dims());
  rows.x.data = t.values;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto it = std::find(data.classes.begin(), data.classes.end(), t.labels[r]);
    if (it == data.classes.end()) throw table_error(path, static_cast<long>(r) + 2, 0, "class '" + t.labels[r] + "' is not one of the run's");
    rows.y.push_back(static_cast<int>(it - data.classes.begin()));
  }
  rows.sources.assign(t.rows(), {});
  return rows;
}

void ExperimentConfig::validate() const {
  // Errors of the shared parsers, prefixed with the key they came from.
  const auto keyed = [](const char* key, const auto& check) {
    try {
      check();
    } catch (const Error& e) {
      throw Error(std::string(key) + ": " + e.what());
    }
  };
  keyed("experiment.feature_set", [&] { seraug::feature_set(feature_set); });
  if (classes.size() < 2) throw Error("experiment.classes needs at least two classes");
  keyed("experiment.protocol", [&] { parse_protocol(protocol); });
  keyed("experiment.norm", [&] { parse_norm(norm); });
  if (!select_keep.empty()) keyed("experiment.select_keep", [&] { parse_keep_list(select_keep); });
  if (fusion != "early" && fusion != "late") throw Error("experiment.fusion must be \"early\" or \"late\"");
  if (fusion == "late" && (methods.size() != 1 || column_blocks(feature_names(seraug::feature_set(feature_set))).size() < 2))
    throw Error("experiment.fusion = \"late\" needs a fused feature set (e.g. is10+compare) and methods = [\"none\"]");
  for (const auto& m : methods) keyed("experiment.methods", [&] { parse_method(m); });
  for (const auto& [kind_key, values] : audio_values) {
    const std::string kind = kind_key;  // clang 14 cannot capture a structured binding in a lambda
    if (values.empty()) throw Error("audio_augment." + kind + " needs at least one value");
    for (double v : values) keyed("audio_augment", [&] { parse_perturbation_chain(kind + "=" + std::to_string(v)); });
    refuse_repeats<double>(values, "audio_augment." + kind, "value", [](double v) { return std::to_string(v); },
                           [](double v) { return std::to_string(v); });
  }
  // Lists in which a repeat would count twice: rows doubled in results.csv and table.md,
  // and Holm correcting for a comparison that is not there.
  keyed("experiment.methods", [&] {
    refuse_repeats(methods, "experiment.methods", "method", [](const std::string& m) { return canonical_method(m); });
  });
  refuse_repeats(classifiers, "experiment.classifiers", "classifier", [](const std::string& k) { return k; });
  refuse_repeats<std::size_t>(amounts, "experiment.amounts", "amount", [](std::size_t a) { return std::to_string(a); },
                              [](std::size_t a) { return std::to_string(a); });
  keyed("audio_augment", [&] {
    std::vector<PerturbationChain> chains;
    for (const auto& m : methods)
      for (const auto& kind : parse_method(m).audio)
        if (audio_values.count(kind))
          for (auto& chain : method_chains(*this, m)) chains.push_back(std::move(chain));
    audio_settings.validate_use(chains);
  });
  if (std::find(methods.begin(), methods.end(), "none") == methods.end())
    throw Error("experiment.methods must include \"none\" (the baseline every method is tested against)");
  const auto known_classifiers = classifier_names();
  for (const auto& k : classifiers)
    if (std::find(known_classifiers.begin(), known_classifiers.end(), k) == known_classifiers.end())
      throw Error("experiment.classifiers: unknown classifier '" + k + "'");
  if (methods.empty() || classifiers.empty()) throw Error("experiment: methods and classifiers must not be empty");
  if (amounts.empty() || std::find(amounts.begin(), amounts.end(), table_amount) == amounts.end())
    throw Error("experiment.table_amount must be one of experiment.amounts");
  if (repeats < 1 || repeats > 1000) throw Error("experiment.repeats must be in 1..1000");
  if (!(noise_sigma > 0) || !std::isfinite(noise_sigma)) throw Error("experiment.noise_sigma must be a finite number > 0");
  if (smote_k < 1 || smote_k > 1000) throw Error("experiment.smote_k must be in 1..1000");
  for (const auto& s : speakers)
    if (s.empty()) throw Error("experiment.speakers: an empty speaker name");
  require_synthetic_rows_fit(*std::max_element(amounts.begin(), amounts.end()), classes.size(),
                             feature_names(seraug::feature_set(feature_set)).size(), "experiment.amounts");
  models.dnn.validate();
  models.gan.validate();
}

namespace {

// The optional [audio_augment] section.
void read_audio_augment(const toml::table& root, const std::string& path, ExperimentConfig& c) {
  const toml::table* t = root["audio_augment"].as_table();
  if (!t) return;
  // The values of each perturbation kind and the seed here; the settings of the copies
  // are declared with them (perturb_fields()).
  toml::table settings;
  for (const auto& [key, node] : *t) {
    const std::string name(key.str());
    auto kind = c.audio_values.find(name);
    try {
      if (kind != c.audio_values.end()) {
        checked_value(audio_values_parameter(name), node, "audio_augment." + name);
        kind->second.clear();
        for (const auto& item : *node.as_array()) kind->second.push_back(*item.value<double>());
      } else if (name == "seed") {
        c.audio_seed = std::stoull(checked_value(audio_seed_parameter(), node, "audio_augment.seed"));
      } else {
        settings.insert(key, node);
      }
    } catch (const Error& e) {
      throw file_error(path, e.what());
    }
  }
  read_fields(settings, "audio_augment", path, perturb_fields(), c.audio_settings);
}

}  // namespace

ExperimentConfig load_experiment_config(const std::string& path) {
  note_input(path);
  return parse_experiment_config(read_file_text(path), path);
}

namespace {

// A [recipe] is the grid's base: its features, normalisation, selection, class weights,
// fusion and classifier. The [experiment] grid varies methods, classifiers and seeds; a key
// in both is refused (which would win?), and a recipe key the grid cannot honour too (its
// cells choose C and gamma by the inner search, and augment by experiment.methods).
void apply_base_recipe(const Recipe& r, const toml::table& grid, ExperimentConfig& c) {
  const std::map<std::string, std::string> grid_key = {{"feature_set", "feature_set"}, {"norm", "norm"}, {"select_keep", "select_keep"},
                                                       {"balanced", "balanced"}, {"fusion", "fusion"}, {"classifier", "classifiers"}};
  for (const auto& [name, value] : r.values) {
    const auto it = grid_key.find(name);
    if (it == grid_key.end())
      throw file_error(r.source, "recipe." + name + " is not used by seraug experiment (its cells search C and gamma with the inner "
                                 "CV and take augmentation from experiment.methods); give it to seraug evaluate --recipe");
    if (grid.contains(it->second))
      throw file_error(r.source, "experiment." + it->second + " repeats recipe." + name + "; give it once");
    if (name == "feature_set") c.feature_set = value;
    else if (name == "norm") c.norm = value;
    else if (name == "select_keep") c.select_keep = value;
    else if (name == "balanced") c.balanced = value == "true";
    else if (name == "fusion") c.fusion = value;
    else c.classifiers = {value};
  }
}

}  // namespace

ExperimentConfig parse_experiment_config(const std::string& text, const std::string& path) {
  ExperimentConfig c;
  c.models = parse_config(text, path, ConfigReader::Experiment);
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw file_error(path, std::string("TOML syntax error: ") + std::string(e.description()));
  }
  const toml::table* t = root["experiment"].as_table();
  if (!t) throw file_error(path, "needs an [experiment] section");
  if (root.contains("recipe")) apply_base_recipe(parse_recipe(text, path), *t, c);
  read_fields(*t, "experiment", path, experiment_fields(), c);
  read_audio_augment(root, path, c);
  // A relative corpus path is relative to the config file's folder.
  if (!c.corpus.empty() && fs::path(c.corpus).is_relative() && !fs::exists(c.corpus))
    c.corpus = (fs::path(path).parent_path() / c.corpus).string();
  try {
    c.validate();
  } catch (const Error& e) {
    throw file_error(path, e.what());
  }
  return c;
}

Shard parse_shard(const std::string& text) {
  // Whole tokens only: "1/4x" or "1/1e3" are refused, not read as 1/4 or 1/1.
  const auto slash = text.find('/');
  const auto index = slash == std::string::npos ? std::nullopt : parse_unsigned_token(std::string_view(text).substr(0, slash), kMaxShards);
  const auto count = slash == std::string::npos ? std::nullopt : parse_unsigned_token(std::string_view(text).substr(slash + 1), kMaxShards);
  if (!index || !count)
    throw Error("`shard` takes K/N, two whole numbers up to " + std::to_string(kMaxShards) + " (e.g. 2/4), got '" + printable(text) + "'");
  const Shard s{static_cast<int>(*index), static_cast<int>(*count)};
  if (s.count < 1 || s.index < 1 || s.index > s.count) throw Error("`shard` K/N needs 1 <= K <= N, got '" + text + "'");
  return s;
}

}  // namespace seraug
