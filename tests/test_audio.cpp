#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <fstream>

#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

using testing::ScratchDir;

void write_audio(const std::string& path, const std::vector<float>& interleaved, int rate, int channels, int format) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size() / channels));
  sf_close(f);
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string error_of(const std::string& path) {
  try {
    auto s = AudioStream::open_file(path);
    read_all_samples(*s);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

struct FormatCase {
  const char* name;
  int format;
  double tolerance;
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }

class AudioFormats : public ::testing::TestWithParam<FormatCase> {};

TEST_P(AudioFormats, DecodesToTheSameMonoSignal) {
  ScratchDir dir;
  const auto x = testing::sine(440, 0.5, 16000, 0.5);
  const std::string path = dir.file(std::string("tone.") + GetParam().name);
  write_audio(path, x, 16000, 1, GetParam().format);
  auto stream = AudioStream::open_file(path);
  EXPECT_EQ(stream->info().rate_hz, 16000);
  const auto y = read_all_samples(*stream);
  ASSERT_EQ(y.size(), x.size());
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(double(x[i]) - y[i]));
  EXPECT_LT(worst, GetParam().tolerance);
}

INSTANTIATE_TEST_SUITE_P(
    Libsndfile, AudioFormats,
    ::testing::Values(FormatCase{"wav16", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1e-4},
                      FormatCase{"wav24", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1e-6},
                      FormatCase{"wavf", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1e-7},
                      FormatCase{"flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1e-4},
                      FormatCase{"ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 0.05}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Audio, StereoIsDownmixedByAveraging) {
  ScratchDir dir;
  std::vector<float> stereo;
  for (int i = 0; i < 1000; ++i) { stereo.push_back(0.5f); stereo.push_back(-0.25f); }
  write_audio(dir.file("s.wav"), stereo, 16000, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  auto s = AudioStream::open_file(dir.file("s.wav"));
  EXPECT_EQ(s->info().channels, 2);
  for (float v : read_all_samples(*s)) ASSERT_FLOAT_EQ(v, 0.125f);
}

TEST(Audio, ResamplesWithSoxr) {
  ScratchDir dir;
  write_wav16(dir.file("48k.wav"), testing::sine(1000, 1.0, 48000, 0.5), 48000);
  auto s = AudioStream::open_file(dir.file("48k.wav"), AudioOptions{16000});
  EXPECT_EQ(s->info().file_rate_hz, 48000);
  EXPECT_EQ(s->info().rate_hz, 16000);
  const auto y = read_all_samples(*s);
  EXPECT_NEAR(static_cast<double>(y.size()), 16000.0, 2.0);
  // The tone survives: correlation with a 1 kHz sine at 16 kHz in the middle is high.
  const auto ref = testing::sine(1000, 1.0, 16000, 0.5);
  double dot = 0, e1 = 0, e2 = 0;
  for (std::size_t i = 2000; i < 14000; ++i) { dot += y[i] * ref[i]; e1 += y[i] * y[i]; e2 += ref[i] * ref[i]; }
  EXPECT_GT(std::fabs(dot) / std::sqrt(e1 * e2), 0.99);
}

TEST(Audio, BadFilesNameTheFileAndTheProblem) {
  ScratchDir dir;
  write_bytes(dir.file("empty.wav"), "");
  write_bytes(dir.file("text.wav"), "this is not audio, just a text file with a .wav name\n");
  std::string corrupt = "RIFF\x24\x00\x00\x00WAVEfmt ";
  corrupt += std::string(40, '\xff');
  write_bytes(dir.file("corrupt.wav"), corrupt);
  write_audio(dir.file("zero.wav"), {}, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);

  for (const char* name : {"empty.wav", "text.wav", "corrupt.wav", "zero.wav", "missing.wav"}) {
    const std::string message = error_of(dir.file(name));
    EXPECT_NE(message.find(name), std::string::npos) << "message should name the file: " << message;
  }
  EXPECT_NE(error_of(dir.file("missing.wav")).find("not found"), std::string::npos);
  EXPECT_NE(error_of(dir.file("zero.wav")).find("no samples"), std::string::npos);
}

TEST(Audio, NonFiniteSamplesAreRejected) {
  ScratchDir dir;
  std::vector<float> x(100, 0.1f);
  x[50] = std::nanf("");
  write_audio(dir.file("nan.wav"), x, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  EXPECT_NE(error_of(dir.file("nan.wav")).find("non-finite"), std::string::npos);
}

TEST(Audio, DecodesFromMemory) {
  ScratchDir dir;
  write_wav16(dir.file("m.wav"), testing::sine(200, 0.1, 8000), 8000);
  std::ifstream in(dir.file("m.wav"), std::ios::binary);
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), {});
  auto s = AudioStream::open_memory(bytes, "memory.wav");
  EXPECT_EQ(read_all_samples(*s).size(), 800u);
  const std::vector<unsigned char> junk(64, 0x41);
  EXPECT_THROW(AudioStream::open_memory(junk, "junk.wav"), Error);
}

}  // namespace
}  // namespace seraug

namespace seraug {
namespace {

// Inputs the fuzzer once tripped over (fuzz/regressions/audio): each must decode or fail
// with seraug::Error, never crash or leak (the leak shows under the sanitizer build).
TEST(Audio, FuzzRegressionsFailCleanly) {
  const std::filesystem::path dir = std::filesystem::path(SERAUG_SOURCE_DIR) / "fuzz" / "regressions" / "audio";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), {});
    try {
      auto s = AudioStream::open_memory(bytes, entry.path().filename().string());
      read_all_samples(*s);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(entry.path().filename().string()), std::string::npos) << e.what();
    }
    ++files;
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace seraug
