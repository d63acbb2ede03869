#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "cli/declared_flags.hpp"
#include "seraug/common/error.hpp"

#include <algorithm>
#include <cmath>

#include "seraug/augment/gan_config.hpp"
#include "seraug/models/dnn_config.hpp"

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

namespace {

// Flags of earlier releases, kept as second names of their declared settings.
const std::map<std::string, std::string> kOlderFlags = {
    {"--dnn-learning-rate", "--dnn-lr"}, {"--dnn-batch-size", "--dnn-batch"}, {"--dnn-max-epochs", "--dnn-epochs"}};

}  // namespace

void ModelFlags::add_to(CLI::App* cmd) {
  command = cmd;
  cmd->add_option("--config", config_path, "TOML configuration (defaults: configs/default.toml)")->check(CLI::ExistingFile);
  add_declared_flags(cmd, dnn_fields(), "dnn", dnn_text, {}, "dnn", kOlderFlags);
}

void ModelFlags::add_gan_settings_to(CLI::App* cmd) {
  command = cmd;
  add_declared_flags(cmd, gan_fields(), "gan", gan_text, {"source"}, "gan");
  cmd->add_option("--gan-source", gan_source, "cyclegan-*: source domain: others | all | neutral | unused | copies | a feature file of unlabelled rows");
}

void ModelFlags::add_gan_to(CLI::App* cmd) {
  add_gan_settings_to(cmd);
  cmd->add_option("--gan-losses", gan_losses, "cyclegan-*: append per-epoch losses to this CSV");
}

ModelSettings ModelFlags::settings() const {
  ModelSettings s;
  s.config_path = config_path;
  const auto collect = [this](const auto& fields, const std::string& section, const auto& text, auto& into) {
    for (const auto& f : fields) {
      const std::string& name = f.parameter.name;
      const bool declared_flag = text.count(name) > 0;  // (gan.source has --gan-source, read below)
      if (!declared_flag || !given(flag_of(name, section))) continue;
      into.emplace_back(name, text.at(name));
    }
  };
  collect(dnn_fields(), "dnn", dnn_text, s.dnn);
  collect(gan_fields(), "gan", gan_text, s.gan);
  if (given("--gan-source")) s.gan_source = gan_source;
  return s;
}

}  // namespace seraug::cli
