// libFuzzer target: arbitrary bytes as an audio file (through libsndfile's virtual I/O),
// decoded and, when that succeeds, run through IS09 and eGeMAPS extraction (their
// pipelines differ: streamed frames vs whole-utterance pitch tracking). Any seraug::Error
// is an accepted outcome; crashes, sanitizer reports and non-finite features are not.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/features/extractor.hpp"

namespace {

void extract_checked(seraug::FeatureExtractor& extractor, const std::uint8_t* data, std::size_t size) {
  try {
    auto stream = seraug::AudioStream::open_memory(std::span<const unsigned char>(data, size), "fuzz.wav");
    if (stream->info().file_frames > 48000 * 20) return;  // keep each input fast
    for (double v : extractor.extract(*stream))
      if (!std::isfinite(v)) std::abort();
  } catch (const seraug::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static seraug::FeatureExtractor is09(seraug::feature_set("is09"));
  static seraug::FeatureExtractor egemaps(seraug::feature_set("egemaps"));
  extract_checked(is09, data, size);
  extract_checked(egemaps, data, size);
  return 0;
}
