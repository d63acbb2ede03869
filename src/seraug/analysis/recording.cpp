#include "seraug/analysis/recording.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <poll.h>
#include <unistd.h>

#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {
namespace {

// Ten seconds a block: several segments per push, so that their features are extracted
// in parallel, and memory that does not grow with the file.
constexpr double kFileBlockSeconds = 10;

void emit_in_time_order(std::vector<SegmentResult> results, const SegmentSink& emit, RecordingSummary& summary) {
  std::stable_sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  for (const auto& r : results) emit(r);
  summary.segments += results.size();
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

using StreamOpener = std::function<std::unique_ptr<AudioStream>(const AudioOptions&)>;

// A recording opened by `open` (once per channel when they are analysed separately).
RecordingSummary analyze_opened(const TrainedModel& model, const StreamOpener& open, const std::string& path, const AnalyzeSettings& s,
                                int threads, const std::optional<ZScore>& enrolment, const SegmentSink& emit) {
  RecordingSummary summary{path, 0, 1, 0};
  std::vector<std::unique_ptr<AudioStream>> streams;
  streams.push_back(open(AudioOptions{}));
  const AudioInfo info = streams[0]->info();
  if (s.channels == "separate" && info.channels > 1) {
    streams.clear();
    for (int c = 0; c < info.channels; ++c) {
      AudioOptions o;
      o.channel = c;
      streams.push_back(open(o));
    }
  }
  summary.channels = static_cast<int>(streams.size());
  std::vector<ChannelAnalyzer> analyzers;
  for (std::size_t c = 0; c < streams.size(); ++c)
    analyzers.emplace_back(model, s, info.rate_hz, path, streams.size() > 1 ? static_cast<int>(c) + 1 : 0, threads, enrolment);
  std::vector<float> block(static_cast<std::size_t>(kFileBlockSeconds * info.rate_hz));
  try {
    for (bool more = true; more;) {
      check_interrupt();
      std::vector<SegmentResult> closed;
      more = false;
      for (std::size_t c = 0; c < streams.size(); ++c) {
        const std::size_t got = streams[c]->read(block);
        more = more || got > 0;
        for (auto& r : analyzers[c].push(std::span<const float>(block.data(), got))) closed.push_back(std::move(r));
      }
      summary.seconds = analyzers[0].seconds_received();
      emit_in_time_order(std::move(closed), emit, summary);
    }
    std::vector<SegmentResult> rest;
    for (auto& a : analyzers)
      for (auto& r : a.finish()) rest.push_back(std::move(r));
    emit_in_time_order(std::move(rest), emit, summary);
  } catch (const Interrupted&) {
    throw;
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + " (after analysing " + seconds_text(summary.seconds) + " s of " + path + ": " +
                std::to_string(summary.segments) + " segment(s))");
  }
  return summary;
}

}  // namespace

RecordingSummary analyze_recording(const TrainedModel& model, const std::string& path, const AnalyzeSettings& s, int threads,
                                   const std::optional<ZScore>& enrolment, const SegmentSink& emit) {
  return analyze_opened(model, [&](const AudioOptions& o) { return AudioStream::open_file(path, o); }, path, s, threads, enrolment, emit);
}

RecordingSummary analyze_recording_bytes(const TrainedModel& model, std::span<const unsigned char> bytes, const std::string& name,
                                         const AnalyzeSettings& s, int threads, const std::optional<ZScore>& enrolment,
                                         const SegmentSink& emit) {
  return analyze_opened(model, [&](const AudioOptions& o) { return AudioStream::open_memory(bytes, name, o); }, name, s, threads,
                        enrolment, emit);
}

namespace {

// Waits up to 100 ms for input so that an interrupt is seen while the source is quiet.
bool wait_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  const int r = ::poll(&p, 1, 100);
  if (r < 0 && errno != EINTR) throw Error(std::string("cannot wait for input: ") + std::strerror(errno));
  return r > 0;
}

}  // namespace

void Pcm16Decoder::decode(std::span<const unsigned char> bytes, std::vector<float>& samples) {
  const auto sample = [](unsigned low, unsigned high) {
    return static_cast<float>(static_cast<std::int16_t>(static_cast<std::uint16_t>(low | (high << 8)))) / 32768.0f;
  };
  samples.clear();
  std::size_t at = 0;
  if (carried_ >= 0 && !bytes.empty()) {
    samples.push_back(sample(static_cast<unsigned>(carried_), bytes[0]));
    carried_ = -1;
    at = 1;
  }
  for (; at + 1 < bytes.size(); at += 2) samples.push_back(sample(bytes[at], bytes[at + 1]));
  if (at < bytes.size()) carried_ = bytes[at];
}

RecordingSummary analyze_raw_pcm(const TrainedModel& model, int fd, const std::string& name, const AnalyzeSettings& s,
                                 const std::optional<ZScore>& enrolment, const SegmentSink& emit) {
  RecordingSummary summary{name, 0, 1, 0};
  ChannelAnalyzer analyzer(model, s, s.sample_rate, name, 0, 1, enrolment);
  std::vector<unsigned char> bytes(1 + static_cast<std::size_t>(s.sample_rate) / 50 * 2);  // up to 20 ms a read
  std::vector<float> samples;
  Pcm16Decoder decoder;
  while (!interrupted()) {
    if (!wait_readable(fd)) continue;
    const std::size_t room = bytes.size() - (decoder.holds_byte() ? 1 : 0);
    const ssize_t got = ::read(fd, bytes.data(), room);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(name + ": read failed: " + std::strerror(errno));
    if (got == 0) break;
    decoder.decode(std::span<const unsigned char>(bytes.data(), static_cast<std::size_t>(got)), samples);
    emit_in_time_order(analyzer.push(samples), emit, summary);
    summary.seconds = analyzer.seconds_received();
  }
  if (!interrupted()) emit_in_time_order(analyzer.finish(), emit, summary);
  return summary;
}

}  // namespace seraug
