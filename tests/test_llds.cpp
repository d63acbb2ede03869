#include <gtest/gtest.h>

#include <cmath>

#include "seraug/common/error.hpp"
#include "seraug/features/frame_analysis.hpp"
#include "seraug/features/llds.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

struct Frame {
  FrameGeometry geometry;
  FrameAnalysis analysis;
  Frame(double rate, double preemphasis = 0.97)
      : geometry(frame_geometry(rate, 0.025, 0.010)), analysis(geometry, preemphasis) {}
};

std::vector<double> compute(const LldSpec& spec, Frame& f, const std::vector<float>& samples) {
  auto lld = make_lld(spec, f.geometry);
  f.analysis.load(samples.data());
  std::vector<double> out(static_cast<std::size_t>(lld->size()));
  lld->compute(f.analysis, out.data());
  return out;
}

const LldSpec kRms{LldKind::RmsEnergy, "rms"};
const LldSpec kMfcc{LldKind::Mfcc, "mfcc"};
const LldSpec kZcr{LldKind::ZeroCrossingRate, "zcr"};
const LldSpec kVoicing{LldKind::VoicingProbability, "voiceProb"};

TEST(FrameGeometry, RoundsLikeOpenSmile) {
  const FrameGeometry g = frame_geometry(22050, 0.025, 0.010);
  EXPECT_EQ(g.frame_samples, 551);  // 551.25
  EXPECT_EQ(g.step_samples, 221);   // 220.5 rounds away from zero
  EXPECT_EQ(g.fft_size, 1024);
  EXPECT_EQ(frame_geometry(16000, 0.025, 0.010).frame_samples, 400);
  EXPECT_THROW(frame_geometry(16000, 0.00001, 0.01), Error);
}

TEST(Llds, MelScaleIsHtks) {
  EXPECT_NEAR(hz_to_mel(700.0), 1127.0 * std::log(2.0), 1e-9);
  EXPECT_EQ(hz_to_mel(0.0), 0.0);
}

TEST(Llds, ZeroCrossingConvention) {
  const float alternating[] = {1, -1, 1, -1, 1};
  EXPECT_DOUBLE_EQ(zero_crossing_rate(alternating, 5), 3.0 / 5.0);  // pairs (0,1),(1,2),(2,3) then i < n-1
  const float touching[] = {1, 0, -1, -1};
  EXPECT_DOUBLE_EQ(zero_crossing_rate(touching, 4), 1.0 / 4.0);
  const float silence[] = {0, 0, 0, 0};
  EXPECT_DOUBLE_EQ(zero_crossing_rate(silence, 4), 2.0 / 4.0);  // exact zeros count, as in openSMILE
}

TEST(Llds, ZeroInputGivesFiniteValues) {
  Frame f(16000);
  const std::vector<float> zeros(400, 0.0f);
  EXPECT_EQ(compute(kRms, f, zeros)[0], 0.0);
  for (double c : compute(kMfcc, f, zeros)) EXPECT_NEAR(c, 0.0, 1e-9);  // flat log floor -> no cepstrum
  EXPECT_EQ(compute(kVoicing, f, zeros)[0], 0.0);
  EXPECT_TRUE(std::isfinite(compute(kZcr, f, zeros)[0]));
}

TEST(Llds, RmsOfAWindowedConstant) {
  Frame f(16000, /*preemphasis=*/0.0);
  const std::vector<float> constant(400, 0.5f);
  double mean_w2 = 0;
  for (int i = 0; i < 400; ++i) {
    const double w = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * i / 399.0);
    mean_w2 += w * w / 400;
  }
  EXPECT_NEAR(compute(kRms, f, constant)[0], 0.5 * std::sqrt(mean_w2), 1e-6);
}

TEST(Llds, ZeroCrossingRateOfASine) {
  Frame f(16000);
  const auto x = testing::sine(1000, 0.025, 16000);
  // A 1 kHz sine crosses zero 2000 times a second: 0.125 per sample at 16 kHz.
  EXPECT_NEAR(compute(kZcr, f, x)[0], 0.125, 0.01);
}

TEST(Llds, VoicingSeparatesToneFromNoise) {
  Frame f(16000);
  // A 25 ms Hamming window shrinks the ACF at one pitch period, so even a perfect tone
  // stays well below 1; it must clear the 0.55 voicing cut-off, noise must not.
  EXPECT_GT(compute(kVoicing, f, testing::harmonic_tone(200, 0.025, 16000))[0], 0.6);
  EXPECT_LT(compute(kVoicing, f, testing::white_noise(0.025, 16000, 0.3))[0], 0.45);
}

TEST(Llds, MfccIsFiniteAndChangesWithSpectrum) {
  Frame f(22050);
  const auto low = compute(kMfcc, f, testing::sine(300, 0.025, 22050));
  const auto high = compute(kMfcc, f, testing::sine(3000, 0.025, 22050));
  ASSERT_EQ(low.size(), 12u);
  double difference = 0;
  for (std::size_t i = 0; i < low.size(); ++i) {
    EXPECT_TRUE(std::isfinite(low[i]));
    difference += std::fabs(low[i] - high[i]);
  }
  EXPECT_GT(difference, 1.0);
}

TEST(Llds, MfccAt8kHzClampsFilterbankToNyquist) {
  Frame f(8000);
  for (double c : compute(kMfcc, f, testing::white_noise(0.025, 8000, 0.2))) EXPECT_TRUE(std::isfinite(c));
}

TEST(Llds, BadMfccConfigurationIsRejected) {
  const FrameGeometry g = frame_geometry(16000, 0.025, 0.01);
  LldSpec bad = kMfcc;
  bad.mfcc.last = 26;  // needs last < bands
  EXPECT_THROW(make_lld(bad, g), Error);
  bad = kMfcc;
  bad.mfcc.low_hz = 9000;  // above the (clamped) high edge
  EXPECT_THROW(make_lld(bad, g), Error);
}

}  // namespace
}  // namespace seraug
