// A Matrix seen as a row-major Eigen matrix, without copying (the linear-algebra code of
// the stats, models, augment and report layers). Header only: include it only from a
// layer that links Eigen; the common library itself does not.
#pragma once

#include <Eigen/Core>

#include "seraug/common/matrix.hpp"

namespace seraug {

using EigenRowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// m.rows x m.cols, reading m's storage; valid while m lives and is not resized.
inline Eigen::Map<const EigenRowMatrix> eigen_view(const Matrix& m) {
  return {m.data.data(), static_cast<Eigen::Index>(m.rows), static_cast<Eigen::Index>(m.cols)};
}

}  // namespace seraug
