// Low-level descriptors (LLDs): small components that turn one analysed frame into a
// few numbers. A feature set lists the LLDs it uses (see feature_set.hpp); each
// component declares its output count and is created by name-free factory from its spec.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "seraug/features/frame_analysis.hpp"

namespace seraug {

enum class LldKind {
  RmsEnergy,         // sqrt(mean(x^2)) of the windowed frame
  Mfcc,              // HTK-style mel-frequency cepstral coefficients
  ZeroCrossingRate,  // zero crossings per sample of the raw frame
  VoicingProbability,// ACF peak / ACF(0) in the pitch lag range
  PitchAcf,          // F0 in Hz from the cepstrum, 0 when unvoiced
};

struct MfccParams {
  int bands = 26;          // triangular mel filters
  double low_hz = 0.0;     // filterbank edges; high_hz is clamped to Nyquist
  double high_hz = 8000.0;
  int first = 1, last = 12;  // cepstral coefficients kept (inclusive)
  double lifter = 22.0;    // HTK sinusoidal liftering constant; 0 disables
  bool power = false;      // filter the power spectrum |X|^2 instead of |X|
  double sample_scale = 32768.0;  // HTK analyses 16-bit integer samples; openSMILE's
                                  // non-HTK mode uses the float samples (1)
  double log_floor = 1e-8;        // band energies are floored here before the log
  bool log_bands = false;         // output the log band energies instead of cepstra
};

struct PitchParams {
  double max_pitch_hz = 500.0;   // shortest lag searched
  double voicing_cutoff = 0.55;  // frames with voicing below it get F0 = 0
};

struct LldSpec {
  LldKind kind;
  std::string name;  // openSMILE's contour name, e.g. "pcm_fftMag_mfcc"
  MfccParams mfcc{};
  PitchParams pitch{};
};

class LldComponent {
 public:
  virtual ~LldComponent() = default;
  // Number of values per frame (1, or an array such as MFCC 1..12).
  virtual int size() const = 0;
  // Index printed in "[i]" for array outputs; -1 for scalar descriptors.
  virtual int array_index(int element) const { (void)element; return -1; }
  // Called at the start of each utterance (components with memory, e.g. F0 smoothing).
  virtual void reset() {}
  // Writes size() values for the loaded frame.
  virtual void compute(FrameAnalysis& frame, double* out) = 0;
};

std::unique_ptr<LldComponent> make_lld(const LldSpec& spec, const FrameGeometry& geometry);

// Building blocks, exposed for tests against known answers.
double hz_to_mel(double hz);  // HTK: 1127 ln(1 + f/700)
// Zero-crossing rate with openSMILE's convention: a sample exactly at zero between
// neighbours of opposite (or zero) sign counts as a crossing.
double zero_crossing_rate(const float* x, int n);

}  // namespace seraug
