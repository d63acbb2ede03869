// Audio perturbations (audio/perturb.hpp): each transform against a signal whose answer
// is known, plus the parser's table of good and bad specifications.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>

#include "seraug/audio/perturb.hpp"
#include "seraug/common/error.hpp"

namespace seraug {
namespace {

constexpr double kRate = 16000;

std::vector<float> tone(double hz, double seconds, double rate = kRate) {
  std::vector<float> x(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  return x;
}

// Frequency of a tone from its upward zero crossings in the middle 80 % of the signal
// (interpolated crossing times, so the estimate is far finer than a sample).
double tone_frequency(const std::vector<float>& x, double rate = kRate) {
  std::vector<double> crossings;
  for (std::size_t i = x.size() / 10; i + 1 < x.size() * 9 / 10; ++i)
    if (x[i] < 0 && x[i + 1] >= 0) crossings.push_back(static_cast<double>(i) + x[i] / (x[i] - x[i + 1]));
  return static_cast<double>(crossings.size() - 1) / ((crossings.back() - crossings.front()) / rate);
}

// A two-formant vowel: `excitation` through second-order resonators at f1 and f2.
std::vector<float> vowel(const std::vector<double>& excitation, double f1, double f2) {
  std::vector<double> y = excitation;
  for (double f : {f1, f2}) {
    const double bandwidth = 80, r = std::exp(-std::numbers::pi * bandwidth / kRate);
    const double a1 = -2 * r * std::cos(2 * std::numbers::pi * f / kRate), a2 = r * r;
    std::vector<double> out(y.size(), 0.0);
    for (std::size_t i = 0; i < y.size(); ++i)
      out[i] = y[i] - a1 * (i >= 1 ? out[i - 1] : 0) - a2 * (i >= 2 ? out[i - 2] : 0);
    y = out;
  }
  double peak = 0;
  for (double v : y) peak = std::max(peak, std::fabs(v));
  std::vector<float> x(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) x[i] = static_cast<float>(0.5 * y[i] / peak);
  return x;
}

std::vector<double> white(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> e(n);
  for (auto& v : e) v = normal(rng);
  return e;
}

std::vector<double> pulses(std::size_t n, double f0) {
  std::vector<double> e(n, 0.0);
  for (double t = 0; t < static_cast<double>(n); t += kRate / f0) e[static_cast<std::size_t>(t)] = 1.0;
  return e;
}

// Long-term power spectrum (Hann frames of 2048, 1 Hz = 2048 / 16000 bins), smoothed over
// +-40 Hz, and the frequency of its largest value between lo and hi Hz.
double spectral_peak(const std::vector<float>& x, double lo, double hi) {
  const std::size_t n = 2048;
  const double bin_hz = kRate / n;
  const auto half = static_cast<std::size_t>(40 / bin_hz);
  const auto first = static_cast<std::size_t>(lo / bin_hz), last = static_cast<std::size_t>(hi / bin_hz);
  std::vector<double> power(n / 2 + 1, 0.0);
  for (std::size_t start = 0; start + n <= x.size(); start += n / 2)
    for (std::size_t k = first - half; k <= last + half; ++k) {
      std::complex<double> s = 0;
      for (std::size_t i = 0; i < n; i += 1) {
        const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / n);
        s += w * x[start + i] * std::polar(1.0, -2 * std::numbers::pi * static_cast<double>(k * i) / n);
      }
      power[k] += std::norm(s);
    }
  double best = -1, at = 0;
  for (std::size_t k = first; k <= last; ++k) {
    double sum = 0;
    for (std::size_t j = k - half; j <= k + half; ++j) sum += power[j];
    if (sum > best) best = sum, at = static_cast<double>(k) * bin_hz;
  }
  return at;
}

// F0 of a pulse-excited vowel: the autocorrelation peak between 2.5 and 20 ms.
double autocorrelation_f0(const std::vector<float>& x) {
  double best = -1;
  std::size_t lag_at = 0;
  for (std::size_t lag = static_cast<std::size_t>(kRate / 400); lag <= static_cast<std::size_t>(kRate / 50); ++lag) {
    double r = 0;
    for (std::size_t i = 0; i + lag < x.size(); ++i) r += static_cast<double>(x[i]) * x[i + lag];
    if (r > best) best = r, lag_at = lag;
  }
  return kRate / static_cast<double>(lag_at);
}

double power(const std::vector<float>& x) {
  double p = 0;
  for (float v : x) p += static_cast<double>(v) * v;
  return p / static_cast<double>(x.size());
}

TEST(Perturb, SpeedShortensTheClipAndRaisesATonesFrequency) {
  const auto x = tone(440, 1.0);
  const auto y = change_speed(x, 1.1);
  EXPECT_EQ(y.size(), static_cast<std::size_t>(std::llround(16000 / 1.1)));
  EXPECT_NEAR(tone_frequency(y), 440 * 1.1, 0.5);
  const auto slow = change_speed(x, 0.9);
  EXPECT_EQ(slow.size(), static_cast<std::size_t>(std::llround(16000 / 0.9)));
  EXPECT_NEAR(tone_frequency(slow), 440 * 0.9, 0.5);
}

TEST(Perturb, VtlpMovesTheFormantsByAlphaAndKeepsThePitch) {
  const auto whispered = vowel(white(32000, 3), 700, 1300);
  ASSERT_NEAR(spectral_peak(whispered, 400, 1000), 700, 20);
  ASSERT_NEAR(spectral_peak(whispered, 1000, 1800), 1300, 20);
  for (double alpha : {0.9, 1.1}) {
    const auto warped = warp_vocal_tract(whispered, kRate, alpha);
    ASSERT_EQ(warped.size(), whispered.size());
    EXPECT_NEAR(spectral_peak(warped, 400, 1000), 700 * alpha, 700 * 0.03) << alpha;
    EXPECT_NEAR(spectral_peak(warped, 1000, 1800), 1300 * alpha, 1300 * 0.03) << alpha;
    EXPECT_NEAR(power(warped), power(whispered), power(whispered) * 1e-3);
  }
  // Voiced: the formants move, the harmonics (F0 = 120 Hz) do not.
  const auto voiced = vowel(pulses(32000, 120), 700, 1300);
  const auto warped = warp_vocal_tract(voiced, kRate, 1.1);
  EXPECT_NEAR(autocorrelation_f0(voiced), 120, 2);
  EXPECT_NEAR(autocorrelation_f0(warped), 120, 2);
  EXPECT_EQ(warp_vocal_tract(voiced, kRate, 1.0), voiced);
}

TEST(Perturb, PitchShiftChangesTheFrequencyAndKeepsTheDuration) {
  const auto x = tone(300, 1.0);
  const auto up = shift_pitch(x, kRate, 12);
  ASSERT_EQ(up.size(), x.size());
  EXPECT_NEAR(tone_frequency(up), 600, 600 * 0.01);
  const auto down = shift_pitch(x, kRate, -2);
  EXPECT_NEAR(tone_frequency(down), 300 * std::pow(2.0, -2.0 / 12), 300 * 0.01);
  // Formants move with the pitch (no formant preservation).
  const auto whispered = vowel(white(32000, 4), 700, 1300);
  EXPECT_NEAR(spectral_peak(shift_pitch(whispered, kRate, 2), 400, 1100), 700 * std::pow(2.0, 2.0 / 12), 30);
}

TEST(Perturb, NoiseHitsTheRequestedSnr) {
  const auto x = vowel(pulses(32000, 150), 600, 1500);
  for (const std::string color : {"white", "pink"})
    for (double snr : {0.0, 10.0, 20.0, 35.0}) {
      const auto y = perturb(x, kRate, parse_perturbation_chain("noise=" + std::to_string(snr)), 7, PerturbSettings{color});
      std::vector<float> n(y.size());
      for (std::size_t i = 0; i < y.size(); ++i) n[i] = y[i] - x[i];
      EXPECT_NEAR(10 * std::log10(power(x) / power(n)), snr, 0.1) << color << " " << snr;
    }
  // Pink noise has more power below 1 kHz than above 4 kHz; white noise about the same per Hz.
  const auto pink = coloured_noise(32000, "pink", 1);
  EXPECT_GT(spectral_peak(pink, 50, 7000), 0);
  EXPECT_LT(spectral_peak(pink, 50, 7000), 500);
  const std::vector<float> silent(1000, 0.0f);
  EXPECT_EQ(add_noise(silent, coloured_noise(1000, "white", 1), 10), silent);
}

TEST(Perturb, ReverbWithZeroRt60IsTheIdentity) {
  const auto x = vowel(pulses(16000, 150), 600, 1500);
  EXPECT_EQ(perturb(x, kRate, parse_perturbation_chain("reverb=0"), 3), x);
  // RT60 = 0.5 s: the impulse response's energy decays by 60 dB in about 0.5 s
  // (Schroeder backward integral between -5 and -35 dB, extrapolated).
  const auto h = synthetic_impulse_response(kRate, 0.5, 0.0, 9);
  std::vector<double> remaining(h.size());
  double sum = 0;
  for (std::size_t i = h.size(); i-- > 0;) remaining[i] = (sum += static_cast<double>(h[i]) * h[i]);
  auto time_at = [&](double db) {
    for (std::size_t i = 1; i < h.size(); ++i)
      if (10 * std::log10(remaining[i] / remaining[1]) <= db) return static_cast<double>(i) / kRate;
    return 0.0;
  };
  EXPECT_NEAR(2 * (time_at(-35) - time_at(-5)), 0.5, 0.05);
  EXPECT_NEAR(sum, 1.0, 1e-5);
  const auto y = perturb(x, kRate, parse_perturbation_chain("reverb=0.5"), 3);
  ASSERT_EQ(y.size(), x.size());
  EXPECT_NE(y, x);
}

TEST(Perturb, TheSameSeedGivesTheSameCopy) {
  const auto x = vowel(white(16000, 5), 600, 1500);
  const auto chain = parse_perturbation_chain("speed=0.9,vtlp=1.1,pitch=1,noise=15,reverb=0.3");
  const auto a = perturb(x, kRate, chain, 42), b = perturb(x, kRate, chain, 42), c = perturb(x, kRate, chain, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a.size(), static_cast<std::size_t>(std::llround(16000 / 0.9)));
}

TEST(Perturb, ParsesAndNamesChains) {
  EXPECT_EQ(chain_text(parse_perturbation_chain("speed=1.10")), "speed=1.1");
  EXPECT_EQ(chain_text(parse_perturbation_chain("noise=20,reverb=file")), "noise=20,reverb=file");
  EXPECT_EQ(chain_text(parse_perturbation_chain("pitch=-2")), "pitch=-2");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"speed", "not kind=value"},          {"speed=", "needs a number"},        {"speed=fast", "needs a number"},
      {"speed=3", "outside [0.5, 2]"},      {"vtlp=0.5", "outside [0.7, 1.3]"},  {"pitch=13", "outside [-12, 12]"},
      {"noise=inf", "needs a number"},      {"reverb=-1", "outside [0, 3]"},     {"echo=2", "unknown kind 'echo'"},
      {"speed=1.1,", "not kind=value"},     {"speed=1.1x", "needs a number"},
  };
  for (const auto& [text, message] : bad) {
    try {
      parse_perturbation_chain(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << text << ": " << e.what();
    }
  }
  PerturbSettings files;
  files.noise_color = "files";
  EXPECT_THROW(files.validate(), Error);
  files.noise_dir = "/nonexistent";
  EXPECT_THROW(perturb(tone(200, 0.1), kRate, parse_perturbation_chain("noise=10"), 1, files), Error);
}

}  // namespace
}  // namespace seraug
