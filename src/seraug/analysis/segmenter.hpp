// Segmentation of a stream of VAD frames into utterance-like segments, as frames arrive.
//
// A stretch of speech opens at an active frame and closes after `hangover_s` of inactive
// frames; it becomes one segment when it lasts at least `min_segment_s` and holds
// `min_voiced_s` of voiced frames. A stretch longer than `max_segment_s` is analysed as
// overlapping windows of `window_s` every `hop_s` instead (emitted while it goes on, so a
// live stream never waits for a long monologue to end), the last one ending where the
// stretch ends. Times are frame indices (kVadFrameSeconds each); padding is the
// analyser's business.
#pragma once

#include <cstddef>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/analysis/vad.hpp"

namespace seraug {

struct SegmentSpan {
  std::size_t start = 0, end = 0;  // frames [start, end) of speech
  bool window = false;             // a window of a longer stretch
  std::size_t voiced = 0;          // voiced frames of the stretch it comes from, so far
};

class Segmenter {
 public:
  explicit Segmenter(const AnalyzeSettings& settings);
  // Feeds the next frame; appends the segments it closes or completes.
  void push(const VadFrame& frame, std::vector<SegmentSpan>& out);
  // The stream ended: closes an open stretch.
  void finish(std::vector<SegmentSpan>& out);
  // Frames before this one are in no segment to come (the analyser drops their samples).
  std::size_t earliest_needed() const;
  std::size_t frames() const { return next_; }

 private:
  void close(std::vector<SegmentSpan>& out);
  std::size_t hangover_, min_length_, max_length_, window_, hop_, min_voiced_;
  std::size_t next_ = 0;  // index of the next frame
  bool open_ = false;
  std::size_t start_ = 0, last_active_ = 0, voiced_ = 0;
  bool windowing_ = false;
  std::size_t next_window_ = 0, windows_end_ = 0;
};

}  // namespace seraug
