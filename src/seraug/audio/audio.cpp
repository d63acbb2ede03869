#include "seraug/audio/audio.hpp"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>


#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"

namespace seraug {
namespace {

std::uint32_t little_endian_u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 | static_cast<std::uint32_t>(p[2]) << 16 |
         static_cast<std::uint32_t>(p[3]) << 24;
}

// The bytes of audio a RIFF/WAVE file's data chunk declares (nullopt: not a WAV, or a
// size streaming writers leave while recording, 0 or 0xFFFFFFFF). libsndfile reads a
// WAV cut short as a shorter file without complaint; the declared size tells.
std::optional<std::uint64_t> declared_wav_data_bytes(std::istream& in) {
  unsigned char header[12];
  if (!in.read(reinterpret_cast<char*>(header), 12) || std::memcmp(header, "RIFF", 4) != 0 || std::memcmp(header + 8, "WAVE", 4) != 0)
    return std::nullopt;
  std::uint64_t at = 12;
  unsigned char chunk[8];
  while (in.read(reinterpret_cast<char*>(chunk), 8)) {
    const std::uint32_t length = little_endian_u32(chunk + 4);
    at += 8;
    if (std::memcmp(chunk, "data", 4) == 0) {
      if (length == 0 || length == 0xFFFFFFFFu) return std::nullopt;
      return length;
    }
    at += length + (length & 1u);
    in.seekg(static_cast<std::streamoff>(at));
  }
  return std::nullopt;
}

// Bytes per sample of the uncompressed encodings (0: another encoding).
int bytes_per_sample(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: return 1;
    case SF_FORMAT_PCM_16: return 2;
    case SF_FORMAT_PCM_24: return 3;
    case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: return 4;
    case SF_FORMAT_DOUBLE: return 8;
    default: return 0;
  }
}

constexpr double kMinRateHz = 4000.0;    // below this no speech feature set makes sense
constexpr double kMaxRateHz = 384000.0;
constexpr std::size_t kBlockFrames = 8192;
// Float files may exceed full scale (+-1) a little, or hold unscaled 16-bit values; far
// beyond that a file is damaged, and its energies would overflow the features' range.
constexpr float kMaxSampleMagnitude = 1e6f;

// libsndfile's virtual I/O over a memory buffer (lets fuzzers and tests decode bytes
// without touching the file system).
struct MemoryFile {
  std::span<const unsigned char> bytes;
  sf_count_t position = 0;
};

sf_count_t mem_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }
sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t size = static_cast<sf_count_t>(f->bytes.size());
  sf_count_t target = offset;
  if (whence == SEEK_CUR) target = f->position + offset;
  if (whence == SEEK_END) target = size + offset;
  f->position = std::clamp<sf_count_t>(target, 0, size);
  return f->position;
}
sf_count_t mem_read(void* out, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t size = static_cast<sf_count_t>(f->bytes.size());
  const sf_count_t n = std::clamp<sf_count_t>(count, 0, size - f->position);
  std::memcpy(out, f->bytes.data() + f->position, static_cast<std::size_t>(n));
  f->position += n;
  return n;
}
sf_count_t mem_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t mem_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
struct SoxrDeleter {
  void operator()(soxr* r) const { soxr_delete(r); }
};

