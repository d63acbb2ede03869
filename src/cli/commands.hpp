// Sub-commands of the `seraug` executable. Each registers its options on the CLI11 app
// and returns the action to run once parsing succeeded; the action returns the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>

#include "seraug/options/options.hpp"

namespace seraug::cli {

using Action = std::function<int()>;

// A number > 0 that is finite: CLI11's PositiveNumber lets "inf" and "nan" through.
const CLI::Validator& positive_finite();
// Digits only: CLI11 reads "-1" into an unsigned option as 18446744073709551615.
const CLI::Validator& unsigned_integer();
// One of `names`, a cycle-GAN optionally with [gan] settings ("cyclegan-wdiv[pca=64]").
CLI::Validator augmenter_method(const std::vector<std::string>& names);

// --config FILE, the --dnn-* flags and (add_gan_to) the --gan-* flags, one per declared
// [dnn]/[gan] setting (dnn_fields(), gan_fields()): --dnn-<name> with '-' for '_'. Each
// value is checked when parsed, with the TOML reader's checks; the options builder
// applies them over the config (seraug/options/options.hpp).
struct ModelFlags {
  std::string config_path;
  std::map<std::string, std::string> dnn_text, gan_text;  // declared name -> the value as typed
  std::string gan_source;  // others | all | neutral | unused | copies | FILE
  std::string gan_losses;

  // The command these flags were added to: a flag given on the command line overrides
  // the config whatever its value (`--dnn-max-epochs 0` is checked, never ignored).
  CLI::App* command = nullptr;
  bool given(const std::string& flag) const {
    const CLI::Option* option = command ? command->get_option_no_throw(flag) : nullptr;  // absent: not added to this command
    return option && option->count() > 0;
  }

  void add_to(CLI::App* cmd);
  void add_gan_to(CLI::App* cmd);           // the [gan] settings and --gan-losses
  void add_gan_settings_to(CLI::App* cmd);  // the [gan] settings only
  ModelSettings settings() const;  // only the flags given
};

Action add_extract_command(CLI::App& app);
Action add_compare_command(CLI::App& app);
Action add_evaluate_command(CLI::App& app);
Action add_train_command(CLI::App& app);
Action add_predict_command(CLI::App& app);
Action add_augment_command(CLI::App& app);
Action add_experiment_command(CLI::App& app);
Action add_merge_command(CLI::App& app);
Action add_submit_command(CLI::App& app);
Action add_merge_features_command(CLI::App& app);
Action add_parameters_command(CLI::App& app);
Action add_analyze_command(CLI::App& app);
Action add_continuous_command(CLI::App& app);
Action add_serve_command(CLI::App& app);

}  // namespace seraug::cli
