#include "cli/commands.hpp"
#include "seraug/common/error.hpp"

#include <algorithm>
#include <cmath>

#include "seraug/augment/gan_config.hpp"

namespace seraug::cli {

const CLI::Validator& positive_finite() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v) || !(v > 0)) return "must be a finite number > 0, got '" + text + "'";
        return {};
      },
      "POSITIVE FINITE");
  return validator;
}

const CLI::Validator& unsigned_integer() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "must be a non-negative integer, got '" + text + "'";
        return {};
      },
      "UINT");
  return validator;
}

CLI::Validator augmenter_method(const std::vector<std::string>& names) {
  std::string listed;
  for (const auto& n : names) listed += (listed.empty() ? "" : ",") + n;
  return CLI::Validator(
      [names](std::string& text) -> std::string {
        try {
          const AugmenterVariant v = split_augmenter_variant(text);
          if (std::find(names.begin(), names.end(), v.augmenter) == names.end()) return "unknown method '" + v.augmenter + "'";
          if (!v.overrides.empty()) {
            if (!is_cyclegan(v.augmenter)) return "only the cycle-GANs take [gan] settings in brackets";
            apply_gan_overrides(GanConfig{}, v.overrides, text);
          }
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      "{" + listed + "}[key=value,...]");
}

void ModelFlags::add_to(CLI::App* cmd) {
  command = cmd;
  cmd->add_option("--config", config_path, "TOML configuration (defaults: configs/default.toml)")->check(CLI::ExistingFile);
  cmd->add_option("--dnn-hidden", hidden, "DNN hidden layer sizes, e.g. 256,128");
  cmd->add_option("--dnn-dropout", dropout, "DNN dropout");
  cmd->add_option("--dnn-lr", learning_rate, "DNN Adam learning rate");
  cmd->add_option("--dnn-weight-decay", weight_decay, "DNN L2 weight decay");
  cmd->add_option("--dnn-batch", batch_size, "DNN mini-batch size");
  cmd->add_option("--dnn-epochs", max_epochs, "DNN maximum epochs");
  cmd->add_option("--dnn-patience", patience, "DNN early-stopping patience (epochs)");
  cmd->add_flag("--dnn-balanced-loss", balanced_loss, "DNN class-weighted cross-entropy");
}

void ModelFlags::add_gan_to(CLI::App* cmd) {
  command = cmd;
  cmd->add_option("--gan-epochs", gan_epochs, "cyclegan-*: training epochs")->check(CLI::Range(1, 1000000));
  cmd->add_option("--gan-source", gan_source, "cyclegan-*: source domain: others | all | neutral | unused | copies | a feature file of unlabelled rows");
  cmd->add_option("--gan-losses", gan_losses, "cyclegan-*: append per-epoch losses to this CSV");
}

ModelSettings ModelFlags::settings() const {
  ModelSettings s;
  s.config_path = config_path;
  if (given("--dnn-hidden")) s.dnn_hidden = parse_layer_list(hidden);
  if (given("--dnn-dropout")) s.dnn_dropout = dropout;
  if (given("--dnn-lr")) s.dnn_learning_rate = learning_rate;
  if (given("--dnn-weight-decay")) s.dnn_weight_decay = weight_decay;
  if (given("--dnn-batch")) s.dnn_batch_size = batch_size;
  if (given("--dnn-epochs")) s.dnn_max_epochs = max_epochs;
  if (given("--dnn-patience")) s.dnn_patience = patience;
  s.dnn_balanced_loss = balanced_loss;
  if (given("--gan-epochs")) s.gan_epochs = gan_epochs;
  if (given("--gan-source")) s.gan_source = gan_source;
  return s;
}

}  // namespace seraug::cli
