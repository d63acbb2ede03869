#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/augment/export.hpp"
#include "seraug/augment/quality.hpp"
#include "seraug/common/error.hpp"
#include "seraug/version.hpp"

namespace seraug::cli {
namespace {

struct AugmentFlags {
  std::string features, output;
  std::string classes = paper_class_selection();
  ExportSettings settings;
  bool report = false, quiet = false;
  std::string report_norm = "global";
  ModelFlags models;
};

int run_augment(const AugmentFlags& f) {
  const Dataset data = load_dataset(f.features, f.classes);
  ExportSettings s = f.settings;
  s.models = f.models.settings();
  s.augmentation.gan_losses = f.models.gan_losses;
  const ExportOptions exp = build_export_options(s, data);
  if (f.report) {
    const std::size_t n = exp.balance ? 100 : exp.per_class;
    QualityReport quality = synthetic_quality(data, exp.method, exp.config, n, exp.seed, 0.2, parse_norm(f.report_norm));
    quality.method = s.method;  // the name as given: a GAN variant keeps its [gan] settings
    std::cout << "Quality of " << s.method << " rows (" << n << " per class, seed " << exp.seed
              << "; fitted on 80% of the speakers, TSTR on the rest):\n\n"
              << format_quality({quality}) << "\n";
  }
  const FeatureTable synthetic = synthesize_table(data, exp);
  write_feature_table(f.output, synthetic,
                      {"seraug " + std::string(kVersion) + " augment --method " + exp.method + " --seed " + std::to_string(exp.seed) +
                       (exp.balance ? " --balance" : " --per-class " + std::to_string(exp.per_class)) + " from " + f.features});
  if (!f.quiet) std::cerr << "augment: wrote " << synthetic.rows() << " synthetic rows (" << exp.method << ", seed " << exp.seed << ") to "
            << f.output << "\n";
  return 0;
}

}  // namespace

Action add_augment_command(CLI::App& app) {
  auto f = std::make_shared<AugmentFlags>();
  ExportSettings& s = f->settings;
  CLI::App* cmd = app.add_subcommand("augment", "Write synthetic feature rows (in the input's feature space) to a file");
  cmd->add_option("features", f->features, "Feature file")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", f->output, "Synthetic rows CSV")->required();
  cmd->add_option("--method", s.method, "Augmentation method")->check(augmenter_method(synthesising_augmenter_names()))->capture_default_str();
  auto* per_class = cmd->add_option("--per-class", s.per_class, "Synthetic rows per class")->check(unsigned_integer());
  cmd->add_flag("--balance", s.balance, "Bring every class up to the largest")->excludes(per_class);
  cmd->add_option("--classes", f->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  cmd->add_option("--seed", s.seed, "Seed")->check(unsigned_integer())->capture_default_str();
  cmd->add_option("--noise-sigma", s.augmentation.noise_sigma, "noise: sigma in units of each feature's std (default 0.1)")->check(positive_finite());
  cmd->add_option("--smote-k", s.augmentation.smote_k, "smote: nearest same-class neighbours (default 5)")->check(CLI::Range(1, 1000));
  CLI::Option* report = cmd->add_flag("--report", f->report, "Also print the quality of the method's rows (Fréchet distance, precision/recall, TSTR)");
  cmd->add_option("--report-norm", f->report_norm, "Space of the quality report: global | speaker (each speaker z-scored by its own rows)")
      ->needs(report)
      ->check(CLI::IsMember({"global", "speaker"}))->capture_default_str();
  cmd->add_option("--save-gan", s.augmentation.save_gan, "cyclegan-*: save the trained generators to this folder");
  cmd->add_option("--load-gan", s.augmentation.load_gan, "cyclegan-*: generate with generators saved earlier")->check(CLI::ExistingDirectory);
  add_quiet(cmd, f->quiet);
  f->models.add_to(cmd);
  f->models.add_gan_to(cmd);
  return [f] { return run_augment(*f); };
}

}  // namespace seraug::cli