class SndfileStream final : public AudioStream {
 public:
  SndfileStream(std::unique_ptr<MemoryFile> memory, const std::string& name,
                const AudioOptions& options)
      : memory_(std::move(memory)) {
    info_.path = name;
    SF_INFO sf{};
    if (memory_) {
      SF_VIRTUAL_IO io{mem_length, mem_seek, mem_read, mem_write, mem_tell};
      file_.reset(sf_open_virtual(&io, SFM_READ, &sf, memory_.get()));
    } else {
      file_.reset(sf_open(name.c_str(), SFM_READ, &sf));
    }
    if (!file_) throw file_error(name, describe_open_failure());
    info_.channels = sf.channels;
    info_.file_rate_hz = sf.samplerate;
    info_.file_frames = sf.frames;
    check_format();
    if ((sf.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV && bytes_per_sample(sf.format) > 0)
      if (const auto bytes = declared_wav_data_bytes(name))
        declared_frames_ = static_cast<sf_count_t>(*bytes / static_cast<std::uint64_t>(bytes_per_sample(sf.format) * sf.channels));
    options.validate();
    if (options.channel && *options.channel >= info_.channels)
      throw file_error(name, "has " + std::to_string(info_.channels) + " channel(s); channel " + std::to_string(*options.channel + 1) +
                                 " was asked for");
    channel_ = options.channel;
    info_.rate_hz = options.sample_rate_hz.value_or(info_.file_rate_hz);
    if (info_.rate_hz != info_.file_rate_hz) start_resampler();
  }


  const AudioInfo& info() const override { return info_; }

  std::size_t read(std::span<float> out) override {
    if (!resampler_) return read_mono(out);
    return read_resampled(out);
  }

 private:
  // The WAV header's data chunk size, read from the file or the bytes in memory.
  std::optional<std::uint64_t> declared_wav_data_bytes(const std::string& path) const {
    if (memory_) {
      std::istringstream in(std::string(reinterpret_cast<const char*>(memory_->bytes.data()), std::min<std::size_t>(memory_->bytes.size(), 1 << 16)));
      return seraug::declared_wav_data_bytes(in);
    }
    std::ifstream in(path, std::ios::binary);
    return seraug::declared_wav_data_bytes(in);
  }

  std::string describe_open_failure() const {
    std::string reason = sf_strerror(nullptr);
    if (!memory_) {
      std::error_code ec;
      const bool regular = std::filesystem::is_regular_file(info_.path, ec);
      if (ec && ec != std::errc::no_such_file_or_directory) return "cannot be read (" + ec.message() + ")";
      if (!regular) return "file not found or not readable";
    }
    return "not a readable audio file (" + reason + ")";
  }

  // At the end of the data: a decoder error, or fewer frames than the header declares
  // (half a FLAC or OGG file decodes without complaint up to where it was cut), is an
  // error, never a shorter clip.
  void check_complete() const {
    if (const int err = sf_error(file_.get()); err != SF_ERR_NO_ERROR)
      throw file_error(info_.path, std::string("decoding failed: ") + sf_error_number(err));
    const sf_count_t declared = std::max<sf_count_t>(info_.file_frames, declared_frames_);
    if (frames_read_ < declared)
      throw file_error(info_.path, "truncated or corrupt audio: decoded " + std::to_string(frames_read_) + " of the " +
                                       std::to_string(declared) + " sample frames its header declares");
  }

  void check_format() const {
    if (info_.channels < 1) throw file_error(info_.path, "audio file declares no channels");
    if (info_.file_frames <= 0) throw file_error(info_.path, "audio file contains no samples (empty)");
    if (!(info_.file_rate_hz >= kMinRateHz && info_.file_rate_hz <= kMaxRateHz))
      throw file_error(info_.path, "unsupported sample rate " + std::to_string(info_.file_rate_hz) +
                                       " Hz (supported: 4000..384000 Hz)");
  }

  void start_resampler() {
    soxr_error_t err = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    resampler_.reset(soxr_create(info_.file_rate_hz, info_.rate_hz, 1, &err, &io, &quality, nullptr));
    if (err) throw file_error(info_.path, std::string("cannot set up resampling: ") + err);
  }

  // Reads and downmixes up to out.size() frames straight from the file.
  std::size_t read_mono(std::span<float> out) {
    const std::size_t want = std::min(out.size(), kBlockFrames);
    interleaved_.resize(want * static_cast<std::size_t>(info_.channels));
    const sf_count_t got = sf_readf_float(file_.get(), interleaved_.data(), static_cast<sf_count_t>(want));
    if (got < 0) throw file_error(info_.path, "read error");
    const int c = info_.channels;
    for (sf_count_t i = 0; i < got; ++i) {
      float sum = 0.0f;
      for (int ch = 0; ch < c; ++ch) sum += interleaved_[static_cast<std::size_t>(i * c + ch)];
      const float mono = channel_ ? interleaved_[static_cast<std::size_t>(i * c + *channel_)] : c == 1 ? sum : sum / static_cast<float>(c);
      if (!std::isfinite(mono))
        throw file_error(info_.path, "contains a non-finite sample (NaN or Inf) at sample " +
                                         std::to_string(frames_read_ + i));
      if (std::fabs(mono) > kMaxSampleMagnitude)
        throw file_error(info_.path, "sample " + std::to_string(frames_read_ + i) + " is " + std::to_string(mono) +
                                         ", far outside full scale (+-1); refusing a damaged or unscaled float file");
      out[static_cast<std::size_t>(i)] = mono;
    }
    frames_read_ += got;
    if (got == 0 && frames_read_ == 0) throw file_error(info_.path, "audio data is empty or truncated");
    if (got == 0) check_complete();
    return static_cast<std::size_t>(got);
  }

  std::size_t read_resampled(std::span<float> out) {
    std::size_t produced = 0;
    while (produced < out.size() && !resampler_drained_) {
      if (pending_.empty() && !input_done_) {
        pending_.resize(kBlockFrames);
        pending_.resize(read_mono(pending_));
        pending_offset_ = 0;
        input_done_ = pending_.empty();
      }
      std::size_t consumed = 0, written = 0;
      const float* in = input_done_ ? nullptr : pending_.data() + pending_offset_;
      const std::size_t in_len = input_done_ ? 0 : pending_.size() - pending_offset_;
      soxr_error_t err = soxr_process(resampler_.get(), in, in_len, &consumed, out.data() + produced,
                                      out.size() - produced, &written);
      if (err) throw file_error(info_.path, std::string("resampling failed: ") + err);
      produced += written;
      pending_offset_ += consumed;
      if (pending_offset_ >= pending_.size()) pending_.clear();
      if (input_done_ && written == 0) resampler_drained_ = true;
    }
    return produced;
  }

  std::unique_ptr<MemoryFile> memory_;
  // Owned through unique_ptr so that a constructor that throws after opening (a bad
  // header field) still closes them (found by fuzz/fuzz_audio.cpp).
  std::unique_ptr<SNDFILE, SndfileCloser> file_;
  std::unique_ptr<soxr, SoxrDeleter> resampler_;
  AudioInfo info_;
  std::vector<float> interleaved_;
  std::vector<float> pending_;
  std::size_t pending_offset_ = 0;
  bool input_done_ = false;
  bool resampler_drained_ = false;
  sf_count_t frames_read_ = 0;
  std::optional<int> channel_;  // one channel alone instead of the mean
  sf_count_t declared_frames_ = 0;  // a WAV's data chunk size in frames (libsndfile clips file_frames to the file)
};

// A signal held in memory, delivered in blocks like a file.
class SampleStream final : public AudioStream {
 public:
  SampleStream(std::vector<float> samples, double rate_hz, const std::string& name) : samples_(std::move(samples)) {
    info_.path = name;
    info_.file_rate_hz = info_.rate_hz = rate_hz;
    info_.channels = 1;
    info_.file_frames = static_cast<std::int64_t>(samples_.size());
    if (!(rate_hz >= kMinRateHz && rate_hz <= kMaxRateHz)) throw file_error(name, "unusable sample rate " + std::to_string(rate_hz));
    if (samples_.empty()) throw file_error(name, "audio data is empty");
    for (float v : samples_)
      if (!std::isfinite(v) || std::fabs(v) > kMaxSampleMagnitude) throw file_error(name, "holds a non-finite or out-of-range sample");
  }
  const AudioInfo& info() const override { return info_; }
  std::size_t read(std::span<float> out) override {
    const std::size_t n = std::min(out.size(), samples_.size() - position_);
    std::copy_n(samples_.begin() + static_cast<std::ptrdiff_t>(position_), n, out.begin());
    position_ += n;
    return n;
  }

