#include "cli/conventions.hpp"
#include "cli/commands.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/service/serve_settings.hpp"
#include "seraug/experiment/experiment_parameters.hpp"
#include "seraug/options/recipe.hpp"

namespace seraug::cli {

CLI::Option* add_format(CLI::App* cmd, std::string& format, const std::vector<std::string>& formats) {
  format = formats.front();
  std::string names;
  for (const auto& f : formats) names += (names.empty() ? "" : "|") + f;
  return cmd->add_option("--format", format, "Output format: " + names)->check(CLI::IsMember(formats))->capture_default_str();
}

CLI::Option* add_quiet(CLI::App* cmd, bool& quiet) {
  return cmd->add_flag("-q,--quiet", quiet, "No status or progress lines on stderr (errors and warnings still)");
}

CLI::Option* add_jobs(CLI::App* cmd, int& jobs, const std::string& what, const std::string& old) {
  CLI::Option* option = cmd->add_option("-j,--jobs", jobs, what + " (0 = every CPU this process may use: affinity, cgroup quota, "
                                                                  "$SLURM_CPUS_PER_TASK)")
                            ->check(CLI::Range(0, 4096))
                            ->capture_default_str();
  if (!old.empty()) cmd->add_option(old, jobs, "")->check(CLI::Range(0, 4096))->group("")->excludes(option);
  return option;
}

std::vector<std::string> recipe_flags_given(const CLI::App* cmd) {
  std::vector<std::string> given;
  for (const auto& p : recipe_parameters())
    if (const CLI::Option* o = cmd->get_option_no_throw(flag_of(p.name)); o && o->count() > 0) given.push_back(p.name);
  return given;
}

CLI::Validator declared_value(const Parameter& p, const std::string& section) {
  return CLI::Validator(
      [p, section](std::string& text) -> std::string {
        try {
          checked_text(p, text, section + "." + p.name);
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      "");
}

void require_recipe_flags(CLI::App* cmd, const std::vector<std::string>& unused, const std::vector<std::string>& wider) {
  const auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const auto& p : recipe_parameters()) {
    if (listed(unused, p.name)) continue;
    CLI::Option* option = cmd->get_option_no_throw(flag_of(p.name));
    if (!option) throw std::logic_error("seraug " + cmd->get_name() + " has no " + flag_of(p.name) + " for recipe parameter " + p.name);
    if (p.type != ParameterType::Boolean && !listed(wider, p.name)) option->check(declared_value(p, "recipe"));
  }
}

void status(bool quiet, const std::string& line) {
  if (!quiet) std::cerr << line << "\n";
}

void emit(const std::string& output, const std::string& text) {
  if (output.empty()) std::cout << text << std::flush;
  else write_file_atomically(output, text);
}

Action add_parameters_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("parameters", "Print every declared parameter (docs/parameters.md is this output), or with "
                                                   "--resolved the [dnn] and [gan] settings a command would run with");
  auto resolved = std::make_shared<bool>(false);
  auto models = std::make_shared<ModelFlags>();
  cmd->add_flag("--resolved", *resolved, "Print the [dnn] and [gan] sections that --config and the --dnn-*/--gan-* flags given resolve to");
  models->add_to(cmd);
  models->add_gan_settings_to(cmd);
  return [resolved, models, cmd] {
    const bool any_setting = !models->settings().dnn.empty() || !models->settings().gan.empty() || !models->config_path.empty() ||
                             cmd->count("--gan-source") > 0;
    if (!*resolved && any_setting) throw Error("parameters: settings are given without --resolved (they would be ignored)");
    if (*resolved) std::cout << resolved_models_toml(models->settings());
    else std::cout << parameters_page_markdown();
    return 0;
  };
}

}  // namespace seraug::cli
