// The Viterbi pitch tracker over SHS candidates (pitch_shs.hpp): openSMILE's online
// decoding with its range penalty.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <iterator>

#include "seraug/common/error.hpp"
#include "seraug/features/pitch_shs.hpp"

namespace seraug {

namespace {

// Frequency-range penalty: 0 inside 100-350 Hz, rising outside.
double range_penalty(double f) {
  if (f <= 0.0) return 2.0;
  if (f < 100.0) return 1.0 - f / 100.0;
  if (f < 350.0) return 0.0;
  if (f < 600.0) return (f - 350.0) / 250.0;
  return 1.2;
}

}  // namespace

namespace {

// openSMILE's incremental Viterbi, reproduced with its quirks because eGeMAPS values
// depend on them: the "delta" term compares each transition with whichever transition
// was costed just before it (one running value, not the change along the path); an
// empty candidate slot is a state too; and decisions are made online with a 40-frame
// path buffer (a frame is fixed once all paths agree on it, or forced from the best
// path when the buffer is full).
class OnlineViterbi {
 public:
  // `frames` may still be filling in: step(t) reads only frames[t - 1] and frames[t].
  OnlineViterbi(const std::vector<std::vector<PitchCandidate>>& frames, std::size_t slots, double cutoff, const ViterbiWeights& w)
      : frames_(frames), slots_(slots), states_(slots + 1), cutoff_(cutoff), w_(w),
        buffer_(static_cast<std::size_t>(std::max(1, w.buffer_frames))), cost_(states_), next_cost_(states_),
        paths_(states_ * buffer_), next_paths_(states_ * buffer_) {}

  // Every frame of `frames` at once.
  void decode() {
    for (std::size_t t = 0; t < frames_.size(); ++t) step(t);
    finish();
  }

  // Adds frame t (t = 0, 1, ... in turn); frames before decided_count() are then final.
  void step(std::size_t t) {
    const std::size_t S = states_, B = buffer_;
    decided_.push_back(unvoiced());
    if (t == 0) {
      for (std::size_t s = 0; s < S; ++s) cost_[s] = local(0, s), paths_[s * B] = s;
    } else {
      for (std::size_t s = 0; s < S; ++s) {
        std::size_t from = 0;
        double best = transition(t, s, 0) + cost_[0];
        for (std::size_t p = 1; p < S; ++p) {
          const double c = transition(t, s, p) + cost_[p];
          if (c < best) best = c, from = p;
        }
        next_cost_[s] = best + local(t, s);
        std::copy_n(paths_.begin() + static_cast<long>(from * B), B, next_paths_.begin() + static_cast<long>(s * B));
        next_paths_[s * B + t % B] = s;
      }
      cost_.swap(next_cost_);
      paths_.swap(next_paths_);
    }
    const long filled = static_cast<long>(t) + 1;
    if (filled - converged_ > static_cast<long>(B)) {
      ++converged_;
      decided_[static_cast<std::size_t>(converged_)] = paths_[cheapest(cost_) * B + static_cast<std::size_t>(converged_) % B];
    } else {
      for (long n = converged_ + 1; n < filled; ++n) {
        const std::size_t x = paths_[static_cast<std::size_t>(n) % B];
        bool agree = true;
        for (std::size_t s = 1; s < S && agree; ++s) agree = paths_[s * B + static_cast<std::size_t>(n) % B] == x;
        if (!agree) break;
        decided_[static_cast<std::size_t>(++converged_)] = x;
      }
    }
  }

  // After the last step: the best path decides the frames still open.
  void finish() {
    const std::size_t T = decided_.size();
    if (T == 0) return;
    const std::size_t s = cheapest(cost_);
    for (long n = converged_ + 1; n < static_cast<long>(T); ++n) decided_[static_cast<std::size_t>(n)] = paths_[s * buffer_ + static_cast<std::size_t>(n) % buffer_];
    converged_ = static_cast<long>(T) - 1;
  }

