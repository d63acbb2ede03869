#include "seraug/audio/perturb.hpp"

#include <soxr.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <complex>
#include <filesystem>
#include <random>
#include <span>

#include "seraug/audio/audio.hpp"
#include "seraug/audio/real_fft.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/distinct.hpp"
#include "seraug/stats/hash.hpp"

namespace seraug {
namespace {

struct KindInfo {
  PerturbKind kind;
  const char* name;
  double low, high;
  const char* unit;
};

constexpr KindInfo kKinds[] = {
    {PerturbKind::Speed, "speed", 0.5, 2.0, "factor"},
    {PerturbKind::Vtlp, "vtlp", 0.7, 1.3, "warp factor"},
    {PerturbKind::Pitch, "pitch", -12.0, 12.0, "semitones"},
    {PerturbKind::Noise, "noise", -10.0, 80.0, "dB SNR"},
    {PerturbKind::Reverb, "reverb", 0.0, 3.0, "seconds RT60, or 'file'"},
};

const KindInfo& info(PerturbKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k;
  throw Error("unknown perturbation kind");
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Perturbation parse_one(std::string_view item, std::string_view whole) {
  const auto eq = item.find('=');
  const std::string where = "perturbation '" + std::string(whole) + "'";
  if (eq == std::string_view::npos) throw Error(where + ": '" + std::string(item) + "' is not kind=value (kinds: speed, vtlp, pitch, noise, reverb)");
  const std::string_view name = item.substr(0, eq), value = item.substr(eq + 1);
  for (const auto& k : kKinds) {
    if (name != k.name) continue;
    Perturbation p;
    p.kind = k.kind;
    if (k.kind == PerturbKind::Reverb && value == "file") {
      p.from_file = true;
      return p;
    }
    const std::string text(value);
    char* end = nullptr;
    p.value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(p.value))
      throw Error(where + ": " + k.name + " needs a number (" + k.unit + "), got '" + text + "'");
    if (p.value < k.low || p.value > k.high)
      throw Error(where + ": " + k.name + "=" + text + " is outside [" + number_text(k.low) + ", " + number_text(k.high) + "] (" + k.unit + ")");
    return p;
  }
  throw Error(where + ": unknown kind '" + std::string(name) + "' (kinds: speed, vtlp, pitch, noise, reverb)");
}

// The seed of the i-th transform of a chain: independent draws for each.
std::uint64_t step_seed(std::uint64_t seed, std::size_t i) {
  const std::uint64_t mixed[2] = {seed, static_cast<std::uint64_t>(i)};
  return fnv1a(kFnv1aOffset, mixed, sizeof mixed);
}

// Sorted audio files of a folder (the order decides which file a seed picks).
std::vector<std::string> audio_files(const std::string& dir, const std::string& setting) {
  std::error_code ec;
  if (dir.empty()) throw Error(setting + " is not set: give a folder (extract: --" + (setting == "noise_dir" ? "noise-dir" : "impulse-dir") + " DIR)");
  if (!std::filesystem::is_directory(dir, ec)) throw file_error(dir, setting + ": not a folder");
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw file_error(dir, setting + ": holds no files");
  return files;
}

std::vector<float> read_at_rate(const std::string& path, double rate_hz) {
  AudioOptions o;
  o.sample_rate_hz = rate_hz;
  auto stream = AudioStream::open_file(path, o);
  return read_all_samples(*stream);
}

// n samples of a random noise file, from a random offset, looping a short file.
std::vector<float> noise_from_files(std::size_t n, double rate_hz, const std::string& dir, std::uint64_t seed) {
  const auto files = audio_files(dir, "noise_dir");
  std::mt19937_64 rng(seed);
  const std::string& path = files[rng() % files.size()];
  const std::vector<float> noise = read_at_rate(path, rate_hz);
  std::vector<float> out(n);
  const std::size_t start = rng() % noise.size();
  for (std::size_t i = 0; i < n; ++i) out[i] = noise[(start + i) % noise.size()];
  return out;
}

std::vector<float> impulse_from_files(double rate_hz, const std::string& dir, std::uint64_t seed) {
  const auto files = audio_files(dir, "impulse_dir");
  std::mt19937_64 rng(seed);
  const std::string& path = files[rng() % files.size()];
  std::vector<float> h = read_at_rate(path, rate_hz);
  double energy = 0;
  for (float v : h) energy += static_cast<double>(v) * v;
  if (!(energy > 0)) throw file_error(path, "impulse response is silent");
  for (float& v : h) v = static_cast<float>(v / std::sqrt(energy));
  return h;
}

double mean_power(std::span<const float> x) {
  double p = 0;
  for (float v : x) p += static_cast<double>(v) * v;
  return x.empty() ? 0 : p / static_cast<double>(x.size());
}

std::vector<float> apply_one(const std::vector<float>& x, double rate_hz, const Perturbation& p, std::uint64_t seed,
                             const PerturbSettings& s) {
  switch (p.kind) {
    case PerturbKind::Speed: return change_speed(x, p.value);
    case PerturbKind::Vtlp: return warp_vocal_tract(x, rate_hz, p.value, s.vtlp_boundary);
    case PerturbKind::Pitch: return shift_pitch(x, rate_hz, p.value);
    case PerturbKind::Noise: {
      const std::vector<float> noise = s.noise_color == "files" ? noise_from_files(x.size(), rate_hz, s.noise_dir, seed)
                                                                 : coloured_noise(x.size(), s.noise_color, seed);
      return add_noise(x, noise, p.value);
    }
    case PerturbKind::Reverb: {
      const std::vector<float> h = p.from_file ? impulse_from_files(rate_hz, s.impulse_dir, seed)
                                               : synthetic_impulse_response(rate_hz, p.value, s.reverb_drr_db, seed);
      return convolve_same_length(x, h);
    }
  }
  return x;
}

}  // namespace

std::string Perturbation::text() const {
  if (kind == PerturbKind::Reverb && from_file) return "reverb=file";
  return std::string(info(kind).name) + "=" + number_text(value);
}

PerturbationChain parse_perturbation_chain(std::string_view text) {
  PerturbationChain chain;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    chain.push_back(parse_one(text.substr(start, comma - start), text));
    start = comma + 1;
  }
  return chain;
}

