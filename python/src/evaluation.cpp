// Evaluation and augmentation for Python.
#include <numeric>

#include "binding.hpp"
#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/service/serve_settings.hpp"
#include "seraug/common/error.hpp"
#include "seraug/options/options.hpp"
#include "seraug/options/recipe.hpp"
#include "seraug/report/eval_report.hpp"
#include "seraug/report/nested_report.hpp"

namespace seraug::python {
namespace {

// Per fold of every repeat, one entry per list: the Python layer's `folds` DataFrame.
py::dict fold_table(const EvalResult& r) {
  std::vector<std::uint64_t> seeds;
  std::vector<std::string> folds, speakers, hyperparameters;
  std::vector<double> uar, wa, inner_uar, seconds;
  std::vector<std::size_t> train_rows, synthetic_rows, copy_rows, test_rows;
  for (const auto& repeat : r.repeats) {
    for (const auto& f : repeat.folds) {
      seeds.push_back(repeat.seed);
      folds.push_back(f.name);
      std::string joined;
      for (const auto& s : f.test_speakers) joined += (joined.empty() ? "" : ",") + s;
      speakers.push_back(joined);
      hyperparameters.push_back(describe(f.chosen));
      uar.push_back(f.confusion.uar());
      wa.push_back(f.confusion.wa());
      inner_uar.push_back(f.inner_uar);
      seconds.push_back(f.seconds);
      train_rows.push_back(f.train_rows);
      synthetic_rows.push_back(f.synthetic_rows);
      copy_rows.push_back(f.copy_rows);
      test_rows.push_back(f.test_rows.size());
    }
  }
  py::dict d;
  d["seed"] = seeds, d["fold"] = folds, d["test_speakers"] = speakers, d["uar"] = uar, d["wa"] = wa;
  d["inner_uar"] = inner_uar, d["hyperparameters"] = hyperparameters, d["train_rows"] = train_rows;
  d["synthetic_rows"] = synthetic_rows, d["copy_rows"] = copy_rows, d["test_rows"] = test_rows, d["seconds"] = seconds;
  return d;
}

// Every test row's prediction in every repeat (row = dataset row index).
py::dict prediction_table(const EvalResult& r) {
  std::vector<std::uint64_t> seeds;
  std::vector<std::size_t> rows;
  std::vector<int> predicted;
  for (const auto& repeat : r.repeats) {
    for (const auto& f : repeat.folds) {
      seeds.insert(seeds.end(), f.test_rows.size(), repeat.seed);
      rows.insert(rows.end(), f.test_rows.begin(), f.test_rows.end());
      predicted.insert(predicted.end(), f.predictions.begin(), f.predictions.end());
    }
  }
  py::dict d;
  d["seed"] = seeds, d["row"] = rows, d["predicted"] = predicted;
  return d;
}

// Pooled confusion counts summed over the repeats (rows: true class, columns: predicted).
py::array_t<long> summed_confusion(const EvalResult& r) {
  const std::size_t k = r.classes.size();
  py::array_t<long> out({k, k});
  long* cell = out.mutable_data();
  std::fill(cell, cell + k * k, 0L);
  for (const auto& repeat : r.repeats)
    for (std::size_t t = 0; t < k; ++t)
      for (std::size_t p = 0; p < k; ++p) cell[t * k + p] += repeat.pooled.at(t, p);
  return out;
}

std::vector<double> mean_recalls(const EvalResult& r) {
  std::vector<double> out;
  for (std::size_t c = 0; c < r.classes.size(); ++c) out.push_back(r.recall(c).mean);
  return out;
}

struct EvaluateArgs {
  std::string classes, classifier, protocol, norm, augment, select_keep;
  ModelArgs models;
  std::vector<std::size_t> per_class;
  bool balance = false, balanced = false;
  int repeats = 1, threads = 0;
  std::uint64_t seed = 1;
  std::optional<double> c;
  std::string recipe_path, recipe_text;  // a seraug.Recipe: its file, or its [recipe] text
  std::vector<std::string> given;        // recipe parameters the call gave itself
};

// Each value as its declared type (bool, int, float, str).
py::dict recipe_dict(const Recipe& r) {
  py::dict out;
  for (const auto& p : recipe_parameters()) {
    if (!r.has(p.name)) continue;
    const std::string& v = r.values.at(p.name);
    if (p.type == ParameterType::Boolean) out[py::str(p.name)] = v == "true";
    else if (p.type == ParameterType::Integer) out[py::str(p.name)] = std::stoll(v);
    else if (p.type == ParameterType::Number) out[py::str(p.name)] = std::stod(v);
    else out[py::str(p.name)] = v;
  }
  return out;
}

std::vector<EvalResult> evaluate(const py::dict& features, const EvaluateArgs& a) {
  const Dataset data = dataset_from_dict(features, a.classes);
  EvaluateSettings s;
  s.classifier = a.classifier, s.protocol = a.protocol, s.norm = a.norm, s.augment = a.augment;
  s.amounts = a.per_class, s.balance = a.balance, s.balanced = a.balanced, s.repeats = a.repeats;
  s.seed = a.seed, s.threads = a.threads, s.c = a.c, s.select_keep = a.select_keep;
  s.models = model_settings(a.models);
  if (const auto recipe = python_recipe(a.recipe_path, a.recipe_text)) apply_recipe(*recipe, s, a.given);
  const EvalOptions options = build_eval_options(s, data);
  return run_interruptible([&] { return evaluate_sweep(data, options); });
}

// Nested selection among recipes (seraug.select_recipe): each a (file, text) pair as a
// seraug.Recipe passes it, named by its file or "recipe <k>".
NestedResult select_recipe(const py::dict& features, const std::string& classes, const std::vector<std::pair<std::string, std::string>>& recipes,
                           const std::string& protocol, int selection_folds, int repeats, std::uint64_t seed, int threads, const ModelArgs& models) {
  const Dataset data = dataset_from_dict(features, classes);
  std::vector<Recipe> parsed;
  for (std::size_t k = 0; k < recipes.size(); ++k) {
    parsed.push_back(*python_recipe(recipes[k].first, recipes[k].second.empty() ? "[recipe]\n" : recipes[k].second));
    if (recipes[k].first.empty()) parsed.back().source = "recipe " + std::to_string(k + 1);
  }
  EvaluateSettings base;
  base.threads = threads;
  base.models = model_settings(models);
  const auto candidates = recipe_candidates(parsed, base, data);
  return run_interruptible([&] { return evaluate_nested(data, candidates, parse_protocol(protocol), selection_folds, repeats, seed); });
}

py::dict augment(const py::dict& features, const std::string& classes, const std::string& method, std::size_t per_class,
                 bool balance, std::uint64_t seed, std::optional<double> noise_sigma, std::optional<int> smote_k, const ModelArgs& models) {
  const Dataset data = dataset_from_dict(features, classes);
  ExportSettings s;
  s.method = method, s.per_class = per_class, s.balance = balance, s.seed = seed;
  s.augmentation.noise_sigma = noise_sigma, s.augmentation.smote_k = smote_k;
  s.models = model_settings(models);
  const ExportOptions options = build_export_options(s, data);
  return table_to_dict(run_interruptible([&] { return synthesize_table(data, options); }));
}

}  // namespace

void bind_evaluation(py::module_& m) {
  py::class_<ModelArgs>(m, "_ModelArgs", "A call's config file and its dnn=/gan= settings as (name, text) pairs.")
      .def(py::init([](std::string config, SettingTexts dnn, SettingTexts gan) { return ModelArgs{std::move(config), std::move(dnn), std::move(gan)}; }),
           py::arg("config"), py::arg("dnn"), py::arg("gan"));
  py::class_<EvalResult>(m, "_EvalResult", "The outcome of an evaluation (all repeats and folds); wrapped by seraug.EvalResult.")
      .def_property_readonly("classes", [](const EvalResult& r) { return r.classes; })
      .def_property_readonly("wa", [](const EvalResult& r) { return r.wa().mean; })
      .def_property_readonly("wa_std", [](const EvalResult& r) { return r.wa().std; })
      .def_property_readonly("uar", [](const EvalResult& r) { return r.uar().mean; })
      .def_property_readonly("uar_std", [](const EvalResult& r) { return r.uar().std; })
      .def_property_readonly("amount", [](const EvalResult& r) { return r.amount; })
      .def_property_readonly("seeds", [](const EvalResult& r) {
        std::vector<std::uint64_t> seeds;
        for (const auto& repeat : r.repeats) seeds.push_back(repeat.seed);
        return seeds;
      })
      .def_property_readonly("warnings", [](const EvalResult& r) { return r.warnings; })
      .def_property_readonly("_recall", &mean_recalls)
      .def_property_readonly("_confusion", &summed_confusion)
      .def_property_readonly("_folds", &fold_table)
      .def_property_readonly("_predictions", &prediction_table)
      .def("to_json", &evaluation_json, "Everything (configuration, seeds, per-fold numbers, confusions) as the CLI's --json writes it.")
      .def("summary", &format_evaluation, "The table `seraug evaluate` prints.");
  m.def(
      "evaluate",
      [](const py::dict& features, const std::string& classes, const std::string& classifier, const std::string& protocol,
         const std::string& norm, const std::string& augment, const std::vector<std::size_t>& per_class, bool balance, int repeats,
         std::uint64_t seed, bool balanced, std::optional<double> c, const std::string& select_keep, int threads,
         const ModelArgs& models, const std::string& recipe_path, const std::string& recipe_text, const std::vector<std::string>& given) {
        return evaluate(features, {classes, classifier, protocol, norm, augment, select_keep, models, per_class, balance, balanced,
                                   repeats, threads, seed, c, recipe_path, recipe_text, given});
      },
      py::arg("features"), py::arg("classes"), py::arg("classifier"), py::arg("protocol"), py::arg("norm"), py::arg("augment"),
      py::arg("per_class"), py::arg("balance"), py::arg("repeats"), py::arg("seed"), py::arg("balanced"), py::arg("c"),
      py::arg("select_keep"), py::arg("threads"), py::arg("models"), py::arg("recipe_path"), py::arg("recipe_text"), py::arg("given"));
  // The recipe's declaration and reader, for seraug.Recipe.
  m.def("recipe_values", [](const std::string& path, const std::string& text) { return recipe_dict(*python_recipe(path, text)); },
        py::arg("path"), py::arg("text"), "A recipe file's (or [recipe] text's) values, validated, typed by their declaration.");
  m.def("recipe_parameter_names", [] {
    std::vector<std::string> names;
    for (const auto& p : recipe_parameters()) names.push_back(p.name);
    return names;
  });
  py::class_<NestedResult>(m, "_NestedResult", "Nested selection among recipes; wrapped by seraug.NestedResult.")
      .def_readonly("candidates", &NestedResult::candidates)
      .def_readonly("each", &NestedResult::each)
      .def_readonly("nested", &NestedResult::nested)
      .def_readonly("selection_folds", &NestedResult::selection_folds)
      .def_property_readonly("optimistic", &NestedResult::optimistic)
      .def_property_readonly("chosen", [](const NestedResult& r) {
        std::vector<std::vector<std::size_t>> out;
        for (const auto& repeat : r.choices) {
          out.emplace_back();
          for (const auto& c : repeat) out.back().push_back(c.chosen);
        }
        return out;
      })
      .def("to_json", &nested_json)
      .def("summary", &format_nested);
  m.def("select_recipe", &select_recipe, py::arg("features"), py::arg("classes"), py::arg("recipes"), py::arg("protocol"),
        py::arg("selection_folds"), py::arg("repeats"), py::arg("seed"), py::arg("threads"), py::arg("models"));
  m.def("augment", &augment, py::arg("features"), py::arg("classes"), py::arg("method"), py::arg("per_class"), py::arg("balance"),
        py::arg("seed"), py::arg("noise_sigma"), py::arg("smote_k"), py::arg("models"));
  // The [dnn] and [gan] settings a call would run with (config, then dnn=/gan=), as TOML.
  m.def(
      "resolved_models", [](const ModelArgs& models) { return resolved_models_toml(model_settings(models)); }, py::arg("models"));
  m.def("declared_settings", [] {
    py::dict out;
    const auto names = [](const std::vector<Parameter>& ps) {
      py::list l;
      for (const auto& p : ps) l.append(py::make_tuple(p.name, type_name(p.type), p.default_text, p.minimum, p.maximum, p.choices));
      return l;
    };
    out["recipe"] = names(recipe_parameters());
    out["dnn"] = names(parameters_of(dnn_fields()));
    out["gan"] = names(parameters_of(gan_fields()));
    out["analyze"] = names(parameters_of(analyze_fields()));
    out["serve"] = names(parameters_of(serve_fields()));
    return out;
  }, "Every declared parameter: (name, type, default, minimum, maximum, choices) per section.");
}

}  // namespace seraug::python