  std::size_t decided_count() const { return static_cast<std::size_t>(converged_ + 1); }
  std::size_t state(std::size_t t) const { return decided_[t]; }

  double freq(std::size_t t, std::size_t s) const { return s < frames_[t].size() ? frames_[t][s].f0_hz : 0.0; }
  std::size_t unvoiced() const { return slots_; }

 private:
  double voicing(std::size_t t, std::size_t s) const { return s < frames_[t].size() ? frames_[t][s].voicing : 0.0; }

  static std::size_t cheapest(const std::vector<double>& cost) {
    return static_cast<std::size_t>(std::min_element(cost.begin(), cost.end()) - cost.begin());
  }

  double local(std::size_t t, std::size_t s) const {
    if (s == unvoiced()) {
      for (std::size_t j = 0; j < slots_; ++j)
        if (voicing(t, j) >= cutoff_) return w_.local * w_.threshold;
      return 0.0;
    }
    const double pv = std::clamp(voicing(t, s), 0.01, 1.0);
    const double thr = pv < cutoff_ ? w_.threshold : 0.0;
    return (-std::log(pv) + thr) * w_.local + range_penalty(freq(t, s)) * w_.range;
  }

  double transition(std::size_t t, std::size_t s, std::size_t p) {
    const bool now_voiced = s != unvoiced(), before_voiced = p != unvoiced();
    if (now_voiced && before_voiced) {
      const double f_prev = freq(t - 1, p), f_now = freq(t, s);
      if (f_prev <= 0.0 || f_now <= 0.0) return 999.0;  // empty slot
      const double r = std::log(f_now / f_prev);
      const double c = w_.voiced_voiced * std::fabs(r) + w_.voiced_delta * std::fabs(r - last_change_);
      last_change_ = r;
      return c;
    }
    if (now_voiced != before_voiced) {
      last_change_ = 0.0;
      return w_.voicing_switch;
    }
    return w_.unvoiced_unvoiced;
  }

  const std::vector<std::vector<PitchCandidate>>& frames_;
  std::size_t slots_, states_;
  double cutoff_;
  ViterbiWeights w_;
  double last_change_ = 1.0;
  std::size_t buffer_;                    // path buffer length B
  std::vector<double> cost_, next_cost_;  // per state: the best path's cost
  std::vector<std::size_t> paths_, next_paths_;  // per state: the last B frames' states of its best path
  std::vector<std::size_t> decided_;      // per frame added: its state (final below decided_count())
  long converged_ = -1;                   // last decided frame
};

}  // namespace

namespace {

// F0 and voicing of every frame of a finished search: the chosen candidate's, or for the
// unvoiced state F0 0 and the frame's best candidate's voicing.
PitchTrack decided_track(const OnlineViterbi& viterbi, const std::vector<std::vector<PitchCandidate>>& frames) {
  PitchTrack track{std::vector<double>(frames.size(), 0.0), std::vector<double>(frames.size(), 0.0)};
  for (std::size_t t = 0; t < frames.size(); ++t) {
    const std::size_t state = viterbi.state(t);
    track.f0[t] = viterbi.freq(t, state);
    const std::size_t shown = state == viterbi.unvoiced() ? 0 : state;
    track.voicing[t] = shown < frames[t].size() ? frames[t][shown].voicing : 0.0;
  }
  return track;
}

}  // namespace

PitchTrack viterbi_pitch_track(const std::vector<std::vector<PitchCandidate>>& frames, double cutoff, const ViterbiWeights& w) {
  std::size_t slots = static_cast<std::size_t>(std::max(0, w.slots));
  for (const auto& f : frames) slots = std::max(slots, f.size());
  OnlineViterbi viterbi(frames, slots, cutoff, w);
  viterbi.decode();
  return decided_track(viterbi, frames);
}

std::vector<double> viterbi_pitch(const std::vector<std::vector<PitchCandidate>>& frames, double cutoff, const ViterbiWeights& w) {
  return viterbi_pitch_track(frames, cutoff, w).f0;
}

namespace {

// RMS of windowed frames, four at a time: each frame's energy is one running sum in
// sample order, which waits on every addition's latency; four frames' sums interleaved
// keep the adder busy and add exactly what each frame alone would.
class FrameRms {
 public:
  FrameRms(int frame_samples, int frames)
      : samples_(static_cast<std::size_t>(frame_samples)), held_(kHeld * samples_), rms_(static_cast<std::size_t>(std::max(0, frames))) {}

