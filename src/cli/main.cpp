// The `seraug` executable: parses arguments and hands over to the library. Errors the
// user can fix are printed as one "seraug: ..." line with exit code 1.
#include <filesystem>
#include <iostream>
#include <new>

#include "cli/commands.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/common/tokens.hpp"
#include "seraug/version.hpp"

namespace {

std::string describe(const std::filesystem::filesystem_error& e) {
  std::string where = e.path1().string();
  if (!e.path2().empty()) where += " -> " + e.path2().string();
  return (where.empty() ? std::string("file system") : where) + ": " + e.code().message();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"seraug: speech emotion recognition with GAN-based data augmentation"};
  app.set_version_flag("--version", std::string("seraug ") + seraug::kVersion);
  app.require_subcommand(1);

  const std::vector<std::pair<std::string, seraug::cli::Action>> commands = {
      {"extract", seraug::cli::add_extract_command(app)},
      {"compare", seraug::cli::add_compare_command(app)},
      {"evaluate", seraug::cli::add_evaluate_command(app)},
      {"train", seraug::cli::add_train_command(app)},
      {"predict", seraug::cli::add_predict_command(app)},
      {"analyze", seraug::cli::add_analyze_command(app)},
      {"continuous", seraug::cli::add_continuous_command(app)},
      {"serve", seraug::cli::add_serve_command(app)},
      {"augment", seraug::cli::add_augment_command(app)},
      {"experiment", seraug::cli::add_experiment_command(app)},
      {"merge", seraug::cli::add_merge_command(app)},
      {"submit", seraug::cli::add_submit_command(app)},
      {"merge-features", seraug::cli::add_merge_features_command(app)},
      {"parameters", seraug::cli::add_parameters_command(app)},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every bad argument is a user error (exit 1).
    return app.exit(e) == 0 ? 0 : 1;
  }
  seraug::install_interrupt_handlers();
  try {
    for (const auto& [name, action] : commands)
      if (app.got_subcommand(name)) return action();
  } catch (const seraug::Interrupted& e) {
    std::cerr << "seraug: " << e.what() << '\n';
    return 130;
  } catch (const seraug::Error& e) {
    std::cerr << "seraug: " << seraug::in_cli_terms(e.what()) << '\n';  // `enroll_clips` -> --enroll-clips
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user gave cannot be read, created or replaced (permissions, a symlink
    // loop, a full disk): the user's to fix, so exit 1 naming the path.
    std::cerr << "seraug: " << describe(e) << '\n';
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "seraug: not enough memory for this input (reduce the amounts, rows or --jobs)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "seraug: unexpected error: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
