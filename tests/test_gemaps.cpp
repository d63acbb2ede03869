// eGeMAPS building blocks against known answers: contour statistics, SHS pitch,
// jitter/shimmer, LPC formants, and the set's names and behaviour on simple signals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <random>

#include "seraug/common/error.hpp"
#include "seraug/features/contour_stats.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/features/frame_analysis.hpp"
#include "seraug/features/gemaps.hpp"
#include "seraug/features/is10.hpp"
#include "seraug/features/pitch_shs.hpp"
#include "seraug/features/voice_analysis.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

TEST(ContourStats, PercentilesInterpolateLinearly) {
  const std::vector<double> x = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(percentile(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(percentile(x, 0.2), 1.6);
  EXPECT_DOUBLE_EQ(percentile(x, 1.0), 4.0);
  EXPECT_THROW(percentile(std::vector<double>{}, 0.5), Error);
}

// The radix sort must give std::sort's values at every position: long contours with
// negatives, repeated values, zeros of both signs, huge and tiny magnitudes, and lengths
// on both sides of the switch to the radix path.
TEST(ContourStats, SortValuesEqualsComparisonSort) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (const std::size_t n : {0ul, 1ul, 5ul, 1023ul, 1024ul, 5000ul, 100000ul}) {
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
      switch (i % 7) {
        case 0: x[i] = normal(rng); break;
        case 1: x[i] = -std::exp(40 * normal(rng)); break;
        case 2: x[i] = std::exp(40 * normal(rng)); break;
        case 3: x[i] = std::round(normal(rng) * 3); break;  // many ties
        case 4: x[i] = (i % 2) ? 0.0 : -0.0; break;
        case 5: x[i] = std::ldexp(normal(rng), -1070); break;  // subnormals
        default: x[i] = 1e300 * normal(rng);
      }
    }
    std::vector<double> expected = x;
    std::sort(expected.begin(), expected.end());
    sort_values(x);
    ASSERT_EQ(x.size(), expected.size());
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(x[i], expected[i]) << "n " << n << " position " << i;
    EXPECT_TRUE(std::is_sorted(x.begin(), x.end()));
  }
}

TEST(ContourStats, RunLengthsOfVoicedAndUnvoicedStretches) {
  const std::vector<double> x = {0, 1, 1, 0, 0, 2, 0};
  EXPECT_EQ(run_lengths(x, true), (std::vector<int>{2, 1}));
  EXPECT_EQ(run_lengths(x, false), (std::vector<int>{1, 2, 1}));
}

TEST(ContourStats, SlopesOfATriangleWave) {
  // Rises 1 per frame for 10 frames, falls 2 per frame for 5: with 10 ms frames the
  // rising slope is 100/s and the falling one 200/s.
  std::vector<double> x;
  for (int cycle = 0; cycle < 4; ++cycle) {
    for (int i = 0; i < 10; ++i) x.push_back(i);
    for (int i = 0; i < 5; ++i) x.push_back(10 - 2 * i);
  }
  const SlopeStats s = slope_stats(x, 0.1, 0.01);
  EXPECT_NEAR(s.rising.mean, 100.0, 1e-9);
  EXPECT_NEAR(s.falling.mean, 200.0, 1e-9);
  EXPECT_NEAR(s.rising.stddev, 0.0, 1e-9);
  EXPECT_EQ(turning_points(x, 0.1).maxima.size(), 4u);
}

