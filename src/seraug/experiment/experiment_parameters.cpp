#include "seraug/experiment/experiment_parameters.hpp"

#include <map>

#include "seraug/audio/perturb.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/options/recipe.hpp"

namespace seraug {

const std::vector<Field<ExperimentConfig>>& experiment_fields() {
  using E = ExperimentConfig;
  constexpr double kMaxAmount = 1e7, kMaxSeed = 9007199254740992.0;  // (2^53: exact in a double, as TOML readers hold it)
  static const std::vector<Field<ExperimentConfig>> fields = with_defaults<ExperimentConfig>({
      {text_parameter("corpus", "", "folder or manifest of the clips, relative to this file (\"\" = $SERAUG_EMODB or ../shared/data/emodb)"),
       &E::corpus},
      {choice_parameter("feature_set", "", feature_set_names(), "the features the run extracts"), &E::feature_set},
      {text_list_parameter("classes", "", {}, "the classes evaluated (at least two)", true), &E::classes},
      {text_list_parameter("speakers", "", {}, "a subset of the corpus's speakers ([] = all)", false), &E::speakers},
      {text_parameter("protocol", "", "loso | group-kfold:K | kfold:K (speaker-dependent)"), &E::protocol},
      {choice_parameter("norm", "", {"global", "speaker", "none"}, "normalisation fitted on the training fold (speaker: transductive)"),
       &E::norm},
      {text_parameter("select_keep", "", "in-fold F-score selection: column counts to choose among (\"\" = none)"), &E::select_keep},
      {boolean_parameter("balanced", "", "class weights n / (k n_c)"), &E::balanced},
      {choice_parameter("fusion", "", {"early", "late"}, "late: one model per block of a fused feature set"), &E::fusion},
      {text_list_parameter("methods", "", {}, "augmentation methods of the grid (feature-space, audio kinds, or both joined by '+')", true),
       &E::methods},
      {text_list_parameter("classifiers", "", classifier_names(), "classifiers of the grid", true), &E::classifiers},
      {integer_list_parameter("amounts", "", 0, kMaxAmount, "synthetic rows per class of the grid"), &E::amounts},
      {integer_parameter("table_amount", "", 0, kMaxAmount, "the amount table.md reports"), &E::table_amount},
      {integer_parameter("repeats", "", 1, 1000, "seeds per cell: seed, seed+1, ..."), &E::repeats},
      {integer_parameter("seed", "", 0, kMaxSeed, "the first seed"), &E::seed},
      {number_parameter("noise_sigma", "", 0, 1e6, "method noise: sigma in units of each feature's training std", true), &E::noise_sigma},
      {integer_parameter("smote_k", "", 1, 1000, "method smote: nearest same-class neighbours"), &E::smote_k},
  });
  return fields;
}

const Parameter& audio_values_parameter(const std::string& kind) {
  // The ranges are the perturbation's own (perturbation_range); the defaults ExperimentConfig's.
  static const std::map<std::string, Parameter> parameters = [] {
    std::map<std::string, Parameter> out;
    const ExperimentConfig defaults;
    for (const auto& [name, values] : defaults.audio_values) {
      const PerturbationRange range = perturbation_range(name);
      std::string text;
      toml::array a;
      for (double v : values) a.push_back(v);
      out.emplace(name, number_list_parameter(name, toml_value_text(a), range.low, range.high, name + ": one copy per value (" + range.unit + ")",
                                              true));
    }
    return out;
  }();
  return parameters.at(kind);
}

const Parameter& audio_seed_parameter() {
  static const Parameter p = integer_parameter("seed", "1", 0, 9007199254740992.0, "seed of the copies' random parts (noise, rooms)");
  return p;
}

std::string all_parameters_markdown() {
  std::string out = parameters_markdown();
  out +=
      "\n## [experiment]\n\n"
      "The grid `seraug experiment FILE -o RUN` runs (configs/paper.toml), read from the file only.\n"
      "With a `[recipe]` in the same file, the recipe is the grid's base and a key in both sections\n"
      "is refused.\n\n";
  std::vector<std::string> file_only;  // (seraug experiment reads them from its file only)
  for (const auto& f : experiment_fields()) file_only.push_back(f.parameter.name);
  out += parameters_table_markdown(parameters_of(experiment_fields()), "", file_only);
  out +=
      "\n## [audio_augment]\n\n"
      "Perturbed copies of the clips for the methods with an audio kind (`speed`, `speed+smote`):\n"
      "one copy per value of each kind used, then the copies' settings. `seraug extract --perturb`\n"
      "takes the settings as the flags below (its chains and `--perturb-seed` give the rest).\n\n";
  std::vector<Parameter> audio;
  for (const char* kind : {"speed", "vtlp", "pitch", "noise", "reverb"}) audio.push_back(audio_values_parameter(kind));
  audio.push_back(audio_seed_parameter());
  for (const auto& p : parameters_of(perturb_fields())) audio.push_back(p);
  return out + parameters_table_markdown(audio, "", {"speed", "vtlp", "pitch", "noise", "reverb", "seed"});
}

}  // namespace seraug
