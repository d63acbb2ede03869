// Pitch shift through libsox's `pitch` effect (WSOLA time stretch, then resampling back
// to the original rate with its `rate` effect): the chain is the one the sox program
// builds for `sox in.wav out.wav pitch CENTS`, fed from and drained into memory by two
// small effects of our own. libsox keeps global state, so chains run one at a time.
#include <sox.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include "seraug/audio/perturb.hpp"
#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// 6 dB of headroom: a shifted signal may peak above the original.
constexpr double kHeadroom = 0.5;
constexpr double kFullScale = 2147483647.0;

struct Buffers {
  const std::vector<float>* in = nullptr;
  std::size_t read = 0;
  std::vector<float> out;
};

Buffers*& buffers_of(sox_effect_t* effect) { return *static_cast<Buffers**>(effect->priv); }

int feed_input(sox_effect_t* effect, sox_sample_t* obuf, size_t* osamp) {
  Buffers& b = *buffers_of(effect);
  const std::size_t n = std::min(*osamp, b.in->size() - b.read);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = std::clamp(static_cast<double>((*b.in)[b.read + i]) * kHeadroom, -1.0, 1.0);
    obuf[i] = static_cast<sox_sample_t>(std::lround(v * kFullScale));
  }
  b.read += n;
  *osamp = n;
  return n == 0 ? SOX_EOF : SOX_SUCCESS;
}

int collect_output(sox_effect_t* effect, const sox_sample_t* ibuf, sox_sample_t*, size_t* isamp, size_t* osamp) {
  Buffers& b = *buffers_of(effect);
  for (std::size_t i = 0; i < *isamp; ++i) b.out.push_back(static_cast<float>(ibuf[i] / kFullScale / kHeadroom));
  *osamp = 0;
  return SOX_SUCCESS;
}

const sox_effect_handler_t* input_handler() {
  static const sox_effect_handler_t h = {"seraug_input", nullptr, SOX_EFF_MCHAN, nullptr, nullptr, nullptr, feed_input, nullptr, nullptr, sizeof(Buffers*)};
  return &h;
}

const sox_effect_handler_t* output_handler() {
  static const sox_effect_handler_t h = {"seraug_output", nullptr, SOX_EFF_MCHAN, nullptr, nullptr, collect_output, nullptr, nullptr, nullptr, sizeof(Buffers*)};
  return &h;
}

std::mutex& sox_mutex() {
  static std::mutex m;
  return m;
}

// Initialised once per process, quietly (libsox prints its warnings to stderr otherwise).
void initialise_sox() {
  static const bool ok = [] {
    sox_globals.verbosity = 0;
    return sox_init() == SOX_SUCCESS;
  }();
  if (!ok) throw Error("pitch perturbation: libsox failed to initialise");
}

// Adds an effect (created by handler, with string options) to the chain; `signal` is
// updated to the effect's output.
void add_effect(sox_effects_chain_t* chain, const sox_effect_handler_t* handler, std::vector<std::string> args,
                sox_signalinfo_t& signal, const sox_signalinfo_t& target, Buffers* buffers) {
  if (!handler) throw Error("pitch perturbation: libsox lacks an effect it needs");
  sox_effect_t* effect = sox_create_effect(handler);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  if (buffers) buffers_of(effect) = buffers;
  const bool ok = sox_effect_options(effect, static_cast<int>(argv.size()), argv.data()) == SOX_SUCCESS &&
                  sox_add_effect(chain, effect, &signal, &target) == SOX_SUCCESS;
  free(effect);
  if (!ok) throw Error(std::string("pitch perturbation: libsox refused its '") + handler->name + "' effect");
}

}  // namespace

std::vector<float> shift_pitch(const std::vector<float>& samples, double rate_hz, double semitones) {
  if (samples.empty() || semitones == 0.0) return samples;
  std::lock_guard lock(sox_mutex());
  initialise_sox();
  Buffers buffers;
  buffers.in = &samples;
  sox_signalinfo_t signal{rate_hz, 1, 32, static_cast<sox_uint64_t>(samples.size()), nullptr};
  const sox_signalinfo_t target = signal;
  sox_encodinginfo_t encoding{};
  encoding.encoding = SOX_ENCODING_SIGN2;
  encoding.bits_per_sample = 32;
  sox_effects_chain_t* chain = sox_create_effects_chain(&encoding, &encoding);
  if (!chain) throw Error("pitch perturbation: libsox could not create an effects chain");
  try {
    add_effect(chain, input_handler(), {}, signal, target, &buffers);
    add_effect(chain, sox_find_effect("pitch"), {std::to_string(std::lround(semitones * 100))}, signal, target, nullptr);
    add_effect(chain, sox_find_effect("rate"), {"-h"}, signal, target, nullptr);
    add_effect(chain, output_handler(), {}, signal, target, &buffers);
    sox_flow_effects(chain, nullptr, nullptr);
  } catch (...) {
    sox_delete_effects_chain(chain);
    throw;
  }
  sox_delete_effects_chain(chain);
  // WSOLA may end a few samples away from the input's length: keep the clip's duration.
  buffers.out.resize(samples.size(), 0.0f);
  return buffers.out;
}

}  // namespace seraug
