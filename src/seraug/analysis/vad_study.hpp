// Frame-level scores of the voice activity detectors on constructed recordings with
// known boundaries (seraug continuous vad; docs/analyze.md): per speaker, all of its
// clips in one recording with pauses of 0.3–2 s; clean, with white, pink and babble
// noise at 20, 10 and 0 dB SNR, and reverberant (RT60 0.6 s); the energy detector and
// WebRTC's in the same run, on the same audio, through the same segmenter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/analysis/constructed.hpp"
#include "seraug/data/corpus.hpp"

namespace seraug {

struct VadCondition {
  std::string name;          // "clean", "white 20 dB", "reverb 0.6 s", ...
  std::vector<FrameScores> scores;  // per detector, pooled over speakers and seeds
};

struct VadStudy {
  std::vector<std::string> detectors;  // "energy", "webrtc"
  std::vector<VadCondition> conditions;
  double seconds = 0;  // audio per detector
};

// `clips`: the corpus's clips (speaker from the names); `settings`: the segmenter's
// (its vad is replaced by each detector in turn).
VadStudy run_vad_study(const std::vector<Utterance>& clips, const AnalyzeSettings& settings, const std::vector<std::uint64_t>& seeds);

std::string vad_study_table(const VadStudy& study, const AnalyzeSettings& settings);
std::string vad_study_json(const VadStudy& study, const AnalyzeSettings& settings);

}  // namespace seraug
