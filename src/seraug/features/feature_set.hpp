// Feature sets as data: which LLDs are computed per frame, how their contours are
// post-processed, and which functionals summarise each contour. Adding a set means
// adding a table entry (plus any new LLD component), not a new pipeline.
//
// Column naming and order follow openSMILE: for every LLD contour
// "<lld>_sma[<i>]_<functional>", all smoothed contours first, then all deltas
// "<lld>_sma_de[<i>]_<functional>"; within a contour, functionals in table order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "seraug/features/llds.hpp"

namespace seraug {

// How a set turns audio into functionals. Framewise: every LLD on one frame grid,
// every functional over every contour (the INTERSPEECH challenge sets). Gemaps: the
// Geneva sets' two frame grids, pitch-gated contours and per-contour functionals
// (see gemaps.hpp); Is10: the INTERSPEECH 2010 set's two grids and pitch-gated
// contours (see is10.hpp); Compare: the ComParE 2016 set (see compare.hpp).
// `llds`/`functionals` are unused by the last three.
enum class Pipeline { Framewise, Gemaps, Is10, Compare };

struct FeatureSet {
  std::string name;         // command-line name, e.g. "is09"
  std::string description;
  Pipeline pipeline = Pipeline::Framewise;
  int version = 1;          // bump whenever values change (feature caches key on it)
  double frame_seconds = 0.025;
  double step_seconds = 0.010;
  double preemphasis = 0.97;
  std::vector<LldSpec> llds;
  int smoothing_window = 3;   // moving average over frames; appends "_sma"
  int delta_half_window = 2;  // 0: no deltas; otherwise appends "_de" contours
  std::vector<std::string> functionals;
};

// Throws seraug::Error listing the known sets when `name` is unknown.
const FeatureSet& feature_set(std::string_view name);
std::vector<std::string> feature_set_names();

// Output column names in order; size() is the feature dimension.
std::vector<std::string> feature_names(const FeatureSet& set);

}  // namespace seraug
