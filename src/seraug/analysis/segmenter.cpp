#include "seraug/analysis/segmenter.hpp"

#include <algorithm>
#include <cmath>

namespace seraug {
namespace {
std::size_t frames_of(double seconds) { return static_cast<std::size_t>(std::llround(seconds / kVadFrameSeconds)); }
}  // namespace

Segmenter::Segmenter(const AnalyzeSettings& s)
    : hangover_(std::max<std::size_t>(1, frames_of(s.hangover_s))),
      min_length_(frames_of(s.min_segment_s)),
      max_length_(frames_of(s.max_segment_s)),
      window_(frames_of(s.window_s)),
      hop_(std::max<std::size_t>(1, frames_of(s.hop_s))),
      min_voiced_(s.vad == "energy" ? frames_of(s.min_voiced_s) : 0) {}

void Segmenter::push(const VadFrame& f, std::vector<SegmentSpan>& out) {
  const std::size_t k = next_++;
  if (!open_) {
    if (!f.active) return;
    open_ = true, windowing_ = false;
    start_ = last_active_ = k, voiced_ = f.voiced ? 1 : 0;
    next_window_ = windows_end_ = start_;
    return;
  }
  if (f.active) {
    last_active_ = k;
    voiced_ += f.voiced ? 1 : 0;
  }
  if (!windowing_ && last_active_ + 1 - start_ > max_length_ && voiced_ >= min_voiced_) windowing_ = true;
  if (windowing_) {
    for (; next_window_ + window_ <= last_active_ + 1; next_window_ += hop_) {
      out.push_back({next_window_, next_window_ + window_, true, voiced_});
      windows_end_ = next_window_ + window_;
    }
  }
  if (!f.active && k - last_active_ >= hangover_) close(out);
}

void Segmenter::close(std::vector<SegmentSpan>& out) {
  open_ = false;
  const std::size_t end = last_active_ + 1;
  if (windowing_) {
    // The end of the stretch in one last window, unless the windows reached it.
    if (end > windows_end_) out.push_back({end > window_ + start_ ? end - window_ : start_, end, true, voiced_});
    return;
  }
  if (end - start_ >= min_length_ && voiced_ >= min_voiced_) out.push_back({start_, end, false, voiced_});
}

void Segmenter::finish(std::vector<SegmentSpan>& out) {
  if (open_) close(out);
}

std::size_t Segmenter::earliest_needed() const {
  if (!open_) return next_;
  return windowing_ ? std::min(next_window_, last_active_ + 1 > window_ ? last_active_ + 1 - window_ : 0) : start_;
}

}  // namespace seraug
