// The one place where options are assembled, in one order: built-in defaults, then the
// TOML configuration ([dnn], [gan]), then what a front end was given explicitly (flags of
// the CLI, keyword arguments of the bindings, an experiment's settings). Front ends only
// parse their arguments into these Settings; the builders resolve defaults that depend on
// other values (svm-rbf's gamma, the GAN source file) and validate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seraug/augment/export.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/eval/training.hpp"
#include "seraug/options/config.hpp"

namespace seraug {

// The [dnn] and [gan] settings. An empty optional keeps the value below it.
struct ModelSettings {
  std::optional<Config> base;  // already-read sections (an experiment's TOML); else
  std::string config_path;     // read this TOML file; "" = the defaults
  // Settings a front end gave (a flag, a Python keyword), by declared name (dnn_fields(),
  // gan_fields()), as text ("0.5", "256,128", "true"); checked with the TOML reader's checks.
  std::vector<std::pair<std::string, std::string>> dnn, gan;
  ValueSyntax setting_syntax = ValueSyntax::Word;  // CLI words; Python passes TOML values
  // others, all, neutral, unused or copies set [gan] source; anything else is a feature file of unlabelled
  // source rows (read by the evaluation and export builders).
  std::optional<std::string> gan_source;
};

// Defaults, then base or config_path, then the overrides; validated. Throws
// seraug::Error naming the config file or the setting.
Config build_config(const ModelSettings& s);

// The [dnn] and [gan] sections build_config(s) resolves to, as TOML ("[dnn]\nhidden =
// [256, 128]\n..."): what a command or a Python call would run with.
std::string resolved_models_toml(const ModelSettings& s);

// The feature file of --gan-source FILE, or "" when the source is a [gan] setting.
std::string gan_source_file(const ModelSettings& s);

// Settings of the augmenters, shared by evaluate, augment and the experiment runner.
struct AugmentSettings {
  std::optional<double> noise_sigma;  // noise only (default 0.1); given with another augmenter: refused
  std::optional<int> smote_k;         // smote only (default 5)
  std::string gan_losses;  // cyclegan-*: append per-epoch losses to this CSV
  std::string save_gan;    // cyclegan-*: save the trained generators here
  std::string load_gan;    // cyclegan-*: generate with generators saved here
};

// The augmenters' configuration; the auxiliary classifier of the GANs is the [dnn] one.
AugmentConfig build_augment_config(const AugmentSettings& s, const Config& models);
// A method with [gan] settings ("cyclegan-wdiv[source=neutral]"): returns the augmenter's
// name and applies the settings to config.gan; a plain name is returned as it is.
std::string apply_augmenter_variant(const std::string& method, AugmentConfig& config);

struct EvaluateSettings {
  std::string feature_set;  // "" = any; else the table's columns must be this set's
  std::string classifier = "svm";
  std::string protocol = "loso";
  std::string norm = "global";
  int repeats = 1;
  std::uint64_t seed = 1;
  std::optional<double> c;      // fix C instead of the inner search
  std::optional<double> gamma;  // svm-rbf with C fixed: gamma in units of 1/features (default 1)
  int inner_folds = 3;
  bool balanced = false;
  int threads = 0;
  std::string augment = "none";
  std::vector<std::size_t> amounts = {0};
  bool balance = false;
  AugmentSettings augmentation;
  ModelSettings models;
  std::string extra;      // feature file of another corpus added to every training fold
  std::vector<std::string> audio_copies;  // feature files of perturbed copies (extract --perturb)
  std::string gan_cache;  // folder of trained generators to reuse
  std::string select_keep;  // "500,1000,all": in-fold F-score selection; "" = none
  std::string fusion = "early";  // early | late (one calibrated model per feature file / classifier)
  std::size_t enroll_clips = 0;  // speaker norm: test speakers' statistics from this many clips (0 = all)
  double enroll_prior = 0;       // shrink those statistics towards the training speakers' (pseudo-clips)
};

// The evaluation of `data` these settings describe; reads the --extra and --gan-source
// files (aligned to data's columns, refused if they leak rows of it).
EvalOptions build_eval_options(const EvaluateSettings& s, const Dataset& data);

// "0,100,200" -> {0, 100, 200}; throws naming the flag.
std::vector<std::size_t> parse_amounts(const std::string& text, const std::string& flag = "--per-class");
// "250,500,all" -> {250, 500, 0} (0 = every column) for --select-keep; throws on bad input.
std::vector<std::size_t> parse_keep_list(const std::string& text);

struct ExportSettings {
  std::string method = "smote";
  std::size_t per_class = 0;
  bool balance = false;
  std::uint64_t seed = 1;
  AugmentSettings augmentation;
  ModelSettings models;
};

// Synthetic rows of `data` to write with `seraug augment`; reads a --gan-source file.
ExportOptions build_export_options(const ExportSettings& s, const Dataset& data);

struct TrainSettings {
  std::string classifier = "svm";
  std::string feature_set;    // "" = detected from the columns
  std::optional<double> c;    // svm: fix C instead of the search
  std::optional<double> gamma;  // svm-rbf with C fixed: gamma in units of 1/features (default 1)
  std::string norm = "global";  // global | speaker
  std::string select_keep;      // as EvaluateSettings::select_keep
  bool balanced = false;
  std::uint64_t seed = 1;
  int threads = 0;
  ModelSettings models;
};

TrainOptions build_train_options(const TrainSettings& s);

}  // namespace seraug