TEST(VoiceAnalysis, JitterIsZeroForAPeriodicSignalAndMeasuresAlternatingPeriods) {
  const double rate = 22050;
  const auto tone = testing::harmonic_tone(150.0, 0.06, rate);
  const JitterShimmer steady = jitter_shimmer(tone, rate, 150.0);
  EXPECT_LT(steady.jitter_local, 0.003);
  EXPECT_LT(steady.shimmer_db, 0.05);

  // Pulses alternately 140 and 154 samples apart (mean 147): relative period
  // difference 14/147 = 0.095; amplitudes alternate 1 and 0.5 (6.02 dB).
  std::vector<float> pulses(1400, 0.0f);
  int pos = 5;
  for (int k = 0; pos + 3 < static_cast<int>(pulses.size()); ++k) {
    const float a = k % 2 ? 0.5f : 1.0f;
    pulses[static_cast<std::size_t>(pos)] = a;
    pulses[static_cast<std::size_t>(pos + 1)] = 0.6f * a;
    pulses[static_cast<std::size_t>(pos + 2)] = 0.3f * a;
    pos += k % 2 ? 154 : 140;
  }
  const JitterShimmer alternating = jitter_shimmer(pulses, rate, rate / 147.0, 0.1, 0.3);
  EXPECT_NEAR(alternating.jitter_local, 14.0 / 147.0, 0.01);
  EXPECT_NEAR(alternating.shimmer_db, 20 * std::log10(2.0), 0.3);
}

TEST(VoiceAnalysis, LpcFormantsRecoverKnownResonances) {
  // All-pole model with resonances at 500 Hz (80 Hz wide) and 1500 Hz (120 Hz wide).
  const double fs = 11000;
  std::vector<std::complex<double>> poly = {1.0};
  for (const auto [f, bw] : {std::pair{500.0, 80.0}, std::pair{1500.0, 120.0}}) {
    const std::complex<double> r = std::polar(std::exp(-std::numbers::pi * bw / fs), 2 * std::numbers::pi * f / fs);
    for (const auto root : {r, std::conj(r)}) {
      std::vector<std::complex<double>> next(poly.size() + 1, 0.0);
      for (std::size_t i = 0; i < poly.size(); ++i) {
        next[i] += poly[i];
        next[i + 1] -= poly[i] * root;
      }
      poly = next;
    }
  }
  std::vector<double> lpc;
  for (std::size_t i = 1; i < poly.size(); ++i) lpc.push_back(poly[i].real());
  const Formants f = lpc_formants(lpc, fs);
  EXPECT_NEAR(f.freq[0], 500.0, 0.01);
  EXPECT_NEAR(f.bandwidth[0], 80.0, 0.01);
  EXPECT_NEAR(f.freq[1], 1500.0, 0.01);
  EXPECT_NEAR(f.bandwidth[1], 120.0, 0.01);
  EXPECT_EQ(f.freq[2], 0.0);
}

TEST(VoiceAnalysis, OpenSmileFormantRootsSolveAOfZEqualsTwo) {
  // openSMILE negates the coefficients before root solving, so its "formants" are the
  // roots of A(z) = 2 (reflected into the unit circle), not of A(z) = 0.
  const double fs = 11000;
  const std::vector<double> lpc = {-1.2, 0.9, -0.3, 0.2};
  const Formants f = lpc_formants(lpc, fs, 50.0, 5450.0, FormantRoots::OpenSmile);
  ASSERT_GT(f.freq[0], 0.0);
  auto a_of = [&](std::complex<double> z) {
    std::complex<double> a = 1.0;
    for (std::size_t k = 0; k < lpc.size(); ++k) a += lpc[k] * std::pow(z, -static_cast<int>(k + 1));
    return a;
  };
  for (std::size_t i = 0; i < f.freq.size() && f.freq[i] > 0.0; ++i) {
    const double angle = 2 * std::numbers::pi * f.freq[i] / fs;
    const double radius = std::exp(-std::numbers::pi * f.bandwidth[i] / fs);
    // The root is at this radius or at its reflection outside the circle.
    const double miss = std::min(std::abs(a_of(std::polar(radius, angle)) - 2.0), std::abs(a_of(std::polar(1.0 / radius, angle)) - 2.0));
    EXPECT_LT(miss, 1e-9) << "root " << i << " at " << f.freq[i] << " Hz";
  }
  // The textbook convention gives different roots for the same coefficients.
  EXPECT_GT(std::abs(lpc_formants(lpc, fs).freq[0] - f.freq[0]), 1.0);
}

