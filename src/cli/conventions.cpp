#include "cli/conventions.hpp"
#include "cli/commands.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "seraug/common/atomic_file.hpp"
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

void require_recipe_flags(const CLI::App* cmd, const std::vector<std::string>& unused) {
  for (const auto& p : recipe_parameters())
    if (std::find(unused.begin(), unused.end(), p.name) == unused.end() && !cmd->get_option_no_throw(flag_of(p.name)))
      throw std::logic_error("seraug " + cmd->get_name() + " has no " + flag_of(p.name) + " for recipe parameter " + p.name);
}

void status(bool quiet, const std::string& line) {
  if (!quiet) std::cerr << line << "\n";
}

void emit(const std::string& output, const std::string& text) {
  if (output.empty()) std::cout << text << std::flush;
  else write_file_atomically(output, text);
}

Action add_parameters_command(CLI::App& app) {
  app.add_subcommand("parameters", "Print every declared recipe parameter (docs/parameters.md is this output)");
  return [] {
    std::cout << parameters_markdown();
    return 0;
  };
}

}  // namespace seraug::cli