std::string chain_text(const PerturbationChain& chain) {
  std::string out;
  for (const auto& p : chain) out += (out.empty() ? "" : ",") + p.text();
  return out;
}

std::vector<std::string> perturbation_kinds() {
  std::vector<std::string> names;
  for (const auto& k : kKinds) names.push_back(k.name);
  return names;
}

PerturbationRange perturbation_range(const std::string& kind) {
  for (const auto& k : kKinds)
    if (kind == k.name) return {k.low, k.high, k.unit};
  throw Error("unknown perturbation kind '" + kind + "'");
}

const std::vector<Field<PerturbSettings>>& perturb_fields() {
  using P = PerturbSettings;
  static const std::vector<Field<PerturbSettings>> fields = with_defaults<PerturbSettings>({
      {choice_parameter("noise_color", "", {"white", "pink", "files"}, "noise: white, pink, or files (segments of noise_dir's recordings)"),
       &P::noise_color},
      {text_parameter("noise_dir", "", "noise: folder of noise recordings (with noise_color = files)"), &P::noise_dir},
      {text_parameter("impulse_dir", "", "reverb=file: folder of room impulse responses"), &P::impulse_dir},
      {number_parameter("reverb_drr_db", "", -20, 40, "reverb: direct-to-reverberant energy ratio of the synthetic rooms (dB)"),
       &P::reverb_drr_db},
      {number_parameter("vtlp_boundary", "", 0.5, 0.95, "vtlp: the warp is linear up to this fraction of Nyquist"), &P::vtlp_boundary},
  });
  return fields;
}

