#include "seraug/models/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "seraug/common/error.hpp"
#include "seraug/common/plugin.hpp"

namespace seraug {

std::unique_ptr<Classifier> make_linear_svm(const Hyperparameters& hp, const DnnConfig&);
std::unique_ptr<Classifier> make_rbf_svm(const Hyperparameters& hp, const DnnConfig&);
std::unique_ptr<Classifier> make_ovo_linear_svm(const Hyperparameters& hp, const DnnConfig&);
namespace {
PluginFactorySlot<DnnFactory> dnn_factory;
}  // namespace

void register_dnn_factory(DnnFactory factory) { dnn_factory.set(factory); }

std::unique_ptr<Classifier> make_dnn(const Hyperparameters& hp, const DnnConfig& config) {
  return dnn_factory.get("a DNN")(hp, config);
}

namespace {

struct ClassifierEntry {
  const char* name;
  std::unique_ptr<Classifier> (*create)(const Hyperparameters&, const DnnConfig&);
  std::vector<Hyperparameters> (*grid)();
  bool parallel_training;  // false where the solver shares global state (rand())
  bool gram = false;       // takes FitOptions::gram
};

std::vector<Hyperparameters> linear_grid() {
  std::vector<Hyperparameters> g;
  for (double c : {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0}) g.push_back({{"C", c}});
  return g;
}

std::vector<Hyperparameters> rbf_grid() {
  std::vector<Hyperparameters> g;
  for (double c : {0.3, 1.0, 3.0, 10.0, 30.0})
    for (double gamma : {0.25, 0.5, 1.0}) g.push_back({{"C", c}, {"gamma", gamma}});
  return g;
}

const std::vector<ClassifierEntry>& registry() {
  static const std::vector<ClassifierEntry> entries = {
      {"svm", make_linear_svm, linear_grid, false},
      {"svm-rbf", make_rbf_svm, rbf_grid, true, true},
      // LIBSVM's linear kernel, one-vs-one: the same C grid as LIBLINEAR's one-vs-rest "svm".
      {"svm-ovo", make_ovo_linear_svm, linear_grid, true, true},
      // The DNN regularises by early stopping on held-out speakers instead of a grid;
      // each fit draws from its own generator, so fits run side by side.
      {"dnn", make_dnn, [] { return std::vector<Hyperparameters>{{}}; }, true},
  };
  return entries;
}

const ClassifierEntry& entry(const std::string& name) {
  for (const auto& e : registry())
    if (name == e.name) return e;
  std::string known;
  for (const auto& e : registry()) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw Error("unknown classifier '" + name + "' (known: " + known + ")");
}

}  // namespace

std::string describe(const Hyperparameters& hp) {
  std::string out;
  char buf[64];
  for (const auto& [k, v] : hp) {
    std::snprintf(buf, sizeof buf, "%s=%g", k.c_str(), v);
    out += (out.empty() ? "" : " ") + std::string(buf);
  }
  return out;
}

std::vector<std::string> classifier_names() {
  std::vector<std::string> names;
  for (const auto& e : registry()) names.push_back(e.name);
  return names;
}

std::unique_ptr<Classifier> make_classifier(const std::string& name, const Hyperparameters& hp, const DnnConfig& dnn) {
  return entry(name).create(hp, dnn);
}

Matrix Classifier::predict_proba(const Matrix&) const { throw Error("this classifier gives no probabilities (use svm or dnn)"); }
std::vector<std::string> Classifier::save(const std::string&) const { throw Error("this classifier cannot be saved (use svm or dnn)"); }
void Classifier::load(const std::string&) { throw Error("this classifier cannot be loaded (use svm or dnn)"); }

void softmax_rows(Matrix& scores, double temperature) {
  for (std::size_t r = 0; r < scores.rows; ++r) {
    double* row = scores.row(r);
    double top = row[0] / temperature;
    for (std::size_t c = 1; c < scores.cols; ++c) top = std::max(top, row[c] / temperature);
    double sum = 0;
    for (std::size_t c = 0; c < scores.cols; ++c) sum += row[c] = std::exp(row[c] / temperature - top);
    for (std::size_t c = 0; c < scores.cols; ++c) row[c] /= sum;
  }
}

std::vector<Hyperparameters> default_grid(const std::string& name) { return entry(name).grid(); }

bool trains_in_parallel(const std::string& name) { return entry(name).parallel_training; }
bool uses_gram(const std::string& name) { return entry(name).gram; }

std::vector<double> balanced_class_weights(std::span<const int> y, std::size_t classes) {
  std::vector<double> counts(classes, 0.0), weights(classes, 1.0);
  for (int label : y) counts[static_cast<std::size_t>(label)] += 1;
  const double present = static_cast<double>(std::count_if(counts.begin(), counts.end(), [](double c) { return c > 0; }));
  for (std::size_t c = 0; c < classes; ++c)
    if (counts[c] > 0) weights[c] = static_cast<double>(y.size()) / (present * counts[c]);
  return weights;
}

}  // namespace seraug
