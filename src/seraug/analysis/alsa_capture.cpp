// ALSA capture for analyze_alsa_capture (recording.hpp): mono signed 16-bit at the
// settings' rate, read 20 ms at a time; ALSA's plug layer converts from what the
// device offers.
#include <alsa/asoundlib.h>

#include "seraug/analysis/recording.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {
namespace {

struct PcmHandle {
  snd_pcm_t* pcm = nullptr;
  ~PcmHandle() {
    if (pcm) snd_pcm_close(pcm);
  }
};

std::string alsa_error(const std::string& device, const std::string& what, int err) {
  return "ALSA device '" + device + "': " + what + ": " + snd_strerror(err);
}

}  // namespace

RecordingSummary analyze_alsa_capture(const TrainedModel& model, const std::string& device, const AnalyzeSettings& s,
                                      const std::optional<ZScore>& enrolment, const SegmentSink& emit) {
  PcmHandle h;
  if (const int err = snd_pcm_open(&h.pcm, device.c_str(), SND_PCM_STREAM_CAPTURE, 0); err < 0)
    throw Error(alsa_error(device, "cannot open for capture", err));
  // Soft resampling on, 100 ms of device buffer: the latency this adds is part of what
  // docs/analyze.md measures.
  if (const int err = snd_pcm_set_params(h.pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                         static_cast<unsigned>(s.sample_rate), 1, 100000);
      err < 0)
    throw Error(alsa_error(device, "cannot capture mono 16-bit at " + std::to_string(s.sample_rate) + " Hz", err));
  RecordingSummary summary{device, 0, 1, 0};
  ChannelAnalyzer analyzer(model, s, s.sample_rate, device, 0, 1, enrolment);
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(s.sample_rate) / 50);
  std::vector<float> samples;
  while (!interrupted()) {
    snd_pcm_sframes_t got = snd_pcm_readi(h.pcm, pcm.data(), pcm.size());
    if (got == -EINTR) continue;
    if (got < 0) {
      // An overrun (the analyser fell behind) loses audio; recover and say so on stderr.
      if (snd_pcm_recover(h.pcm, static_cast<int>(got), 1) < 0) throw Error(alsa_error(device, "read failed", static_cast<int>(got)));
      continue;
    }
    samples.resize(static_cast<std::size_t>(got));
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<float>(pcm[i]) / 32768.0f;
    for (auto& r : analyzer.push(samples)) {
      emit(r);
      ++summary.segments;
    }
    summary.seconds = analyzer.seconds_received();
  }
  return summary;
}

}  // namespace seraug
