#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "seraug/common/error.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/features/extractor.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

using testing::ScratchDir;

double value(const FeatureExtractor& x, const std::vector<double>& v, const std::string& name) {
  const auto& names = x.names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw Error("no feature " + name);
  return v[static_cast<std::size_t>(it - names.begin())];
}

void expect_all_finite(const std::vector<double>& v) {
  for (double x : v) ASSERT_TRUE(std::isfinite(x));
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(Is09, HasOpenSmilesNamesAndOrder) {
  const auto names = feature_names(feature_set("is09"));
  ASSERT_EQ(names.size(), 384u);
  EXPECT_EQ(names.front(), "pcm_RMSenergy_sma_max");
  EXPECT_EQ(names[12], "pcm_fftMag_mfcc_sma[1]_max");
  EXPECT_EQ(names[191], "F0_sma_kurtosis");
  EXPECT_EQ(names[192], "pcm_RMSenergy_sma_de_max");
  EXPECT_EQ(names[204], "pcm_fftMag_mfcc_sma_de[1]_max");
  EXPECT_EQ(names.back(), "F0_sma_de_kurtosis");
  EXPECT_THROW(feature_set("is99"), Error);
}

TEST(Is09, SilentClipGivesFiniteFeaturesAndZeroPitch) {
  ScratchDir dir;
  write_wav16(dir.file("silence.wav"), std::vector<float>(16000, 0.0f), 16000);
  FeatureExtractor x(feature_set("is09"));
  const auto v = x.extract_file(dir.file("silence.wav"));
  expect_all_finite(v);
  for (const char* f : {"F0_sma_max", "F0_sma_amean", "F0_sma_stddev", "F0_sma_de_max", "voiceProb_sma_max"})
    EXPECT_EQ(value(x, v, f), 0.0) << f;
}

TEST(Is09, HarmonicToneHasItsPitchAtSeveralRates) {
  for (int rate : {8000, 16000, 22050, 48000}) {
    ScratchDir dir;
    write_wav16(dir.file("tone.wav"), testing::harmonic_tone(160, 1.0, rate), rate);
    FeatureExtractor x(feature_set("is09"));
    const auto v = x.extract_file(dir.file("tone.wav"));
    expect_all_finite(v);
    // The cepstral peak sits at an integer lag, so allow the lag quantisation (~3% at 8 kHz).
    EXPECT_NEAR(value(x, v, "F0_sma_max"), 160.0, 160.0 * 0.04) << rate << " Hz";
    EXPECT_GT(value(x, v, "voiceProb_sma_amean"), 0.6) << rate << " Hz";
  }
}

TEST(Is09, ResamplingOptionAnalysesAtTheRequestedRate) {
  ScratchDir dir;
  write_wav16(dir.file("tone.wav"), testing::harmonic_tone(200, 1.0, 44100), 44100);
  FeatureExtractor x(feature_set("is09"));
  const auto v = x.extract_file(dir.file("tone.wav"), AudioOptions{16000});
  EXPECT_NEAR(value(x, v, "F0_sma_max"), 200.0, 8.0);
}

TEST(Is09, ClippedAndStereoClipsWork) {
  ScratchDir dir;
  auto clipped = testing::harmonic_tone(180, 0.5, 16000, 3.0);
  for (auto& s : clipped) s = std::clamp(s, -1.0f, 1.0f);
  write_wav16(dir.file("clipped.wav"), clipped, 16000);
  std::vector<float> stereo;
  for (float s : testing::harmonic_tone(180, 0.5, 16000)) { stereo.push_back(s); stereo.push_back(s); }
  write_wav16(dir.file("stereo.wav"), stereo, 16000, 2);
  FeatureExtractor x(feature_set("is09"));
  expect_all_finite(x.extract_file(dir.file("clipped.wav")));
  const auto v = x.extract_file(dir.file("stereo.wav"));
  expect_all_finite(v);
  EXPECT_NEAR(value(x, v, "F0_sma_max"), 180.0, 7.0);
}

TEST(Is09, ClipShorterThanOneFrameIsAnError) {
  ScratchDir dir;
  write_wav16(dir.file("short.wav"), testing::sine(200, 0.02, 22050), 22050);  // 441 < 551 samples
  FeatureExtractor x(feature_set("is09"));
  try {
    x.extract_file(dir.file("short.wav"));
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("short.wav"), std::string::npos);
    EXPECT_NE(m.find("too short"), std::string::npos);
  }
  write_wav16(dir.file("one_frame.wav"), testing::sine(200, 0.025, 22050), 22050);
  expect_all_finite(x.extract_file(dir.file("one_frame.wav")));
}

