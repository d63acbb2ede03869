#include "seraug/features/extractor.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "seraug/common/error.hpp"
#include "seraug/features/frame_analysis.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/gemaps.hpp"
#include "seraug/features/compare.hpp"
#include "seraug/features/is10.hpp"
#include "seraug/features/llds.hpp"

namespace seraug {
namespace {

// Everything that depends on the sample rate, built once per rate seen.
struct RatePipeline {
  FrameGeometry geometry;
  std::unique_ptr<FrameAnalysis> analysis;
  std::vector<std::unique_ptr<LldComponent>> components;
  int dims = 0;

  RatePipeline(const FeatureSet& set, double rate_hz)
      : geometry(frame_geometry(rate_hz, set.frame_seconds, set.step_seconds)),
        analysis(std::make_unique<FrameAnalysis>(geometry, set.preemphasis)) {
    for (const auto& spec : set.llds) {
      components.push_back(make_lld(spec, geometry));
      dims += components.back()->size();
    }
  }
};

// Slides a frame window over a stream, keeping only about two frames of audio in memory.
class Framer {
 public:
  Framer(AudioStream& audio, const FrameGeometry& g) : audio_(audio), g_(g) {
    buffer_.resize(static_cast<std::size_t>(g.frame_samples + kReadBlock));
  }

  // Points `frame` at the next complete frame; false at the end (partial frames at the
  // end are dropped, as openSMILE does).
  bool next(const float*& frame) {
    if (started_) start_ += static_cast<std::size_t>(g_.step_samples);
    started_ = true;
    while (filled_ < start_ + static_cast<std::size_t>(g_.frame_samples)) {
      if (ended_) return false;
      compact();
      const std::size_t got = audio_.read(std::span<float>(buffer_).subspan(filled_));
      total_ += got;
      filled_ += got;
      if (got == 0) ended_ = true;
    }
    frame = buffer_.data() + start_;
    return true;
  }

  std::size_t samples_read() const { return total_; }

 private:
  static constexpr std::size_t kReadBlock = 16384;

  // Drops consumed samples so that the buffer has room to read into.
  void compact() {
    const std::size_t keep_from = std::min(start_, filled_);
    if (keep_from > 0) {
      std::memmove(buffer_.data(), buffer_.data() + keep_from, (filled_ - keep_from) * sizeof(float));
      filled_ -= keep_from;
      start_ -= keep_from;
    }
    if (filled_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  }

  AudioStream& audio_;
  FrameGeometry g_;
  std::vector<float> buffer_;
  std::size_t start_ = 0, filled_ = 0, total_ = 0;
  bool started_ = false, ended_ = false;
};

// The whole signal, for pipelines that need more than a sliding window.
std::vector<float> read_all(AudioStream& audio) {
  std::vector<float> samples;
  std::vector<float> block(65536);
  while (const std::size_t got = audio.read(block)) samples.insert(samples.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(got));
  return samples;
}

// LLDs of a whole-utterance pipeline, errors named after the file.
template <typename Llds>
auto whole_utterance(AudioStream& audio, Llds llds) {
  const std::vector<float> samples = read_all(audio);
  try {
    return llds(samples, audio.info().rate_hz);
  } catch (const Error& e) {
    throw file_error(audio.info().path, e.what());
  }
}

GemapsLlds gemaps_of(AudioStream& audio) { return whole_utterance(audio, gemaps_llds); }
Is10Llds is10_of(AudioStream& audio) { return whole_utterance(audio, is10_llds); }
CompareLlds compare_of(AudioStream& audio) { return whole_utterance(audio, compare_llds); }

}  // namespace

struct FeatureExtractor::Impl {
  const FeatureSet* set;
  std::vector<std::string> names;
  std::map<double, RatePipeline> pipelines;

  RatePipeline& pipeline_for(double rate_hz) {
    auto it = pipelines.find(rate_hz);
    if (it == pipelines.end()) it = pipelines.try_emplace(rate_hz, *set, rate_hz).first;
    return it->second;
  }

