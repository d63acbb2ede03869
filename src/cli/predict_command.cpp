#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
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
  bool json = false, csv = false, skip_bad = false;
  std::optional<double> sample_rate;  // unset: each file's own rate
  int jobs = 0;
};

void print_table(const TrainedModel& model, const std::vector<Prediction>& predictions) {
  std::printf("%-32s %-11s", "file", "label");
  for (const auto& c : model.classes) std::printf(" %9.9s", c.c_str());
  std::printf("\n");
  for (const auto& p : predictions) {
    std::printf("%-32s %-11s", p.name.c_str(), p.label.c_str());
    for (double v : p.probabilities) std::printf(" %9.3f", v);
    std::printf("\n");
  }
}

void print_csv(const TrainedModel& model, const std::vector<Prediction>& predictions) {
  std::printf("file,label");
  for (const auto& c : model.classes) std::printf(",p_%s", c.c_str());
  std::printf("\n");
  for (const auto& p : predictions) {
    std::printf("%s,%s", csv_field(p.name).c_str(), p.label.c_str());
    for (double v : p.probabilities) std::printf(",%.6f", v);
    std::printf("\n");
  }
}

void print_json(const std::string& model_path, const TrainedModel& model, const std::vector<Prediction>& predictions) {
  nlohmann::ordered_json j = {{"model", model_path}, {"classifier", model.classifier_name}, {"feature_set", model.feature_set},
                      {"classes", model.classes}, {"predictions", nlohmann::ordered_json::array()}};
  for (const auto& p : predictions) {
    nlohmann::ordered_json probabilities = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < model.classes.size(); ++c) probabilities[model.classes[c]] = p.probabilities[c];
    j["predictions"].push_back({{"file", p.name}, {"label", p.label}, {"probabilities", probabilities}});
  }
  std::cout << j.dump(2) << "\n";
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
    std::cerr << "seraug: speaker statistics from " << enrolment->table.rows() << " enrolment clip(s)\n";
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
  if (o.json) print_json(o.model, model, predictions);
  else if (o.csv) print_csv(model, predictions);
  else print_table(model, predictions);
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
  auto* json = cmd->add_flag("--json", o->json, "JSON output");
  cmd->add_flag("--csv", o->csv, "CSV output")->excludes(json);
  cmd->add_option("--sample-rate", o->sample_rate, "Resample first (Hz, 4000..384000)");
  cmd->add_option("-j,--jobs", o->jobs, "Parallel files (0 = every CPU this process may use)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--skip-bad", o->skip_bad, "Skip unreadable files instead of failing");
  return [o] { return run_predict(*o); };
}

}  // namespace seraug::cli
