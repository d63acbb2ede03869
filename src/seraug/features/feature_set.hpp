// Feature sets. Each set is one registry entry (feature_set.cpp): its name, version and
// the FeaturePipeline that turns audio into its functionals (LLD extraction, contours,
// functionals from the one shared table of functionals.hpp). Adding a set means adding
// an entry and, where no existing pipeline fits, a FeaturePipeline; nothing dispatches
// on a set's name (docs/features.md has the how-to).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "seraug/audio/audio.hpp"
#include "seraug/features/contours.hpp"

namespace seraug {

// What a set does with audio. A pipeline is immutable and shared by every thread; the
// work happens in a Run (per thread, not thread-safe), which may keep caches such as
// per-sample-rate filter banks.
class FeaturePipeline {
 public:
  virtual ~FeaturePipeline() = default;

  // Output column names in order; size() is the feature dimension.
  virtual std::vector<std::string> names() const = 0;

  class Run {
   public:
    virtual ~Run() = default;
    // The per-frame contours the functionals see (frames x contours), for inspection
    // and tests; what exactly is stated by each pipeline's header.
    virtual ContourMatrix contours(AudioStream& audio) = 0;
    // One value per name, in order. Throws seraug::Error naming the audio when it holds
    // less than the pipeline needs.
    virtual std::vector<double> functionals(AudioStream& audio) = 0;
  };
  virtual std::unique_ptr<Run> start() const = 0;
};

struct FeatureSet {
  std::string name;         // command-line name, e.g. "is09"
  std::string description;
  int version = 1;          // bump whenever values change (feature caches key on it)
  std::shared_ptr<const FeaturePipeline> pipeline;
};

// Throws seraug::Error listing the known sets when `name` is unknown.
const FeatureSet& feature_set(std::string_view name);
std::vector<std::string> feature_set_names();

// Output column names in order; size() is the feature dimension.
std::vector<std::string> feature_names(const FeatureSet& set);

}  // namespace seraug
