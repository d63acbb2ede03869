// Analysing whole inputs: a recording file read in blocks (never whole), raw 16-bit PCM
// from a file descriptor (stdin) and ALSA capture, each segment handed to `emit` as soon
// as it closes.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "seraug/analysis/analyzer.hpp"
#include "seraug/analysis/timeline.hpp"

namespace seraug {

using SegmentSink = std::function<void(const SegmentResult&)>;

// A file in any format the audio layer reads, at its own rate; channels mixed, or one
// analyser per channel (settings.channels = separate). On a read error part-way (a
// truncated or corrupt file) throws seraug::Error naming the file and saying how much
// was analysed before it.
RecordingSummary analyze_recording(const TrainedModel& model, const std::string& path, const AnalyzeSettings& settings, int threads,
                                   const std::optional<ZScore>& enrolment, const SegmentSink& emit);

// The same over an encoded file's bytes in memory (an upload); `name` stands for the file
// in rows and messages. The caller keeps `bytes` alive during the call.
RecordingSummary analyze_recording_bytes(const TrainedModel& model, std::span<const unsigned char> bytes, const std::string& name,
                                         const AnalyzeSettings& settings, int threads, const std::optional<ZScore>& enrolment,
                                         const SegmentSink& emit);

// Mono signed 16-bit little-endian PCM to samples in [-1, 1], as it arrives in pieces of
// any length (stdin reads, the requests of a live stream): a piece's odd last byte is
// kept and paired with the next piece's first.
class Pcm16Decoder {
 public:
  // Replaces `samples` with the samples `bytes` completes.
  void decode(std::span<const unsigned char> bytes, std::vector<float>& samples);
  bool holds_byte() const { return carried_ >= 0; }

 private:
  int carried_ = -1;  // the odd byte, or -1
};

// Mono signed 16-bit little-endian PCM at settings.sample_rate from `fd` until its end
// or an interrupt (Ctrl-C): what was closed is emitted; the open stretch is closed at
// the end of the input, not on an interrupt. `name` stands for the source in rows.
RecordingSummary analyze_raw_pcm(const TrainedModel& model, int fd, const std::string& name, const AnalyzeSettings& settings,
                                 const std::optional<ZScore>& enrolment, const SegmentSink& emit);

// The same from an ALSA capture device ("default", "hw:1,0", ...) until an interrupt.
// Throws seraug::Error naming the device when it cannot be opened or read.
RecordingSummary analyze_alsa_capture(const TrainedModel& model, const std::string& device, const AnalyzeSettings& settings,
                                      const std::optional<ZScore>& enrolment, const SegmentSink& emit);

}  // namespace seraug
