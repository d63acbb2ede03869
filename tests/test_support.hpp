// Shared helpers for tests: synthetic signals, a scratch folder, corpus lookup.
#pragma once

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"

namespace seraug::testing {

// The message of the seraug::Error the action throws, or "(no error)".
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// Synthetic corpus: `speakers` x `per_class` rows per class, class c centred at
// separation * e_c (plus a per-speaker offset), Gaussian noise of unit variance.
inline Dataset synthetic(int speakers, int per_class, int classes, double separation, unsigned seed, int dims = 10) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  Dataset d;
  d.source = "synthetic";
  for (int c = 0; c < classes; ++c) d.classes.push_back("class" + std::to_string(c));
  for (int f = 0; f < dims; ++f) d.feature_names.push_back("f" + std::to_string(f));
  std::vector<double> values;
  for (int s = 0; s < speakers; ++s) {
    const double offset = noise(rng) * 0.3;
    for (int c = 0; c < classes; ++c)
      for (int i = 0; i < per_class; ++i) {
        for (int f = 0; f < dims; ++f) values.push_back(noise(rng) + offset + (f == c ? separation : 0.0));
        d.labels.push_back(c);
        d.speakers.push_back("s" + std::to_string(s));
        d.names.push_back("s" + std::to_string(s) + "_" + std::to_string(c) + "_" + std::to_string(i));
      }
  }
  d.features = Matrix(d.labels.size(), static_cast<std::size_t>(dims));
  d.features.data = values;
  return d;
}


// A feature table of two rows, two columns, two speakers and two classes.
inline FeatureTable two_row_table() {
  FeatureTable t;
  t.feature_names = {"f1", "f2"};
  t.names = {"a.wav", "b.wav"};
  t.speakers = {"s1", "s2"};
  t.labels = {"anger", "fear"};
  t.values = {1.0, 2.0, 3.0, 4.0};
  return t;
}

inline std::vector<float> sine(double hz, double seconds, double rate, double amplitude = 0.5) {
  std::vector<float> x(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * hz * i / rate));
  return x;
}

// A vowel-like pulse train: harmonics of f0 with 1/k amplitudes (voiced, known pitch).
inline std::vector<float> harmonic_tone(double f0, double seconds, double rate, double amplitude = 0.3) {
  std::vector<float> x(static_cast<std::size_t>(seconds * rate), 0.0f);
  for (int k = 1; k * f0 < rate / 2 && k <= 30; ++k)
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += static_cast<float>(amplitude / k * std::sin(2 * std::numbers::pi * k * f0 * i / rate));
  return x;
}

inline std::vector<float> white_noise(double seconds, double rate, double amplitude, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(static_cast<float>(-amplitude), static_cast<float>(amplitude));
  std::vector<float> x(static_cast<std::size_t>(seconds * rate));
  for (auto& v : x) v = u(rng);
  return x;
}

// A long 16-bit mono WAV of a harmonic tone, written one second at a time so the test
// itself never holds the whole signal. Returns false if the file cannot be created.
inline bool write_long_tone(const std::string& path, double f0, int rate, int seconds) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) return false;
  const auto block = harmonic_tone(f0, 1.0, rate);
  for (int s = 0; s < seconds; ++s) sf_writef_float(f, block.data(), static_cast<sf_count_t>(block.size()));
  sf_close(f);
  return true;
}

// A fresh folder under the system temp dir, removed when the test ends.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("seraug_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::error_code ec; std::filesystem::remove_all(path_, ec); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// EMO-DB copy: $SERAUG_EMODB or ../shared/data/emodb beside the source tree; "" if absent.
inline std::string emodb_dir() {
  const std::string dir = emodb_location(std::string(SERAUG_SOURCE_DIR) + "/../shared/data/emodb");
  return std::filesystem::is_directory(std::filesystem::path(dir) / "wav") || std::filesystem::is_directory(dir) ? dir : "";
}

inline std::string reference_dir() {
  const char* env = std::getenv("SERAUG_OPENSMILE_REFERENCE");
  const std::string dir = env && *env ? env : std::string(SERAUG_SOURCE_DIR) + "/../shared/reference/opensmile";
  return std::filesystem::is_directory(dir) ? dir : "";
}

}  // namespace seraug::testing
