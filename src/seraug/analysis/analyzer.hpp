// Emotion over time in continuous audio: voice activity detection, segmentation,
// features and a trained model's prediction per segment, as the samples arrive.
//
//   samples -> VoiceDetector (10 ms frames) -> Segmenter (frame spans) -> the span's
//   samples with pad_s of context -> FeatureExtractor -> the model's columns ->
//   normalisation -> classifier -> SegmentResult
//
// Normalisation of a speaker-normalised model ("self-enrolment", docs/analyze.md): the
// z-score statistics are those of the recording's own segments, shrunk towards the
// training speakers' pooled statistics as if those were `enroll_prior` more segments.
// `enroll_scope = online` uses the segments up to and including the one predicted (so a
// segment's line can be written as soon as it closes, and a stream and a file give the
// same timeline); `recording` waits for the end and uses all of them. This assumes one
// speaker per channel. Statistics given from outside (`--enroll` clips) replace both.
//
// Memory: the samples of the open stretch (at most max_segment_s + 2 pad_s, or a window)
// plus, for `recording`, one row of the model's columns per segment.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/models/saved_model.hpp"

namespace seraug {

struct SegmentResult {
  std::string source;  // the file ("-" for stdin, the device name)
  int channel = 0;     // 0 when channels are mixed
  double start_s = 0, end_s = 0;  // the speech it covers (seconds from the start)
  bool window = false;            // a window of a longer stretch of speech
  std::string label;
  std::vector<double> probabilities;  // per model class (smoothed when smooth_s > 0)
  std::size_t enrolled = 0;   // segments in the speaker statistics it was normalised with
  double atypicality = 0;     // root mean square of its normalised features (training rows: about 1)
  double clipped_fraction = 0;  // share of its samples at full scale
  std::vector<std::string> flags;  // short | clipped | atypical | enrolling
};

// Segments whose root-mean-square normalised feature exceeds this are flagged atypical:
// they lie far outside what the classifier saw (docs/analyze.md, "Trust flags").
inline constexpr double kAtypicalRms = 3.0;

class ChannelAnalyzer {
 public:
  // `model` must outlive the analyser. `enrolment`: fixed speaker statistics (--enroll),
  // in the model's columns. `threads`: feature extraction of the segments one push
  // closes (0 = every CPU). Throws seraug::Error on invalid settings.
  ChannelAnalyzer(const TrainedModel& model, const AnalyzeSettings& settings, double rate_hz, std::string source, int channel = 0,
                  int threads = 1, std::optional<ZScore> enrolment = std::nullopt);
  ~ChannelAnalyzer();
  ChannelAnalyzer(ChannelAnalyzer&&) noexcept;

  // Mono samples in [-1, 1]; returns the segments they close, in time order (with
  // enroll_scope = recording: none until finish()).
  std::vector<SegmentResult> push(std::span<const float> samples);
  // The end of the input: closes the open stretch and returns what is left.
  std::vector<SegmentResult> finish();

  double seconds_received() const;
  std::size_t buffered_samples() const;  // for the bounded-memory tests
  std::size_t frames_active() const;     // VAD frames that were active so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seraug
