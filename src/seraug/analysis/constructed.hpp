// Continuous recordings built from labelled clips, with known boundaries: the test bed
// of `seraug continuous` (the VAD's frame-level scores and the continuous-audio
// protocol; docs/analyze.md).
//
// The clips are placed in the given order with pauses drawn uniformly from
// [pause_min_s, pause_max_s] (and lead_s before the first and after the last); each
// clip's speech is the span from its first to its last 10 ms frame within 35 dB of its
// loudest frame (in the clean clip). Optional reverberation (a synthetic room impulse
// response of RT60 rt60_s) is applied to the speech, then noise is added at snr_db
// relative to the speech's power over its speech frames: white or pink Gaussian noise,
// or babble (six other clips summed, looped). The same seed gives the same recording.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"

namespace seraug {

struct SourceClip {
  std::string name, label, speaker;
  std::vector<float> samples;  // mono, at the recording's rate
};

struct PlacedClip {
  std::string name, label, speaker;
  double start_s = 0, end_s = 0;                // where the clip lies
  double speech_start_s = 0, speech_end_s = 0;  // its speech within
};

struct ConstructionSettings {
  double pause_min_s = 0.3, pause_max_s = 2.0;
  double lead_s = 1.0;
  std::optional<double> snr_db;  // unset: no noise
  std::string noise = "white";   // white | pink | babble
  double rt60_s = 0;             // 0: no reverberation
  std::uint64_t seed = 1;
};

struct ConstructedRecording {
  std::vector<float> samples;
  double rate_hz = 0;
  std::vector<PlacedClip> clips;
  std::vector<char> speech_frames;  // per 10 ms frame: 1 inside a clip's speech
};

// `babble`: clips of other speakers for babble noise (at least 6 when noise = babble).
// Throws seraug::Error on an empty clip list, clips of other rates (empty samples), or
// an unknown noise.
ConstructedRecording construct_recording(const std::vector<SourceClip>& clips, double rate_hz, const ConstructionSettings& settings,
                                         const std::vector<SourceClip>& babble = {});

// The first and last sample of a clip's speech (frames within 35 dB of its loudest).
std::pair<std::size_t, std::size_t> speech_span(const std::vector<float>& clip, double rate_hz);

// The frames analyze would take as speech: the VAD's decisions through the segmenter
// (hangover, minimum length, voicing), 1 per 10 ms frame inside a segment.
std::vector<char> detected_speech_frames(const AnalyzeSettings& settings, const std::vector<float>& samples, double rate_hz);

struct FrameScores {
  std::size_t true_positive = 0, false_positive = 0, false_negative = 0, frames = 0;
  double precision() const;
  double recall() const;
  double f1() const;
  void add(const FrameScores& other);  // pooled counts
};
// Frame-level agreement of detected speech frames with the truth (shorter one padded).
FrameScores score_frames(const std::vector<char>& truth, const std::vector<char>& detected);

}  // namespace seraug