void PerturbSettings::validate() const {
  validate_fields(perturb_fields(), *this, "audio_augment");
  if (noise_color == "files" && noise_dir.empty()) throw Error("noise_color = \"files\" needs `noise_dir` (a folder of noise recordings)");
}

void PerturbSettings::validate_use(const std::vector<PerturbationChain>& chains) const {
  validate();
  bool noise = false, reverb_file = false;
  for (const auto& chain : chains)
    for (const auto& p : chain) {
      noise = noise || p.kind == PerturbKind::Noise;
      reverb_file = reverb_file || (p.kind == PerturbKind::Reverb && p.from_file);
    }
  if (!noise_dir.empty() && noise_color != "files")
    throw Error("noise_dir is used only with noise_color = files (noise cut from its recordings); with noise_color = " + noise_color +
                " it would be ignored: set noise_color = files or leave noise_dir out");
  if (noise_color != "white" && !noise)
    throw Error("noise_color = " + noise_color + " is set, but no perturbation adds noise (noise=SNR_DB)");
  if (reverb_file && impulse_dir.empty())
    throw Error("reverb=file needs `impulse_dir`, a folder of room impulse responses");
  if (!impulse_dir.empty() && !reverb_file)
    throw Error("impulse_dir is used only by reverb=file; no perturbation is reverb=file, so it would be ignored");
}

std::vector<PerturbationChain> parse_perturbation_chains(const std::vector<std::string>& texts, const std::string& what) {
  std::vector<PerturbationChain> chains;
  for (const auto& t : texts) chains.push_back(parse_perturbation_chain(t));
  refuse_repeats<std::string>(texts, what, "perturbation", [](const std::string& t) { return chain_text(parse_perturbation_chain(t)); },
                              [](const std::string& t) { return t; });
  return chains;
}

std::string PerturbSettings::text() const {
  return "noise_color=" + noise_color + ";noise_dir=" + noise_dir + ";impulse_dir=" + impulse_dir +
         ";reverb_drr_db=" + number_text(reverb_drr_db) + ";vtlp_boundary=" + number_text(vtlp_boundary);
}

std::vector<float> perturb(const std::vector<float>& samples, double rate_hz, const PerturbationChain& chain, std::uint64_t seed,
                           const PerturbSettings& settings) {
  settings.validate();
  std::vector<float> x = samples;
  for (std::size_t i = 0; i < chain.size(); ++i) x = apply_one(x, rate_hz, chain[i], step_seed(seed, i), settings);
  return x;
}

std::vector<float> change_speed(const std::vector<float>& samples, double factor) {
  if (samples.empty() || factor == 1.0) return samples;
  // Played `factor` times faster: the samples are read as if recorded at factor times
  // the output rate and resampled to it.
  const auto out_len = static_cast<std::size_t>(std::llround(static_cast<double>(samples.size()) / factor));
  std::vector<float> out(out_len);
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  std::size_t done = 0;
  const soxr_error_t err = soxr_oneshot(factor, 1.0, 1, samples.data(), samples.size(), nullptr, out.data(), out.size(), &done, &io,
                                        &quality, nullptr);
  if (err) throw Error(std::string("speed perturbation: libsoxr failed: ") + err);
  out.resize(done);
  out.resize(out_len, 0.0f);  // a sample short at most: pad the end
  return out;
}

std::vector<float> add_noise(const std::vector<float>& samples, const std::vector<float>& noise, double snr_db) {
  if (noise.size() < samples.size()) throw Error("add_noise: noise is shorter than the signal");
  const double signal_power = mean_power(samples);
  const double noise_power = mean_power(std::span<const float>(noise).first(samples.size()));
  // A silent clip has no SNR to keep: it stays silent rather than turning into noise.
  if (!(signal_power > 0) || !(noise_power > 0)) return samples;
  const double gain = std::sqrt(signal_power / (noise_power * std::pow(10.0, snr_db / 10.0)));
  std::vector<float> out(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) out[i] = static_cast<float>(samples[i] + gain * noise[i]);
  return out;
}

