#include "seraug/stats/tsne.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <vector>

#include "seraug/common/eigen_view.hpp"
#include "seraug/common/error.hpp"
#include "seraug/stats/svd.hpp"

namespace seraug {
namespace {

EigenRowMatrix centred_rows(const Matrix& x) { return eigen_view(x).rowwise() - eigen_view(x).colwise().mean(); }

// principal_axes (see tsne.hpp) of rows that are already centred.
Matrix axes_of_centred(const EigenRowMatrix& centred, int k) {
  const RightSingularVectors svd = right_singular_vectors(centred);
  const long kept = std::clamp<long>(k, 0, svd.vectors.cols());
  Matrix axes(static_cast<std::size_t>(centred.cols()), static_cast<std::size_t>(kept));
  for (long a = 0; a < kept; ++a) {
    const Eigen::VectorXd v = svd.vectors.col(a);  // singular values come largest first
    Eigen::Index largest = 0;
    v.cwiseAbs().maxCoeff(&largest);
    const double sign = v(largest) < 0 ? -1.0 : 1.0;
    for (std::size_t r = 0; r < axes.rows; ++r) axes.at(r, static_cast<std::size_t>(a)) = sign * v(static_cast<long>(r));
  }
  return axes;
}

// Centred rows projected on their top principal components.
EigenRowMatrix principal_components(const Matrix& x, int dims) {
  const EigenRowMatrix centred = centred_rows(x);
  const Matrix axes = axes_of_centred(centred, dims);
  return centred * eigen_view(axes);
}

// Symmetric affinities P (n x n, row-major, summing to 1).
std::vector<double> affinities(const EigenRowMatrix& x, double perplexity) {
  const long n = x.rows();
  std::vector<double> d2(static_cast<std::size_t>(n * n)), p(static_cast<std::size_t>(n * n), 0.0);
  for (long i = 0; i < n; ++i)
    for (long j = 0; j < n; ++j) d2[static_cast<std::size_t>(i * n + j)] = (x.row(i) - x.row(j)).squaredNorm();
  const double target = std::log(std::min(perplexity, static_cast<double>(n - 1) / 3.0));
  std::vector<double> row(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) {
    double lo = 0, hi = 1e12, beta = 1;  // precision 1 / (2 sigma^2), bisected to the perplexity
    for (int step = 0; step < 60; ++step) {
      double sum = 0, weighted = 0;
      for (long j = 0; j < n; ++j) {
        row[static_cast<std::size_t>(j)] = j == i ? 0.0 : std::exp(-beta * d2[static_cast<std::size_t>(i * n + j)]);
        sum += row[static_cast<std::size_t>(j)];
        weighted += row[static_cast<std::size_t>(j)] * d2[static_cast<std::size_t>(i * n + j)];
      }
      sum = std::max(sum, 1e-300);
      const double entropy = std::log(sum) + beta * weighted / sum;
      if (std::fabs(entropy - target) < 1e-5) break;
      if (entropy > target) { lo = beta; beta = hi >= 1e12 ? beta * 2 : (beta + hi) / 2; }
      else { hi = beta; beta = (beta + lo) / 2; }
    }
    double sum = 0;
    for (long j = 0; j < n; ++j) sum += row[static_cast<std::size_t>(j)];
    for (long j = 0; j < n; ++j) p[static_cast<std::size_t>(i * n + j)] = row[static_cast<std::size_t>(j)] / std::max(sum, 1e-300);
  }
  for (long i = 0; i < n; ++i)
    for (long j = i + 1; j < n; ++j) {
      const double s = (p[static_cast<std::size_t>(i * n + j)] + p[static_cast<std::size_t>(j * n + i)]) / (2.0 * static_cast<double>(n));
      p[static_cast<std::size_t>(i * n + j)] = p[static_cast<std::size_t>(j * n + i)] = std::max(s, 1e-12);
    }
  return p;
}

}  // namespace

Matrix principal_axes(const Matrix& x, int k) { return axes_of_centred(centred_rows(x), k); }

Matrix tsne(const Matrix& x, const TsneOptions& o) {
  if (x.rows < 3) throw Error("t-SNE needs at least 3 rows");
  const long n = static_cast<long>(x.rows);
  const EigenRowMatrix reduced = principal_components(x, std::max(2, o.pca_dims));
  if (reduced.cols() < 2) throw Error("t-SNE needs at least 2 feature columns");
  const std::vector<double> p = affinities(reduced, o.perplexity);
  EigenRowMatrix y = reduced.leftCols(std::min<long>(2, reduced.cols()));  // the first two components
  y /= std::max(1e-12, std::sqrt(y.col(0).squaredNorm() / static_cast<double>(n))) / 1e-2;  // small initial spread (std 1e-2)
  EigenRowMatrix velocity = EigenRowMatrix::Zero(n, 2), gradient(n, 2);
  std::vector<double> num(static_cast<std::size_t>(n * n));
  const double rate = o.learning_rate > 0 ? o.learning_rate : std::max(static_cast<double>(n) / o.exaggeration / 4.0, 50.0);
  for (int it = 0; it < o.iterations; ++it) {
    const double exaggerate = it < o.exaggeration_iterations ? o.exaggeration : 1.0;
    const double momentum = it < o.exaggeration_iterations ? 0.5 : 0.8;
    // Plain loops over the 2-D points (Eigen's per-pair row expressions cost more than
    // the arithmetic). The Student-t kernel is symmetric to the bit ((a - b)^2 = (b - a)^2
    // and a sum of two terms does not depend on their order), so each pair is computed
    // once; z and the gradients still add up in row order.
    const double* yd = y.data();  // row-major n x 2
    for (long i = 0; i < n; ++i) {
      num[static_cast<std::size_t>(i * n + i)] = 0.0;
      for (long j = i + 1; j < n; ++j) {
        const double dx = yd[2 * i] - yd[2 * j], dy = yd[2 * i + 1] - yd[2 * j + 1];
        num[static_cast<std::size_t>(i * n + j)] = num[static_cast<std::size_t>(j * n + i)] = 1.0 / (1.0 + (dx * dx + dy * dy));
      }
    }
    double z = 0;
    for (const double v : num) z += v;
    for (long i = 0; i < n; ++i) {
      double gx = 0.0, gy = 0.0;  // in registers: a store per term would chain the loop through memory
      for (long j = 0; j < n; ++j) {
        if (i == j) continue;
        const double q = num[static_cast<std::size_t>(i * n + j)];
        const double coefficient = 4.0 * (exaggerate * p[static_cast<std::size_t>(i * n + j)] - q / z) * q;
        gx += coefficient * (yd[2 * i] - yd[2 * j]);
        gy += coefficient * (yd[2 * i + 1] - yd[2 * j + 1]);
      }
      gradient(i, 0) = gx;
      gradient(i, 1) = gy;
    }
    velocity = momentum * velocity - rate * gradient;
    y += velocity;
    y = y.rowwise() - y.colwise().mean();
  }
  Matrix out(x.rows, 2);
  for (long i = 0; i < n; ++i) {
    out.at(static_cast<std::size_t>(i), 0) = y(i, 0);
    out.at(static_cast<std::size_t>(i), 1) = y(i, 1);
  }
  return out;
}

}  // namespace seraug
