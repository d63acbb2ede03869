#include "cli/commands.hpp"
#include "cli/conventions.hpp"
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

std::string metavar(const Parameter& p) {
  switch (p.type) {
    case ParameterType::Integer: return "INT";
    case ParameterType::Number: return "NUMBER";
    case ParameterType::IntegerList: return "INT,...";
    case ParameterType::Choice: {
      std::string choices;
      for (const auto& c : p.choices) choices += (choices.empty() ? "" : ",") + c;
      return "{" + choices + "}";
    }
    default: return "TEXT";
  }
}

// One flag per declared setting of `section`; `skip` names settings with a flag of their own.
template <typename S>
void add_declared_flags(CLI::App* cmd, const std::vector<Field<S>>& fields, const std::string& section,
                        std::map<std::string, std::string>& text, const std::vector<std::string>& skip = {}) {
  for (const auto& f : fields) {
    const Parameter& p = f.parameter;
    if (std::find(skip.begin(), skip.end(), p.name) != skip.end()) continue;
    std::string names = flag_of(p.name, section);
    if (const auto older = kOlderFlags.find(names); older != kOlderFlags.end()) names += "," + older->second;
    const std::string help = section + "." + p.name + ": " + p.help + " (default " + p.default_text + ")";
    // A boolean is a switch (`--dnn-balanced-loss` = true) that also takes =true/=false,
    // checked as the TOML key is (CLI11's own flags would read "yes" or "2" as true).
    if (p.type == ParameterType::Boolean) cmd->add_flag(names + "{true}", text[p.name], help)->check(declared_value(p, section));
    else cmd->add_option(names, text[p.name], help)->check(declared_value(p, section))->type_name(metavar(p));
  }
}

}  // namespace

void ModelFlags::add_to(CLI::App* cmd) {
  command = cmd;
  cmd->add_option("--config", config_path, "TOML configuration (defaults: configs/default.toml)")->check(CLI::ExistingFile);
  add_declared_flags(cmd, dnn_fields(), "dnn", dnn_text);
}

void ModelFlags::add_gan_settings_to(CLI::App* cmd) {
  command = cmd;
  add_declared_flags(cmd, gan_fields(), "gan", gan_text, {"source"});
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
