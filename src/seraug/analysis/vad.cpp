#include "seraug/analysis/vad.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <soxr.h>
#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include "seraug/audio/real_fft.hpp"
#include "seraug/common/error.hpp"

namespace seraug {
namespace {

constexpr double kRate = 16000;
constexpr std::size_t kFrame = 160;

// A second-order section (the biquad formulas of R. Bristow-Johnson's audio EQ cookbook,
// Butterworth Q), run as direct form I.
class Biquad {
 public:
  Biquad(double cutoff_hz, bool high_pass) {
    const double w = 2 * std::numbers::pi * cutoff_hz / kRate, alpha = std::sin(w) / std::numbers::sqrt2;  // Q = 1/sqrt(2)
    const double c = std::cos(w), a0 = 1 + alpha;
    b0_ = (high_pass ? (1 + c) / 2 : (1 - c) / 2) / a0;
    b1_ = (high_pass ? -(1 + c) : 1 - c) / a0;
    b2_ = b0_;
    a1_ = -2 * c / a0;
    a2_ = (1 - alpha) / a0;
  }
  double operator()(double x) {
    const double y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
    x2_ = x1_, x1_ = x, y2_ = y1_, y1_ = y;
    return y;
  }

 private:
  double b0_, b1_, b2_, a1_, a2_, x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

// The noise floor from the last 5 s of smoothed band energy: the median of the frames
// judged non-speech, when at least 0.5 s of them are in the window; otherwise (a long
// stretch of speech, or noise that just started) the 10th percentile of all frames,
// which lets the floor follow a rise in the noise. Not the minimum: the quietest instant
// of babble lies far below its usual level, and a floor there takes the babble for
// speech. Chosen with the threshold on `seraug continuous vad --seeds 1` (docs/analyze.md,
// "Voice activity detection": the minimum, low percentiles of all frames and the 30th
// and 70th percentiles of the non-speech frames were tried).
class NoiseFloor {
 public:
  double level() {
    scratch_.clear();
    for (std::size_t i = 0; i < ring_.size(); ++i)
      if (!active_[i]) scratch_.push_back(ring_[i]);
    const bool enough_pauses = scratch_.size() >= kMinPauseFrames;
    if (!enough_pauses) scratch_ = ring_;
    if (scratch_.empty()) return -200;
    const double fraction = enough_pauses ? 0.5 : 0.1;
    const auto k = static_cast<std::ptrdiff_t>(fraction * static_cast<double>(scratch_.size() - 1));
    std::nth_element(scratch_.begin(), scratch_.begin() + k, scratch_.end());
    return scratch_[static_cast<std::size_t>(k)];
  }
  void push(double level, bool active) {
    if (ring_.size() < kSpan) {
      ring_.push_back(level);
      active_.push_back(active);
    } else {
      ring_[next_] = level;
      active_[next_] = active;
    }
    next_ = (next_ + 1) % kSpan;
  }

 private:
  static constexpr std::size_t kSpan = 500, kMinPauseFrames = 50;
  std::size_t next_ = 0;
  std::vector<double> ring_, scratch_;
  std::vector<char> active_;
};

class EnergyDetector : public VoiceDetector {
 public:
  EnergyDetector(const AnalyzeSettings& s, double rate_hz)
      : VoiceDetector(rate_hz), threshold_db_(s.vad_threshold_db), fft_(1024), window_(kWindow, 0.f) {}

 private:
  static constexpr std::size_t kWindow = 512;  // 32 ms for the voicing check

  VadFrame decide(const float* frame) override {
    double energy = 0;
    std::copy(window_.begin() + kFrame, window_.end(), window_.begin());
    for (std::size_t i = 0; i < kFrame; ++i) {
      const double y = low_(high_(frame[i]));
      window_[kWindow - kFrame + i] = static_cast<float>(y);
      energy += y * y;
    }
    // Smoothed over three frames so that one quiet frame inside a vowel is no dip.
    recent_[count_++ % 3] = energy / kFrame;
    const double level_db = 10 * std::log10((recent_[0] + recent_[1] + recent_[2]) / 3 + 1e-12);
    VadFrame f;
    f.active = level_db > floor_.level() + threshold_db_ && level_db > -60;
    floor_.push(level_db, f.active);
    f.voiced = f.active && periodicity() >= 0.5;
    return f;
  }

