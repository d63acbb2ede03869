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

}  // namespace seraug
