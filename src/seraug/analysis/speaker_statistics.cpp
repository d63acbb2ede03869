#include "seraug/analysis/speaker_statistics.hpp"

#include <cmath>
#include <unordered_map>

#include "seraug/analysis/analyzer.hpp"
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

std::vector<std::size_t> model_column_positions(const TrainedModel& m, const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t c = 0; c < names.size(); ++c) at[names[c]] = c;
  std::vector<std::size_t> positions;
  for (const auto& name : m.feature_names) {
    const auto it = at.find(name);
    if (it == at.end()) throw Error("the features lack the model's column '" + name + "' (feature set " + m.feature_set + ")");
    positions.push_back(it->second);
  }
  return positions;
}

ZScore enrolment_statistics(const TrainedModel& m, const FeatureTable& enrolment, double prior) {
  if (m.normalization != NormKind::Speaker)
    throw Error("enrolment clips were given, but this model was trained with global normalisation and does not use them");
  if (enrolment.rows() < kMinEnrolmentClips)
    throw Error("enrolment needs at least " + std::to_string(kMinEnrolmentClips) + " clips of the speaker, got " +
                std::to_string(enrolment.rows()));
  if (prior > 0 && m.speaker_prior.mean.empty())
    throw Error("an enrolment prior needs a speaker-normalised model trained with this seraug");
  const auto positions = model_column_positions(m, enrolment.feature_names);
  Matrix x(enrolment.rows(), positions.size());
  for (std::size_t r = 0; r < x.rows; ++r)
    for (std::size_t c = 0; c < positions.size(); ++c) x.at(r, c) = enrolment.row(r)[positions[c]];
  std::vector<std::size_t> all(x.rows);
  for (std::size_t r = 0; r < all.size(); ++r) all[r] = r;
  const ZScore z = ZScore::fit(x, all);
  return prior > 0 ? shrink_towards(z, x.rows, m.speaker_prior, prior) : z;
}

}  // namespace seraug
