#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "seraug/data/feature_compare.hpp"

namespace seraug::cli {
namespace {

struct CompareOptions {
  std::string ours, reference;
  bool per_feature = false;
};

int run_compare(const CompareOptions& o) {
  const AgreementReport report = compare_features(read_feature_table(o.ours), read_feature_table(o.reference));
  std::printf("shared rows: %zu, compared features: %zu, missing in %s: %zu\n", report.shared_rows,
              report.features.size(), o.ours.c_str(), report.missing_features.size());
  std::printf("median Pearson r: %.4f; r >= 0.90: %.1f%%; r >= 0.85: %.1f%%\n\n", report.median_correlation(),
              100 * report.fraction_at_least(0.90), 100 * report.fraction_at_least(0.85));
  std::cout << "Median r per contour x functional:\n\n" << agreement_table_markdown(report);
  if (o.per_feature) {
    std::printf("\nfeature,r,mean_relative_difference\n");
    for (const auto& f : report.features) std::printf("%s,%.4f,%.4f\n", f.feature.c_str(), f.correlation, f.relative_diff);
  }
  return 0;
}

}  // namespace

Action add_compare_command(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand("compare", "Per-feature agreement of two feature files (e.g. seraug vs openSMILE)");
  cmd->add_option("ours", o->ours, "Feature file to check")->required()->check(CLI::ExistingFile);
  cmd->add_option("reference", o->reference, "Reference feature file (seraug, openSMILE ';' CSV, or name,features)")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--per-feature", o->per_feature, "Also list every feature's correlation");
  return [o] { return run_compare(*o); };
}

}  // namespace seraug::cli
