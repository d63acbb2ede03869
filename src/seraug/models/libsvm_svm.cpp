// LIBSVM's C-SVC behind the Classifier interface: one-vs-one (k (k - 1) / 2 binary SVMs
// and a vote) with the RBF kernel ("svm-rbf") or the linear one ("svm-ovo", the linear
// SVM of scikit-learn's SVC(kernel="linear")).
//
// Speed: LIBSVM evaluates kernels on sparse node lists, one pair of rows at a time; on
// thousands of dense columns that dominates training. Here the Gram matrix of the
// training rows is computed once per fit with Eigen (one matrix product), or taken from
// the caller (FitOptions::gram: the inner search computes it once for its whole C/gamma
// grid), and handed to LIBSVM as a precomputed kernel, so the solver only looks values up.
//
// After training, the decision functions are kept in explicit form (PairwiseModel):
// per pair of classes, coefficients over the support rows and the offset rho; for the
// linear kernel folded into one weight vector per pair. Predictions, probabilities and
// the saved model all use this form, so a loaded model predicts exactly what the
// trained one did (LIBSVM's own model files round support values to 8 digits).
#include <libsvm/svm.h>

#include <Eigen/Dense>
#include <charconv>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>

#include "seraug/common/eigen_view.hpp"
#include "seraug/common/error.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/models/svm_support.hpp"

namespace seraug {
namespace {

using namespace svm_detail;
using RowMatrix = EigenRowMatrix;


enum class Kernel { Rbf, Linear };

// Turns the products k = a·bᵀ into the kernel's values in place; gamma is absolute.
void apply_kernel(RowMatrix& k, const Eigen::Ref<const RowMatrix>& a, const Eigen::Ref<const RowMatrix>& b, Kernel kernel, double gamma) {
  if (kernel == Kernel::Linear) return;
  const Eigen::VectorXd na = a.rowwise().squaredNorm(), nb = b.rowwise().squaredNorm();
  for (Eigen::Index i = 0; i < k.rows(); ++i)
    for (Eigen::Index j = 0; j < k.cols(); ++j) k(i, j) = std::exp(-gamma * std::max(0.0, na(i) + nb(j) - 2 * k(i, j)));
}

// K(a_i, b_j) for every row pair (a.rows x b.rows); gamma is absolute.
RowMatrix kernel_matrix(const Eigen::Ref<const RowMatrix>& a, const Eigen::Ref<const RowMatrix>& b, Kernel kernel, double gamma) {
  RowMatrix k = a * b.transpose();
  apply_kernel(k, a, b, kernel, gamma);
  return k;
}

// The training kernel: from the caller's Gram matrix where given (the same product,
// computed once for a whole C/gamma grid), else computed here.
RowMatrix training_kernel(const Matrix& x, const Matrix* gram, Kernel kernel, double gamma) {
  if (!gram) return kernel_matrix(eigen_view(x), eigen_view(x), kernel, gamma);
  if (gram->rows != x.rows || gram->cols != x.rows) throw Error("svm: the Gram matrix given does not match the training rows");
  RowMatrix k = eigen_view(*gram);
  apply_kernel(k, eigen_view(x), eigen_view(x), kernel, gamma);
  return k;
}

// The one-vs-one decision functions of a trained C-SVC, in LIBSVM's pair order
// (0,1), (0,2), ..., (1,2), ...: decision_p(x) = sum_s coef(p, s) K(x, support_s) - rho_p,
// positive favouring the pair's first class. For the linear kernel `weights` (pairs x d)
// replaces coef and support.
struct PairwiseModel {
  Kernel kernel = Kernel::Linear;
  double gamma = 0;          // absolute
  std::vector<int> labels;   // class index of each of the model's classes, LIBSVM's order
  std::vector<double> rho;   // per pair
  RowMatrix coef, support;   // rbf: pairs x l, l x d
  RowMatrix weights;         // linear: pairs x d

  std::size_t dims() const { return static_cast<std::size_t>(kernel == Kernel::Linear ? weights.cols() : support.cols()); }

