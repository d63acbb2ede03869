// Shared pieces of the Python binding (module seraug._core). The binding converts
// between Python objects and the library's types and calls the library; it holds no
// logic of its own.
//
// Tables cross the boundary as a dict of plain objects (no pandas in C++):
//   "names", "speakers", "labels": list[str] (rows each),
//   "columns": list[str] (dims), "values": float64 ndarray (rows x dims, C order),
//   "extras": dict[str, list[str]] (provenance columns of synthetic rows).
// The Python layer (python/seraug/__init__.py) turns them into DataFrames.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "seraug/common/interrupt.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/options/recipe.hpp"

namespace seraug::python {

// A seraug.Recipe: read from its file (its [dnn]/[gan] too) or from its [recipe] text;
// nullopt for neither.
inline std::optional<Recipe> python_recipe(const std::string& path, const std::string& text) {
  if (!path.empty()) return load_recipe(path);
  if (!text.empty()) return parse_recipe(text, "<recipe>");
  return std::nullopt;
}

// The models' settings of a call: its config file, and its dnn= and gan= keywords as
// (declared name, value as TOML text) pairs, checked as a file's [dnn]/[gan] keys are.
using SettingTexts = std::vector<std::pair<std::string, std::string>>;
struct ModelArgs {
  std::string config;
  SettingTexts dnn, gan;
};
inline ModelSettings model_settings(const ModelArgs& a) {
  ModelSettings s;
  s.config_path = a.config;
  s.dnn = a.dnn;
  s.gan = a.gan;
  s.setting_syntax = ValueSyntax::Toml;  // (seraug._models writes each value as TOML)
  return s;
}

namespace py = pybind11;

// A table dict -> FeatureTable, checked (check_feature_table); `source` names it in errors.
FeatureTable table_from_dict(const py::dict& table, const std::string& source);
// FeatureTable -> table dict (values copied into a new ndarray).
py::dict table_to_dict(const FeatureTable& table);
// A table dict + class selection ("anger,fear" or "all") -> Dataset (make_dataset).
Dataset dataset_from_dict(const py::dict& table, const std::string& classes);

// Runs `work` on a worker thread with the GIL released and waits for it, checking for
// Python signals every 50 ms. On Ctrl-C it asks the library to stop (request_interrupt:
// long loops check it between files, folds and epochs), waits for the worker to unwind
// and raises KeyboardInterrupt; finished work the library keeps (files written
// atomically) stays. `work` must not touch Python objects.
template <class Work>
auto run_interruptible(Work&& work) -> decltype(work()) {
  using Result = decltype(work());
  std::optional<Result> result;
  std::exception_ptr error;
  bool done = false, python_interrupt = false;
  std::mutex mutex;
  std::condition_variable finished;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(mutex);
      done = true;
      finished.notify_one();
    });
    std::unique_lock lock(mutex);
    while (!done) {
      finished.wait_for(lock, std::chrono::milliseconds(50));
      if (done || python_interrupt) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        // Runs Python's signal handlers; -1 = one raised (KeyboardInterrupt is now set).
        if (PyErr_CheckSignals() != 0) python_interrupt = true;
      }
      if (python_interrupt) request_interrupt();
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (python_interrupt) {
    clear_interrupt();
    throw py::error_already_set();  // the KeyboardInterrupt PyErr_CheckSignals set
  }
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

void bind_features(py::module_& m);
void bind_models(py::module_& m);
void bind_evaluation(py::module_& m);
void bind_analysis(py::module_& m);

}  // namespace seraug::python
