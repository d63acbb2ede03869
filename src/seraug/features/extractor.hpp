// Utterance-level feature extraction with one FeatureSet: runs the set's pipeline
// (audio -> frames -> LLDs -> contours -> functionals) and checks its output.
//
// A FeatureExtractor is not thread-safe; give each thread its own (they are cheap).
// Results are deterministic: the same audio gives bit-identical values.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "seraug/audio/audio.hpp"
#include "seraug/features/contours.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

class FeatureExtractor {
 public:
  explicit FeatureExtractor(const FeatureSet& set);
  ~FeatureExtractor();
  FeatureExtractor(FeatureExtractor&&) noexcept;
  FeatureExtractor& operator=(FeatureExtractor&&) noexcept;

  const FeatureSet& set() const;
  const std::vector<std::string>& names() const;

  // One value per name, all finite. Throws seraug::Error naming the audio when it
  // holds less than one analysis frame.
  std::vector<double> extract(AudioStream& audio);
  std::vector<double> extract_file(const std::string& path, const AudioOptions& options = {});

  // The per-frame contours the functionals see (frames x contours), for inspection and
  // tests. IS09 (framewise.hpp): smoothed LLDs followed by their deltas; eGeMAPS: the raw
  // LLD matrix of gemaps.hpp; IS10 its raw all-frames LLD group (is10.hpp); ComParE its
  // raw spectral group (compare.hpp).
  ContourMatrix contours(AudioStream& audio);

 private:
  // Verifies the count and that every value is finite (naming the audio otherwise).
  std::vector<double> checked(AudioStream& audio, std::vector<double> out) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seraug