TEST(PitchViterbi, KeepsASmoothContourThroughOctaveErrors) {
  // Every third frame the best-scored candidate is the octave above; the smoother
  // stays on 200 Hz, and frames without a voiced candidate end unvoiced.
  std::vector<std::vector<PitchCandidate>> frames;
  for (int t = 0; t < 60; ++t) {
    if (t >= 50) {
      frames.push_back({{200.0, 0.2}});
      continue;
    }
    const bool octave_error = t % 3 == 1;
    frames.push_back(octave_error ? std::vector<PitchCandidate>{{400.0, 0.9}, {200.0, 0.85}}
                                  : std::vector<PitchCandidate>{{200.0, 0.9}, {400.0, 0.8}});
  }
  const std::vector<double> f0 = viterbi_pitch(frames, 0.7);
  ASSERT_EQ(f0.size(), frames.size());
  for (int t = 0; t < 50; ++t) EXPECT_DOUBLE_EQ(f0[static_cast<std::size_t>(t)], 200.0) << "frame " << t;
  for (int t = 52; t < 60; ++t) EXPECT_EQ(f0[static_cast<std::size_t>(t)], 0.0) << "frame " << t;
}

TEST(PitchShs, BatchesGiveEachFrameExactlyWhatItGetsAlone) {
  // Tones, noise and silence, 13 frames: three full batches and a partial one. Batched
  // frames share SIMD lanes, so any change of arithmetic order would show as bits.
  const double rate = 22050;
  std::vector<float> signal;
  for (const double f0 : {110.0, 180.0, 260.0}) {
    const auto tone = testing::harmonic_tone(f0, 0.04, rate);
    signal.insert(signal.end(), tone.begin(), tone.end());
  }
  const auto noise = testing::white_noise(0.03, rate, 0.1);
  signal.insert(signal.end(), noise.begin(), noise.end());
  signal.resize(signal.size() + static_cast<std::size_t>(0.04 * rate), 0.0f);

  const FrameGeometry g = frame_geometry(rate, 0.060, 0.010);
  const int frames = frame_count(signal.size(), g);
  ASSERT_GE(frames, 9);
  ASSERT_NE(frames % ShsPitch::kBatch, 0);
  FrameAnalysis batched_frame(g, 0.0, WindowKind::Gaussian), single_frame(g, 0.0, WindowKind::Gaussian);
  ShsPitch batched(g), single(g);
  int seen = 0;
  const auto all = shs_candidates(signal, frames, batched_frame, batched, [&](int t, FrameAnalysis&) { EXPECT_EQ(t, seen++); });
  ASSERT_EQ(all.size(), static_cast<std::size_t>(frames));
  int voiced = 0;
  for (int t = 0; t < frames; ++t) {
    single_frame.load(signal.data() + static_cast<std::size_t>(t) * g.step_samples);
    const auto alone = single.candidates(single_frame.magnitude());
    const auto& in_batch = all[static_cast<std::size_t>(t)];
    ASSERT_EQ(alone.size(), in_batch.size()) << "frame " << t;
    for (std::size_t c = 0; c < alone.size(); ++c) {
      EXPECT_EQ(alone[c].f0_hz, in_batch[c].f0_hz) << "frame " << t;
      EXPECT_EQ(alone[c].voicing, in_batch[c].voicing) << "frame " << t;
    }
    voiced += !alone.empty() && alone.front().voicing > 0.7;
  }
  EXPECT_GE(voiced, 3);  // the tones were found, so the comparison covered real peaks
  EXPECT_EQ(seen, frames);
}

