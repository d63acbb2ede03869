// The conventions every command keeps (docs/robustness.md, "Conventions"):
//   - results go to stdout, or to a file with -o, in --format text|csv|json;
//   - status and progress go to stderr, and -q silences them (never errors or warnings);
//   - parallelism is -j/--jobs N everywhere; 0 = every CPU this process may use.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

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
// Every declared recipe parameter must have its flag on `cmd` (flag_of(name)): checked
// when the command is registered, so the declaration and the flags cannot drift apart.
void require_recipe_flags(const CLI::App* cmd, const std::vector<std::string>& unused = {});
// A status line on stderr unless quiet.
void status(bool quiet, const std::string& line);
// The result: into `output` (atomically) when given, else onto stdout.
void emit(const std::string& output, const std::string& text);

}  // namespace seraug::cli
