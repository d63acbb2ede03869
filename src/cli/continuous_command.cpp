// seraug continuous: the test bed of `analyze` on constructed continuous recordings
// (docs/analyze.md): `vad` scores the voice detectors frame by frame, `eval` runs the
// continuous-audio protocol under leave-one-speaker-out.
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "cli/declared_flags.hpp"
#include "seraug/analysis/continuous_eval.hpp"
#include "seraug/analysis/vad_study.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/options/recipe.hpp"

namespace seraug::cli {
namespace {

struct ContinuousOptions {
  std::vector<std::string> features;
  std::vector<std::string> training_copies;  // feature files of perturbed copies, fused as the features are
  std::string corpus, recipe, classes = paper_class_selection(), json, config;
  std::vector<std::uint64_t> seeds = {1, 2, 3};
  std::vector<double> snr = {30, 20, 10};
  std::string noise = "babble";
  bool one_speaker_only = false, quiet = false;
  int jobs = 0;
  std::map<std::string, std::string> settings_text;
  CLI::App* command = nullptr;
};

AnalyzeSettings analyze_settings_of(const ContinuousOptions& o) {
  return with_analyze_settings(o.config.empty() ? AnalyzeSettings{} : load_analyze_settings(o.config),
                               given_settings(o.settings_text, o.command), ValueSyntax::Word);
}

void add_common(CLI::App* cmd, ContinuousOptions& o) {
  o.command = cmd;
  cmd->add_option("--corpus", o.corpus, "The clips' audio: a folder (EMO-DB names) or a manifest (default: $SERAUG_EMODB or ../shared/data/emodb)");
  cmd->add_option("--seeds", o.seeds, "Seeds (the recordings' shuffles and noise, and the models)")->delimiter(',');
  cmd->add_option("--json", o.json, "Also write the results as JSON here");
  cmd->add_option("--config", o.config, "A TOML file whose [analyze] table sets analyze's settings")->check(CLI::ExistingFile);
  add_declared_flags(cmd, analyze_fields(), "analyze", o.settings_text, {"channels", "sample_rate", "smooth_s"}, "");
  add_quiet(cmd, o.quiet);
}

std::string corpus_of(const ContinuousOptions& o) { return o.corpus.empty() ? emodb_location() : o.corpus; }

int run_vad(const ContinuousOptions& o) {
  const AnalyzeSettings s = analyze_settings_of(o);
  const auto clips = read_corpus(corpus_of(o));
  status(o.quiet, "seraug: scoring the energy and webrtc detectors on " + std::to_string(clips.size()) + " clips' recordings");
  const VadStudy study = run_vad_study(clips, s, o.seeds);
  if (!o.json.empty()) write_file_atomically(o.json, vad_study_json(study, s));
  std::cout << vad_study_table(study, s);
  return 0;
}

int run_eval(const ContinuousOptions& o) {
  for (double snr : o.snr)
    if (!(snr >= -30 && snr <= 200)) throw Error("--snr must be in -30..200 dB, got " + std::to_string(snr));
  if (o.seeds.empty()) throw Error("--seeds needs at least one seed");
  ContinuousSettings s;
  s.analyze = analyze_settings_of(o);
  s.seeds = o.seeds, s.snr_db = o.snr, s.noise = o.noise, s.two_speakers = !o.one_speaker_only, s.threads = o.jobs;
  const Dataset data = load_dataset(o.features, o.classes);
  std::optional<CopyRows> copies;
  if (!o.training_copies.empty()) {
    if (o.training_copies.size() != o.features.size())
      throw Error("--train-copies: give one copies file per feature file, in the same order (" + std::to_string(o.features.size()) +
                  " feature files, " + std::to_string(o.training_copies.size()) + " copies files)");
    std::vector<FeatureTable> tables;
    for (const auto& path : o.training_copies) tables.push_back(read_feature_table(path));
    // Fused under the feature files' names, so that the columns are named as the features' are.
    copies = copies_of(data, o.features.size() == 1 ? tables.front() : join_feature_tables(tables, o.features), "--train-copies");
    s.training_copies = &*copies;
  }
  TrainSettings train;
  std::string recipe_name = "default svm";
  if (!o.recipe.empty()) {
    apply_recipe(load_recipe(o.recipe), train);
    recipe_name = o.recipe;
  }
  train.threads = o.jobs;
  if (copies) {
    recipe_name += " + training copies";
    for (const auto& path : o.training_copies) recipe_name += " " + path;
  }
  status(o.quiet, "seraug: continuous protocol over " + std::to_string(data.speaker_list().size()) + " speakers, " +
                      std::to_string(o.seeds.size()) + " seed(s); this trains " +
                      std::to_string(data.speaker_list().size() * o.seeds.size() * (s.two_speakers ? 2 : 1)) + " models");
  const ContinuousReport report = evaluate_continuous(data, read_corpus(corpus_of(o)), train, s);
  if (!o.json.empty()) write_file_atomically(o.json, continuous_json(report, s, recipe_name));
  std::cout << continuous_table(report, s, recipe_name);
  return 0;
}

}  // namespace

Action add_continuous_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("continuous", "Constructed continuous recordings with known boundaries: score the VADs (vad) "
                                                   "or run the continuous-audio protocol under LOSO (eval); docs/analyze.md");
  cmd->require_subcommand(1);
  auto vad = std::make_shared<ContinuousOptions>();
  CLI::App* v = cmd->add_subcommand("vad", "Frame-level precision/recall/F1 of the energy and WebRTC detectors: clean, white/pink/babble "
                                           "noise at 20/10/0 dB SNR, reverberation");
  add_common(v, *vad);
  v->callback([] {});
  auto eval = std::make_shared<ContinuousOptions>();
  CLI::App* e = cmd->add_subcommand("eval", "UAR/WA over clips of constructed recordings analysed by LOSO models, next to the clip-level "
                                            "scores of the same models, by SNR and with two speakers on one channel");
  e->add_option("features", eval->features, "Feature tables of the corpus's clips (as evaluate takes)")->required();
  e->add_option("--recipe", eval->recipe, "The recipe the models are trained by (configs/best.toml)")->check(CLI::ExistingFile);
  e->add_option("--classes", eval->classes, "Comma-separated classes, or 'all'")->capture_default_str();
  e->add_option("--snr", eval->snr, "Noise levels (dB SNR over the speech)")->delimiter(',');
  e->add_option("--noise", eval->noise, "white | pink | babble (clips of the training speakers)")->check(CLI::IsMember({"white", "pink", "babble"}));
  e->add_option("--train-copies", eval->training_copies,
                 "Feature files of perturbed copies of the clips (extract --perturb), one per feature file, fused alike: "
                 "added to each model's training clips (multi-condition training)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  e->add_flag("--one-speaker-only", eval->one_speaker_only, "Skip the two-speakers-on-one-channel condition");
  add_jobs(e, eval->jobs, "Threads for training and segment features");
  add_common(e, *eval);
  return [cmd, v, vad, eval] { return cmd->got_subcommand(v) ? run_vad(*vad) : run_eval(*eval); };
}

}  // namespace seraug::cli