  // rows x pairs
  RowMatrix decision_values(const Matrix& x) const {
    RowMatrix d = kernel == Kernel::Linear ? RowMatrix(eigen_view(x) * weights.transpose())
                                           : RowMatrix(kernel_matrix(eigen_view(x), support, kernel, gamma) * coef.transpose());
    for (Eigen::Index p = 0; p < d.cols(); ++p) d.col(p).array() -= rho[static_cast<std::size_t>(p)];
    return d;
  }
};

// Reads LIBSVM's trained model (support rows given by index into `x`) into explicit form.
PairwiseModel explicit_form(const svm_model& m, const Matrix& x, Kernel kernel, double gamma) {
  PairwiseModel out;
  out.kernel = kernel;
  out.gamma = gamma;
  const int k = m.nr_class;
  out.labels.assign(m.label, m.label + k);
  const std::size_t pairs = static_cast<std::size_t>(k * (k - 1) / 2);
  out.rho.assign(m.rho, m.rho + pairs);
  std::vector<int> start(static_cast<std::size_t>(k), 0);  // first support row of each class
  for (int i = 1; i < k; ++i) start[static_cast<std::size_t>(i)] = start[static_cast<std::size_t>(i - 1)] + m.nSV[i - 1];
  out.coef = RowMatrix::Zero(static_cast<Eigen::Index>(pairs), m.l);
  out.support.resize(m.l, static_cast<Eigen::Index>(x.cols));
  for (int s = 0; s < m.l; ++s) out.support.row(s) = eigen_view(x).row(m.sv_indices[s] - 1);
  std::size_t p = 0;
  for (int i = 0; i < k; ++i)
    for (int j = i + 1; j < k; ++j, ++p) {
      // LIBSVM's layout: class i's support rows carry sv_coef[j-1], class j's sv_coef[i].
      for (int s = start[static_cast<std::size_t>(i)]; s < start[static_cast<std::size_t>(i)] + m.nSV[i]; ++s)
        out.coef(static_cast<Eigen::Index>(p), s) = m.sv_coef[j - 1][s];
      for (int s = start[static_cast<std::size_t>(j)]; s < start[static_cast<std::size_t>(j)] + m.nSV[j]; ++s)
        out.coef(static_cast<Eigen::Index>(p), s) = m.sv_coef[i][s];
    }
  if (kernel == Kernel::Linear) {
    out.weights = out.coef * out.support;
    out.coef.resize(0, 0);
    out.support.resize(0, 0);
  }
  return out;
}

std::string shortest(double v) {
  char buf[32];
  return {buf, std::to_chars(buf, buf + sizeof buf, v).ptr};
}

void write_rows(std::ostream& out, const std::string& name, const RowMatrix& m) {
  out << name << ' ' << m.rows() << ' ' << m.cols() << '\n';
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) out << (c ? " " : "") << shortest(m(r, c));
    out << '\n';
  }
}

RowMatrix read_rows(std::istream& in, const std::string& name, const std::string& path) {
  std::string key;
  Eigen::Index rows = 0, cols = 0;
  if (!(in >> key >> rows >> cols) || key != name || rows < 0 || cols < 0 || rows * cols > (Eigen::Index{1} << 32))
    throw file_error(path, "damaged SVM model (expected the " + name + " block)");
  RowMatrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i)
    if (!(in >> m.data()[i]) || !std::isfinite(m.data()[i])) throw file_error(path, "damaged SVM model (" + name + " values)");
  return m;
}

