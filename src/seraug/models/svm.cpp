// LIBLINEAR and LIBSVM behind the Classifier interface.
#include <libsvm/svm.h>
#include <linear.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
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

// Temperature T minimising the cross-entropy of softmax(scores / T) against y
// (golden-section search on log T; the NLL is unimodal in T for fixed scores).
double fit_temperature(const Matrix& scores, std::span<const int> y) {
  auto nll = [&](double log_t) {
    Matrix p = scores;
    softmax_rows(p, std::exp(log_t));
    double loss = 0;
    for (std::size_t r = 0; r < p.rows; ++r) loss -= std::log(std::max(p.at(r, static_cast<std::size_t>(y[r])), 1e-300));
    return loss;
  };
  double lo = -8, hi = 6;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 80; ++i) {
    const double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return std::exp((lo + hi) / 2);
}

// Out-of-fold assignment for calibration: by speaker when there are enough, else by row.
std::vector<int> calibration_folds(const FitOptions& options, std::size_t rows, int k) {
  std::vector<int> fold(rows);
  std::map<std::string, int> speaker_fold;
  for (const auto& s : options.speakers) speaker_fold.emplace(s, 0);
  const bool by_speaker = options.speakers.size() == rows && static_cast<int>(speaker_fold.size()) >= k;
  int next = 0;
  for (auto& [speaker, f] : speaker_fold) f = next++ % k;
  for (std::size_t r = 0; r < rows; ++r) fold[r] = by_speaker ? speaker_fold[options.speakers[r]] : static_cast<int>(r % static_cast<std::size_t>(k));
  return fold;
}

// Out-of-fold decision scores: `scores_of(train_rows, test_rows)` trains a fresh model on
// the first and scores the second (rows x classes).
template <typename ScoresOf>
Matrix out_of_fold_scores(const Matrix& x, std::size_t classes, const FitOptions& options, ScoresOf scores_of) {
  constexpr int kFolds = 3;
  const std::vector<int> fold = calibration_folds(options, x.rows, kFolds);
  Matrix out_of_fold(x.rows, classes);
  for (int f = 0; f < kFolds; ++f) {
    check_interrupt();
    std::vector<std::size_t> train_rows, test_rows;
    for (std::size_t r = 0; r < x.rows; ++r) (fold[r] == f ? test_rows : train_rows).push_back(r);
    if (train_rows.empty() || test_rows.empty()) continue;
    const Matrix s = scores_of(train_rows, test_rows);
    for (std::size_t i = 0; i < test_rows.size(); ++i) std::copy(s.row(i), s.row(i) + classes, out_of_fold.row(test_rows[i]));
  }
  // Classes missing from a calibration fold leave -inf scores; they cannot teach T.
  for (auto& v : out_of_fold.data)
    if (!std::isfinite(v)) v = -1e3;
  return out_of_fold;
}

