// t-SNE (van der Maaten & Hinton 2008), exact O(n^2) version for a few thousand rows:
// Gaussian affinities calibrated to a perplexity by bisection, Student-t similarities in
// 2-D, gradient descent with momentum and early exaggeration, initialised from PCA so
// that the result is deterministic.
#pragma once

#include "seraug/common/matrix.hpp"

namespace seraug {

struct TsneOptions {
  double perplexity = 30.0;
  int iterations = 750;
  int exaggeration_iterations = 250;
  double exaggeration = 12.0;
  double learning_rate = 0.0;  // 0: max(n / exaggeration / 4, 50), as in scikit-learn's "auto"
  int pca_dims = 50;  // the input is first reduced to this many principal components
};

// rows x dims -> rows x 2. Throws seraug::Error for fewer than 3 rows.
Matrix tsne(const Matrix& x, const TsneOptions& options = {});

// The top `k` principal axes of the rows of `x`: a x.cols x k matrix, one unit axis per
// column, largest variance first (k is capped at min(rows, cols)). From a thin SVD of
// the centred rows, O(rows * cols * min(rows, cols)): seconds for a thousand rows of
// 6373 features, where an eigendecomposition of the cols x cols covariance costs cols^3
// (many minutes). Each axis's sign is fixed (its largest-magnitude entry positive), so
// figures do not depend on the solver's choice of sign.
Matrix principal_axes(const Matrix& x, int k);

}  // namespace seraug