 private:
  std::vector<float> samples_;
  std::size_t position_ = 0;
  AudioInfo info_;
};

}  // namespace

void AudioOptions::validate() const {
  if (channel && *channel < 0) throw Error("channel must be 0 or more, got " + std::to_string(*channel));
  if (sample_rate_hz && !(*sample_rate_hz >= kMinRateHz && *sample_rate_hz <= kMaxRateHz))
    throw Error("sample_rate: " + std::to_string(*sample_rate_hz) + " Hz is outside " + std::to_string(int(kMinRateHz)) + ".." +
                std::to_string(int(kMaxRateHz)) + " Hz (leave it unset to analyse each file at its own rate)");
}

std::unique_ptr<AudioStream> AudioStream::from_samples(std::vector<float> samples, double rate_hz, const std::string& name) {
  return std::make_unique<SampleStream>(std::move(samples), rate_hz, name);
}

std::unique_ptr<AudioStream> AudioStream::open_file(const std::string& path, const AudioOptions& options) {
  require_readable_file(path, kMaxAudioInputBytes, "audio file");
  note_input(path);
  return std::make_unique<SndfileStream>(nullptr, path, options);
}

std::unique_ptr<AudioStream> AudioStream::open_memory(std::span<const unsigned char> bytes,
                                                      const std::string& name,
                                                      const AudioOptions& options) {
  auto memory = std::make_unique<MemoryFile>();
  memory->bytes = bytes;
  return std::make_unique<SndfileStream>(std::move(memory), name, options);
}

