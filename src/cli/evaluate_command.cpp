#include <iostream>
#include <optional>
#include <sstream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/options/options.hpp"
#include "seraug/options/recipe.hpp"
#include "seraug/report/eval_report.hpp"
#include "seraug/report/nested_report.hpp"

namespace seraug::cli {
namespace {

// The flags as parsed; everything else is the options builder's job.
struct EvaluateFlags {
  std::vector<std::string> features;
  std::string classes = paper_class_selection();
  EvaluateSettings settings;
  double c = 0, gamma = 0;
  std::string per_class = "0";
  ModelFlags models;
  std::string json;             // the older --json FILE: also write the JSON there
  std::string format, output;   // --format text|csv|json, -o FILE (default stdout)
  bool quiet = false;
  std::vector<std::string> recipes;  // --recipe FILE: the [recipe] section under the flags given; several: nested selection
  int selection_folds = 3;           // nested selection: speaker-grouped folds inside each outer training side
  CLI::App* command = nullptr;
};

// The results in the chosen format: text is the table `evaluate` prints, json what
// --json wrote, csv the layout of an experiment's results.csv (one row per amount, seed
// and fold).
std::string formatted(const std::vector<EvalResult>& results, const EvaluateSettings& s, const std::string& format) {
  if (format == "json") return results.size() == 1 ? evaluation_json(results.front()) : sweep_json(results);
  if (format == "csv") return results_header(results.front().classes) + evaluation_rows(s.augment, s.classifier, results, results.front().classes);
  return format_sweep(results);
}

// Several --recipe: each outer fold chooses among them by an inner speaker-grouped CV
// (eval/nested.hpp); the command's own options apply to every recipe.
int run_nested(const EvaluateFlags& f, const Dataset& data) {
  if (const auto given = recipe_flags_given(f.command); !given.empty())
    throw Error("with several --recipe, give " + flag_of(given.front()) + " in the recipe files (it would apply to all of them)");
  if (f.format == "csv") throw Error("nested selection writes --format text or json, not csv");
  std::vector<Recipe> recipes;
  for (const auto& path : f.recipes) recipes.push_back(load_recipe(path));
  EvaluateSettings base = f.settings;
  base.models = f.models.settings();
  const auto candidates = recipe_candidates(recipes, base, data);
  const NestedResult result = evaluate_nested(data, candidates, parse_protocol(base.protocol), f.selection_folds, base.repeats, base.seed);
  const std::string text = f.format == "json" ? nested_json(result) : format_nested(result);
  emit(f.output, text);
  if (!f.json.empty()) write_file_atomically(f.json, nested_json(result));
  status(f.quiet, "evaluate: nested selection among " + std::to_string(recipes.size()) + " recipes, " + std::to_string(base.repeats) +
                      " seed(s)" + (f.output.empty() ? "" : " -> " + f.output));
  return 0;
}

int run_evaluate(const EvaluateFlags& f) {
  const Dataset data = load_dataset(f.features, f.classes);
  if (f.recipes.size() > 1) return run_nested(f, data);
  EvaluateSettings s = f.settings;
  if (f.c > 0) s.c = f.c;
  if (f.gamma > 0) s.gamma = f.gamma;
  s.amounts = parse_amounts(f.per_class);
  s.models = f.models.settings();
  if (!f.recipes.empty()) {
    const Recipe recipe = load_recipe(f.recipes.front());
    apply_recipe(recipe, s, recipe_flags_given(f.command));
    if (recipe.has_grid)
      status(f.quiet, "evaluate: the [experiment] grid of " + f.recipes.front() + " is seraug experiment's; evaluate --recipe uses its [recipe]");
  }
  s.augmentation.gan_losses = f.models.gan_losses;
  const std::vector<EvalResult> results = evaluate_sweep(data, build_eval_options(s, data));
  for (const auto& w : results.front().warnings) std::cerr << "seraug: warning: " << w << "\n";
  emit(f.output, formatted(results, s, f.format));
  if (!f.json.empty()) write_file_atomically(f.json, formatted(results, s, "json"));
  status(f.quiet, "evaluate: " + std::to_string(data.rows()) + " rows, " + std::to_string(results.size()) + " amount(s), " +
                      std::to_string(s.repeats) + " seed(s)" + (f.output.empty() ? "" : " -> " + f.output));
  return 0;
}

}  // namespace

Action add_evaluate_command(CLI::App& app) {
  auto f = std::make_shared<EvaluateFlags>();
  EvaluateSettings& s = f->settings;
  CLI::App* cmd = app.add_subcommand("evaluate", "Evaluate a classifier on a feature file (speaker-independent by default)");
  cmd->add_option("features", f->features, "Feature file (seraug, openSMILE CSV, or name,features); several files of the same clips are fused (columns joined by row name)")
      ->required()->check(CLI::ExistingFile);
  cmd->add_option("--classes", f->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  cmd->add_option("--classifier", s.classifier, "Classifier; with --fusion late a comma-separated list fuses classifiers")->capture_default_str();
  cmd->add_option("--fusion", s.fusion, "early (columns joined) | late (mean of calibrated probabilities per feature file and classifier)")
      ->capture_default_str();
  cmd->add_option("--protocol", s.protocol, "loso | group-kfold:K | kfold:K (speaker-dependent) | lists:TRAIN:TEST")->capture_default_str();
  cmd->add_option("--norm", s.norm, "global | speaker | none (fitted on the training fold)")->capture_default_str();
  cmd->add_option("--repeats", s.repeats, "Repeats with seeds seed, seed+1, ...")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--seed", s.seed, "First seed")->check(unsigned_integer())->capture_default_str();
  cmd->add_option("--C", f->c, "Fix C instead of choosing it by inner cross-validation");
  cmd->add_option("--gamma", f->gamma, "svm-rbf: fix gamma, in units of 1/features (with --C)");
  cmd->add_option("--inner-folds", s.inner_folds, "Speaker-grouped folds for choosing hyperparameters")->capture_default_str();
  cmd->add_flag("--balanced", s.balanced, "Weight classes by n / (k n_c) against imbalance");
  add_jobs(cmd, s.threads, "Threads for the hyperparameter search (results do not depend on it)", "--threads");
  cmd->add_option("--select-keep", s.select_keep,
                  "In-fold ANOVA F-score feature selection: column counts to try, e.g. 500,1000,2000,all (chosen with C by the inner CV)");
  CLI::Option* enroll_clips = cmd->add_option("--enroll-clips", s.enroll_clips,
                  "--norm speaker: normalise each test speaker with the statistics of this many of its clips (seeded draw), "
                  "as predict --enroll would; 0 = all its clips");
  cmd->add_option("--enroll-prior", s.enroll_prior,
                  "With --enroll-clips: shrink each enrolment's statistics towards the training speakers' pooled ones, "
                  "weighted as this many clips (0 = off)")
      ->needs(enroll_clips);
  cmd->add_option("--augment", s.augment, "Augmentation inside each training fold; a cycle-GAN may carry [gan] settings, e.g. 'cyclegan-wdiv[source=neutral,pca=64]'")->check(augmenter_method(augmenter_names()))->capture_default_str();
  auto* per_class = cmd->add_option("--per-class", f->per_class, "Synthetic rows per class; a list (0,100,200) gives a sweep")->capture_default_str();
  cmd->add_flag("--balance", s.balance, "Add synthetic rows until every class has as many as the largest")->excludes(per_class);
  cmd->add_option("--noise-sigma", s.augmentation.noise_sigma, "noise: sigma in units of each feature's training std (default 0.1)");
  cmd->add_option("--smote-k", s.augmentation.smote_k, "smote: nearest same-class neighbours (default 5)");
  cmd->add_option("--extra", s.extra, "Feature rows of another corpus to add to every training fold")->check(CLI::ExistingFile);
  cmd->add_option("--audio-copies", s.audio_copies,
                  "Feature files of perturbed copies of the clips (extract --perturb); each fold trains on the copies of its "
                  "training clips only (repeatable)")
      ->check(CLI::ExistingFile);
  f->models.add_to(cmd);
  f->models.add_gan_to(cmd);
  cmd->add_option("--gan-cache", s.gan_cache, "cyclegan-*: keep trained generators here and reuse them (per fold, seed and settings)");
  add_format(cmd, f->format, {"text", "csv", "json"});
  cmd->add_option("-o,--output", f->output, "Write the results here (in --format) instead of stdout");
  add_quiet(cmd, f->quiet);
  cmd->add_option("--recipe", f->recipes, "A recipe file ([recipe], docs/parameters.md; [dnn]/[gan] too): its settings, "
                                          "where an option given here does not override them. Several: nested selection among "
                                          "them inside each outer fold (the honest score of choosing a recipe)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--selection-folds", f->selection_folds,
                  "With several --recipe: speaker-grouped folds of each outer training side that choose the recipe")
      ->check(CLI::Range(2, 50))->capture_default_str();
  cmd->add_option("--feature-set", s.feature_set, "Refuse features whose columns are not this set's (default: any)");
  f->command = cmd;
  cmd->add_option("--json", f->json, "Also write everything (config, seeds, per-fold results, confusions) as JSON to this file "
                                     "(the same as --format json -o FILE)");
  require_recipe_flags(cmd, {}, {"classifier", "per_class"});
  return [f] { return run_evaluate(*f); };
}

}  // namespace seraug::cli
