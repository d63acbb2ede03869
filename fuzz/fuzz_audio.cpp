// libFuzzer target: arbitrary bytes as an audio file (through libsndfile's virtual I/O),
// decoded and, when that succeeds, run through IS09 extraction. Any seraug::Error is an
// accepted outcome; crashes, sanitizer reports and non-finite features are not.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/features/extractor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static seraug::FeatureExtractor extractor(seraug::feature_set("is09"));
  try {
    auto stream = seraug::AudioStream::open_memory(std::span<const unsigned char>(data, size), "fuzz.wav");
    if (stream->info().file_frames > 48000 * 20) return 0;  // keep each input fast
    for (double v : extractor.extract(*stream))
      if (!std::isfinite(v)) std::abort();
  } catch (const seraug::Error&) {
  }
  return 0;
}
