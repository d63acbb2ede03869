// The frame-wise pipeline of the INTERSPEECH 2009 challenge sets: every LLD on one
// frame grid, smoothed by a moving average, deltas by regression, and every functional
// over every contour. Column naming and order follow openSMILE: for every LLD contour
// "<lld>_sma[<i>]_<functional>", all smoothed contours first, then all deltas
// "<lld>_sma_de[<i>]_<functional>"; within a contour, functionals in list order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "seraug/features/feature_set.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/llds.hpp"

namespace seraug {

struct FramewiseSpec {
  double frame_seconds = 0.025;
  double step_seconds = 0.010;
  double preemphasis = 0.97;
  std::vector<LldSpec> llds;
  int smoothing_window = 3;   // moving average over frames; appends "_sma"
  int delta_half_window = 2;  // 0: no deltas; otherwise appends "_de" contours
  std::vector<std::string> functionals;  // names in the shared table (functionals.hpp)
  FunctionalOptions functional_options;
};

// Throws seraug::Error for an unknown functional or LLD.
std::shared_ptr<const FeaturePipeline> framewise_pipeline(FramewiseSpec spec);

}  // namespace seraug
