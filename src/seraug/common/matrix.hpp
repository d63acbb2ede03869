// The one data layout for feature vectors: n x d row-major doubles, owned by value.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace seraug {

struct Matrix {
  std::size_t rows = 0, cols = 0;
  std::vector<double> data;  // rows * cols

  Matrix() = default;
  Matrix(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c, 0.0) {}

  double* row(std::size_t r) { return data.data() + r * cols; }
  const double* row(std::size_t r) const { return data.data() + r * cols; }
  std::span<const double> row_span(std::size_t r) const { return {row(r), cols}; }
  double& at(std::size_t r, std::size_t c) { return data[r * cols + c]; }
  double at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
};

// Copies the listed rows, in order.
inline Matrix select_rows(const Matrix& m, std::span<const std::size_t> rows) {
  Matrix out(rows.size(), m.cols);
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy(m.row(rows[i]), m.row(rows[i]) + m.cols, out.row(i));
  return out;
}

template <typename T>
std::vector<T> select(const std::vector<T>& v, std::span<const std::size_t> rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const std::size_t r : rows) out.push_back(v[r]);
  return out;
}

}  // namespace seraug
