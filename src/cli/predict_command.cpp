#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/common/error.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/models/saved_model.hpp"

namespace seraug::cli {
namespace {

// Below this many enrolment clips the best recipe loses several UAR points in evaluation
// (docs/evaluation.md, "Enrolment size": 10 clips 80.7, 20 clips 86.2, all 89.9).
constexpr std::size_t kRecommendedEnrolmentClips = 20;

struct PredictOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::vector<std::string> enroll;  // unlabelled clips of the speaker, for speaker-normalised models
  double enroll_prior = 0;          // shrink the enrolment statistics (pseudo-clips)
  bool json = false, csv = false, skip_bad = false, quiet = false;
  std::string format, output;  // --format text|csv|json, -o FILE (default stdout)
  std::optional<double> sample_rate;  // unset: each file's own rate
  int jobs = 0;
};

std::string text_table(const TrainedModel& model, const std::vector<Prediction>& predictions) {
  std::string out;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-32s %-11s", "file", "label");
  out += buf;
  for (const auto& c : model.classes) std::snprintf(buf, sizeof buf, " %9.9s", c.c_str()), out += buf;
  out += "\n";
  for (const auto& p : predictions) {
    std::snprintf(buf, sizeof buf, "%-32s %-11s", p.name.c_str(), p.label.c_str());
    out += buf;
    for (double v : p.probabilities) std::snprintf(buf, sizeof buf, " %9.3f", v), out += buf;
    out += "\n";
  }
  return out;
}

std::string csv_table(const TrainedModel& model, const std::vector<Prediction>& predictions) {
  std::string out = "file,label";
  for (const auto& c : model.classes) out += ",p_" + c;
  out += "\n";
  char buf[32];
  for (const auto& p : predictions) {
    out += csv_field(p.name) + "," + p.label;
    for (double v : p.probabilities) std::snprintf(buf, sizeof buf, ",%.6f", v), out += buf;
    out += "\n";
  }
  return out;
}

std::string json_document(const std::string& model_path, const TrainedModel& model, const std::vector<Prediction>& predictions) {
  nlohmann::ordered_json j = {{"model", model_path}, {"classifier", model.classifier_name}, {"feature_set", model.feature_set},
                      {"classes", model.classes}, {"predictions", nlohmann::ordered_json::array()}};
  for (const auto& p : predictions) {
    nlohmann::ordered_json probabilities = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < model.classes.size(); ++c) probabilities[model.classes[c]] = p.probabilities[c];
    j["predictions"].push_back({{"file", p.name}, {"label", p.label}, {"probabilities", probabilities}});
  }
  return j.dump(2) + "\n";
}

int run_predict(const PredictOptions& o) {
  const TrainedModel model = load_trained_model(o.model);
  if (!o.enroll.empty() && model.normalization != NormKind::Speaker)
    throw Error(o.model + ": --enroll was given, but this model was trained with global normalisation and does not use enrolment clips");
  BatchOptions batch;
  batch.jobs = o.jobs;
  batch.skip_bad = o.skip_bad;
  batch.audio.sample_rate_hz = o.sample_rate;
  const BatchResult features = extract_corpus(collect_utterances(o.inputs), feature_set(model.feature_set), batch);
  for (const auto& s : features.skipped) std::cerr << "seraug: skipped " << s.message << '\n';
  std::optional<BatchResult> enrolment;
  if (!o.enroll.empty()) {
    enrolment = extract_corpus(collect_utterances(o.enroll), feature_set(model.feature_set), batch);
    for (const auto& s : enrolment->skipped) std::cerr << "seraug: skipped enrolment clip " << s.message << '\n';
    status(o.quiet, "seraug: speaker statistics from " + std::to_string(enrolment->table.rows()) + " enrolment clip(s)");
    for (const auto& w : enrolment_warnings(model, enrolment->table)) std::cerr << "seraug: warning: " << w << "\n";
    if (enrolment->table.rows() < kRecommendedEnrolmentClips)
      std::cerr << "seraug: fewer than " << kRecommendedEnrolmentClips
                << " enrolment clips give noisy speaker statistics and cost accuracy"
                << (o.enroll_prior > 0 ? "" : "; --enroll-prior 10 shrinks them towards the training speakers'")
                << " (docs/evaluation.md, \"Enrolment size\")\n";
  } else if (model.normalization == NormKind::Speaker) {
    std::cerr << "seraug: this model was trained with speaker normalisation; without --enroll clips of the speaker it "
                 "falls back to the training corpus's pooled statistics, which costs accuracy (docs/evaluation.md)\n";
  }
  const auto predictions = predict_table(model, features.table, enrolment ? &enrolment->table : nullptr, o.enroll_prior);
  const std::string format = o.json ? "json" : o.csv ? "csv" : o.format;  // --json/--csv: the older spellings
  emit(o.output, format == "json" ? json_document(o.model, model, predictions)
                 : format == "csv" ? csv_table(model, predictions)
                                   : text_table(model, predictions));
  return 0;
}

}  // namespace

Action add_predict_command(CLI::App& app) {
  auto o = std::make_shared<PredictOptions>();
  CLI::App* cmd = app.add_subcommand("predict", "Predict emotions of audio files with a trained model folder");
  cmd->add_option("model", o->model, "Model folder written by seraug train")->required();
  cmd->add_option("inputs", o->inputs, "Audio files, folders, or manifest CSVs")->required();
  CLI::Option* enroll = cmd->add_option("--enroll", o->enroll,
                  "Speaker-normalised models: unlabelled clips of the same speaker (files, folders, manifests; "
                  "recommended: 20 or more) whose statistics normalise the inputs; may include the inputs themselves; one path per --enroll, repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--enroll-prior", o->enroll_prior,
                  "Shrink the enrolment statistics towards the training speakers' pooled ones, weighted as this many clips "
                  "(helps small enrolments; docs/evaluation.md)")
      ->needs(enroll);
  CLI::Option* format = add_format(cmd, o->format, {"text", "csv", "json"});
  cmd->add_option("-o,--output", o->output, "Write the predictions here (in --format) instead of stdout");
  add_quiet(cmd, o->quiet);
  auto* json = cmd->add_flag("--json", o->json, "")->group("")->excludes(format);  // older spellings of --format
  cmd->add_flag("--csv", o->csv, "")->group("")->excludes(json)->excludes(format);
  cmd->add_option("--sample-rate", o->sample_rate, "Resample first (Hz, 4000..384000)");
  add_jobs(cmd, o->jobs, "Parallel files");
  cmd->add_flag("--skip-bad", o->skip_bad, "Skip unreadable files instead of failing");
  return [o] { return run_predict(*o); };
}

}  // namespace seraug::cli
