// CLI flags generated from declared parameters (seraug/common/parameter.hpp): one flag
// per row, checked when parsed with the TOML reader's checks.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cli/conventions.hpp"
#include "seraug/common/parameter.hpp"

namespace seraug::cli {

inline std::string metavar(const Parameter& p) {
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

// One flag per declared setting of `section` (`--<flag_prefix>-<name>`, or `--<name>`
// without a prefix), its text collected into `text[name]`; `skip` names settings with a
// flag of their own; `older` maps a flag to a second name kept from earlier releases.
template <typename S>
void add_declared_flags(CLI::App* cmd, const std::vector<Field<S>>& fields, const std::string& section,
                        std::map<std::string, std::string>& text, const std::vector<std::string>& skip, const std::string& flag_prefix,
                        const std::map<std::string, std::string>& older = {}) {
  for (const auto& f : fields) {
    const Parameter& p = f.parameter;
    if (std::find(skip.begin(), skip.end(), p.name) != skip.end()) continue;
    std::string names = flag_of(p.name, flag_prefix);
    if (const auto o = older.find(names); o != older.end()) names += "," + o->second;
    const std::string help = section + "." + p.name + ": " + p.help + " (default " + p.default_text + ")";
    // A boolean is a switch (`--dnn-balanced-loss` = true) that also takes =true/=false,
    // checked as the TOML key is (CLI11's own flags would read "yes" or "2" as true).
    if (p.type == ParameterType::Boolean) cmd->add_flag(names + "{true}", text[p.name], help)->check(declared_value(p, section));
    else cmd->add_option(names, text[p.name], help)->check(declared_value(p, section))->type_name(metavar(p));
  }
}

// The (name, text) of the declared settings given on `cmd`'s command line (their flags
// without a prefix), in the order of `text`.
inline std::vector<std::pair<std::string, std::string>> given_settings(const std::map<std::string, std::string>& text,
                                                                       const CLI::App* cmd) {
  std::vector<std::pair<std::string, std::string>> given;
  for (const auto& [name, value] : text)
    if (cmd->count(flag_of(name)) > 0) given.emplace_back(name, value);
  return given;
}

}  // namespace seraug::cli
