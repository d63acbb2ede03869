#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/version.hpp"

namespace seraug::cli {
namespace {

struct ExtractOptions {
  std::string source;
  std::string output;
  std::string set = "is09";
  int jobs = 0;
  double sample_rate = 0.0;
  bool skip_bad = false;
  bool quiet = false;
};

// Progress on stderr: a self-overwriting line on a terminal, a line every 10% otherwise.
void report_progress(std::size_t done, std::size_t total) {
  static const bool tty = ::isatty(STDERR_FILENO);
  if (tty) {
    std::fprintf(stderr, "\rextract: %zu/%zu files (%3zu%%)", done, total, 100 * done / total);
    if (done == total) std::fputc('\n', stderr);
  } else if (done == total || (10 * done / total) != (10 * (done - 1) / total)) {
    std::fprintf(stderr, "extract: %zu/%zu files (%zu%%)\n", done, total, 100 * done / total);
  }
}

int run_extract(const ExtractOptions& o) {
  const FeatureSet& set = feature_set(o.set);
  const std::vector<Utterance> utterances = read_corpus(o.source);
  BatchOptions batch;
  batch.jobs = o.jobs;
  batch.skip_bad = o.skip_bad;
  batch.audio.sample_rate_hz = o.sample_rate;
  if (!o.quiet) batch.progress = report_progress;

  const BatchResult result = extract_corpus(utterances, set, batch);
  for (const auto& s : result.skipped) std::cerr << "seraug: skipped " << s.message << '\n';

  const std::string rate = o.sample_rate > 0 ? std::to_string(static_cast<int>(o.sample_rate)) + " Hz" : "native";
  write_feature_table(o.output, result.table,
                      {"seraug " + std::string(kVersion) + " extract --set " + set.name + " (version " +
                       std::to_string(set.version) + "), sample rate " + rate + ", source " + o.source});
  if (!o.quiet)
    std::cerr << "extract: wrote " << result.table.rows() << " rows x " << result.table.dims() << " features to "
              << o.output << (result.skipped.empty() ? "" : " (" + std::to_string(result.skipped.size()) + " skipped)")
              << '\n';
  return 0;
}

}  // namespace

Action add_extract_command(CLI::App& app) {
  auto o = std::make_shared<ExtractOptions>();
  CLI::App* cmd = app.add_subcommand("extract", "Extract utterance-level features from audio files");
  cmd->add_option("source", o->source, "Folder of audio files (EMO-DB names give speaker and label) or a manifest CSV path,label,speaker")
      ->required();
  cmd->add_option("-o,--output", o->output, "Output feature CSV (name,speaker,label,features...)")->required();
  cmd->add_option("--set", o->set, "Feature set")->check(CLI::IsMember(feature_set_names()))->capture_default_str();
  cmd->add_option("-j,--jobs", o->jobs, "Parallel files (0 = all cores)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--sample-rate", o->sample_rate, "Resample to this rate in Hz with libsoxr (default: analyse at each file's own rate)")
      ->check(CLI::Range(4000.0, 384000.0));
  cmd->add_flag("--skip-bad", o->skip_bad, "List unreadable files on stderr and skip them instead of failing");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  return [o] { return run_extract(*o); };
}

}  // namespace seraug::cli