std::vector<float> coloured_noise(std::size_t n, const std::string& color, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<float> out(n);
  if (color == "white") {
    for (auto& v : out) v = static_cast<float>(normal(rng));
    return out;
  }
  if (color != "pink") throw Error("noise colour must be white or pink, got '" + color + "'");
  // Pink: white noise shaped by 1/sqrt(f) in the frequency domain (power ~ 1/f).
  const RealFft fft(next_power_of_two(std::max<std::size_t>(n, 2)));
  std::vector<float> white(fft.size());
  for (auto& v : white) v = static_cast<float>(normal(rng));
  std::vector<std::complex<float>> spectrum;
  fft.forward(white, spectrum);
  spectrum[0] = 0;
  for (std::size_t k = 1; k < spectrum.size(); ++k) spectrum[k] /= std::sqrt(static_cast<float>(k));
  std::vector<float> pink;
  fft.inverse(spectrum, pink);
  pink.resize(n);
  const double rms = std::sqrt(mean_power(pink));
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(rms > 0 ? pink[i] / rms : 0.0);
  return out;
}

std::vector<float> synthetic_impulse_response(double rate_hz, double rt60_seconds, double drr_db, std::uint64_t seed) {
  const auto tail = static_cast<std::size_t>(std::ceil(rt60_seconds * rate_hz));
  std::vector<float> h(1 + tail, 0.0f);
  h[0] = 1.0f;  // the direct path
  if (tail == 0) return h;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  // Amplitude falls by 60 dB (a factor 1000) over rt60 seconds.
  double tail_energy = 0;
  std::vector<double> t(tail);
  for (std::size_t i = 0; i < tail; ++i) {
    t[i] = normal(rng) * std::pow(10.0, -3.0 * static_cast<double>(i + 1) / (rt60_seconds * rate_hz));
    tail_energy += t[i] * t[i];
  }
  const double wanted = std::pow(10.0, -drr_db / 10.0);  // tail energy relative to the direct path's 1
  const double tail_gain = std::sqrt(wanted / tail_energy);
  const double norm = 1.0 / std::sqrt(1.0 + wanted);
  h[0] = static_cast<float>(norm);
  for (std::size_t i = 0; i < tail; ++i) h[i + 1] = static_cast<float>(t[i] * tail_gain * norm);
  return h;
}

std::vector<float> convolve_same_length(const std::vector<float>& samples, const std::vector<float>& impulse) {
  if (impulse.empty()) throw Error("convolution with an empty impulse response");
  std::size_t peak = 0;
  for (std::size_t i = 1; i < impulse.size(); ++i)
    if (std::fabs(impulse[i]) > std::fabs(impulse[peak])) peak = i;
  if (impulse.size() == 1) {  // a pure gain (RT60 = 0): exact, no FFT rounding
    std::vector<float> out(samples);
    for (auto& v : out) v *= impulse[0];
    return out;
  }
  const RealFft fft(next_power_of_two(samples.size() + impulse.size()));
  std::vector<float> a(fft.size(), 0.0f), b(fft.size(), 0.0f);
  std::copy(samples.begin(), samples.end(), a.begin());
  std::copy(impulse.begin(), impulse.end(), b.begin());
  std::vector<std::complex<float>> fa, fb;
  fft.forward(a, fa);
  fft.forward(b, fb);
  for (std::size_t k = 0; k < fa.size(); ++k) fa[k] *= fb[k];
  std::vector<float> full;
  fft.inverse(fa, full);
  // Aligned on the strongest tap, so the reverberant copy keeps its clip's timing.
  return std::vector<float>(full.begin() + static_cast<std::ptrdiff_t>(peak),
                            full.begin() + static_cast<std::ptrdiff_t>(peak + samples.size()));
}

}  // namespace seraug
