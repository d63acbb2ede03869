// A recording's own speaker statistics, accumulated segment by segment (Welford's
// running mean and variance, so that memory stays one row however long the recording),
// for the self-enrolment of speaker-normalised models (analyzer.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "seraug/models/saved_model.hpp"

namespace seraug {

class SpeakerStatistics {
 public:
  explicit SpeakerStatistics(std::size_t columns) : mean_(columns, 0.0), m2_(columns, 0.0) {}
  void add(const std::vector<double>& row);
  std::size_t count() const { return n_; }
  // The z-score of the rows so far (population variance, as ZScore::fit), shrunk towards
  // `prior` as if it were `pseudo_rows` more rows (shrink_towards). A column with no
  // spread is only centred (scale 1), as ZScore::fit does. Needs count() >= 1.
  ZScore zscore(const ZScore& prior, double pseudo_rows) const;

 private:
  std::size_t n_ = 0;
  std::vector<double> mean_, m2_;
};

}  // namespace seraug
