#include "seraug/analysis/constructed.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "seraug/analysis/segmenter.hpp"
#include "seraug/analysis/vad.hpp"
#include "seraug/audio/perturb.hpp"
#include "seraug/common/error.hpp"

namespace seraug {
namespace {

std::size_t frame_samples(double rate) { return static_cast<std::size_t>(std::llround(kVadFrameSeconds * rate)); }

// Six clips of other speakers, each at unit power, summed and looped to `n` samples.
std::vector<float> babble_noise(const std::vector<SourceClip>& sources, std::size_t n, std::mt19937_64& rng) {
  if (sources.size() < 6) throw Error("babble noise needs at least 6 clips of other speakers, got " + std::to_string(sources.size()));
  std::vector<float> out(n, 0.0f);
  std::uniform_int_distribution<std::size_t> pick(0, sources.size() - 1);
  for (int talker = 0; talker < 6; ++talker) {
    std::size_t at = 0;
    std::uniform_int_distribution<std::size_t> offset(0, n);
    const std::size_t phase = offset(rng);  // each talker starts elsewhere
    while (at < n) {
      const auto& clip = sources[pick(rng)].samples;
      double power = 0;
      for (float v : clip) power += static_cast<double>(v) * v;
      const double gain = 1.0 / std::sqrt(std::max(power / std::max<std::size_t>(1, clip.size()), 1e-12));
      for (std::size_t i = 0; i < clip.size() && at < n; ++i, ++at) out[(at + phase) % n] += static_cast<float>(gain * clip[i]);
    }
  }
  return out;
}

double speech_power(const ConstructedRecording& r) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < r.samples.size(); ++i) {
    const auto k = static_cast<std::size_t>(static_cast<double>(i) / r.rate_hz / kVadFrameSeconds);
    if (k >= r.speech_frames.size() || !r.speech_frames[k]) continue;
    sum += static_cast<double>(r.samples[i]) * r.samples[i];
    ++count;
  }
  return count ? sum / static_cast<double>(count) : 0;
}

void add_noise_at(ConstructedRecording& r, const ConstructionSettings& s, const std::vector<SourceClip>& babble, std::mt19937_64& rng) {
  std::vector<float> noise;
  if (s.noise == "babble") noise = babble_noise(babble, r.samples.size(), rng);
  else if (s.noise == "white" || s.noise == "pink") noise = coloured_noise(r.samples.size(), s.noise, rng());
  else throw Error("`noise` must be white, pink or babble, got '" + s.noise + "'");
  double noise_power = 0;
  for (float v : noise) noise_power += static_cast<double>(v) * v;
  noise_power /= static_cast<double>(std::max<std::size_t>(1, noise.size()));
  const double gain = std::sqrt(speech_power(r) / std::max(noise_power, 1e-20) / std::pow(10.0, *s.snr_db / 10));
  for (std::size_t i = 0; i < r.samples.size(); ++i) r.samples[i] += static_cast<float>(gain * noise[i]);
}

}  // namespace

std::pair<std::size_t, std::size_t> speech_span(const std::vector<float>& clip, double rate_hz) {
  const std::size_t f = frame_samples(rate_hz);
  std::vector<double> energy;
  for (std::size_t at = 0; at + f <= clip.size(); at += f) {
    double e = 0;
    for (std::size_t i = at; i < at + f; ++i) e += static_cast<double>(clip[i]) * clip[i];
    energy.push_back(e);
  }
  if (energy.empty()) return {0, clip.size()};
  const double loudest = *std::max_element(energy.begin(), energy.end());
  const double floor = loudest * std::pow(10.0, -35.0 / 10);
  std::size_t first = 0, last = energy.size() - 1;
  while (first < last && energy[first] < floor) ++first;
  while (last > first && energy[last] < floor) --last;
  return {first * f, std::min(clip.size(), (last + 1) * f)};
}

