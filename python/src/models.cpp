// Trained models for Python: load, save, train, predict.
#include <filesystem>
#include <memory>

#include <pybind11/stl/filesystem.h>

#include "binding.hpp"
#include "seraug/common/error.hpp"
#include "seraug/models/saved_model.hpp"
#include "seraug/options/options.hpp"

namespace seraug::python {
namespace {

// TrainedModel is move-only; Python shares one behind a shared_ptr.
using Model = std::shared_ptr<TrainedModel>;

py::dict predictions_dict(const TrainedModel& model, const std::vector<Prediction>& predictions) {
  py::array_t<double> probabilities({predictions.size(), model.classes.size()});
  std::vector<std::string> names, labels;
  double* out = probabilities.mutable_data();
  for (const auto& p : predictions) {
    names.push_back(p.name);
    labels.push_back(p.label);
    out = std::copy(p.probabilities.begin(), p.probabilities.end(), out);
  }
  py::dict d;
  d["names"] = names;
  d["labels"] = labels;
  d["classes"] = model.classes;
  d["probabilities"] = probabilities;
  return d;
}

py::dict predict(const Model& model, const py::dict& features, const py::object& enrolment, double enrolment_prior) {
  const FeatureTable table = table_from_dict(features, "<features>");
  std::optional<FeatureTable> enrol;
  if (!enrolment.is_none()) enrol = table_from_dict(enrolment.cast<py::dict>(), "<enrolment>");
  const auto predictions = run_interruptible([&] { return predict_table(*model, table, enrol ? &*enrol : nullptr, enrolment_prior); });
  py::dict out = predictions_dict(*model, predictions);
  out["warnings"] = enrol ? enrolment_warnings(*model, *enrol) : std::vector<std::string>{};
  return out;
}

Model train(const py::dict& features, const std::string& classes, const std::string& classifier, const std::string& norm,
            const std::string& select_keep, bool balanced, std::optional<double> c, std::optional<double> gamma, std::uint64_t seed, int threads,
            const ModelArgs& models, const std::string& recipe_path, const std::string& recipe_text, const std::vector<std::string>& given) {
  const Dataset data = dataset_from_dict(features, classes);
  TrainSettings s;
  s.classifier = classifier;
  s.norm = norm;
  s.select_keep = select_keep;
  s.balanced = balanced;
  s.c = c;
  s.gamma = gamma;
  s.seed = seed;
  s.threads = threads;
  s.models = model_settings(models);
  if (const auto recipe = python_recipe(recipe_path, recipe_text)) apply_recipe(*recipe, s, given);
  const TrainOptions options = build_train_options(s);
  return run_interruptible([&] { return std::make_shared<TrainedModel>(train_model(data, options)); });
}

}  // namespace

void bind_models(py::module_& m) {
  py::class_<TrainedModel, Model>(m, "_Model", "A trained model (the folder seraug train writes); wrapped by seraug.Model.")
      .def_static(
          "load", [](const std::filesystem::path& folder) { return std::make_shared<TrainedModel>(load_trained_model(folder.string())); },
          py::arg("folder"), "Loads and verifies a model folder (checksums, feature set version).")
      .def(
          "save", [](const Model& model, const std::filesystem::path& folder) { save_trained_model(folder.string(), *model); }, py::arg("folder"),
          "Writes the model folder atomically; refuses to replace a folder that is not a seraug model.")
      .def_property_readonly("feature_set", [](const Model& model) { return model->feature_set; })
      .def_property_readonly("feature_names", [](const Model& model) { return model->feature_names; })
      .def_property_readonly("classes", [](const Model& model) { return model->classes; })
      .def_property_readonly("classifier", [](const Model& model) { return model->classifier_name; })
      .def_property_readonly("normalization", [](const Model& model) { return norm_name(model->normalization); })
      .def_property_readonly("hyperparameters", [](const Model& model) { return model->hyperparameters; })
      .def_property_readonly("_training", [](const Model& model) { return model->provenance_json; })
      .def("_predict", &predict, py::arg("features"), py::arg("enrolment"), py::arg("enrolment_prior"));
  m.def("train", &train, py::arg("features"), py::arg("classes"), py::arg("classifier"), py::arg("norm"), py::arg("select_keep"),
        py::arg("balanced"), py::arg("c"), py::arg("gamma"), py::arg("seed"), py::arg("threads"), py::arg("models"),
        py::arg("recipe_path"), py::arg("recipe_text"), py::arg("given"));
}

}  // namespace seraug::python
