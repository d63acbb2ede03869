// A whitened principal-component space fitted on a fold's training rows, for training
// the GANs in fewer dimensions ([gan] pca) and mapping their rows back.
#pragma once

#include <cstddef>

#include "seraug/common/matrix.hpp"

namespace seraug {

class PcaSpace {
 public:
  // The first `components` principal axes of `rows` (rows x d), at most rows - 1 and d.
  // Throws seraug::Error with fewer than two rows.
  static PcaSpace fit(const Matrix& rows, std::size_t components);

  std::size_t components() const { return scale_.size(); }
  // rows x d -> rows x components, each component of unit variance on the fitted rows.
  Matrix to_space(const Matrix& x) const;
  // rows x components -> rows x d: mean + sum_k z_k * scale_k * axis_k.
  Matrix from_space(const Matrix& z) const;

 private:
  std::vector<double> mean_;   // d
  Matrix axes_;                // components x d, orthonormal rows
  std::vector<double> scale_;  // standard deviation of each component
};

}  // namespace seraug