TEST(Is09, SameAudioGivesIdenticalValues) {
  ScratchDir dir;
  write_wav16(dir.file("n.wav"), testing::white_noise(1.0, 16000, 0.2, 7), 16000);
  FeatureExtractor a(feature_set("is09")), b(feature_set("is09"));
  const auto first = a.extract_file(dir.file("n.wav"));
  EXPECT_EQ(first, a.extract_file(dir.file("n.wav")));
  EXPECT_EQ(first, b.extract_file(dir.file("n.wav")));
}

// Ten minutes at 48 kHz would be 115 MB as float samples; streaming keeps the growth of
// the peak resident set well below that (contours of 60,000 frames take ~30 MB).
TEST(Is09, TenMinuteClipRunsInBoundedMemory) {
  ScratchDir dir;
  const std::string path = dir.file("long.wav");
  ASSERT_TRUE(testing::write_long_tone(path, 140, 48000, 600));
  const long before = peak_rss_kb();
  FeatureExtractor x(feature_set("is09"));
  const auto v = x.extract_file(path);
  expect_all_finite(v);
  EXPECT_NEAR(value(x, v, "F0_sma_amean"), 140.0, 6.0);
  EXPECT_LT(peak_rss_kb() - before, 90 * 1024) << "peak RSS grew by " << (peak_rss_kb() - before) / 1024 << " MB";
}

TEST(Batch, JobsDoNotChangeResultsAndBadFilesAreHandled) {
  ScratchDir dir;
  std::vector<Utterance> list;
  for (int i = 0; i < 6; ++i) {
    const std::string name = "0" + std::to_string(i + 1) + "a01Wa.wav";
    write_wav16(dir.file(name), testing::harmonic_tone(100 + 20 * i, 0.5, 16000), 16000);
    list.push_back({dir.file(name), name, "0" + std::to_string(i + 1), "anger"});
  }
  const FeatureSet& set = feature_set("is09");
  BatchOptions one, two;
  one.jobs = 1;
  two.jobs = 2;
  const auto a = extract_corpus(list, set, one), b = extract_corpus(list, set, two);
  EXPECT_EQ(a.table.values, b.table.values);
  EXPECT_EQ(a.table.names, b.table.names);

  std::ofstream(dir.file("bad.wav")) << "not audio";
  list.insert(list.begin() + 2, Utterance{dir.file("bad.wav"), "bad.wav", "", ""});
  try {
    extract_corpus(list, set, two);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.wav"), std::string::npos);
  }
  two.skip_bad = true;
  const auto skipped = extract_corpus(list, set, two);
  EXPECT_EQ(skipped.table.rows(), 6u);
  ASSERT_EQ(skipped.skipped.size(), 1u);
  EXPECT_EQ(skipped.table.values, a.table.values);
}

}  // namespace
}  // namespace seraug

#include "seraug/common/interrupt.hpp"

namespace seraug {
namespace {

TEST(Batch, AnInterruptStopsExtractionWithoutAPartialTable) {
  ScratchDir dir;
  std::vector<Utterance> list;
  for (int i = 0; i < 4; ++i) {
    write_wav16(dir.file(std::to_string(i) + ".wav"), testing::harmonic_tone(150, 0.3, 16000), 16000);
    list.push_back({dir.file(std::to_string(i) + ".wav"), std::to_string(i), "s", "anger"});
  }
  request_interrupt();
  EXPECT_THROW(extract_corpus(list, feature_set("is09")), Interrupted);
  clear_interrupt();
  EXPECT_EQ(extract_corpus(list, feature_set("is09")).table.rows(), 4u);
}


TEST(FusedSet, IsItsMembersSideBySideWithTaggedNames) {
  ScratchDir dir;
  write_wav16(dir.file("tone.wav"), testing::harmonic_tone(180, 1.0, 16000), 16000);
  const FeatureSet& fused = feature_set("is10+compare");
  const auto is10 = FeatureExtractor(feature_set("is10")).extract_file(dir.file("tone.wav"));
  const auto compare = FeatureExtractor(feature_set("compare")).extract_file(dir.file("tone.wav"));
  const auto both = FeatureExtractor(fused).extract_file(dir.file("tone.wav"));
  ASSERT_EQ(both.size(), is10.size() + compare.size());
  EXPECT_TRUE(std::equal(is10.begin(), is10.end(), both.begin()));
  EXPECT_TRUE(std::equal(compare.begin(), compare.end(), both.begin() + static_cast<std::ptrdiff_t>(is10.size())));
  const auto names = feature_names(fused);
  EXPECT_EQ(names.front(), "is10:" + feature_names(feature_set("is10")).front());
  EXPECT_EQ(names.back(), "compare:" + feature_names(feature_set("compare")).back());
  EXPECT_EQ(fused.version, feature_set("is10").version * 100 + feature_set("compare").version);
}

}  // namespace
}  // namespace seraug
