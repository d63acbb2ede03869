// Sub-commands of the `seraug` executable. Each registers its options on the CLI11 app
// and returns the action to run once parsing succeeded; the action returns the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace seraug::cli {

using Action = std::function<int()>;

Action add_extract_command(CLI::App& app);
Action add_compare_command(CLI::App& app);
Action add_evaluate_command(CLI::App& app);

}  // namespace seraug::cli