class LinearSvm final : public Classifier {
 public:
  explicit LinearSvm(const Hyperparameters& hp) : c_(required(hp, "C", "svm")) { set_print_string_function(silent); }
  ~LinearSvm() override { if (model_) free_and_destroy_model(&model_); }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    check_training_input(x, y, classes);
    if (options.calibrate) temperature_ = calibrate(x, y, classes, options);
    train_model(x, y, classes, options);
  }

  std::vector<int> predict(const Matrix& x) const override {
    check_input(x);
    SparseRows<feature_node> rows(x, kBias);
    std::vector<int> out(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) out[r] = static_cast<int>(::predict(model_, rows.rows[r]));
    return out;
  }

  Matrix predict_proba(const Matrix& x) const override {
    if (!(temperature_ > 0)) throw Error("svm: this model was trained without probability calibration");
    Matrix p = decision_scores(x);
    softmax_rows(p, temperature_);
    return p;
  }

  std::vector<std::string> save(const std::string& folder) const override {
    check_input(Matrix(0, dims_));
    const std::string weights = folder + "/liblinear.model";
    if (save_model(weights.c_str(), model_) != 0) throw file_error(weights, "cannot write the LIBLINEAR model");
    std::ofstream meta(folder + "/svm.txt");
    char t[64];
    std::snprintf(t, sizeof t, "%.17g", temperature_);
    meta << "classes " << classes_ << "\ndims " << dims_ << "\ntemperature " << t << "\n";
    if (!meta.flush()) throw file_error(folder + "/svm.txt", "cannot write");
    return {"liblinear.model", "svm.txt"};
  }

  void load(const std::string& folder) override {
    const std::string meta_path = folder + "/svm.txt", weights = folder + "/liblinear.model";
    std::ifstream meta(meta_path);
    std::string k1, k2, k3;
    if (!(meta >> k1 >> classes_ >> k2 >> dims_ >> k3 >> temperature_) || k1 != "classes" || k2 != "dims" || k3 != "temperature")
      throw file_error(meta_path, "damaged or missing SVM description");
    if (model_) free_and_destroy_model(&model_);
    model_ = load_model(weights.c_str());
    if (!model_) throw file_error(weights, "damaged or missing LIBLINEAR model");
    if (static_cast<std::size_t>(get_nr_feature(model_)) != dims_) throw file_error(weights, "feature count does not match svm.txt");
  }

 private:
  static constexpr double kBias = 1.0;

  void check_input(const Matrix& x) const {
    if (!model_) throw Error("svm: model is not trained");
    if (x.cols != dims_) throw Error("svm: model has " + std::to_string(dims_) + " features, input has " + std::to_string(x.cols));
  }

  void train_model(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) {
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
    classes_ = classes;
  }

  // One-vs-rest decision values per class (classes absent from training get -inf).
  Matrix decision_scores(const Matrix& x) const {
    check_input(x);
    SparseRows<feature_node> rows(x, kBias);
    Matrix scores(x.rows, classes_);
    std::fill(scores.data.begin(), scores.data.end(), -std::numeric_limits<double>::infinity());
    const int k = get_nr_class(model_);
    std::vector<double> dec(static_cast<std::size_t>(k));
    for (std::size_t r = 0; r < x.rows; ++r) {
      predict_values(model_, rows.rows[r], dec.data());
      if (k == 2) {  // LIBLINEAR keeps one value, for label[0]
        scores.at(r, static_cast<std::size_t>(model_->label[0])) = dec[0];
        scores.at(r, static_cast<std::size_t>(model_->label[1])) = -dec[0];
      } else {
        for (int i = 0; i < k; ++i) scores.at(r, static_cast<std::size_t>(model_->label[i])) = dec[static_cast<std::size_t>(i)];
      }
    }
    return scores;
  }

  double calibrate(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) {
    const std::vector<int> labels(y.begin(), y.end());
    const Matrix scores = out_of_fold_scores(x, classes, options, [&](const auto& train_rows, const auto& test_rows) {
      train_model(select_rows(x, train_rows), select(labels, train_rows), classes, options);
      return decision_scores(select_rows(x, test_rows));
    });
    return fit_temperature(scores, y);
  }

  double c_;
  double temperature_ = 0;  // 0: not calibrated
  model* model_ = nullptr;
  std::size_t dims_ = 0, classes_ = 0;
};

// LIBSVM's C-SVC, which is one-vs-one for several classes (k (k - 1) / 2 binary SVMs and
// a vote): with the RBF kernel ("svm-rbf") or the linear one ("svm-ovo", the linear SVM
// of scikit-learn's SVC(kernel="linear")).
// Probabilities (for late fusion and predict): each class's mean signed margin over its
// k - 1 pairwise SVMs, through a softmax whose temperature is fitted on out-of-fold
// scores, as for "svm". LIBSVM's own Platt scaling is not used: it draws its folds from
// the global rand(), which would serialise training and tie results to thread order.
class LibsvmSvm final : public Classifier {
 public:
  enum class Kernel { Rbf, Linear };

