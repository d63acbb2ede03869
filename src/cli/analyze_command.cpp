// seraug analyze: an emotion timeline of long recordings and live audio (docs/analyze.md).
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "cli/declared_flags.hpp"
#include "seraug/analysis/recording.hpp"
#include "seraug/analysis/timeline.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/report/timeline_figure.hpp"

namespace seraug::cli {
namespace {

struct AnalyzeOptions {
  std::string model;
  std::vector<std::string> inputs;  // files, or "-" for raw PCM on stdin
  std::string device;               // ALSA capture instead
  std::string output, format, plot, config;
  std::vector<std::string> enroll;
  std::map<std::string, std::string> settings_text;  // declared [analyze] name -> the word typed
  int jobs = 0;
  bool quiet = false;
  CLI::App* command = nullptr;
};

AnalyzeSettings resolved_settings(const AnalyzeOptions& o) {
  return with_analyze_settings(o.config.empty() ? AnalyzeSettings{} : load_analyze_settings(o.config),
                               given_settings(o.settings_text, o.command), ValueSyntax::Word);
}

std::optional<ZScore> enrolment_of(const AnalyzeOptions& o, const TrainedModel& model, const AnalyzeSettings& s) {
  if (o.enroll.empty()) return std::nullopt;
  if (model.normalization != NormKind::Speaker)
    throw Error(o.model + ": --enroll was given, but this model was trained with global normalisation and does not use enrolment clips");
  BatchOptions batch;
  batch.jobs = o.jobs;
  const BatchResult clips = extract_corpus(collect_utterances(o.enroll), feature_set(model.feature_set), batch);
  status(o.quiet, "seraug: speaker statistics from " + std::to_string(clips.table.rows()) + " enrolment clip(s) (instead of the recording's own)");
  return enrolment_statistics(model, clips.table, s.enroll_prior);
}

void check_inputs(const AnalyzeOptions& o, const AnalyzeSettings& s, bool live) {
  if (o.device.empty() && o.inputs.empty()) throw Error("give audio files, - for raw PCM on stdin, or --device NAME");
  if (!o.device.empty() && !o.inputs.empty()) throw Error("--device captures live audio; give no files with it");
  for (const auto& in : o.inputs)
    if (in == "-" && o.inputs.size() > 1) throw Error("- (raw PCM on stdin) cannot be mixed with files");
  if (live && s.enroll_scope == "recording")
    throw Error("--enroll-scope recording waits for the end of a recording; live input uses online");
  if (live && s.channels == "separate") throw Error("--channels separate applies to multichannel files; live input is mono");
}

struct Sinks {
  TimelineWriter* writer;
  std::vector<SegmentResult>* kept;  // for --plot
  void operator()(const SegmentResult& r) const {
    writer->write(r);
    if (kept) kept->push_back(r);
  }
};

int run_analyze(const AnalyzeOptions& o) {
  const AnalyzeSettings s = resolved_settings(o);
  const bool live = !o.device.empty() || (o.inputs.size() == 1 && o.inputs[0] == "-");
  check_inputs(o, s, live);
  if (!o.output.empty()) refuse_overwriting_input(o.output);
  const TrainedModel model = load_trained_model(o.model);
  const std::optional<ZScore> enrolment = enrolment_of(o, model, s);
  if (model.normalization == NormKind::Speaker && !enrolment)
    status(o.quiet, "seraug: speaker-normalised model: each recording is normalised with its own speech (" + s.enroll_scope +
                        " statistics, prior " + std::to_string(static_cast<int>(s.enroll_prior)) + " segments); this assumes one speaker per " +
                        (s.channels == "separate" ? "channel" : "recording"));
  const std::string format = o.command->count("--format") > 0 ? o.format : live ? "jsonl" : "csv";
  std::unique_ptr<AtomicFile> file = o.output.empty() ? nullptr : std::make_unique<AtomicFile>(o.output);
  std::ostringstream held;  // files to stdout: written once complete, never a partial table
  std::ostream& out = file ? file->stream() : live ? std::cout : held;
  TimelineWriter writer(out, format, o.model, model.classes, s, live);
  std::vector<SegmentResult> kept;
  const Sinks sink{&writer, o.plot.empty() ? nullptr : &kept};
  const auto started = std::chrono::steady_clock::now();
  double seconds = 0;
  if (!o.device.empty()) {
    writer.recording_done(analyze_alsa_capture(model, o.device, s, enrolment, sink));
  } else if (live) {
    writer.recording_done(analyze_raw_pcm(model, STDIN_FILENO, "-", s, enrolment, sink));
  } else {
    for (const auto& path : o.inputs) {
      const RecordingSummary r = analyze_recording(model, path, s, o.jobs, enrolment, sink);
      seconds += r.seconds;
      writer.recording_done(r);
    }
  }
  writer.finish();
  if (!o.plot.empty()) write_timeline_figure(kept, model.classes, o.plot);
  if (file) file->commit();
  if (!file && !live) std::cout << held.str() << std::flush;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!live && seconds > 0)
    status(o.quiet, "seraug: analysed " + std::to_string(seconds) + " s of audio in " + std::to_string(elapsed) +
                        " s (real-time factor " + std::to_string(elapsed / seconds) + ")");
  if (live && interrupted()) status(o.quiet, "seraug: stopped; the segments that had closed were written");
  return 0;
}

}  // namespace

Action add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand("analyze", "Emotion over time in long recordings or live audio: voice activity detection, "
                                                "segments, a prediction per segment (docs/analyze.md)");
  o->command = cmd;
  cmd->add_option("model", o->model, "Model folder written by seraug train")->required();
  cmd->add_option("inputs", o->inputs, "Recordings (any length, read in blocks), or - for raw 16-bit mono PCM on stdin");
  cmd->add_option("--device", o->device, "Capture live from this ALSA device (e.g. default, hw:1,0) until Ctrl-C");
  add_format(cmd, o->format, {"csv", "json", "jsonl"})->description(
      "csv (files' default), json, or jsonl (one object a line, flushed as each segment closes; live input's default)");
  cmd->add_option("-o,--output", o->output, "Write the timeline here instead of stdout (only once complete)");
  cmd->add_option("--plot", o->plot, "Also draw the timeline: probabilities over time and the segments (.svg or .png)");
  cmd->add_option("--config", o->config, "A TOML file whose [analyze] table sets any of the settings below")->check(CLI::ExistingFile);
  cmd->add_option("--enroll", o->enroll, "Speaker-normalised models: clips of the speaker whose statistics replace the recording's own")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_declared_flags(cmd, analyze_fields(), "analyze", o->settings_text, {}, "");
  add_jobs(cmd, o->jobs, "Segments whose features are extracted in parallel (files)");
  add_quiet(cmd, o->quiet);
  return [o] { return run_analyze(*o); };
}

}  // namespace seraug::cli
