// Audio input: any format libsndfile reads (WAV, FLAC, OGG/Vorbis, ...; 8/16/24/32-bit
// integer or float samples), delivered as a stream of mono float samples in [-1, 1].
//
// Multichannel input is downmixed by averaging the channels. By default samples come
// at the file's own rate (as openSMILE analyses them); AudioOptions::sample_rate_hz, when set,
// resamples through libsoxr (high quality). The stream reads in blocks, so memory stays
// bounded however long the file is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace seraug {

struct AudioOptions {
  std::optional<double> sample_rate_hz;  // resample to this rate; unset: keep the file's own rate
  std::optional<int> channel;            // deliver this channel (0-based) alone; unset: the mean of all
  // Throws seraug::Error "sample_rate: … Hz is outside 4000..384000 Hz" for a rate that
  // is set but not a finite rate in that range (0 included: unset means "native").
  void validate() const;
};

struct AudioInfo {
  std::string path;          // as given; used in every error message
  double file_rate_hz = 0;   // rate stored in the file
  double rate_hz = 0;        // rate of the samples this stream delivers
  int channels = 0;          // channels in the file (the stream is always mono)
  std::int64_t file_frames = 0;  // sample frames in the file
};

class AudioStream {
 public:
  // Opens a file; throws seraug::Error naming the path on a missing, unreadable,
  // corrupt or empty file, or on an unusable sample rate.
  static std::unique_ptr<AudioStream> open_file(const std::string& path,
                                                const AudioOptions& options = {});
  // Same, over bytes in memory (the caller keeps `bytes` alive while the stream lives);
  // `name` stands in for the path in messages.
  static std::unique_ptr<AudioStream> open_memory(std::span<const unsigned char> bytes,
                                                  const std::string& name,
                                                  const AudioOptions& options = {});
  // Mono samples already in memory (perturbed copies) at `rate_hz`; `name` stands in for
  // the path in messages. Throws seraug::Error on an empty signal, an unusable rate or a
  // non-finite sample.
  static std::unique_ptr<AudioStream> from_samples(std::vector<float> samples, double rate_hz, const std::string& name);
  virtual ~AudioStream() = default;

  virtual const AudioInfo& info() const = 0;
  // Fills up to out.size() mono samples; returns how many, 0 at the end of the stream.
  // Throws seraug::Error on a read failure or non-finite samples.
  virtual std::size_t read(std::span<float> out) = 0;
};

// Whole file as mono samples (tests and small tools; extraction streams instead).
std::vector<float> read_all_samples(AudioStream& stream);

// Writes mono float samples as a 16-bit PCM WAV (used by tests and examples).
void write_wav16(const std::string& path, std::span<const float> samples, int rate_hz,
                 int channels = 1);
// Writes mono samples as a 32-bit float WAV, losslessly and unclipped (perturbed copies may
// exceed full scale), through a temporary file renamed into place; refuses to replace a
// file this process read.
void write_wav_float(const std::string& path, std::span<const float> samples, int rate_hz);

}  // namespace seraug
