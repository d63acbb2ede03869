// Early fusion as a feature set: several sets computed on the same audio, their columns
// concatenated in member order and tagged "<member>:" (IS10 and ComParE share names with
// other meanings). The tags equal those `evaluate a.csv b.csv` gives columns of files
// named after the sets (is10.csv, compare.csv), so a model trained on `extract --set
// is10+compare` output and an evaluation of the two files see the same columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "seraug/features/feature_set.hpp"

namespace seraug {

struct FusedMember {
  std::string name;  // the member set's name, the column tag
  std::shared_ptr<const FeaturePipeline> pipeline;
};

// The audio is read once into memory and replayed to each member.
std::shared_ptr<const FeaturePipeline> fused_pipeline(std::vector<FusedMember> members);

}  // namespace seraug
