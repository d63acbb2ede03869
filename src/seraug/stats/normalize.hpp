// Feature normalisation, fitted on training rows only.
//
//   global   z-score with the training fold's mean and standard deviation
//   speaker  z-score each speaker with that speaker's own statistics: training
//            speakers from their training rows, a test speaker from its own (unlabelled)
//            test rows — the usual speaker normalisation in SER; no label is used. A test
//            speaker who also has training rows (kfold) keeps its training statistics.
//   none     features as they are
//
// A constant column (std 0) maps to 0 instead of dividing by zero.
#pragma once

#include <string>
#include <vector>

#include "seraug/common/matrix.hpp"

namespace seraug {

enum class NormKind { None, Global, Speaker };
NormKind parse_norm(const std::string& text);  // throws seraug::Error
std::string norm_name(NormKind kind);

struct ZScore {
  std::vector<double> mean, scale;  // x' = (x - mean) / scale; scale = 1 where std = 0

  // Statistics of the given rows of `x`.
  static ZScore fit(const Matrix& x, const std::vector<std::size_t>& rows);
  void apply(Matrix& x) const;  // in place, every row
  void apply_row(double* row) const;
  void invert(Matrix& x) const;  // back to the original feature space
};

// The prior for a new speaker's statistics: per column, the mean over the speakers of
// `rows` of their means, and the square root of the mean of their variances.
ZScore pooled_speaker_prior(const Matrix& x, const std::vector<std::string>& speakers, const std::vector<std::size_t>& rows);
// Statistics of n enrolment rows shrunk towards `prior` as if it were `pseudo_rows` more
// rows: mean = (n m + t m0) / (n + t), variance = (n v + t v0) / (n + t).
ZScore shrink_towards(const ZScore& enrolment, std::size_t n, const ZScore& prior, double pseudo_rows);

// Normalises a fold: returns (train, test) matrices normalised as `kind` says, fitted on
// `train_rows` (and, for speaker norm, each test speaker's own rows).
std::pair<Matrix, Matrix> normalize_fold(const Matrix& x, const std::vector<std::string>& speakers,
                                         const std::vector<std::size_t>& train_rows,
                                         const std::vector<std::size_t>& test_rows, NormKind kind);

// Rows from outside x (e.g. a corpus's unselected classes) normalised as the training
// rows of x were: global = the training rows' statistics; speaker = each row by its
// speaker's statistics over that speaker's training rows (rows of other speakers are
// dropped: `kept` gets the indices of the rows returned); none = as they are.
Matrix normalize_like_training(const Matrix& rows, const std::vector<std::string>& row_speakers, const Matrix& x,
                               const std::vector<std::string>& speakers, const std::vector<std::size_t>& train_rows, NormKind kind,
                               std::vector<std::size_t>& kept);

}  // namespace seraug
