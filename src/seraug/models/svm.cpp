// LIBLINEAR and LIBSVM behind the Classifier interface.
#include <libsvm/svm.h>
#include <linear.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "seraug/common/error.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {
namespace {

void silent(const char*) {}

// LIBLINEAR's dual solver draws its coordinate order from the C library's rand();
// seeding it and training under one lock keeps results reproducible with threads.
std::mutex& solver_mutex() {
  static std::mutex m;
  return m;
}

double required(const Hyperparameters& hp, const std::string& key, const std::string& model) {
  const auto it = hp.find(key);
  if (it == hp.end()) throw Error(model + ": hyperparameter '" + key + "' is required");
  if (!(it->second > 0) || !std::isfinite(it->second)) throw Error(model + ": " + key + " must be a positive number");
  return it->second;
}

void check_training_input(const Matrix& x, std::span<const int> y, std::size_t classes) {
  if (x.rows == 0 || x.rows != y.size()) throw Error("classifier: training needs rows with one label each");
  for (int label : y)
    if (label < 0 || static_cast<std::size_t>(label) >= classes) throw Error("classifier: class index out of range");
}

// Dense rows as LIBLINEAR/LIBSVM sparse node lists (1-based indices, -1 terminator),
// optionally with a constant bias feature.
template <typename Node>
struct SparseRows {
  std::vector<Node> nodes;
  std::vector<Node*> rows;

  SparseRows(const Matrix& x, double bias) {
    const std::size_t per_row = x.cols + (bias >= 0 ? 2 : 1);
    nodes.resize(x.rows * per_row);
    rows.resize(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) {
      Node* n = &nodes[r * per_row];
      rows[r] = n;
      for (std::size_t c = 0; c < x.cols; ++c) *n++ = Node{static_cast<int>(c + 1), x.at(r, c)};
      if (bias >= 0) *n++ = Node{static_cast<int>(x.cols + 1), bias};
      *n = Node{-1, 0.0};
    }
  }
};

class LinearSvm final : public Classifier {
 public:
  explicit LinearSvm(const Hyperparameters& hp) : c_(required(hp, "C", "svm")) { set_print_string_function(silent); }
  ~LinearSvm() override { if (model_) free_and_destroy_model(&model_); }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    check_training_input(x, y, classes);
    if (model_) free_and_destroy_model(&model_);
    SparseRows<feature_node> rows(x, kBias);
    std::vector<double> targets(y.begin(), y.end());
    problem prob{static_cast<int>(x.rows), static_cast<int>(x.cols + 1), targets.data(), rows.rows.data(), kBias};
    std::vector<int> weight_labels;
    std::vector<double> weights = options.class_weights;
    for (std::size_t c = 0; c < weights.size(); ++c) weight_labels.push_back(static_cast<int>(c));
    parameter param{};
    param.solver_type = L2R_L2LOSS_SVC_DUAL;
    param.eps = 0.1;  // LIBLINEAR's default for this solver
    param.C = c_;
    param.nr_weight = static_cast<int>(weights.size());
    param.weight_label = weight_labels.empty() ? nullptr : weight_labels.data();
    param.weight = weights.empty() ? nullptr : weights.data();
    param.p = 0.1;
    if (const char* bad = check_parameter(&prob, &param)) throw Error(std::string("svm: ") + bad);
    std::lock_guard lock(solver_mutex());
    std::srand(static_cast<unsigned>(options.seed));
    model_ = train(&prob, &param);
    dims_ = x.cols;
  }

  std::vector<int> predict(const Matrix& x) const override {
    if (!model_) throw Error("svm: predict before fit");
    if (x.cols != dims_) throw Error("svm: model has " + std::to_string(dims_) + " features, input has " + std::to_string(x.cols));
    SparseRows<feature_node> rows(x, kBias);
    std::vector<int> out(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) out[r] = static_cast<int>(::predict(model_, rows.rows[r]));
    return out;
  }

 private:
  static constexpr double kBias = 1.0;
  double c_;
  model* model_ = nullptr;
  std::size_t dims_ = 0;
};

class RbfSvm final : public Classifier {
 public:
  // gamma is given relative to 1/d (LIBSVM's default), so one grid fits any feature set.
  explicit RbfSvm(const Hyperparameters& hp) : c_(required(hp, "C", "svm-rbf")), gamma_(required(hp, "gamma", "svm-rbf")) {
    svm_set_print_string_function(silent);
  }
  ~RbfSvm() override { if (model_) svm_free_and_destroy_model(&model_); }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    check_training_input(x, y, classes);
    if (model_) svm_free_and_destroy_model(&model_);
    rows_ = std::make_unique<SparseRows<svm_node>>(x, -1.0);  // LIBSVM keeps pointers into the SVs
    targets_.assign(y.begin(), y.end());
    svm_problem prob{static_cast<int>(x.rows), targets_.data(), rows_->rows.data()};
    weight_labels_.clear();
    weights_ = options.class_weights;
    for (std::size_t c = 0; c < weights_.size(); ++c) weight_labels_.push_back(static_cast<int>(c));
    svm_parameter param{};
    param.svm_type = C_SVC;
    param.kernel_type = RBF;
    param.gamma = gamma_ / static_cast<double>(x.cols);
    param.cache_size = 100;
    param.eps = 1e-3;
    param.C = c_;
    param.nr_weight = static_cast<int>(weights_.size());
    param.weight_label = weight_labels_.empty() ? nullptr : weight_labels_.data();
    param.weight = weights_.empty() ? nullptr : weights_.data();
    param.shrinking = 1;
    if (const char* bad = svm_check_parameter(&prob, &param)) throw Error(std::string("svm-rbf: ") + bad);
    // C-SVC training without probability estimates draws no random numbers, so it needs
    // neither the seed nor the lock and runs in parallel.
    (void)options.seed;
    model_ = svm_train(&prob, &param);
    dims_ = x.cols;
  }

  std::vector<int> predict(const Matrix& x) const override {
    if (!model_) throw Error("svm-rbf: predict before fit");
    if (x.cols != dims_) throw Error("svm-rbf: model has " + std::to_string(dims_) + " features, input has " + std::to_string(x.cols));
    SparseRows<svm_node> rows(x, -1.0);
    std::vector<int> out(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) out[r] = static_cast<int>(svm_predict(model_, rows.rows[r]));
    return out;
  }

 private:
  double c_, gamma_;
  svm_model* model_ = nullptr;
  std::unique_ptr<SparseRows<svm_node>> rows_;
  std::vector<double> targets_, weights_;
  std::vector<int> weight_labels_;
  std::size_t dims_ = 0;
};

}  // namespace

std::unique_ptr<Classifier> make_linear_svm(const Hyperparameters& hp) { return std::make_unique<LinearSvm>(hp); }
std::unique_ptr<Classifier> make_rbf_svm(const Hyperparameters& hp) { return std::make_unique<RbfSvm>(hp); }

}  // namespace seraug

namespace seraug {
std::map<std::string, std::string> solver_library_versions() {
  return {{"liblinear", std::to_string(LIBLINEAR_VERSION)}, {"libsvm", std::to_string(LIBSVM_VERSION)}};
}
}  // namespace seraug
