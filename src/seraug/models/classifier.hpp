// Classifiers behind one small interface, created by name. Inputs are normalised
// feature rows (Matrix, n x d) and class indices 0..classes-1.
//
//   svm      linear SVM, LIBLINEAR (L2-regularised L2-loss, dual CD, one-vs-rest); C.
//            Probabilities: softmax of the decision values with a temperature fitted on
//            out-of-fold decision values (only when FitOptions::calibrate).
//   svm-rbf  RBF-kernel SVM, LIBSVM (C-SVC, one-vs-one); C, gamma (relative to 1/d).
//            Labels only.
//   dnn      feed-forward network in LibTorch (see dnn_config.hpp); early stopping on
//            held-out training speakers; softmax probabilities.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "seraug/common/matrix.hpp"
#include "seraug/models/dnn_config.hpp"

namespace seraug {

using Hyperparameters = std::map<std::string, double>;
std::string describe(const Hyperparameters& hp);  // "C=0.01 gamma=1"

struct FitOptions {
  std::vector<double> class_weights;  // per class; empty = all 1
  std::vector<std::string> speakers;  // per training row, for speaker-grouped internal splits
  std::uint64_t seed = 1;             // for solvers with random order, splits, initialisation
  bool calibrate = false;             // fit what predict_proba needs (costs extra training)
  // Per training row, its weight in the loss (empty = all 1). Only the dnn takes row
  // weights; the SVMs (LIBLINEAR, LIBSVM) refuse them.
  std::vector<double> row_weights;
  // The training rows' Gram matrix x·xᵀ (rows x rows, from linear_gram(x) of exactly the
  // rows and columns given to fit), or null. The kernel SVMs (svm-rbf, svm-ovo) use it
  // instead of computing it, so a search over C and gamma on one training part computes
  // it once; the values are the same either way. Not owned; others ignore it.
  const Matrix* gram = nullptr;
};

class Classifier {
 public:
  virtual ~Classifier() = default;
  // Throws seraug::Error on unusable input (no rows, a class index out of range).
  virtual void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) = 0;
  virtual std::vector<int> predict(const Matrix& x) const = 0;
  // rows x classes, each row summing to 1. Throws where the model gives no probabilities.
  virtual Matrix predict_proba(const Matrix& x) const;
  // Writes the fitted model into `folder` (which exists); returns the file names written.
  virtual std::vector<std::string> save(const std::string& folder) const;
  // Reads what save() wrote; throws seraug::Error naming the damaged file.
  virtual void load(const std::string& folder);
};

std::vector<std::string> classifier_names();
// Throws seraug::Error for an unknown name or a missing/invalid hyperparameter.
std::unique_ptr<Classifier> make_classifier(const std::string& name, const Hyperparameters& hp, const DnnConfig& dnn = {});
// The grid searched by inner cross-validation when hyperparameters are not fixed
// (a single entry means there is nothing to search).
std::vector<Hyperparameters> default_grid(const std::string& name);

// The DNN is built by the LibTorch plug-in, which registers its factory here when it is
// loaded (common/plugin.hpp); make_classifier("dnn") loads it on first use.
using DnnFactory = std::unique_ptr<Classifier> (*)(const Hyperparameters&, const DnnConfig&);
void register_dnn_factory(DnnFactory factory);
// Whether several models of this kind can train at once on different threads without
// changing results (LIBLINEAR cannot: its solver draws from the global rand()).
bool trains_in_parallel(const std::string& name);
// Whether the classifier takes FitOptions::gram (the LIBSVM kernels).
bool uses_gram(const std::string& name);
// x·xᵀ (rows x rows), exactly as the kernel SVMs compute it themselves.
Matrix linear_gram(const Matrix& x);

// Versions of the solver libraries linked in (for reports).
std::map<std::string, std::string> solver_library_versions();

// Balanced weights n / (k * n_c) for the classes present in y.
std::vector<double> balanced_class_weights(std::span<const int> y, std::size_t classes);

// Softmax of each row of `scores` divided by `temperature`, in place.
void softmax_rows(Matrix& scores, double temperature = 1.0);

}  // namespace seraug
