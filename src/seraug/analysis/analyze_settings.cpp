#include "seraug/analysis/analyze_settings.hpp"

#include <algorithm>

#include "seraug/common/declared_section.hpp"
#include "seraug/experiment/experiment_parameters.hpp"

namespace seraug {

const std::vector<Field<AnalyzeSettings>>& analyze_fields() {
  using S = AnalyzeSettings;
  static const std::vector<Field<S>> fields = with_defaults<S>({
      {choice_parameter("vad", "", {"energy", "webrtc"},
                        "voice activity detection: energy (band energy over a tracked noise floor, with a voicing check) or "
                        "webrtc (WebRTC's voice detection); docs/analyze.md compares them"),
       &S::vad},
      {number_parameter("vad_threshold_db", "", 3, 30, "energy VAD: dB above the noise floor that count as speech"), &S::vad_threshold_db},
      {choice_parameter("webrtc_likelihood", "", {"very-low", "low", "moderate", "high"},
                        "webrtc VAD: its likelihood setting (higher reports voice less readily)"),
       &S::webrtc_likelihood},
      {number_parameter("hangover_s", "", 0.05, 2, "seconds of non-speech that close a segment (adds to the live latency)"),
       &S::hangover_s},
      {number_parameter("min_voiced_s", "", 0, 2, "energy VAD: voiced (periodic) seconds a segment needs; rejects noise bursts"),
       &S::min_voiced_s},
      {number_parameter("min_segment_s", "", 0.1, 10, "speech shorter than this is dropped (seconds)"), &S::min_segment_s},
      {number_parameter("max_segment_s", "", 0.5, 60, "speech longer than this is analysed in overlapping windows (seconds)"),
       &S::max_segment_s},
      {number_parameter("window_s", "", 0.5, 60, "length of those windows (seconds)"), &S::window_s},
      {number_parameter("hop_s", "", 0.1, 60, "step between those windows (seconds)"), &S::hop_s},
      {number_parameter("pad_s", "", 0, 1, "context added before and after each segment's speech (seconds; at most hangover_s)"),
       &S::pad_s},
      {choice_parameter("enroll_scope", "", {"online", "recording"},
                        "speaker-normalised models: statistics of the segments so far (online; live input) or of the "
                        "whole recording (files; lines appear at the end)"),
       &S::enroll_scope},
      {number_parameter("enroll_prior", "", 0, 1000,
                        "shrink the recording's statistics towards the training speakers', weighted as this many segments"),
       &S::enroll_prior},
      {number_parameter("smooth_s", "", 0, 600, "time constant of causal smoothing of the probabilities over segments (0: none)"),
       &S::smooth_s},
      {number_parameter("min_trusted_s", "", 0, 60, "segments shorter than this are flagged `short`"), &S::min_trusted_s},
      {choice_parameter("channels", "", {"mix", "separate"},
                        "multichannel files: mix the channels, or analyse each as its own speaker (calls)"),
       &S::channels},
      {integer_parameter("sample_rate", "", 4000, 384000, "raw 16-bit PCM on stdin and ALSA capture: samples per second"),
       &S::sample_rate},
  });
  return fields;
}

void AnalyzeSettings::validate() const {
  validate_fields(analyze_fields(), *this, "analyze");
  if (pad_s > hangover_s)
    throw Error("analyze.pad_s (" + std::to_string(pad_s) + ") must not exceed analyze.hangover_s (" + std::to_string(hangover_s) +
                "): a segment closes after the hangover, and its padding must already have arrived");
  if (window_s > max_segment_s)
    throw Error("analyze.window_s must not exceed analyze.max_segment_s (a window is a piece of a long stretch)");
  if (hop_s > window_s) throw Error("analyze.hop_s must not exceed analyze.window_s (windows would leave gaps)");
  if (min_segment_s > max_segment_s) throw Error("analyze.min_segment_s must not exceed analyze.max_segment_s");
}

AnalyzeSettings load_analyze_settings(const std::string& path) { return load_declared_section(path, "analyze", analyze_fields()); }

AnalyzeSettings with_analyze_settings(AnalyzeSettings s, const std::vector<std::pair<std::string, std::string>>& given,
                                      ValueSyntax syntax) {
  return with_declared_settings(std::move(s), "analyze", analyze_fields(), given, syntax);
}

std::string analyze_parameters_markdown() {
  return "\n## [analyze]\n\n"
         "`seraug analyze MODEL FILE...` (an emotion timeline of continuous audio; docs/analyze.md). Each key is\n"
         "a flag of `analyze`, a keyword of Python's `seraug.analyze`, and a key of an `[analyze]` table in\n"
         "the file `analyze --config` reads.\n\n" +
         parameters_table_markdown(parameters_of(analyze_fields()), "");
}

}  // namespace seraug