  ContourMatrix raw_llds(AudioStream& audio) {
    RatePipeline& p = pipeline_for(audio.info().rate_hz);
    for (auto& c : p.components) c->reset();
    ContourMatrix llds{0, p.dims, {}};
    const AudioInfo& info = audio.info();
    // The header's frame count is a hint, not a length (a damaged OGG can declare
    // anything): reserve at most about ten minutes of frames from it.
    const double expected_frames = static_cast<double>(info.file_frames) * info.rate_hz / info.file_rate_hz / p.geometry.step_samples;
    llds.values.reserve(static_cast<std::size_t>(std::min(expected_frames, 60000.0) + 2) * static_cast<std::size_t>(p.dims));
    Framer framer(audio, p.geometry);
    const float* frame = nullptr;
    std::vector<double> row(static_cast<std::size_t>(p.dims));
    while (framer.next(frame)) {
      p.analysis->load(frame);
      double* out = row.data();
      for (auto& c : p.components) {
        c->compute(*p.analysis, out);
        out += c->size();
      }
      llds.values.insert(llds.values.end(), row.begin(), row.end());
      ++llds.frames;
    }
    if (llds.frames == 0) {
      const double ms = 1000.0 * framer.samples_read() / audio.info().rate_hz;
      throw file_error(audio.info().path,
                       "too short: " + std::to_string(framer.samples_read()) + " samples (" +
                           std::to_string(static_cast<int>(ms)) + " ms); one analysis frame needs " +
                           std::to_string(p.geometry.frame_samples) + " samples (" +
                           std::to_string(static_cast<int>(1000 * set->frame_seconds)) + " ms)");
    }
    return llds;
  }

  // Smoothed LLDs and, if the set has them, their deltas (kept apart so that long files
  // never hold more than two contour matrices at once).
  std::pair<ContourMatrix, ContourMatrix> smoothed_and_deltas(AudioStream& audio) {
    ContourMatrix smooth = moving_average(raw_llds(audio), set->smoothing_window);
    ContourMatrix delta;
    if (set->delta_half_window > 0) delta = delta_regression(smooth, set->delta_half_window);
    return {std::move(smooth), std::move(delta)};
  }
};

FeatureExtractor::FeatureExtractor(const FeatureSet& set) : impl_(std::make_unique<Impl>()) {
  impl_->set = &set;
  impl_->names = feature_names(set);
}
FeatureExtractor::~FeatureExtractor() = default;
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;

const FeatureSet& FeatureExtractor::set() const { return *impl_->set; }
const std::vector<std::string>& FeatureExtractor::names() const { return impl_->names; }

ContourMatrix FeatureExtractor::contours(AudioStream& audio) {
  if (impl_->set->pipeline == Pipeline::Gemaps) return gemaps_of(audio).values;
  if (impl_->set->pipeline == Pipeline::Is10) return is10_of(audio).all_frames;
  if (impl_->set->pipeline == Pipeline::Compare) return compare_of(audio).spectral;
  auto [smooth, delta] = impl_->smoothed_and_deltas(audio);
  if (delta.dims == 0) return std::move(smooth);
  ContourMatrix both{smooth.frames, smooth.dims * 2, {}};
  both.values.reserve(smooth.values.size() * 2);
  for (int t = 0; t < smooth.frames; ++t) {
    const auto row = static_cast<std::ptrdiff_t>(t) * smooth.dims;
    both.values.insert(both.values.end(), smooth.values.begin() + row, smooth.values.begin() + row + smooth.dims);
    both.values.insert(both.values.end(), delta.values.begin() + row, delta.values.begin() + row + smooth.dims);
  }
  return both;
}

namespace {

void append_functionals(const ContourMatrix& c, const std::vector<const FunctionalDef*>& functionals,
                        std::vector<double>& out) {
  std::vector<double> column(static_cast<std::size_t>(c.frames));
  for (int d = 0; d < c.dims; ++d) {
    for (int t = 0; t < c.frames; ++t) column[static_cast<std::size_t>(t)] = c.at(t, d);
    const ContourSummary s = summarize(column);
    for (const auto* f : functionals) out.push_back(f->value(s));
  }
}

}  // namespace

std::vector<double> FeatureExtractor::extract(AudioStream& audio) {
  if (impl_->set->pipeline == Pipeline::Gemaps) return checked(audio, gemaps_functionals(gemaps_of(audio)));
  if (impl_->set->pipeline == Pipeline::Is10) return checked(audio, is10_functionals(is10_of(audio)));
  if (impl_->set->pipeline == Pipeline::Compare) return checked(audio, compare_functionals(compare_of(audio)));
  std::vector<const FunctionalDef*> functionals;
  for (const auto& f : impl_->set->functionals) functionals.push_back(&functional(f));
  const auto [smooth, delta] = impl_->smoothed_and_deltas(audio);
  std::vector<double> out;
  out.reserve(impl_->names.size());
  append_functionals(smooth, functionals, out);
  append_functionals(delta, functionals, out);
  return checked(audio, std::move(out));
}

std::vector<double> FeatureExtractor::checked(AudioStream& audio, std::vector<double> out) const {
  if (out.size() != impl_->names.size())
    throw Error("internal error: feature count " + std::to_string(out.size()) + " != names " + std::to_string(impl_->names.size()));
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!std::isfinite(out[i]))
      throw file_error(audio.info().path, "feature " + impl_->names[i] + " is not finite");
  return out;
}

std::vector<double> FeatureExtractor::extract_file(const std::string& path, const AudioOptions& options) {
  auto audio = AudioStream::open_file(path, options);
  return extract(*audio);
}

}  // namespace seraug
