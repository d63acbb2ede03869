#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "seraug/eval/training.hpp"

namespace seraug::cli {
namespace {

struct TrainCliOptions {
  std::string features, output;
  std::string classes = "anger,fear,happiness,sadness,neutral";
  std::string classifier = "svm";
  std::string set;
  double c = 0;
  bool balanced = false;
  std::uint64_t seed = 1;
  int threads = 0;
  DnnFlags dnn;
};

int run_train(const TrainCliOptions& o) {
  const Dataset data = load_dataset(o.features, o.classes);
  TrainOptions options;
  options.classifier = o.classifier;
  options.feature_set = o.set;
  if (o.c > 0) options.fixed = Hyperparameters{{"C", o.c}};
  options.balanced = o.balanced;
  options.seed = o.seed;
  options.threads = o.threads;
  options.dnn = o.dnn.resolve();
  const TrainedModel model = train_model(data, options);
  save_trained_model(o.output, model);
  std::cerr << "train: " << o.classifier << " on " << data.rows() << " rows (" << data.speaker_list().size() << " speakers, "
            << data.classes.size() << " classes, " << model.feature_set << "), seed " << o.seed
            << (model.hyperparameters.empty() ? "" : ", " + describe(model.hyperparameters)) << " -> " << o.output << "\n";
  return 0;
}

}  // namespace

Action add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainCliOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train a classifier on a feature file and save it as a model folder");
  cmd->add_option("features", o->features, "Feature file extracted by seraug")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output, "Model folder to write")->required();
  cmd->add_option("--classifier", o->classifier, "svm or dnn")->check(CLI::IsMember({"svm", "dnn"}))->capture_default_str();
  cmd->add_option("--classes", o->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  cmd->add_option("--set", o->set, "Feature set of the file (default: detected from its columns)");
  cmd->add_option("--C", o->c, "svm: fix C instead of choosing it by speaker-grouped cross-validation")->check(positive_finite());
  cmd->add_flag("--balanced", o->balanced, "Weight classes by n / (k n_c)");
  cmd->add_option("--seed", o->seed, "Seed")->check(unsigned_integer())->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads for the hyperparameter search (0 = all cores)")->check(CLI::NonNegativeNumber);
  o->dnn.add_to(cmd);
  return [o] { return run_train(*o); };
}

}  // namespace seraug::cli