ConstructedRecording construct_recording(const std::vector<SourceClip>& clips, double rate_hz, const ConstructionSettings& s,
                                         const std::vector<SourceClip>& babble) {
  if (clips.empty()) throw Error("a constructed recording needs at least one clip");
  std::mt19937_64 rng(s.seed);
  std::uniform_real_distribution<double> pause(s.pause_min_s, s.pause_max_s);
  ConstructedRecording r;
  r.rate_hz = rate_hz;
  const auto silence = [&](double seconds) { r.samples.insert(r.samples.end(), static_cast<std::size_t>(seconds * rate_hz), 0.0f); };
  silence(s.lead_s);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (std::size_t i = 0; i < clips.size(); ++i) {
    if (clips[i].samples.empty()) throw Error("clip " + clips[i].name + " is empty");
    if (i > 0) silence(pause(rng));
    const std::size_t at = r.samples.size();
    const auto [from, to] = speech_span(clips[i].samples, rate_hz);
    r.samples.insert(r.samples.end(), clips[i].samples.begin(), clips[i].samples.end());
    spans.emplace_back(at + from, at + to);
    r.clips.push_back({clips[i].name, clips[i].label, clips[i].speaker, static_cast<double>(at) / rate_hz,
                       static_cast<double>(r.samples.size()) / rate_hz, static_cast<double>(at + from) / rate_hz,
                       static_cast<double>(at + to) / rate_hz});
  }
  silence(s.lead_s);
  // Frame k is [k, k+1) x 10 ms in time (as the VAD's frames), whatever the rate.
  const auto frame_at = [&](std::size_t sample, bool up) {
    const double frames = static_cast<double>(sample) / rate_hz / kVadFrameSeconds;
    return static_cast<std::size_t>(up ? std::ceil(frames - 1e-9) : std::floor(frames + 1e-9));
  };
  r.speech_frames.assign(frame_at(r.samples.size(), false), 0);
  for (const auto& [from, to] : spans)
    for (std::size_t k = frame_at(from, false); k < std::min(r.speech_frames.size(), frame_at(to, true)); ++k) r.speech_frames[k] = 1;
  if (s.rt60_s > 0) r.samples = convolve_same_length(r.samples, synthetic_impulse_response(rate_hz, s.rt60_s, 0.0, rng()));
  if (s.snr_db) add_noise_at(r, s, babble, rng);
  return r;
}

std::vector<char> detected_speech_frames(const AnalyzeSettings& settings, const std::vector<float>& samples, double rate_hz) {
  auto vad = VoiceDetector::create(settings, rate_hz);
  Segmenter segmenter(settings);
  std::vector<VadFrame> frames;
  vad->push(samples, frames);
  std::vector<SegmentSpan> spans;
  for (const auto& f : frames) segmenter.push(f, spans);
  segmenter.finish(spans);
  std::vector<char> detected(frames.size(), 0);
  for (const auto& span : spans)
    std::fill(detected.begin() + static_cast<std::ptrdiff_t>(span.start),
              detected.begin() + static_cast<std::ptrdiff_t>(std::min(span.end, detected.size())), 1);
  return detected;
}

FrameScores score_frames(const std::vector<char>& truth, const std::vector<char>& detected) {
  FrameScores out;
  out.frames = std::max(truth.size(), detected.size());
  for (std::size_t k = 0; k < out.frames; ++k) {
    const bool t = k < truth.size() && truth[k], d = k < detected.size() && detected[k];
    out.true_positive += t && d, out.false_positive += !t && d, out.false_negative += t && !d;
  }
  return out;
}

double FrameScores::precision() const {
  return true_positive + false_positive ? static_cast<double>(true_positive) / static_cast<double>(true_positive + false_positive) : 0;
}
double FrameScores::recall() const {
  return true_positive + false_negative ? static_cast<double>(true_positive) / static_cast<double>(true_positive + false_negative) : 0;
}
double FrameScores::f1() const {
  const double p = precision(), r = recall();
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}
void FrameScores::add(const FrameScores& o) {
  true_positive += o.true_positive, false_positive += o.false_positive, false_negative += o.false_negative, frames += o.frames;
}

}  // namespace seraug
