// The settings of `seraug analyze` (continuous audio -> an emotion timeline), declared
// once as the [analyze] table: the CLI flags, the TOML keys, Python's keywords and
// docs/parameters.md all come from analyze_fields().
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "seraug/common/parameter.hpp"

namespace seraug {

struct AnalyzeSettings {
  // Voice activity detection (analysis/vad.hpp).
  std::string vad = "energy";           // energy | webrtc
  double vad_threshold_db = 7.5;        // energy: dB above the tracked noise floor
  std::string webrtc_likelihood = "low";  // webrtc: very-low | low | moderate | high
  double hangover_s = 0.3;              // non-speech that closes a segment (latency)
  double min_voiced_s = 0.1;            // energy: voiced frames a segment needs (rejects noise bursts)
  // Segments (analysis/segmenter.hpp).
  double min_segment_s = 0.5;           // shorter speech is dropped
  double max_segment_s = 4.0;           // longer speech is cut into overlapping windows
  double window_s = 2.0;                // those windows' length
  double hop_s = 1.0;                   // and step
  double pad_s = 0.0;                   // context added on each side before features (0: the speech alone)
  // The recording's own speaker statistics (speaker-normalised models).
  std::string enroll_scope = "online";  // online: segments so far | recording: all (files only)
  double enroll_prior = 10.0;           // pseudo-segments of the training speakers' statistics
  // Output.
  double smooth_s = 0.0;                // time constant of causal smoothing of p_ (0: none)
  double min_trusted_s = 1.0;           // shorter segments are flagged "short"
  std::string channels = "mix";         // mix | separate
  int sample_rate = 16000;              // raw PCM on stdin and ALSA capture (Hz)

  void validate() const;  // every row's check and the cross-key rules; throws naming the key
};

const std::vector<Field<AnalyzeSettings>>& analyze_fields();

// The [analyze] table of a TOML file (other tables are ignored); throws seraug::Error
// naming the file and the key.
AnalyzeSettings load_analyze_settings(const std::string& path);
// Settings a front end gives as text (a flag's word, a Python value as TOML), over
// `base`, each checked by its row; then validate(). Throws "analyze.<name> …".
AnalyzeSettings with_analyze_settings(AnalyzeSettings base, const std::vector<std::pair<std::string, std::string>>& given,
                                      ValueSyntax syntax);

// docs/parameters.md's [analyze] section (its heading, a paragraph and the table).
std::string analyze_parameters_markdown();

}  // namespace seraug
