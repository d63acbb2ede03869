#include "seraug/stats/svd.hpp"

#include <Eigen/SVD>

#include "seraug/common/error.hpp"

namespace seraug {

RightSingularVectors right_singular_vectors(const EigenRowMatrix& x) {
  const Eigen::BDCSVD<EigenRowMatrix> svd(x, Eigen::ComputeThinV);
  if (svd.info() != Eigen::Success) throw Error("singular value decomposition failed: the rows are not all finite");
  return {svd.singularValues(), svd.matrixV()};
}

}  // namespace seraug
