#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "seraug/common/atomic_file.hpp"
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
};

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
  const EvalResult result = evaluate(data, options);
  std::cout << format_evaluation(result);
  if (!o.json.empty()) write_file_atomically(o.json, evaluation_json(result));
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
  cmd->add_option("--repeats", o->repeats, "Repeats with seeds seed, seed+1, ...")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--seed", o->seed, "First seed")->capture_default_str();
  cmd->add_option("--C", o->c, "Fix C instead of choosing it by inner cross-validation")->check(CLI::PositiveNumber);
  cmd->add_option("--gamma", o->gamma, "svm-rbf: fix gamma, in units of 1/features (with --C)")->check(CLI::PositiveNumber);
  cmd->add_option("--inner-folds", o->inner_folds, "Speaker-grouped folds for choosing hyperparameters")->check(CLI::Range(2, 50))->capture_default_str();
  cmd->add_flag("--balanced", o->balanced, "Weight classes by n / (k n_c) against imbalance");
  cmd->add_option("--threads", o->threads, "Threads for the hyperparameter search (0 = all cores; results do not depend on it)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  o->dnn.add_to(cmd);
  cmd->add_option("--json", o->json, "Write everything (config, seeds, per-fold results, confusions) as JSON");
  return [o] { return run_evaluate(*o); };
}

}  // namespace seraug::cli
