#include "seraug/analysis/speaker_statistics.hpp"

#include <cmath>

#include "seraug/common/error.hpp"

namespace seraug {

void SpeakerStatistics::add(const std::vector<double>& row) {
  ++n_;
  for (std::size_t c = 0; c < mean_.size(); ++c) {
    const double d = row[c] - mean_[c];
    mean_[c] += d / static_cast<double>(n_);
    m2_[c] += d * (row[c] - mean_[c]);
  }
}

ZScore SpeakerStatistics::zscore(const ZScore& prior, double pseudo_rows) const {
  if (n_ == 0) throw Error("speaker statistics of zero segments");
  ZScore z;
  z.mean = mean_;
  z.scale.resize(mean_.size());
  const bool shrink = pseudo_rows > 0 && prior.mean.size() == mean_.size();
  const double w = shrink ? static_cast<double>(n_) / (static_cast<double>(n_) + pseudo_rows) : 1.0;
  for (std::size_t c = 0; c < mean_.size(); ++c) {
    double variance = m2_[c] / static_cast<double>(n_);
    if (shrink) {
      z.mean[c] = w * mean_[c] + (1 - w) * prior.mean[c];
      variance = w * variance + (1 - w) * prior.scale[c] * prior.scale[c];
    }
    z.scale[c] = std::sqrt(variance);
    if (!(z.scale[c] > 1e-12)) z.scale[c] = 1.0;
  }
  return z;
}

}  // namespace seraug
