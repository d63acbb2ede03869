#include "seraug/augment/pca_space.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "seraug/common/eigen_view.hpp"
#include "seraug/common/error.hpp"
#include "seraug/stats/svd.hpp"

namespace seraug {

PcaSpace PcaSpace::fit(const Matrix& rows, std::size_t components) {
  if (rows.rows < 2) throw Error("gan.pca: needs at least two training rows");
  const long n = static_cast<long>(rows.rows), d = static_cast<long>(rows.cols);
  const Eigen::RowVectorXd mean = eigen_view(rows).colwise().mean();
  const EigenRowMatrix centred = eigen_view(rows).rowwise() - mean;
  // Thin SVD of the centred rows (n x d): the axes are V's columns; n is a fold's clips,
  // far below the 384-6373 dimensions, so this is the cheap side.
  const RightSingularVectors svd = right_singular_vectors(centred);
  const long k = std::min<long>({static_cast<long>(components), n - 1, d});
  PcaSpace p;
  p.mean_.assign(mean.data(), mean.data() + d);
  p.axes_ = Matrix(static_cast<std::size_t>(k), rows.cols);
  for (long c = 0; c < k; ++c) {
    const double sd = svd.values(c) / std::sqrt(static_cast<double>(n - 1));
    p.scale_.push_back(sd > 0 ? sd : 1.0);  // a constant direction: no whitening
    for (long f = 0; f < d; ++f) p.axes_.at(static_cast<std::size_t>(c), static_cast<std::size_t>(f)) = svd.vectors(f, c);
  }
  return p;
}

Matrix PcaSpace::to_space(const Matrix& x) const {
  if (x.cols != mean_.size()) throw Error("gan.pca: rows have another dimension than the fitted space");
  const Eigen::Map<const Eigen::RowVectorXd> mean(mean_.data(), static_cast<long>(mean_.size()));
  const EigenRowMatrix z = (eigen_view(x).rowwise() - mean) * eigen_view(axes_).transpose();
  Matrix out(x.rows, components());
  for (std::size_t r = 0; r < x.rows; ++r)
    for (std::size_t c = 0; c < components(); ++c) out.at(r, c) = z(static_cast<long>(r), static_cast<long>(c)) / scale_[c];
  return out;
}

Matrix PcaSpace::from_space(const Matrix& z) const {
  if (z.cols != components()) throw Error("gan.pca: rows have another dimension than the fitted space");
  Matrix scaled = z;
  for (std::size_t r = 0; r < z.rows; ++r)
    for (std::size_t c = 0; c < components(); ++c) scaled.at(r, c) *= scale_[c];
  const Eigen::Map<const Eigen::RowVectorXd> mean(mean_.data(), static_cast<long>(mean_.size()));
  const EigenRowMatrix x = (eigen_view(scaled) * eigen_view(axes_)).rowwise() + mean;
  Matrix out(z.rows, mean_.size());
  std::copy(x.data(), x.data() + x.size(), out.data.begin());
  return out;
}

}  // namespace seraug
