#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "seraug/augment/export.hpp"
#include "seraug/augment/quality.hpp"
#include "seraug/common/error.hpp"
#include "seraug/version.hpp"

namespace seraug::cli {
namespace {

struct AugmentCliOptions {
  std::string features, output;
  std::string classes = "anger,fear,happiness,sadness,neutral";
  ExportOptions exp;
  bool report = false;
  DnnFlags dnn;
};

int run_augment(const AugmentCliOptions& o) {
  if (!o.exp.balance && o.exp.per_class == 0) throw Error("augment: give --per-class N (N > 0) or --balance");
  const Dataset data = load_dataset(o.features, o.classes);
  ExportOptions exp = o.exp;
  exp.config.gan = o.dnn.resolve_gan();
  exp.config.classifier = o.dnn.resolve();
  exp.config.loss_log = o.dnn.gan_losses;
  if (o.report) {
    const std::size_t n = exp.balance ? 100 : exp.per_class;
    std::cout << "Quality of " << exp.method << " rows (" << n << " per class, seed " << exp.seed
              << "; fitted on 80% of the speakers, TSTR on the rest):\n\n"
              << format_quality({synthetic_quality(data, exp.method, exp.config, n, exp.seed)}) << "\n";
  }
  const FeatureTable synthetic = synthesize_table(data, exp);
  write_feature_table(o.output, synthetic,
                      {"seraug " + std::string(kVersion) + " augment --method " + o.exp.method + " --seed " + std::to_string(o.exp.seed) +
                       (o.exp.balance ? " --balance" : " --per-class " + std::to_string(o.exp.per_class)) + " from " + o.features});
  std::cerr << "augment: wrote " << synthetic.rows() << " synthetic rows (" << o.exp.method << ", seed " << o.exp.seed << ") to "
            << o.output << "\n";
  return 0;
}

}  // namespace

Action add_augment_command(CLI::App& app) {
  auto o = std::make_shared<AugmentCliOptions>();
  CLI::App* cmd = app.add_subcommand("augment", "Write synthetic feature rows (in the input's feature space) to a file");
  cmd->add_option("features", o->features, "Feature file")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output, "Synthetic rows CSV")->required();
  cmd->add_option("--method", o->exp.method, "replicate, noise or smote")->check(CLI::IsMember({"replicate", "noise", "smote", "cyclegan-wdiv", "cyclegan-ce"}))->capture_default_str();
  auto* per_class = cmd->add_option("--per-class", o->exp.per_class, "Synthetic rows per class")->check(unsigned_integer());
  cmd->add_flag("--balance", o->exp.balance, "Bring every class up to the largest")->excludes(per_class);
  cmd->add_option("--classes", o->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  cmd->add_option("--seed", o->exp.seed, "Seed")->check(unsigned_integer())->capture_default_str();
  cmd->add_option("--noise-sigma", o->exp.config.noise_sigma, "noise: sigma in units of each feature's std")->check(positive_finite())->capture_default_str();
  cmd->add_option("--smote-k", o->exp.config.smote_k, "smote: nearest same-class neighbours")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_flag("--report", o->report, "Also print the quality of the method's rows (Fréchet distance, precision/recall, TSTR)");
  cmd->add_option("--save-gan", o->exp.config.save_to, "cyclegan-*: save the trained generators to this folder");
  cmd->add_option("--load-gan", o->exp.config.load_from, "cyclegan-*: generate with generators saved earlier")->check(CLI::ExistingDirectory);
  o->dnn.add_to(cmd);
  o->dnn.add_gan_to(cmd);
  return [o] { return run_augment(*o); };
}

}  // namespace seraug::cli