// A second of speech-like material for the pitch chain: gliding harmonic tones, noise
// and silence (22.05 kHz).
std::vector<float> pitch_chain_signal(double rate) {
  std::vector<float> signal;
  for (const double f0 : {120.0, 135.0, 240.0, 90.0}) {
    const auto tone = testing::harmonic_tone(f0, 0.2, rate);
    signal.insert(signal.end(), tone.begin(), tone.end());
  }
  const auto noise = testing::white_noise(0.1, rate, 0.05);
  signal.insert(signal.end(), noise.begin(), noise.end());
  signal.resize(signal.size() + static_cast<std::size_t>(0.1 * rate), 0.0f);
  const auto whisper = testing::harmonic_tone(150.0, 0.15, rate, 0.0005);  // pitched, but under the energy gate
  signal.insert(signal.end(), whisper.begin(), whisper.end());
  const auto tail = testing::harmonic_tone(200.0, 0.15, rate);
  signal.insert(signal.end(), tail.begin(), tail.end());
  return signal;
}

TEST(PitchViterbi, GatedTrackSearchedAsFramesArriveEqualsTheSearchOverAllFrames) {
  // The reference: every frame's candidates first, then the search, then the energy gate
  // (the chain as it was before it ran frame by frame). Buffers of 30 (ComParE) and 40
  // (GeMAPS) frames; the signal is longer than either, so decisions are forced early.
  const double rate = 22050, floor = 0.001;
  const auto signal = pitch_chain_signal(rate);
  const FrameGeometry g = frame_geometry(rate, 0.060, 0.010);
  const int frames = frame_count(signal.size(), g);
  ASSERT_GT(frames, 80);
  for (const int buffer : {30, 40}) {
    ViterbiWeights w;
    w.buffer_frames = buffer;
    const ShsParams params;
    FrameAnalysis frame(g, 0.0, WindowKind::Gaussian);
    ShsPitch shs(g, params);
    std::vector<double> rms;
    const auto candidates = shs_candidates(signal, frames, frame, shs, [&](int, FrameAnalysis& loaded) {
      double e = 0.0;
      for (const float v : loaded.windowed()) e += static_cast<double>(v) * v;
      rms.push_back(std::sqrt(e / g.frame_samples));
    });
    PitchTrack reference = viterbi_pitch_track(candidates, params.voicing_cutoff, w);
    int gated = 0;
    for (std::size_t t = 0; t < rms.size(); ++t)
      if (rms[t] < floor) gated += reference.f0[t] > 0.0, reference.f0[t] = reference.voicing[t] = 0.0;

    int newest_loaded = -1, next_decided = 0, decided_early = 0;
    std::vector<double> told(static_cast<std::size_t>(frames), -1.0);
    PitchFrameHooks hooks;
    hooks.loaded = [&](int t, FrameAnalysis&) { EXPECT_EQ(t, ++newest_loaded); };
    hooks.decided = [&](int t, double f0) {
      EXPECT_EQ(t, next_decided++);
      EXPECT_LE(newest_loaded - t, pitch_decision_lag(w)) << "frame " << t;
      decided_early += newest_loaded < frames - 1;
      told[static_cast<std::size_t>(t)] = f0;
    };
    const PitchTrack streamed = gated_viterbi_pitch(signal, g, frames, params, w, floor, hooks);
    EXPECT_EQ(next_decided, frames);
    EXPECT_GT(decided_early, frames / 2);  // decisions come while frames still arrive
    EXPECT_GT(gated, 0);                   // the quiet tone's voiced frames exercised the gate
    int voiced = 0;
    for (std::size_t t = 0; t < static_cast<std::size_t>(frames); ++t) {
      EXPECT_EQ(streamed.f0[t], reference.f0[t]) << "buffer " << buffer << ", frame " << t;
      EXPECT_EQ(streamed.voicing[t], reference.voicing[t]) << "buffer " << buffer << ", frame " << t;
      EXPECT_EQ(told[t], streamed.f0[t]) << "frame " << t;
      voiced += streamed.f0[t] > 0.0;
    }
    EXPECT_GT(voiced, frames / 3);
  }
}