  // Frames arrive in order, t = 0, 1, ...; the last one flushes what is held.
  void add(int t, std::span<const float> windowed) {
    std::copy(windowed.begin(), windowed.end(), held_.begin() + static_cast<std::ptrdiff_t>(count_ * samples_));
    ++count_;
    if (count_ == kHeld || static_cast<std::size_t>(t) + 1 == rms_.size()) flush(t);
  }
  const std::vector<double>& rms() const { return rms_; }

 private:
  static constexpr std::size_t kHeld = ShsPitch::kBatch;  // flushes when an SHS batch is loaded

  void flush(int last) {
    std::array<double, kHeld> e{};
    for (std::size_t i = 0; i < samples_; ++i)
      for (std::size_t f = 0; f < kHeld; ++f) {
        const float v = held_[f * samples_ + i];
        e[f] += static_cast<double>(v) * v;
      }
    const std::size_t first = static_cast<std::size_t>(last) + 1 - count_;
    for (std::size_t f = 0; f < count_; ++f) rms_[first + f] = std::sqrt(e[f] / static_cast<double>(samples_));
    count_ = 0;
  }

  std::size_t samples_, count_ = 0;
  std::vector<float> held_;  // kHeld frames, one after another (unused slots keep old samples, never read out)
  std::vector<double> rms_;
};

}  // namespace

int pitch_decision_lag(const ViterbiWeights& w) { return std::max(1, w.buffer_frames) + ShsPitch::kBatch; }

PitchTrack gated_viterbi_pitch(std::span<const float> signal, const FrameGeometry& g, int frames, const ShsParams& params,
                               const ViterbiWeights& w, double energy_floor, const PitchFrameHooks& hooks) {
  FrameAnalysis frame(g, 0.0, WindowKind::Gaussian);
  ShsPitch shs(g, params);
  FrameRms frame_rms(g.frame_samples, frames);
  const std::vector<double>& rms = frame_rms.rms();
  std::vector<std::vector<PitchCandidate>> candidates;
  const auto slots = static_cast<std::size_t>(std::max({0, w.slots, params.candidates}));
  OnlineViterbi viterbi(candidates, slots, params.voicing_cutoff, w);
  const auto below_floor = [&](std::size_t t) { return rms[t] < energy_floor; };  // openSMILE's energy gate
  const auto gated_f0 = [&](std::size_t t) { return below_floor(t) ? 0.0 : viterbi.freq(t, viterbi.state(t)); };
  std::size_t told = 0;  // frames passed to hooks.decided
  const auto tell_decided = [&] {
    for (; told < viterbi.decided_count(); ++told)
      if (hooks.decided) hooks.decided(static_cast<int>(told), gated_f0(told));
  };
  // Each batch's frames are searched as soon as their candidates are in; FrameRms holds
  // ShsPitch::kBatch frames too, so every searched frame's RMS is known.
  shs_candidates(
      signal, frames, frame, shs, candidates,
      [&](int t, FrameAnalysis& loaded) {
        frame_rms.add(t, loaded.windowed());
        if (hooks.loaded) hooks.loaded(t, loaded);
      },
      [&](int first, int count) {
        for (int t = first; t < first + count; ++t) viterbi.step(static_cast<std::size_t>(t));
        tell_decided();
      });
  viterbi.finish();
  tell_decided();

  PitchTrack track = decided_track(viterbi, candidates);
  for (std::size_t t = 0; t < rms.size(); ++t)
    if (below_floor(t)) track.f0[t] = track.voicing[t] = 0.0;
  return track;
}

}  // namespace seraug