  // gamma is given relative to 1/d (LIBSVM's default), so one grid fits any feature set.
  LibsvmSvm(Kernel kernel, const Hyperparameters& hp)
      : kernel_(kernel),
        name_(kernel == Kernel::Rbf ? "svm-rbf" : "svm-ovo"),
        c_(required(hp, "C", name_)),
        gamma_(kernel == Kernel::Rbf ? required(hp, "gamma", name_) : 0.0),
        hp_(hp) {
    svm_set_print_string_function(silent);
  }
  ~LibsvmSvm() override { if (model_) svm_free_and_destroy_model(&model_); }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    check_training_input(x, y, classes);
    temperature_ = 0;
    if (options.calibrate) temperature_ = calibrate(x, y, classes, options);
    if (model_) svm_free_and_destroy_model(&model_);
    rows_ = std::make_unique<SparseRows<svm_node>>(x, -1.0);  // LIBSVM keeps pointers into the SVs
    targets_.assign(y.begin(), y.end());
    svm_problem prob{static_cast<int>(x.rows), targets_.data(), rows_->rows.data()};
    weight_labels_.clear();
    weights_ = options.class_weights;
    for (std::size_t c = 0; c < weights_.size(); ++c) weight_labels_.push_back(static_cast<int>(c));
    svm_parameter param{};
    param.svm_type = C_SVC;
    param.kernel_type = kernel_ == Kernel::Rbf ? RBF : LINEAR;
    param.gamma = kernel_ == Kernel::Rbf ? gamma_ / static_cast<double>(x.cols) : 0.0;
    param.cache_size = 100;
    param.eps = 1e-3;
    param.C = c_;
    param.nr_weight = static_cast<int>(weights_.size());
    param.weight_label = weight_labels_.empty() ? nullptr : weight_labels_.data();
    param.weight = weights_.empty() ? nullptr : weights_.data();
    param.shrinking = 1;
    if (const char* bad = svm_check_parameter(&prob, &param)) throw Error(name_ + ": " + bad);
    // C-SVC training without probability estimates draws no random numbers, so it needs
    // neither the seed nor the lock and runs in parallel.
    model_ = svm_train(&prob, &param);
    dims_ = x.cols;
    classes_ = classes;
  }

  std::vector<int> predict(const Matrix& x) const override {
    check_input(x);
    SparseRows<svm_node> rows(x, -1.0);
    std::vector<int> out(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) out[r] = static_cast<int>(svm_predict(model_, rows.rows[r]));
    return out;
  }

  Matrix predict_proba(const Matrix& x) const override {
    if (!(temperature_ > 0)) throw Error(name_ + ": this model was trained without probability calibration");
    Matrix p = decision_scores(x);
    softmax_rows(p, temperature_);
    return p;
  }

  std::vector<std::string> save(const std::string& folder) const override {
    check_input(Matrix(0, dims_));
    const std::string weights = folder + "/libsvm.model";
    if (svm_save_model(weights.c_str(), model_) != 0) throw file_error(weights, "cannot write the LIBSVM model");
    std::ofstream meta(folder + "/svm.txt");
    char t[64];
    std::snprintf(t, sizeof t, "%.17g", temperature_);
    meta << "classes " << classes_ << "\ndims " << dims_ << "\ntemperature " << t << "\n";
    if (!meta.flush()) throw file_error(folder + "/svm.txt", "cannot write");
    return {"libsvm.model", "svm.txt"};
  }

  void load(const std::string& folder) override {
    const std::string meta_path = folder + "/svm.txt", weights = folder + "/libsvm.model";
    std::ifstream meta(meta_path);
    std::string k1, k2, k3;
    if (!(meta >> k1 >> classes_ >> k2 >> dims_ >> k3 >> temperature_) || k1 != "classes" || k2 != "dims" || k3 != "temperature")
      throw file_error(meta_path, "damaged or missing SVM description");
    if (model_) svm_free_and_destroy_model(&model_);
    rows_.reset();
    model_ = svm_load_model(weights.c_str());
    if (!model_) throw file_error(weights, "damaged or missing LIBSVM model");
    if (svm_get_nr_class(model_) < 1 || static_cast<std::size_t>(svm_get_nr_class(model_)) > classes_)
      throw file_error(weights, "class count does not match svm.txt");
  }

 private:
  void check_input(const Matrix& x) const {
    if (!model_) throw Error(name_ + ": model is not trained");
    if (x.cols != dims_) throw Error(name_ + ": model has " + std::to_string(dims_) + " features, input has " + std::to_string(x.cols));
  }

  // Each class's mean signed margin over the pairwise SVMs it takes part in (classes
  // absent from training get -inf).
  Matrix decision_scores(const Matrix& x) const {
    check_input(x);
    SparseRows<svm_node> rows(x, -1.0);
    const int k = svm_get_nr_class(model_);
    std::vector<int> labels(static_cast<std::size_t>(k));
    svm_get_labels(model_, labels.data());
    std::vector<double> pair_values(static_cast<std::size_t>(k * (k - 1) / 2));
    Matrix scores(x.rows, classes_);
    std::fill(scores.data.begin(), scores.data.end(), -std::numeric_limits<double>::infinity());
    for (std::size_t r = 0; r < x.rows; ++r) {
      svm_predict_values(model_, rows.rows[r], pair_values.data());
      for (int i = 0; i < k; ++i) scores.at(r, static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])) = 0;
      std::size_t p = 0;  // LIBSVM's order: (0,1), (0,2), ..., (1,2), ...; positive favours i
      for (int i = 0; i < k; ++i)
        for (int j = i + 1; j < k; ++j, ++p) {
          scores.at(r, static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])) += pair_values[p] / (k - 1);
          scores.at(r, static_cast<std::size_t>(labels[static_cast<std::size_t>(j)])) -= pair_values[p] / (k - 1);
        }
    }
    return scores;
  }

  double calibrate(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) {
    const std::vector<int> labels(y.begin(), y.end());
    FitOptions inner = options;
    inner.calibrate = false;
    const Matrix scores = out_of_fold_scores(x, classes, options, [&](const auto& train_rows, const auto& test_rows) {
      LibsvmSvm part(kernel_, hp_);
      const auto part_y = select(labels, train_rows);
      inner.speakers = options.speakers.size() == x.rows ? select(options.speakers, train_rows) : std::vector<std::string>{};
      part.fit(select_rows(x, train_rows), part_y, classes, inner);
      return part.decision_scores(select_rows(x, test_rows));
    });
    return fit_temperature(scores, y);
  }

  Kernel kernel_;
  std::string name_;
  double c_, gamma_;
  Hyperparameters hp_;
  double temperature_ = 0;  // 0: not calibrated
  svm_model* model_ = nullptr;
  std::unique_ptr<SparseRows<svm_node>> rows_;
  std::vector<double> targets_, weights_;
  std::vector<int> weight_labels_;
  std::size_t dims_ = 0, classes_ = 0;
};

}  // namespace

std::unique_ptr<Classifier> make_linear_svm(const Hyperparameters& hp, const DnnConfig&) { return std::make_unique<LinearSvm>(hp); }
std::unique_ptr<Classifier> make_rbf_svm(const Hyperparameters& hp, const DnnConfig&) {
  return std::make_unique<LibsvmSvm>(LibsvmSvm::Kernel::Rbf, hp);
}
std::unique_ptr<Classifier> make_ovo_linear_svm(const Hyperparameters& hp, const DnnConfig&) {
  return std::make_unique<LibsvmSvm>(LibsvmSvm::Kernel::Linear, hp);
}

}  // namespace seraug

namespace seraug {
std::map<std::string, std::string> solver_library_versions() {
  return {{"liblinear", std::to_string(LIBLINEAR_VERSION)}, {"libsvm", std::to_string(LIBSVM_VERSION)}};
}
}  // namespace seraug