TEST(FrameAnalysis, AutocorrelationOfAKeptSpectrumEqualsTheFramesOwn) {
  const double rate = 22050;
  const auto signal = pitch_chain_signal(rate);
  const FrameGeometry g = frame_geometry(rate, 0.060, 0.010);
  FrameAnalysis early(g, 0.0, WindowKind::Gaussian), later(g, 0.0, WindowKind::Gaussian), fresh(g, 0.0, WindowKind::Gaussian);
  early.load(signal.data() + 5 * g.step_samples);
  const std::vector<float> kept(early.magnitude().begin(), early.magnitude().end());
  const std::vector<float> own(early.autocorrelation().begin(), early.autocorrelation().end());
  later.load(signal.data() + 30 * g.step_samples);
  const std::vector<float> later_own_before(later.autocorrelation().begin(), later.autocorrelation().end());
  const auto from_kept = later.autocorrelation_of(kept);
  ASSERT_EQ(from_kept.size(), own.size());
  for (std::size_t j = 0; j < own.size(); ++j) ASSERT_EQ(from_kept[j], own[j]) << "lag " << j;
  // The loaded frame's own ACF is computed again, not left overwritten.
  const auto later_own = later.autocorrelation();
  for (std::size_t j = 0; j < own.size(); ++j) ASSERT_EQ(later_own[j], later_own_before[j]) << "lag " << j;
  EXPECT_THROW(fresh.autocorrelation_of({kept.data(), kept.size() - 1}), Error);
}

TEST(VoiceAnalysis, LevinsonInvertsAnArProcessAutocorrelation) {
  // AR(1) x[n] = 0.8 x[n-1] + e: r(k) = 0.8^k, so a1 = -0.8 and a2 = 0.
  const std::vector<double> r = {1.0, 0.8, 0.64};
  const auto a = levinson(r, 2);
  EXPECT_NEAR(a[0], -0.8, 1e-12);
  EXPECT_NEAR(a[1], 0.0, 1e-12);
}

TEST(Gemaps, HasEightyEightNamesInOpenSmileOrder) {
  const auto& names = feature_names(feature_set("egemaps"));
  ASSERT_EQ(names.size(), 88u);
  EXPECT_EQ(names.front(), "F0semitoneFrom27.5Hz_sma3nz_amean");
  EXPECT_EQ(names[10], "loudness_sma3_amean");
  EXPECT_EQ(names[76], "alphaRatioUV_sma3nz_amean");
  EXPECT_EQ(names.back(), "equivalentSoundLevel_dBp");
}

TEST(Gemaps, PitchOfAHarmonicToneAndVoicing) {
  const double rate = 22050, f0 = 150.0;
  std::vector<float> x = testing::harmonic_tone(f0, 1.0, rate);
  const std::vector<float> silence(static_cast<std::size_t>(0.5 * rate), 0.0f);
  x.insert(x.end(), silence.begin(), silence.end());
  const GemapsLlds llds = gemaps_llds(x, rate);
  std::vector<double> voiced, unvoiced_tail;
  for (int t = 0; t < llds.pitch_frames; ++t) {
    const double st = llds.values.at(t, kF0Semitone);
    if (t > 10 && t < 80) voiced.push_back(st);
    if (t > 110) unvoiced_tail.push_back(st);
  }
  const double expected = 12 * std::log2(f0 / 27.5);
  ASSERT_FALSE(voiced.empty());
  for (double st : voiced) EXPECT_NEAR(st, expected, 0.3);  // within 2 % of 150 Hz
  for (double st : unvoiced_tail) EXPECT_EQ(st, 0.0);       // silence is unvoiced

  const auto& names = gemaps_names();
  const auto values = gemaps_functionals(llds);
  auto value = [&](const std::string& n) { return values[static_cast<std::size_t>(std::find(names.begin(), names.end(), n) - names.begin())]; };
  EXPECT_NEAR(value("F0semitoneFrom27.5Hz_sma3nz_amean"), expected, 0.3);
  EXPECT_NEAR(value("VoicedSegmentsPerSec"), 1.0 / (llds.pitch_frames * 0.01), 1e-9);  // one voiced stretch
  EXPECT_GT(value("HNRdBACF_sma3nz_amean"), 5.0);  // a clean periodic tone
}

