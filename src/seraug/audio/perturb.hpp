// Audio-domain perturbations: the transforms that made speech recognisers robust to new
// speakers, microphones and rooms, applied to a clip's samples before features are
// computed. Each has one declared parameter with a valid range:
//
//   speed=F   resampling by F (libsoxr, high quality): tempo, pitch and formants all
//             change by F, the clip lasts 1/F as long. F in [0.5, 2]. (Ko et al. 2015)
//   vtlp=A    vocal-tract-length perturbation: the spectral envelope of every 46 ms
//             frame is warped along frequency by A (piecewise linear, Jaitly & Hinton
//             2013) while the harmonics (pitch) and the duration stay; formants move by A.
//             A in [0.7, 1.3]. Written here (STFT on FFTW): no Debian library warps
//             formants alone.
//   pitch=S   pitch shift by S semitones, duration kept (libsox's WSOLA `pitch` effect,
//             as `sox in.wav out.wav pitch 100*S`); formants move with the pitch.
//             S in [-12, 12].
//   noise=D   additive noise at a signal-to-noise ratio of D dB over the whole clip:
//             white or pink Gaussian noise, or a random segment of a noise file
//             (PerturbSettings). D in [-10, 80]. Written here: a few lines of arithmetic.
//   reverb=T  convolution with a synthetic room impulse response whose energy decays by
//             60 dB in T seconds (RT60; direct path plus exponentially decaying Gaussian
//             tail at PerturbSettings::reverb_drr_db), T in [0, 3]; T = 0 is the
//             identity. reverb=file uses a random impulse response of
//             PerturbSettings::impulse_dir instead. Written here (FFT convolution): libsox's
//             `reverb` is Freeverb, which has no RT60.
//
// A copy is a chain of perturbations applied in order ("speed=0.9,noise=20"). Random
// parts (noise, impulse responses) are drawn from a seed, so the same seed gives the same
// copy bit for bit, on any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "seraug/common/parameter.hpp"

namespace seraug {

enum class PerturbKind { Speed, Vtlp, Pitch, Noise, Reverb };

struct Perturbation {
  PerturbKind kind = PerturbKind::Speed;
  double value = 1.0;       // the declared parameter (factor, warp, semitones, dB, seconds)
  bool from_file = false;   // reverb=file: a user's impulse response instead of a synthetic one
  std::string text() const; // canonical "kind=value", e.g. "speed=1.1"
};

// One perturbed copy: its transforms in the order they are applied.
using PerturbationChain = std::vector<Perturbation>;

// "speed=1.1" / "speed=0.9,noise=20". Throws seraug::Error naming the text and the
// valid range on an unknown kind, a malformed number or a value out of range.
PerturbationChain parse_perturbation_chain(std::string_view text);
std::string chain_text(const PerturbationChain& chain);  // canonical, comma-joined
// Each text parsed; two texts of one chain ("speed=1.1", "speed=1.10") are refused, as
// each would give a copy of every clip under the same row names.
std::vector<PerturbationChain> parse_perturbation_chains(const std::vector<std::string>& texts, const std::string& what);
std::vector<std::string> perturbation_kinds();            // "speed", "vtlp", ...

struct PerturbSettings {
  std::string noise_color = "white";  // white | pink | files (segments of noise_dir's files)
  std::string noise_dir;              // audio files of noise, with noise_color = "files"
  std::string impulse_dir;            // impulse responses, for reverb=file
  double reverb_drr_db = 0.0;         // synthetic RIR: direct-to-reverberant energy ratio
  double vtlp_boundary = 0.8;         // vtlp: the warp is linear up to this fraction of Nyquist
  void validate() const;              // throws seraug::Error naming the setting
  // validate(), and that the chains use every setting given: noise_dir only with
  // noise_color = files and a noise step, noise_color other than white only with a noise
  // step, impulse_dir exactly when a step is reverb=file. A setting nothing uses would be
  // silently ignored, so it is refused naming it.
  void validate_use(const std::vector<PerturbationChain>& chains) const;
  std::string text() const;           // what changes copies, for cache keys
};

// The values a perturbation kind ("speed", "vtlp", "pitch", "noise", "reverb") takes:
// [low, high] in `unit`. Throws for another name.
struct PerturbationRange {
  double low, high;
  std::string unit;
};
PerturbationRange perturbation_range(const std::string& kind);

// The declaration of each setting of the perturbed copies (the [audio_augment] keys of an
// experiment, extract's --noise-color, --noise-dir, --impulse-dir, --reverb-drr-db and
// --vtlp-boundary, docs/parameters.md).
const std::vector<Field<PerturbSettings>>& perturb_fields();

// Applies `chain` to mono samples at `rate_hz` (samples in, samples out; the input is
// not changed). Non-speed transforms keep the length; speed returns round(n / F)
// samples. Throws seraug::Error on an unreadable noise or impulse file (naming it).
std::vector<float> perturb(const std::vector<float>& samples, double rate_hz, const PerturbationChain& chain, std::uint64_t seed,
                           const PerturbSettings& settings = {});

// The single transforms (what `perturb` chains); exposed for tests and benchmarks.
std::vector<float> change_speed(const std::vector<float>& samples, double factor);
std::vector<float> warp_vocal_tract(const std::vector<float>& samples, double rate_hz, double alpha, double boundary = 0.8);
std::vector<float> shift_pitch(const std::vector<float>& samples, double rate_hz, double semitones);
// Noise scaled so that 10 log10(signal power / noise power) = snr_db exactly.
std::vector<float> add_noise(const std::vector<float>& samples, const std::vector<float>& noise, double snr_db);
std::vector<float> coloured_noise(std::size_t n, const std::string& color, std::uint64_t seed);  // unit variance
// Synthetic RIR: h[0] = direct path, then the decaying tail; unit energy.
std::vector<float> synthetic_impulse_response(double rate_hz, double rt60_seconds, double drr_db, std::uint64_t seed);
// Convolution with `impulse` aligned on its strongest tap, truncated to the input length.
std::vector<float> convolve_same_length(const std::vector<float>& samples, const std::vector<float>& impulse);

}  // namespace seraug
