// The pipeline shape of the sets that read the whole signal at once (eGeMAPS, IS10,
// ComParE): LLDs of the whole signal on their own frame grids, then the set's
// functionals. Each set's source file makes its registry entry with this template.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/features/feature_set.hpp"

namespace seraug {

// Llds: what the set's LLD extraction returns (e.g. GemapsLlds).
template <typename Llds>
class WholeUtterancePipeline : public FeaturePipeline {
 public:
  struct Steps {
    Llds (*llds)(std::span<const float> signal, double rate_hz);
    const std::vector<std::string>& (*names)();
    std::vector<double> (*functionals)(const Llds&);
    ContourMatrix (*contours)(const Llds&);  // what FeatureExtractor::contours shows
  };

  explicit WholeUtterancePipeline(Steps steps) : steps_(steps) {}

  std::vector<std::string> names() const override { return steps_.names(); }
  std::unique_ptr<Run> start() const override { return std::make_unique<WholeRun>(steps_); }

 private:
  class WholeRun : public Run {
   public:
    explicit WholeRun(Steps steps) : steps_(steps) {}
    ContourMatrix contours(AudioStream& audio) override { return steps_.contours(llds_of(audio)); }
    std::vector<double> functionals(AudioStream& audio) override { return steps_.functionals(llds_of(audio)); }

   private:
    // LLDs with errors named after the audio.
    Llds llds_of(AudioStream& audio) {
      const std::vector<float> samples = read_all_samples(audio);
      try {
        return steps_.llds(samples, audio.info().rate_hz);
      } catch (const Error& e) {
        throw file_error(audio.info().path, e.what());
      }
    }
    Steps steps_;
  };

  Steps steps_;
};

}  // namespace seraug