std::vector<float> read_all_samples(AudioStream& stream) {
  std::vector<float> all;
  // Room for the length the header states (at the stream's rate), so a long file is not
  // copied each time the vector grows (and does not briefly need twice its size). Capped:
  // a header may lie; past the cap the vector grows as usual.
  const AudioInfo& info = stream.info();
  if (info.file_frames > 0 && info.file_rate_hz > 0) {
    constexpr double kMostReserved = double(1 << 27);  // samples (512 MB of floats)
    const double expected = static_cast<double>(info.file_frames) * info.rate_hz / info.file_rate_hz + kBlockFrames;
    all.reserve(static_cast<std::size_t>(std::min(expected, kMostReserved)));
  }
  std::vector<float> block(kBlockFrames);
  while (const std::size_t n = stream.read(block)) all.insert(all.end(), block.begin(), block.begin() + static_cast<long>(n));
  return all;
}

void write_wav16(const std::string& path, std::span<const float> samples, int rate_hz, int channels) {
  SF_INFO sf{};
  sf.samplerate = rate_hz;
  sf.channels = channels;
  sf.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &sf);
  if (!file) throw file_error(path, std::string("cannot write audio: ") + sf_strerror(nullptr));
  const sf_count_t frames = static_cast<sf_count_t>(samples.size()) / channels;
  const sf_count_t written = sf_writef_float(file, samples.data(), frames);
  sf_close(file);
  if (written != frames) throw file_error(path, "short write");
}

void write_wav_float(const std::string& path, std::span<const float> samples, int rate_hz) {
  refuse_overwriting_input(path);
  const std::string temporary = path + ".tmp." + unique_temporary_suffix();
  SF_INFO sf{};
  sf.samplerate = rate_hz;
  sf.channels = 1;
  sf.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* file = sf_open(temporary.c_str(), SFM_WRITE, &sf);
  if (!file) throw file_error(path, std::string("cannot write audio: ") + sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(samples.size());
  const sf_count_t written = sf_writef_float(file, samples.data(), frames);
  sf_close(file);
  std::error_code ec;
  if (written != frames) {
    std::filesystem::remove(temporary, ec);
    throw file_error(path, "short write");
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw file_error(path, "cannot move the written audio into place");
  }
}

}  // namespace seraug