class LibsvmSvm final : public Classifier {
 public:
  // gamma is given relative to 1/d (LIBSVM's default), so one grid fits any feature set.
  LibsvmSvm(Kernel kernel, const Hyperparameters& hp)
      : kernel_(kernel),
        name_(kernel == Kernel::Rbf ? "svm-rbf" : "svm-ovo"),
        c_(required(hp, "C", name_)),
        gamma_(kernel == Kernel::Rbf ? required(hp, "gamma", name_) : 0.0),
        hp_(hp) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { svm_set_print_string_function(silent); });
  }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    check_training_input(x, y, classes);
    if (!options.row_weights.empty()) throw Error("svm: LIBLINEAR and LIBSVM take no per-row weights (gan.synthetic_weight needs the dnn)");
    temperature_ = 0;
    if (options.calibrate) temperature_ = calibrate(x, y, classes, options);
    train(x, y, options);
    classes_ = classes;
  }

  std::vector<int> predict(const Matrix& x) const override {
    check_input(x);
    const RowMatrix d = model_.decision_values(x);
    const std::size_t k = model_.labels.size();
    std::vector<int> out(x.rows);
    std::vector<int> votes(k);
    for (std::size_t r = 0; r < x.rows; ++r) {
      // LIBSVM's vote: a non-positive value goes to the pair's second class; ties go to
      // the class that comes first in the model's order.
      std::fill(votes.begin(), votes.end(), 0);
      Eigen::Index p = 0;
      for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i + 1; j < k; ++j, ++p) ++votes[d(static_cast<Eigen::Index>(r), p) > 0 ? i : j];
      out[r] = model_.labels[static_cast<std::size_t>(std::max_element(votes.begin(), votes.end()) - votes.begin())];
    }
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
    const std::string path = folder + "/libsvm_pairwise.txt";
    std::ofstream out(path);
    out << "seraug-libsvm-pairwise 1\nkernel " << (kernel_ == Kernel::Rbf ? "rbf" : "linear") << "\ngamma " << shortest(model_.gamma)
        << "\nclasses " << classes_ << "\ndims " << dims_ << "\ntemperature " << shortest(temperature_) << "\nlabels "
        << model_.labels.size();
    for (int l : model_.labels) out << ' ' << l;
    out << "\nrho";
    for (double r : model_.rho) out << ' ' << shortest(r);
    out << '\n';
    if (kernel_ == Kernel::Linear) write_rows(out, "weights", model_.weights);
    else {
      write_rows(out, "coef", model_.coef);
      write_rows(out, "support", model_.support);
    }
    if (!out.flush()) throw file_error(path, "cannot write the SVM model");
    return {"libsvm_pairwise.txt"};
  }

  void load(const std::string& folder) override {
    const std::string path = folder + "/libsvm_pairwise.txt";
    std::ifstream in(path);
    std::string magic, kernel, k_gamma, k_classes, k_dims, k_t, k_labels, k_rho;
    int version = 0;
    std::size_t labels = 0;
    PairwiseModel m;
    if (!(in >> magic >> version >> kernel >> kernel >> k_gamma >> m.gamma >> k_classes >> classes_ >> k_dims >> dims_ >> k_t >>
          temperature_ >> k_labels >> labels) ||
        magic != "seraug-libsvm-pairwise" || version != 1 || kernel != (kernel_ == Kernel::Rbf ? "rbf" : "linear") || k_gamma != "gamma" ||
        k_classes != "classes" || k_dims != "dims" || k_t != "temperature" || k_labels != "labels" || labels < 1 || labels > classes_)
      throw file_error(path, "damaged or missing " + name_ + " model");
    m.kernel = kernel_;
    m.labels.resize(labels);
    for (auto& l : m.labels)
      if (!(in >> l) || l < 0 || static_cast<std::size_t>(l) >= classes_) throw file_error(path, "damaged SVM model (labels)");
    m.rho.resize(labels * (labels - 1) / 2);
    if (!(in >> k_rho) || k_rho != "rho") throw file_error(path, "damaged SVM model (rho)");
    for (auto& r : m.rho)
      if (!(in >> r)) throw file_error(path, "damaged SVM model (rho)");
    const auto pairs = static_cast<Eigen::Index>(m.rho.size());
    if (kernel_ == Kernel::Linear) {
      m.weights = read_rows(in, "weights", path);
      if (m.weights.rows() != pairs || static_cast<std::size_t>(m.weights.cols()) != dims_) throw file_error(path, "damaged SVM model (weights)");
    } else {
      m.coef = read_rows(in, "coef", path);
      m.support = read_rows(in, "support", path);
      if (m.coef.rows() != pairs || m.coef.cols() != m.support.rows() || static_cast<std::size_t>(m.support.cols()) != dims_)
        throw file_error(path, "damaged SVM model (support rows)");
    }
    model_ = std::move(m);
    trained_ = true;
  }

 private:
  void check_input(const Matrix& x) const {
    if (!trained_) throw Error(name_ + ": model is not trained");
    if (x.cols != dims_) throw Error(name_ + ": model has " + std::to_string(dims_) + " features, input has " + std::to_string(x.cols));
  }

  void train(const Matrix& x, std::span<const int> y, const FitOptions& options) {
    const double gamma = kernel_ == Kernel::Rbf ? gamma_ / static_cast<double>(x.cols) : 0.0;
    const RowMatrix gram = training_kernel(x, options.gram, kernel_, gamma);
    // LIBSVM's precomputed layout: node 0 holds the row's 1-based serial number, node j
    // the kernel value against training row j.
    const std::size_t n = x.rows, per_row = n + 2;
    std::vector<svm_node> nodes(n * per_row);
    std::vector<svm_node*> rows(n);
    for (std::size_t r = 0; r < n; ++r) {
      svm_node* node = &nodes[r * per_row];
      rows[r] = node;
      *node++ = svm_node{0, static_cast<double>(r + 1)};
      for (std::size_t j = 0; j < n; ++j) *node++ = svm_node{static_cast<int>(j + 1), gram(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j))};
      *node = svm_node{-1, 0.0};
    }
    std::vector<double> targets(y.begin(), y.end());
    svm_problem prob{static_cast<int>(n), targets.data(), rows.data()};
    std::vector<double> weights = options.class_weights;
    std::vector<int> weight_labels;
    for (std::size_t c = 0; c < weights.size(); ++c) weight_labels.push_back(static_cast<int>(c));
    svm_parameter param{};
    param.svm_type = C_SVC;
    param.kernel_type = PRECOMPUTED;
    param.cache_size = 100;
    param.eps = 1e-3;
    param.C = c_;
    param.nr_weight = static_cast<int>(weights.size());
    param.weight_label = weight_labels.empty() ? nullptr : weight_labels.data();
    param.weight = weights.empty() ? nullptr : weights.data();
    param.shrinking = 1;
    if (const char* bad = svm_check_parameter(&prob, &param)) throw Error(name_ + ": " + bad);
    // C-SVC training without probability estimates draws no random numbers, so it needs
    // neither the seed nor a lock and runs in parallel.
    svm_model* trained = svm_train(&prob, &param);
    model_ = explicit_form(*trained, x, kernel_, gamma);
    svm_free_and_destroy_model(&trained);
    dims_ = x.cols;
    trained_ = true;
  }

  // Per class: its one-vs-one votes plus its summed signed margin squashed into
  // (-1/3, 1/3), the transform scikit-learn's SVC uses for its one-vs-rest decision
  // function; the top score is the vote winner (ties go to the larger margin), so the
  // probabilities' argmax agrees with the vote. (Mean margins alone lose about 2 UAR
  // points against the vote on IS10.) Classes absent from training get -inf.
  Matrix decision_scores(const Matrix& x) const {
    check_input(x);
    const RowMatrix d = model_.decision_values(x);
    const std::size_t k = model_.labels.size();
    std::vector<double> votes(k), margin(k);
    Matrix scores(x.rows, classes_);
    std::fill(scores.data.begin(), scores.data.end(), -std::numeric_limits<double>::infinity());
    for (std::size_t r = 0; r < x.rows; ++r) {
      std::fill(votes.begin(), votes.end(), 0.0);
      std::fill(margin.begin(), margin.end(), 0.0);
      Eigen::Index p = 0;
      for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i + 1; j < k; ++j, ++p) {
          const double v = d(static_cast<Eigen::Index>(r), p);
          votes[v > 0 ? i : j] += 1;
          margin[i] += v;
          margin[j] -= v;
        }
      for (std::size_t i = 0; i < k; ++i)
        scores.at(r, static_cast<std::size_t>(model_.labels[i])) = votes[i] + margin[i] / (3 * (std::abs(margin[i]) + 1));
    }
    return scores;
  }

  double calibrate(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) {
    const std::vector<int> labels(y.begin(), y.end());
    FitOptions inner = options;
    inner.calibrate = false;
    inner.gram = nullptr;  // the parts are subsets of x
    const Matrix scores = out_of_fold_scores(x, classes, options, [&](const auto& train_rows, const auto& test_rows) {
      LibsvmSvm part(kernel_, hp_);
      inner.speakers = options.speakers.size() == x.rows ? select(options.speakers, train_rows) : std::vector<std::string>{};
      part.fit(select_rows(x, train_rows), select(labels, train_rows), classes, inner);
      return part.decision_scores(select_rows(x, test_rows));
    });
    return fit_temperature(scores, y);
  }

  Kernel kernel_;
  std::string name_;
  double c_, gamma_;
  Hyperparameters hp_;
  double temperature_ = 0;  // 0: not calibrated
  PairwiseModel model_;
  bool trained_ = false;
  std::size_t dims_ = 0, classes_ = 0;
};

}  // namespace

Matrix linear_gram(const Matrix& x) {
  const RowMatrix k = kernel_matrix(eigen_view(x), eigen_view(x), Kernel::Linear, 0.0);
  Matrix out(x.rows, x.rows);
  std::copy(k.data(), k.data() + k.size(), out.data.begin());
  return out;
}

std::unique_ptr<Classifier> make_rbf_svm(const Hyperparameters& hp, const DnnConfig&) {
  return std::make_unique<LibsvmSvm>(Kernel::Rbf, hp);
}
std::unique_ptr<Classifier> make_ovo_linear_svm(const Hyperparameters& hp, const DnnConfig&) {
  return std::make_unique<LibsvmSvm>(Kernel::Linear, hp);
}

}  // namespace seraug
