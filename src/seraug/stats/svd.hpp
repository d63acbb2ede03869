// The right side of a thin singular value decomposition, instantiated once: Eigen's
// divide-and-conquer SVD (BDCSVD) costs ~40 s of compile time per instantiation, and the
// PCA space of the GANs ([gan] pca) and t-SNE's initial projection both need it.
#pragma once

#include "seraug/common/eigen_view.hpp"

namespace seraug {

struct RightSingularVectors {
  Eigen::VectorXd values;  // min(n, d) singular values, largest first
  EigenRowMatrix vectors;  // d x min(n, d); column a belongs to values(a)
};

// x: n x d, row-major (the storage order decides the last bits of the vectors: Eigen
// applies the Householder reflections to V in it). Throws seraug::Error when Eigen
// reports a failure (non-finite entries).
RightSingularVectors right_singular_vectors(const EigenRowMatrix& x);

}  // namespace seraug
