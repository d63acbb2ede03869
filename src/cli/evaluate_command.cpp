#include <iostream>
#include <optional>
#include <sstream>
#include <memory>

#include "cli/commands.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/report/eval_report.hpp"

namespace seraug::cli {
namespace {

struct EvaluateOptions {
  std::string features;
  std::string classes = "anger,fear,happiness,sadness,neutral";
  std::string classifier = "svm";
  std::string protocol = "loso";
  std::string norm = "global";
  int repeats = 1;
  std::uint64_t seed = 1;
  double c = 0, gamma = 0;
  int inner_folds = 3;
  bool balanced = false;
  int threads = 0;
  std::string json;
  DnnFlags dnn;
  std::string augment = "none";
  std::string per_class = "0";
  bool balance = false;
  double noise_sigma = 0.1;
  int smote_k = 5;
  std::string extra;
  std::string gan_cache;
};

std::vector<std::size_t> parse_amounts(const std::string& text) {
  std::vector<std::size_t> amounts;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      const long v = std::stol(item, &used);
      if (used != item.size() || v < 0) throw Error("");
      amounts.push_back(static_cast<std::size_t>(v));
    } catch (const std::exception&) {
      throw Error("--per-class takes non-negative integers separated by commas, got '" + text + "'");
    }
  }
  if (amounts.empty()) throw Error("--per-class is empty");
  return amounts;
}

int run_evaluate(const EvaluateOptions& o) {
  const Dataset data = load_dataset(o.features, o.classes);
  EvalOptions options;
  options.classifier = o.classifier;
  options.protocol = parse_protocol(o.protocol);
  options.norm = parse_norm(o.norm);
  options.repeats = o.repeats;
  options.seed = o.seed;
  options.inner_folds = o.inner_folds;
  options.balanced = o.balanced;
  options.threads = o.threads;
  options.dnn = o.dnn.resolve();
  if (o.c > 0) {
    Hyperparameters hp{{"C", o.c}};
    if (o.classifier == "svm-rbf") hp["gamma"] = o.gamma > 0 ? o.gamma : 1.0;
    options.fixed = hp;
  }
  options.augment = o.augment;
  options.amounts = parse_amounts(o.per_class);
  options.balance = o.balance;
  options.augment_config.noise_sigma = o.noise_sigma;
  options.augment_config.smote_k = o.smote_k;
  options.augment_config.gan = o.dnn.resolve_gan();
  options.augment_config.classifier = options.dnn;
  options.augment_config.loss_log = o.dnn.gan_losses;
  options.gan_cache = o.gan_cache;
  std::optional<Matrix> gan_source;
  if (!o.dnn.gan_source.empty() && o.dnn.gan_source != "others" && o.dnn.gan_source != "all") {
    gan_source = align_source_rows(read_feature_table(o.dnn.gan_source), o.dnn.gan_source, data);
    options.gan_source = &*gan_source;
  }
  std::optional<Dataset> extra;
  if (!o.extra.empty()) {
    extra = align_extra_rows(read_feature_table(o.extra), o.extra, data);
    options.extra = &*extra;
  }
  const std::vector<EvalResult> results = evaluate_sweep(data, options);
  std::cout << format_sweep(results);
  if (!o.json.empty()) write_file_atomically(o.json, results.size() == 1 ? evaluation_json(results.front()) : sweep_json(results));
  return 0;
}

}  // namespace

Action add_evaluate_command(CLI::App& app) {
  auto o = std::make_shared<EvaluateOptions>();
  CLI::App* cmd = app.add_subcommand("evaluate", "Evaluate a classifier on a feature file (speaker-independent by default)");
  cmd->add_option("features", o->features, "Feature file (seraug, openSMILE CSV, or name,features)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--classes", o->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  cmd->add_option("--classifier", o->classifier, "Classifier")->check(CLI::IsMember(classifier_names()))->capture_default_str();
  cmd->add_option("--protocol", o->protocol, "loso | group-kfold:K | kfold:K (speaker-dependent) | lists:TRAIN:TEST")->capture_default_str();
  cmd->add_option("--norm", o->norm, "global | speaker | none (fitted on the training fold)")->capture_default_str();
  cmd->add_option("--repeats", o->repeats, "Repeats with seeds seed, seed+1, ...")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--seed", o->seed, "First seed")->check(unsigned_integer())->capture_default_str();
  cmd->add_option("--C", o->c, "Fix C instead of choosing it by inner cross-validation")->check(positive_finite());
  cmd->add_option("--gamma", o->gamma, "svm-rbf: fix gamma, in units of 1/features (with --C)")->check(positive_finite());
  cmd->add_option("--inner-folds", o->inner_folds, "Speaker-grouped folds for choosing hyperparameters")->check(CLI::Range(2, 50))->capture_default_str();
  cmd->add_flag("--balanced", o->balanced, "Weight classes by n / (k n_c) against imbalance");
  cmd->add_option("--threads", o->threads, "Threads for the hyperparameter search (0 = all cores; results do not depend on it)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--augment", o->augment, "Augmentation inside each training fold")->check(CLI::IsMember(augmenter_names()))->capture_default_str();
  auto* per_class = cmd->add_option("--per-class", o->per_class, "Synthetic rows per class; a list (0,100,200) gives a sweep")->capture_default_str();
  cmd->add_flag("--balance", o->balance, "Add synthetic rows until every class has as many as the largest")->excludes(per_class);
  cmd->add_option("--noise-sigma", o->noise_sigma, "noise: sigma in units of each feature's training std")->check(positive_finite())->capture_default_str();
  cmd->add_option("--smote-k", o->smote_k, "smote: nearest same-class neighbours")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--extra", o->extra, "Feature rows of another corpus to add to every training fold")->check(CLI::ExistingFile);
  o->dnn.add_to(cmd);
  o->dnn.add_gan_to(cmd);
  cmd->add_option("--gan-cache", o->gan_cache, "cyclegan-*: keep trained generators here and reuse them (per fold, seed and settings)");
  cmd->add_option("--json", o->json, "Write everything (config, seeds, per-fold results, confusions) as JSON");
  return [o] { return run_evaluate(*o); };
}

}  // namespace seraug::cli
