// LIBLINEAR's linear SVM behind the Classifier interface (LIBSVM's in libsvm_svm.cpp).
#include <libsvm/svm.h>  // LIBSVM_VERSION only
#include <linear.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <cstdlib>
#include <mutex>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/models/svm_support.hpp"
#include "seraug/stats/hash.hpp"

namespace seraug {
namespace {

using namespace svm_detail;

class LinearSvm final : public Classifier {
 public:
  explicit LinearSvm(const Hyperparameters& hp) : c_(required(hp, "C", "svm")) { set_print_string_function(silent); }
  ~LinearSvm() override { if (model_) free_and_destroy_model(&model_); }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    check_training_input(x, y, classes);
    if (!options.row_weights.empty()) throw Error("svm: LIBLINEAR and LIBSVM take no per-row weights (gan.synthetic_weight needs the dnn)");
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
    meta << "classes " << classes_ << "\ndims " << dims_ << "\ntemperature " << exact_text(temperature_) << "\n";
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

}  // namespace

std::unique_ptr<Classifier> make_linear_svm(const Hyperparameters& hp, const DnnConfig&) { return std::make_unique<LinearSvm>(hp); }

}  // namespace seraug

namespace seraug {
std::map<std::string, std::string> solver_library_versions() {
  return {{"liblinear", std::to_string(LIBLINEAR_VERSION)}, {"libsvm", std::to_string(LIBSVM_VERSION)}};
}
}  // namespace seraug
