// Tables, corpora and feature extraction for Python.
#include <filesystem>

#include "binding.hpp"
#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/features/extractor.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug::python {

FeatureTable table_from_dict(const py::dict& table, const std::string& source) {
  FeatureTable t;
  t.names = table["names"].cast<std::vector<std::string>>();
  t.speakers = table["speakers"].cast<std::vector<std::string>>();
  t.labels = table["labels"].cast<std::vector<std::string>>();
  t.feature_names = table["columns"].cast<std::vector<std::string>>();
  const auto values = table["values"].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
  if (values.ndim() != 2) throw Error(source + ": features must be a 2-D array (rows x columns), got " + std::to_string(values.ndim()) + " dimensions");
  if (static_cast<std::size_t>(values.shape(0)) != t.names.size() || static_cast<std::size_t>(values.shape(1)) != t.feature_names.size())
    throw Error(source + ": features are " + std::to_string(values.shape(0)) + " x " + std::to_string(values.shape(1)) + ", expected " +
                std::to_string(t.names.size()) + " rows x " + std::to_string(t.feature_names.size()) + " columns");
  t.values.assign(values.data(), values.data() + values.size());
  check_feature_table(t, source);
  return t;
}

py::dict table_to_dict(const FeatureTable& table) {
  py::array_t<double> values({table.rows(), table.dims()});
  std::copy(table.values.begin(), table.values.end(), values.mutable_data());
  py::dict extras;
  for (const auto& [column, cells] : table.extras) extras[py::str(column)] = cells;
  py::dict out;
  out["names"] = table.names;
  out["speakers"] = table.speakers;
  out["labels"] = table.labels;
  out["columns"] = table.feature_names;
  out["values"] = values;
  out["extras"] = extras;
  return out;
}

Dataset dataset_from_dict(const py::dict& table, const std::string& classes) {
  const std::string source = "<features>";
  return make_dataset(table_from_dict(table, source), classes, source);
}

namespace {

py::dict corpus_dict(const std::vector<Utterance>& utterances) {
  std::vector<std::string> names, paths, speakers, labels;
  for (const auto& u : utterances) {
    names.push_back(u.name);
    paths.push_back(u.path);
    speakers.push_back(u.speaker);
    labels.push_back(u.label);
  }
  py::dict out;
  out["names"] = names;
  out["paths"] = paths;
  out["speakers"] = speakers;
  out["labels"] = labels;
  return out;
}

// Files, folders and manifests -> one table (rows in input order), plus what was skipped.
py::tuple extract_inputs(const std::vector<std::string>& inputs, const std::string& set_name, int jobs, std::optional<double> sample_rate,
                         bool skip_bad) {
  const FeatureSet& set = feature_set(set_name);
  const std::vector<Utterance> utterances = collect_utterances(inputs);
  if (utterances.empty()) throw Error("extract: no audio files in the inputs");
  BatchOptions batch;
  batch.jobs = jobs;
  batch.skip_bad = skip_bad;
  batch.audio.sample_rate_hz = sample_rate;
  BatchResult result = run_interruptible([&] { return extract_corpus(utterances, set, batch); });
  py::list skipped;
  for (const auto& s : result.skipped) skipped.append(py::make_tuple(s.path, s.message));
  return py::make_tuple(table_to_dict(result.table), skipped);
}

// One signal -> a one-row table named `name`. The samples are copied as float32, the
// type audio files are decoded to, so a file and its decoded samples give equal values.
py::dict extract_signal(const py::array_t<float, py::array::c_style | py::array::forcecast>& signal, double rate,
                        const std::string& set_name, const std::string& name) {
  if (signal.ndim() != 1)
    throw Error(name + ": expected a mono signal (1-D array), got " + std::to_string(signal.ndim()) +
                " dimensions; downmix first, e.g. signal.mean(axis=1) for (samples, channels)");
  const FeatureSet& set = feature_set(set_name);
  std::vector<float> samples(signal.data(), signal.data() + signal.size());
  FeatureTable table;
  table.feature_names = feature_names(set);
  table.values = run_interruptible([&] {
    auto stream = AudioStream::from_samples(std::move(samples), rate, name);
    return FeatureExtractor(set).extract(*stream);
  });
  table.names = {name};
  table.speakers = {""};
  table.labels = {""};
  return table_to_dict(table);
}

}  // namespace

void bind_features(py::module_& m) {
  m.def("feature_sets", &feature_set_names, "Names of the feature sets seraug extracts.");
  m.def("provenance_columns", &provenance_columns, "Provenance columns of synthetic-row tables, in file order.");
  m.def(
      "feature_names", [](const std::string& set) { return feature_names(feature_set(set)); }, py::arg("feature_set"),
      "Column names of a feature set, in order.");
  m.def(
      "feature_set_version", [](const std::string& set) { return feature_set(set).version; }, py::arg("feature_set"));
  m.def(
      "read_corpus", [](const std::vector<std::string>& inputs) { return corpus_dict(collect_utterances(inputs)); },
      py::arg("inputs"), "Folders, manifests and files -> names, paths, speakers, labels.");
  m.def("extract", &extract_inputs, py::arg("inputs"), py::arg("feature_set"), py::arg("jobs"), py::arg("sample_rate"),
        py::arg("skip_bad"));
  m.def("extract_signal", &extract_signal, py::arg("signal"), py::arg("sampling_rate"), py::arg("feature_set"), py::arg("name"));
  m.def(
      "read_features", [](const std::string& path) { return table_to_dict(read_feature_table(path)); }, py::arg("path"),
      "A feature file of any layout seraug reads (its own, openSMILE CSV, name+features; '#' lines of old files skipped).");
  m.def(
      "write_features",
      [](const std::string& path, const py::dict& table, const std::vector<std::string>& provenance) {
        write_feature_table(path, table_from_dict(table, path), provenance);
      },
      py::arg("path"), py::arg("table"), py::arg("provenance"));
}

}  // namespace seraug::python
