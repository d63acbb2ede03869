// F0 by subharmonic summation (Hermes 1988) with Viterbi smoothing, as the Geneva sets
// (GeMAPS / eGeMAPS) define it: a 60 ms Gaussian-windowed magnitude spectrum is
// resampled onto a log2 (octave) axis, compressed copies shifted down by log2(h) for
// harmonics h = 2..15 are summed, and the highest sums are the F0 candidates of a frame.
// An online Viterbi search over the candidates (plus an "unvoiced" state, decisions
// within a 40-frame buffer) then picks a smooth contour. Parameter values follow openSMILE's
// GeMAPSv01b configuration; the code is our own.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "seraug/features/frame_analysis.hpp"

namespace seraug {

struct PitchCandidate {
  double f0_hz = 0;    // 0: empty slot
  double voicing = 0;  // 1 - mean(SHS) / peak(SHS), in [0, 1)
};

struct ShsParams {
  double lowest_hz = 25.0;   // bottom of the octave axis
  double min_pitch_hz = 55.0, max_pitch_hz = 1000.0;
  int harmonics = 15;
  double compression = 0.85;  // weight of harmonic h is compression^(h-1)
  int candidates = 6;
  double voicing_cutoff = 0.70;
};

class ShsPitch {
 public:
  // `geometry`: the 60 ms frames whose magnitude spectra candidates() receives.
  ShsPitch(const FrameGeometry& geometry, const ShsParams& params = {});
  ~ShsPitch();
  ShsPitch(const ShsPitch&) = delete;
  ShsPitch& operator=(const ShsPitch&) = delete;

  // Frames analysed together by the batch call below.
  static constexpr int kBatch = 4;

  // The best params.candidates SHS peaks of the frame that lie in the pitch range
  // (possibly fewer), the highest score first. `magnitude` has bins() values.
  std::vector<PitchCandidate> candidates(std::span<const float> magnitude);
  // The same for out.size() <= kBatch frames at once, frame f's spectrum at
  // magnitudes[f * bins()]; each frame gets exactly what the call above gives it, but
  // the spline's sequential recurrences of the frames run side by side (about twice the
  // throughput).
  void candidates(std::span<const float> magnitudes, std::span<std::vector<PitchCandidate>> out);
  int bins() const;  // fft_size / 2 + 1
  const ShsParams& params() const { return params_; }

  struct Axis;  // the resampling geometry and work buffers (opaque; pitch_shs.cpp)

 private:
  // Candidates from the averaged sums in batch lane `lane`, whose mean over the axis is `mean`.
  std::vector<PitchCandidate> best_peaks(std::size_t lane, double mean);

  ShsParams params_;
  std::unique_ptr<Axis> axis_;
};

// SHS candidates of frames 0..frames-1 of `signal` as `analysis` frames them (its
// geometry and window; frame t starts at t * step), in batches. `also(t, analysis)`, if
// given, sees each loaded frame first, for other measures of the same frame.
std::vector<std::vector<PitchCandidate>> shs_candidates(std::span<const float> signal, int frames, FrameAnalysis& analysis,
                                                        ShsPitch& shs,
                                                        const std::function<void(int, FrameAnalysis&)>& also = nullptr);
// The same into `out` (resized to `frames`); `batch_done(first, count)`, if given, is
// called after each batch's candidates are in out[first .. first + count).
void shs_candidates(std::span<const float> signal, int frames, FrameAnalysis& analysis, ShsPitch& shs,
                    std::vector<std::vector<PitchCandidate>>& out, const std::function<void(int, FrameAnalysis&)>& also,
                    const std::function<void(int, int)>& batch_done);

// Viterbi costs (openSMILE's cPitchSmootherViterbi semantics and GeMAPS weights).
struct ViterbiWeights {
  double local = 2.0;          // -log(voicing) of a candidate
  double voiced_voiced = 10.0; // |log(f1/f0)| between consecutive voiced frames
  double voiced_delta = 10.0;  // change of that log ratio (openSMILE sets it equal to
                               // voiced_voiced whatever its wTvvd says)
  double voicing_switch = 10.0;// voiced <-> unvoiced transition
  double unvoiced_unvoiced = 1.0; // openSMILE's wTuu = 0 never applies (its test for
                                  // u->u is always false), so such steps cost 1
  double threshold = 4.0;      // choosing against the voicing-cutoff decision
  double range = 1.0;          // penalty outside the 100-350 Hz comfort range
  int slots = 6;               // candidate states per frame (empty slots are states too)
  int buffer_frames = 40;      // online decision buffer (openSMILE's bufferLength)
};
// F0 in Hz per frame (0 = unvoiced) from each frame's candidates.
std::vector<double> viterbi_pitch(const std::vector<std::vector<PitchCandidate>>& frames,
                                  double voicing_cutoff, const ViterbiWeights& w = {});
// The same search, also returning each frame's voicing: that of the chosen candidate, or
// of the frame's best candidate when the unvoiced state is chosen (openSMILE's
// voicingFinalUnclipped).
struct PitchTrack {
  std::vector<double> f0, voicing;
};
PitchTrack viterbi_pitch_track(const std::vector<std::vector<PitchCandidate>>& frames, double voicing_cutoff,
                               const ViterbiWeights& w = {});

// What a caller of gated_viterbi_pitch may see of each frame on the way, so that it need
// not frame and transform the signal again. Either may be empty.
struct PitchFrameHooks {
  // Frame t, loaded in the pitch chain's FrameAnalysis (t = 0, 1, ... in turn).
  std::function<void(int t, FrameAnalysis& loaded)> loaded;
  // Frame t's final F0 in Hz after the gate (0 = unvoiced), in turn, at most
  // pitch_decision_lag(w) frames after loaded(t): a caller can keep what it needs of
  // the frames in between in a ring of that many + 1.
  std::function<void(int t, double f0_hz)> decided;
};
int pitch_decision_lag(const ViterbiWeights& w);

// The Geneva/ComParE pitch chain on the first `frames` frames of `signal` (Gaussian
// frames of geometry `g`): SHS candidates, the Viterbi track, then openSMILE's energy
// gate, which zeroes F0 and voicing where the windowed frame's RMS is below
// `energy_floor` (0.001 in its configurations). The search runs as frames arrive, with
// max(w.slots, shs.candidates) candidate states per frame (viterbi_pitch_track's count
// whenever shs.candidates <= w.slots, as in every set here).
PitchTrack gated_viterbi_pitch(std::span<const float> signal, const FrameGeometry& g, int frames, const ShsParams& shs,
                               const ViterbiWeights& w, double energy_floor = 0.001, const PitchFrameHooks& hooks = {});

}  // namespace seraug
