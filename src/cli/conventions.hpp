// The conventions every command keeps (docs/robustness.md, "Conventions"):
//   - results go to stdout, or to a file with -o, in --format text|csv|json;
//   - status and progress go to stderr, and -q silences them (never errors or warnings);
//   - parallelism is -j/--jobs N everywhere; 0 = every CPU this process may use.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "seraug/common/parameter.hpp"

namespace seraug::cli {

// --format FORMAT (one of `formats`, the first the default).
CLI::Option* add_format(CLI::App* cmd, std::string& format, const std::vector<std::string>& formats);
// -q,--quiet.
CLI::Option* add_quiet(CLI::App* cmd, bool& quiet);
// -j,--jobs N, and the older spelling `old` (e.g. "--threads") kept working but hidden.
CLI::Option* add_jobs(CLI::App* cmd, int& jobs, const std::string& what, const std::string& old = "");
// The recipe parameters (seraug/options/recipe.hpp) given on `cmd`'s command line: those
// keep their flag's value over a --recipe file's.
std::vector<std::string> recipe_flags_given(const CLI::App* cmd);
// A CLI11 check of a declared parameter's value: the same check and message as its TOML
// key ("<section>.<name> must be …"; CLI11 puts the flag in front).
CLI::Validator declared_value(const Parameter& p, const std::string& section);
// Every declared recipe parameter must have its flag on `cmd` (flag_of(name)): checked
// when the command is registered, so the declaration and the flags cannot drift apart.
// Each flag also gets the declaration's check, except those in `wider`, whose flag takes
// more than the recipe key (evaluate's --classifier list for late fusion, --per-class
// list for a sweep) and keep their own checks.
void require_recipe_flags(CLI::App* cmd, const std::vector<std::string>& unused = {}, const std::vector<std::string>& wider = {});
// A status line on stderr unless quiet.
void status(bool quiet, const std::string& line);
// The result: into `output` (atomically) when given, else onto stdout.
void emit(const std::string& output, const std::string& text);

}  // namespace seraug::cli
