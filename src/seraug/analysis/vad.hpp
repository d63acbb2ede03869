// Voice activity detection: a decision per 10 ms frame of a mono stream, made as the
// samples arrive (memory does not grow with the stream's length).
//
//   energy  written here (docs/analyze.md): the frame's energy in 200–4000 Hz against a
//           noise floor tracked from the last 5 s of smoothed band energy (a percentile
//           of the non-speech frames); a frame is active when it is `vad_threshold_db` above that floor and above
//           -60 dBFS. It also reports whether the frame is voiced (normalised
//           autocorrelation peak >= 0.5 at a pitch of 60–400 Hz over 32 ms), which the
//           segmenter uses to drop noise bursts that hold no voiced speech.
//   webrtc  WebRTC's voice detection (Debian's libwebrtc-audio-processing 0.3), kept as
//           the anchor the energy detector is measured against; its active frames are
//           taken as voiced.
//
// Both see the stream resampled to 16 kHz (libsoxr), so frame k is [k, k+1) * 10 ms of
// the input whatever its rate.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"

namespace seraug {

inline constexpr double kVadFrameSeconds = 0.01;

struct VadFrame {
  bool active = false;  // speech by the detector's level test
  bool voiced = false;  // periodic (energy) / active (webrtc)
};

class VoiceDetector {
 public:
  // Throws seraug::Error for an unknown method or an unusable rate.
  static std::unique_ptr<VoiceDetector> create(const AnalyzeSettings& settings, double rate_hz);
  virtual ~VoiceDetector();
  // Appends one decision per frame that `samples` (mono, at rate_hz) complete.
  void push(std::span<const float> samples, std::vector<VadFrame>& out);

 protected:
  explicit VoiceDetector(double rate_hz);
  // One 10 ms frame of 160 samples at 16 kHz.
  virtual VadFrame decide(const float* frame) = 0;

 private:
  struct Resampler;
  std::unique_ptr<Resampler> resampler_;
  std::vector<float> pending_;  // 16 kHz samples not yet a whole frame
  std::vector<float> resampled_;
  double ratio_ = 1;  // 16 kHz / the stream's rate
};

}  // namespace seraug