  // The highest normalised autocorrelation at lags of 60–400 Hz pitch (FFT-based).
  double periodicity() {
    std::vector<float>& padded = padded_;  // (a member: no allocation per frame)
    std::fill(padded.begin(), padded.end(), 0.f);
    std::copy(window_.begin(), window_.end(), padded.begin());
    fft_.forward(padded, spectrum_);
    for (auto& b : spectrum_) b = std::norm(b);
    fft_.inverse(spectrum_, padded);
    const double r0 = padded[0];
    if (!(r0 > 1e-12)) return 0;
    double best = 0;
    for (std::size_t lag = static_cast<std::size_t>(kRate / 400); lag <= static_cast<std::size_t>(kRate / 60); ++lag) {
      const double unbiased = padded[lag] / r0 * static_cast<double>(kWindow) / static_cast<double>(kWindow - lag);
      best = std::max(best, unbiased);
    }
    return best;
  }

  double threshold_db_;
  Biquad high_{200, true}, low_{4000, false};
  NoiseFloor floor_;
  double recent_[3] = {0, 0, 0};
  std::size_t count_ = 0;
  RealFft fft_;
  std::vector<float> window_;
  std::vector<std::complex<float>> spectrum_;
  std::vector<float> padded_ = std::vector<float>(1024, 0.f);  // the window, zero-padded to the FFT's size
};

webrtc::VoiceDetection::Likelihood likelihood_of(const std::string& name) {
  if (name == "very-low") return webrtc::VoiceDetection::kVeryLowLikelihood;
  if (name == "moderate") return webrtc::VoiceDetection::kModerateLikelihood;
  if (name == "high") return webrtc::VoiceDetection::kHighLikelihood;
  return webrtc::VoiceDetection::kLowLikelihood;
}

class WebRtcDetector : public VoiceDetector {
 public:
  WebRtcDetector(const AnalyzeSettings& s, double rate_hz) : VoiceDetector(rate_hz), apm_(webrtc::AudioProcessing::Create()) {
    if (!apm_ || apm_->voice_detection()->Enable(true) != 0 ||
        apm_->voice_detection()->set_likelihood(likelihood_of(s.webrtc_likelihood)) != 0)
      throw Error("WebRTC's voice detection could not be set up");
  }

 private:
  VadFrame decide(const float* frame) override {
    std::copy(frame, frame + kFrame, buffer_);
    float* channels[1] = {buffer_};
    const webrtc::StreamConfig config(static_cast<int>(kRate), 1);
    if (apm_->ProcessStream(channels, config, config, channels) != 0) throw Error("WebRTC's voice detection refused a frame");
    const bool voice = apm_->voice_detection()->stream_has_voice();
    return {voice, voice};
  }

  std::unique_ptr<webrtc::AudioProcessing> apm_;
  float buffer_[kFrame];
};

}  // namespace

struct VoiceDetector::Resampler {
  soxr_t soxr = nullptr;
  ~Resampler() { soxr_delete(soxr); }
};

VoiceDetector::VoiceDetector(double rate_hz) {
  if (!(rate_hz >= 4000 && rate_hz <= 384000)) throw Error("voice detection needs a rate in 4000..384000 Hz, got " + std::to_string(rate_hz));
  if (rate_hz == kRate) return;
  resampler_ = std::make_unique<Resampler>();
  soxr_error_t err = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_MQ, 0);
  resampler_->soxr = soxr_create(rate_hz, kRate, 1, &err, &io, &quality, nullptr);
  if (err) throw Error(std::string("cannot resample for voice detection: ") + err);
  ratio_ = kRate / rate_hz;
}

VoiceDetector::~VoiceDetector() = default;

std::unique_ptr<VoiceDetector> VoiceDetector::create(const AnalyzeSettings& s, double rate_hz) {
  if (s.vad == "energy") return std::make_unique<EnergyDetector>(s, rate_hz);
  if (s.vad == "webrtc") return std::make_unique<WebRtcDetector>(s, rate_hz);
  throw Error("`vad` must be energy or webrtc, got '" + s.vad + "'");
}

void VoiceDetector::push(std::span<const float> samples, std::vector<VadFrame>& out) {
  if (resampler_) {
    resampled_.resize(static_cast<std::size_t>(std::ceil(static_cast<double>(samples.size()) * ratio_)) + 64);
    std::size_t consumed = 0, produced = 0;
    soxr_error_t err = soxr_process(resampler_->soxr, samples.data(), samples.size(), &consumed, resampled_.data(), resampled_.size(), &produced);
    if (err) throw Error(std::string("resampling for voice detection failed: ") + err);
    pending_.insert(pending_.end(), resampled_.begin(), resampled_.begin() + static_cast<std::ptrdiff_t>(produced));
  } else {
    pending_.insert(pending_.end(), samples.begin(), samples.end());
  }
  std::size_t at = 0;
  for (; at + kFrame <= pending_.size(); at += kFrame) out.push_back(decide(pending_.data() + at));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace seraug
