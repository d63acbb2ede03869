#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/eval/training.hpp"
#include "seraug/options/recipe.hpp"

namespace seraug::cli {
namespace {

struct TrainFlags {
  std::string features, output;
  std::vector<std::string> training_copies;  // feature files of perturbed copies of the clips (extract --perturb)
  std::string classes = paper_class_selection();
  TrainSettings settings;
  double c = 0, gamma = 0;
  bool quiet = false;
  std::string recipe;
  CLI::App* command = nullptr;
  ModelFlags models;
};

// The clips with their perturbed copies as further rows of their speaker and label
// (multi-condition training; docs/analyze.md).
Dataset with_training_copies(const Dataset& clips, const std::vector<std::string>& paths) {
  Dataset data = clips;
  CopyRows copies;
  for (const auto& path : paths) append_copies(copies, copies_of(clips, read_feature_table(path), path));
  std::vector<std::size_t> every(clips.rows());
  for (std::size_t i = 0; i < every.size(); ++i) every[i] = i;
  append_copies_of_rows(data, clips, every, copies);
  return data;
}

int run_train(const TrainFlags& f) {
  Dataset data = load_dataset(f.features, f.classes);
  const std::size_t clips = data.rows();
  if (!f.training_copies.empty()) data = with_training_copies(data, f.training_copies);
  TrainSettings s = f.settings;
  if (f.c > 0) s.c = f.c;
  if (f.gamma > 0) s.gamma = f.gamma;
  s.models = f.models.settings();
  if (!f.recipe.empty()) {
    const Recipe recipe = load_recipe(f.recipe);
    apply_recipe(recipe, s, recipe_flags_given(f.command));
    if (recipe.has_grid)
      status(f.quiet, "train: the [experiment] grid of " + f.recipe + " is seraug experiment's; train --recipe uses its [recipe]");
  }
  const TrainedModel model = train_model(data, build_train_options(s));
  save_trained_model(f.output, model);
  if (!f.quiet) std::cerr << "train: " << s.classifier << " on " << data.rows() << " rows ("
            << (data.rows() == clips ? "" : std::to_string(clips) + " clips and their copies, ") << data.speaker_list().size() << " speakers, "
            << data.classes.size() << " classes, " << model.feature_set << "), seed " << s.seed
            << (model.hyperparameters.empty() ? "" : ", " + describe(model.hyperparameters)) << ", " << norm_name(model.normalization)
            << " norm, " << model.feature_names.size() << " columns -> " << f.output << "\n";
  return 0;
}

}  // namespace

Action add_train_command(CLI::App& app) {
  auto f = std::make_shared<TrainFlags>();
  TrainSettings& s = f->settings;
  CLI::App* cmd = app.add_subcommand("train", "Train a classifier on a feature file and save it as a model folder");
  cmd->add_option("features", f->features, "Feature file extracted by seraug")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", f->output, "Model folder to write")->required();
  cmd->add_option("--classifier", s.classifier, "Classifier")->capture_default_str();
  cmd->add_option("--norm", s.norm, "global | speaker (predict then takes --enroll clips of the new speaker)")
      ->check(CLI::IsMember({"global", "speaker"}))->capture_default_str();
  cmd->add_option("--select-keep", s.select_keep, "F-score feature selection: column counts to try (e.g. 1000,2000,all), chosen by the inner CV");
  cmd->add_option("--train-copies", f->training_copies,
                  "Feature files of perturbed copies of the clips (extract --perturb, same feature set): added as rows of their "
                  "clip's speaker and label (multi-condition training)")
      ->check(CLI::ExistingFile)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--classes", f->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  cmd->add_option("--feature-set,--set", s.feature_set, "Feature set of the file (default: detected from its columns)");
  cmd->add_option("--recipe", f->recipe, "A recipe file ([recipe], docs/parameters.md; [dnn]/[gan] too): its settings, "
                                         "where an option given here does not override them")->check(CLI::ExistingFile);
  f->command = cmd;
  cmd->add_option("--C", f->c, "SVMs: fix C instead of choosing it by speaker-grouped cross-validation");
  cmd->add_option("--gamma", f->gamma, "svm-rbf: fix gamma, in units of 1/features (with --C; default 1)");
  cmd->add_flag("--balanced", s.balanced, "Weight classes by n / (k n_c)");
  cmd->add_option("--seed", s.seed, "Seed")->check(unsigned_integer())->capture_default_str();
  add_jobs(cmd, s.threads, "Threads for the hyperparameter search", "--threads");
  add_quiet(cmd, f->quiet);
  f->models.add_to(cmd);
  // What a trained model has no use for: folds, augmentation, late fusion, enrolment draws.
  require_recipe_flags(cmd, {"fusion", "inner_folds", "augment", "per_class", "noise_sigma", "smote_k", "enroll_clips", "enroll_prior"});
  return [f] { return run_train(*f); };
}

}  // namespace seraug::cli
