#include "seraug/options/recipe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <toml++/toml.h>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/toml_reader.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/options/config.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/models/dnn_config.hpp"
#include "seraug/augment/gan_config.hpp"

namespace seraug {
namespace {

const Parameter& declared(const std::string& name) {
  for (const auto& p : recipe_parameters())
    if (p.name == name) return p;
  throw Error("internal: recipe parameter '" + name + "' is not declared");
}

double as_number(const Recipe& r, const std::string& name) { return std::stod(r.values.at(name)); }

bool given(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Each recipe value a setter takes, unless the front end gave that setting itself; a
// value no setter takes is refused naming it (never silently unused).
void apply_each(const Recipe& r, const std::vector<std::string>& front_end,
                const std::map<std::string, std::function<void()>>& setters, const std::string& command) {
  for (const auto& [name, value] : r.values) {
    const auto it = setters.find(name);
    if (it == setters.end())
      throw file_error(r.source, "recipe." + name + " is not used by " + command + " (" + declared(name).help + ")");
    if (!given(front_end, name)) it->second();
  }
}

// The setters of what a model is made of; evaluate's and train's settings share them.
template <typename Settings>
std::map<std::string, std::function<void()>> model_setters(const Recipe& r, Settings& s) {
  const auto text = [&r](const std::string& n) { return r.values.at(n); };
  return {{"feature_set", [&s, text] { s.feature_set = text("feature_set"); }},
          {"norm", [&s, text] { s.norm = text("norm"); }},
          {"select_keep", [&s, text] { s.select_keep = text("select_keep"); }},
          {"classifier", [&s, text] { s.classifier = text("classifier"); }},
          {"C", [&s, &r] { s.c = as_number(r, "C"); }},
          {"gamma", [&s, &r] { s.gamma = as_number(r, "gamma"); }},
          {"balanced", [&s, text] { s.balanced = text("balanced") == "true"; }}};
}

}  // namespace

const std::vector<Parameter>& recipe_parameters() {
  static const std::vector<Parameter> parameters = {
      choice_parameter("feature_set", "", feature_set_names(),
             "the feature set the features were extracted with; a table of other columns is refused (default: any)"),
      choice_parameter("norm", "global", {"global", "speaker", "none"},
             "z-score fitted on the training fold (global), per speaker (speaker: transductive for the test speaker, its own "
             "unlabelled clips), or none"),
      text_parameter("select_keep", "",
       "in-fold ANOVA F-score selection: column counts to choose among with C by the inner CV, e.g. \"500,1000,all\" (default: none)"),
      choice_parameter("classifier", "svm", classifier_names(), "the classifier"),
      number_parameter("C", "", 1e-12, 1e12, "fix the SVMs' C instead of the speaker-grouped inner search (default: searched)"),
      number_parameter("gamma", "", 1e-12, 1e12, "svm-rbf with C fixed: gamma in units of 1/features (default 1)"),
      boolean_parameter("balanced", "false", "weight classes by n / (k n_c) against imbalance"),
      choice_parameter("fusion", "early", {"early", "late"},
             "early: columns joined; late: one calibrated model per feature block or classifier, probabilities averaged"),
      integer_parameter("inner_folds", "3", 2, 50, "speaker-grouped inner folds for choosing hyperparameters"),
      text_parameter("augment", "none",
       "augmentation inside each training fold: none, replicate, noise, smote, or a cycle-GAN with [gan] settings"),
      integer_parameter("per_class", "0", 0, 1e7, "synthetic rows per class added by augment"),
      number_parameter("noise_sigma", "", 1e-12, 1e6, "augment = noise: sigma in units of each feature's training std (default 0.1)"),
      integer_parameter("smote_k", "", 1, 1000, "augment = smote: nearest same-class neighbours (default 5)"),
      integer_parameter("enroll_clips", "0", 0, 1e6,
              "norm = speaker: normalise each test speaker with this many of its clips (seeded draw), as predict --enroll; 0 = all"),
      number_parameter("enroll_prior", "0", 0, 1e6,
             "with enroll_clips: shrink the enrolment statistics towards the training speakers', weighted as this many clips"),
  };
  return parameters;
}

Recipe parse_recipe(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml(text, path);
  const toml::table* table = root["recipe"].as_table();
  if (!table) throw file_error(path, "has no [recipe] section (a recipe file holds [recipe], and may hold [dnn] and [gan])");
  Recipe r;
  r.source = path;
  for (const auto& [key, node] : root) {
    const std::string section(key.str());
    if (section != "recipe" && section != "dnn" && section != "gan" && section != "experiment" && section != "audio_augment")
      throw file_error(path, "unknown section [" + section + "] (a recipe file holds [recipe], [dnn], [gan] and, for seraug experiment, "
                             "[experiment] and [audio_augment])");
  }
  r.has_grid = root.contains("experiment");
  if (root.contains("dnn") || root.contains("gan")) r.models = parse_config(text, path, ConfigReader::Experiment);
  for (const auto& [key, node] : *table) {
    const std::string name(key.str());
    const auto& all = recipe_parameters();
    const auto p = std::find_if(all.begin(), all.end(), [&](const Parameter& q) { return q.name == name; });
    if (p == all.end()) throw file_error(path, "recipe." + name + " is not a recipe parameter (docs/parameters.md lists them)");
    try {
      r.values[name] = checked_value(*p, node, "recipe." + name);
    } catch (const Error& e) {
      throw file_error(path, e.what());
    }
  }
  return r;
}

Recipe load_recipe(const std::string& path) { return parse_recipe(read_file_text(path, kMaxTextInputBytes, "recipe"), path); }

void apply_recipe(const Recipe& r, EvaluateSettings& s, const std::vector<std::string>& front_end) {
  const auto text = [&](const std::string& n) { return r.values.at(n); };
  auto setters = model_setters(r, s);
  setters.insert({{"fusion", [&] { s.fusion = text("fusion"); }},
              {"inner_folds", [&] { s.inner_folds = static_cast<int>(as_number(r, "inner_folds")); }},
              {"augment", [&] { s.augment = text("augment"); }},
              {"per_class", [&] { s.amounts = {static_cast<std::size_t>(as_number(r, "per_class"))}; }},
              {"noise_sigma", [&] { s.augmentation.noise_sigma = as_number(r, "noise_sigma"); }},
              {"smote_k", [&] { s.augmentation.smote_k = static_cast<int>(as_number(r, "smote_k")); }},
              {"enroll_clips", [&] { s.enroll_clips = static_cast<std::size_t>(as_number(r, "enroll_clips")); }},
              {"enroll_prior", [&] { s.enroll_prior = as_number(r, "enroll_prior"); }}});
  apply_each(r, front_end, setters, "evaluate");
  if (r.models && s.models.config_path.empty() && !s.models.base) s.models.base = r.models;
}

void apply_recipe(const Recipe& r, TrainSettings& s, const std::vector<std::string>& front_end) {
  apply_each(r, front_end, model_setters(r, s), "train (a trained model has no folds, augmentation or enrolment draw)");
  if (r.models && s.models.config_path.empty() && !s.models.base) s.models.base = r.models;
}

namespace {

// The columns of the fused blocks a feature set names; {} (all) for a table without
// blocks, whose columns build_eval_options checks against the set itself.
std::vector<std::size_t> feature_set_columns(const std::string& set, const Dataset& data, const std::string& recipe) {
  const auto blocks = column_blocks(data.feature_names);
  if (set.empty() || (blocks.size() == 1 && blocks.front().tag.empty())) return {};
  std::vector<std::size_t> columns;
  std::string part, known;
  for (const auto& b : blocks) known += (known.empty() ? "" : ", ") + b.tag;
  std::stringstream parts(set);
  while (std::getline(parts, part, '+')) {
    const auto b = std::find_if(blocks.begin(), blocks.end(), [&](const ColumnBlock& x) { return x.tag == part; });
    if (b == blocks.end())
      throw file_error(recipe, "recipe.feature_set = \"" + set + "\": the fused features have no block '" + part + "' (blocks: " + known +
                                   "; a block is named by its file's stem)");
    columns.insert(columns.end(), b->columns.begin(), b->columns.end());
  }
  std::sort(columns.begin(), columns.end());
  return columns;
}

}  // namespace

std::vector<NestedCandidate> recipe_candidates(const std::vector<Recipe>& recipes, const EvaluateSettings& base, const Dataset& data) {
  std::vector<NestedCandidate> out;
  for (const Recipe& r : recipes) {
    EvaluateSettings s = base;
    apply_recipe(r, s);
    NestedCandidate c;
    c.name = r.source;
    c.columns = feature_set_columns(s.feature_set, data, r.source);
    if (!c.columns.empty()) s.feature_set.clear();  // (checked by block above)
    try {
      c.options = build_eval_options(s, with_columns(data, c.columns));
    } catch (const Error& e) {
      throw Error(r.source + ": " + e.what());
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string parameters_markdown() {
  std::string out =
      "# Parameters\n\n"
      "Generated by `seraug parameters` from the one declaration of each parameter\n"
      "(`src/seraug/options/recipe.cpp`); a test checks that this file is current.\n\n"
      "## [recipe]\n\n"
      "A recipe is everything that turns a feature table into a classifier. Give it as a\n"
      "`[recipe]` section (TOML key = the name below) to `seraug evaluate --recipe FILE` and\n"
      "`seraug train --recipe FILE`, where an option given on the command line (the flag\n"
      "below) overrides the file, or as the base of `seraug experiment` (its `[experiment]`\n"
      "grid then varies methods, classifiers and seeds). A recipe file may also hold `[dnn]`\n"
      "and `[gan]` (configs/default.toml). An unknown key, a wrong type or a value out of range is\n"
      "an error naming `recipe.<key>`; a key the command does not use is refused, never ignored.\n\n"
      "";
  out += parameters_table_markdown(recipe_parameters(), "");
  out +=
      "\n## [dnn]\n\n"
      "The feed-forward classifier (`classifier = \"dnn\"`) and the cycle-GANs' auxiliary\n"
      "classifier. In a config or recipe file as `[dnn]` keys; on the command line of\n"
      "`evaluate`, `train` and `augment` as the flags below; in Python as `dnn={\"name\": value}`.\n"
      "Given where no DNN is used, they are refused.\n\n";
  out += parameters_table_markdown(parameters_of(dnn_fields()), "dnn");
  out +=
      "\n## [gan]\n\n"
      "The per-emotion cycle-GANs (`augment = \"cyclegan-*\"`). In a file as `[gan]` keys, on the\n"
      "command line of `evaluate` and `augment` as the flags below, in a method name as\n"
      "`cyclegan-wdiv[key=value,...]`, in Python as `gan={\"name\": value}`. `--gan-source` also\n"
      "takes a feature file of unlabelled source rows.\n\n";
  out += parameters_table_markdown(parameters_of(gan_fields()), "gan");
  return out;
}

}  // namespace seraug
