#include "seraug/features/framewise.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "seraug/common/error.hpp"
#include "seraug/features/frame_analysis.hpp"

namespace seraug {
namespace {

// Everything that depends on the sample rate, built once per rate seen.
struct RatePipeline {
  FrameGeometry geometry;
  std::unique_ptr<FrameAnalysis> analysis;
  std::vector<std::unique_ptr<LldComponent>> components;
  int dims = 0;

  RatePipeline(const FramewiseSpec& set, double rate_hz)
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

class FramewisePipeline : public FeaturePipeline {
 public:
  explicit FramewisePipeline(FramewiseSpec spec) : spec_(std::move(spec)), functionals_(spec_.functionals, spec_.functional_options) {}

  std::vector<std::string> names() const override {
    // Element counts and indices come from the components themselves; a nominal
    // 16 kHz geometry suffices since they do not depend on the rate.
    const FrameGeometry nominal = frame_geometry(16000.0, spec_.frame_seconds, spec_.step_seconds);
    std::vector<std::string> contours;
    const std::string smoothed = spec_.smoothing_window > 1 ? "_sma" : "";
    for (const char* delta_suffix : {"", "_de"}) {
      const std::string delta = delta_suffix;
      if (!delta.empty() && spec_.delta_half_window == 0) break;
      for (const auto& spec : spec_.llds) {
        const auto component = make_lld(spec, nominal);
        for (int e = 0; e < component->size(); ++e) {
          const int index = component->array_index(e);
          std::string name = spec.name + smoothed + delta;
          if (index >= 0) name += "[" + std::to_string(index) + "]";
          contours.push_back(name);
        }
      }
    }
    std::vector<std::string> names;
    for (const auto& c : contours)
      for (const auto& f : spec_.functionals) names.push_back(c + "_" + f);
    return names;
  }

  std::unique_ptr<Run> start() const override;

  const FramewiseSpec& spec() const { return spec_; }
  const FunctionalList& functionals() const { return functionals_; }

 private:
  FramewiseSpec spec_;
  FunctionalList functionals_;
};

class FramewiseRun : public FeaturePipeline::Run {
 public:
  explicit FramewiseRun(const FramewisePipeline& pipeline) : pipeline_(pipeline), spec_(&pipeline.spec()) {}

  ContourMatrix contours(AudioStream& audio) override {
    auto [smooth, delta] = smoothed_and_deltas(audio);
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

  std::vector<double> functionals(AudioStream& audio) override {
    const auto [smooth, delta] = smoothed_and_deltas(audio);
    std::vector<double> out;
    for (const ContourMatrix* m : {&smooth, &delta}) {
      std::vector<double> column(static_cast<std::size_t>(m->frames));
      for (int d = 0; d < m->dims; ++d) {
        for (int t = 0; t < m->frames; ++t) column[static_cast<std::size_t>(t)] = m->at(t, d);
        pipeline_.functionals().append(column, out);
      }
    }
    return out;
  }

 private:
  RatePipeline& pipeline_for(double rate_hz) {
    auto it = pipelines.find(rate_hz);
    if (it == pipelines.end()) it = pipelines.try_emplace(rate_hz, *spec_, rate_hz).first;
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
                           std::to_string(static_cast<int>(1000 * spec_->frame_seconds)) + " ms)");
    }
    return llds;
  }

  // Smoothed LLDs and, if the set has them, their deltas (kept apart so that long files
  // never hold more than two contour matrices at once).
  std::pair<ContourMatrix, ContourMatrix> smoothed_and_deltas(AudioStream& audio) {
    ContourMatrix smooth = moving_average(raw_llds(audio), spec_->smoothing_window);
    ContourMatrix delta;
    if (spec_->delta_half_window > 0) delta = delta_regression(smooth, spec_->delta_half_window);
    return {std::move(smooth), std::move(delta)};
  }

  const FramewisePipeline& pipeline_;
  const FramewiseSpec* spec_;
  std::map<double, RatePipeline> pipelines;
};

std::unique_ptr<FeaturePipeline::Run> FramewisePipeline::start() const { return std::make_unique<FramewiseRun>(*this); }

}  // namespace

std::shared_ptr<const FeaturePipeline> framewise_pipeline(FramewiseSpec spec) {
  return std::make_shared<const FramewisePipeline>(std::move(spec));
}

}  // namespace seraug
