// The declarations of an experiment's [experiment] and [audio_augment] keys (the grid
// seraug experiment runs), and the whole docs/parameters.md page.
#pragma once

#include <string>
#include <vector>

#include "seraug/common/parameter.hpp"
#include "seraug/experiment/experiment.hpp"

namespace seraug {

// [experiment]: each key bound to its ExperimentConfig member (its default is the
// struct's). Cross-key rules (late fusion needs a fused set, ...) stay in validate().
const std::vector<Field<ExperimentConfig>>& experiment_fields();

// [audio_augment]: the values of one perturbation kind ("speed", "vtlp", ...: one copy
// per value) and the copies' seed; the copies' settings are perturb_fields().
const Parameter& audio_values_parameter(const std::string& kind);
const Parameter& audio_seed_parameter();

// docs/parameters.md: [recipe], [dnn], [gan], [experiment] and [audio_augment].
std::string all_parameters_markdown();

}  // namespace seraug
