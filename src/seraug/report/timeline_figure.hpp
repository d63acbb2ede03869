// The figure of an emotion timeline (seraug analyze --plot): each class's probability
// over time, and a band of the segments coloured by their label; minutes on the time
// axis once the recording passes ten minutes, so that an hour stays readable.
#pragma once

#include <string>
#include <vector>

#include "seraug/analysis/analyzer.hpp"

namespace seraug {

// `path` ends in .svg or .png; written through a temporary file renamed into place.
// Throws seraug::Error naming the path for another extension or when gnuplot fails.
void write_timeline_figure(const std::vector<SegmentResult>& segments, const std::vector<std::string>& classes, const std::string& path);

}  // namespace seraug