TEST(VoiceAnalysis, LineSpectralFrequencies) {
  // A(z) = 1: P and Q are 1 +- z^-(p+1), roots equally spaced at k pi / (p + 1).
  const std::vector<double> flat = line_spectral_frequencies(std::vector<double>(8, 0.0));
  ASSERT_EQ(flat.size(), 8u);
  for (std::size_t k = 0; k < flat.size(); ++k) EXPECT_NEAR(flat[k], (k + 1) * std::numbers::pi / 9.0, 1e-9);
  // A sharp resonance at 1 kHz (11 kHz rate) sits between a close pair.
  const double theta = 2 * std::numbers::pi * 1000.0 / 11000.0, radius = 0.99;
  const std::vector<double> resonance{-2 * radius * std::cos(theta), radius * radius};
  const std::vector<double> pair = line_spectral_frequencies(resonance);
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_LT(pair[0], theta);
  EXPECT_GT(pair[1], theta);
  EXPECT_LT(pair[1] - pair[0], 0.06);  // the sharper the resonance, the closer the pair
}

TEST(Is10, HasOpenSmilesFeatureCountAndPitchOfATone) {
  EXPECT_EQ(is10_names().size(), 1582u);
  EXPECT_EQ(is10_names().front(), "pcm_loudness_sma_maxPos");
  EXPECT_EQ(is10_names().back(), "F0final__Turn_duration");
  const double rate = 22050, f0 = 150.0;
  std::vector<float> x = testing::harmonic_tone(f0, 1.0, rate);
  const std::vector<float> silence(static_cast<std::size_t>(0.5 * rate), 0.0f);
  x.insert(x.end(), silence.begin(), silence.end());
  const Is10Llds llds = is10_llds(x, rate);
  const auto values = is10_functionals(llds);
  ASSERT_EQ(values.size(), 1582u);
  const auto& names = is10_names();
  auto value = [&](const std::string& n) { return values[static_cast<std::size_t>(std::find(names.begin(), names.end(), n) - names.begin())]; };
  EXPECT_NEAR(value("F0final_sma_amean"), f0, 3.0);
  EXPECT_NEAR(value("F0final__Turn_onsetRate"), 1.0 / value("F0final__Turn_duration"), 1e-9);  // one voiced stretch
  for (double v : values) EXPECT_TRUE(std::isfinite(v));
}

TEST(Is10, LoudnessIsThatOfEachFramesFirstSampleAsInOpenSmile) {
  // openSMILE's cIntensity, configured for loudness alone, sums w[i] x[i]^2 over one
  // sample only. A pulse at each 25 ms frame's first sample gives every frame the same
  // loudness; the same pulses one sample later give none.
  const double rate = 22050;
  const FrameGeometry g = frame_geometry(rate, 0.025, 0.010);
  double window_sum = 0.0;
  for (int i = 0; i < g.frame_samples; ++i) window_sum += 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * i / (g.frame_samples - 1));
  const double expected = std::pow(0.08 * 0.5 * 0.5 / window_sum / 1e-6, 0.3);
  for (int offset : {0, 1}) {
    std::vector<float> x(static_cast<std::size_t>(rate), 0.0f);
    for (std::size_t i = static_cast<std::size_t>(offset); i < x.size(); i += static_cast<std::size_t>(g.step_samples)) x[i] = 0.5f;
    const Is10Llds llds = is10_llds(x, rate);
    ASSERT_GT(llds.all_frames.frames, 50);
    for (int t = 0; t < llds.all_frames.frames; ++t)
      EXPECT_NEAR(llds.all_frames.at(t, 0), offset == 0 ? expected : 0.0, 1e-9) << "frame " << t << ", pulses at offset " << offset;
  }
}

TEST(Gemaps, RefusesInputShorterThanOnePitchFrame) {
  const std::vector<float> x(1000, 0.1f);  // 45 ms at 22.05 kHz
  EXPECT_THROW(gemaps_llds(x, 22050), Error);
}

}  // namespace
}  // namespace seraug
