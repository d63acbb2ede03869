#include "seraug/analysis/analyzer.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <mutex>

#include "seraug/analysis/segmenter.hpp"
#include "seraug/analysis/speaker_statistics.hpp"
#include "seraug/analysis/vad.hpp"
#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/parallel.hpp"
#include "seraug/features/extractor.hpp"

namespace seraug {
namespace {

// Extractors for the threads of one push (they hold FFT plans and buffers: made once).
class ExtractorPool {
 public:
  explicit ExtractorPool(const FeatureSet& set) : set_(set) {}
  std::unique_ptr<FeatureExtractor> acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto e = std::move(free_.back());
        free_.pop_back();
        return e;
      }
    }
    return std::make_unique<FeatureExtractor>(set_);
  }
  void release(std::unique_ptr<FeatureExtractor> e) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(e));
  }

 private:
  const FeatureSet& set_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<FeatureExtractor>> free_;
};

double clipped_fraction(const std::vector<float>& samples) {
  std::size_t clipped = 0;
  for (float v : samples) clipped += std::fabs(v) >= 0.999f ? 1 : 0;
  return samples.empty() ? 0 : static_cast<double>(clipped) / static_cast<double>(samples.size());
}

// A closed span's samples and what is known of it before its features.
struct Cut {
  SegmentResult result;
  std::vector<float> samples;
  std::vector<double> row;  // the model's columns
};

}  // namespace

struct ChannelAnalyzer::Impl {
  Impl(const TrainedModel& m, const AnalyzeSettings& settings, double rate_hz, std::string name, int ch, int thread_count,
       std::optional<ZScore> enrolment)
      : model(m), s(settings), rate(rate_hz), source(std::move(name)), channel(ch), threads(thread_count),
        fixed(std::move(enrolment)), vad(VoiceDetector::create(settings, rate_hz)), segmenter(settings),
        pool(feature_set(m.feature_set)) {
    s.validate();
    if (!m.classifier) throw Error("the model has no classifier loaded");
    auto extractor = pool.acquire();
    columns = model_column_positions(m, extractor->names());
    pool.release(std::move(extractor));
    if (speaker_normalised() && !fixed && s.enroll_prior > 0 && m.speaker_prior.mean.empty())
      throw Error("this model carries no training speakers' statistics to shrink towards; set `enroll_prior` to 0");
    stats = SpeakerStatistics(m.feature_names.size());
  }

  bool speaker_normalised() const { return model.normalization == NormKind::Speaker; }
  std::size_t sample_of(std::size_t frame) const {
    return static_cast<std::size_t>(std::llround(static_cast<double>(frame) * kVadFrameSeconds * rate));
  }

  Cut cut(const SegmentSpan& span) const {
    const auto pad = static_cast<std::size_t>(std::llround(s.pad_s * rate));
    const std::size_t from = sample_of(span.start), to = sample_of(span.end);
    const std::size_t lo = std::max(base, from > pad ? from - pad : 0), hi = std::min(received, to + pad);
    Cut c;
    c.samples.assign(buffer.begin() + static_cast<std::ptrdiff_t>(lo - base), buffer.begin() + static_cast<std::ptrdiff_t>(std::max(lo, hi) - base));
    c.result.source = source, c.result.channel = channel, c.result.window = span.window;
    c.result.start_s = static_cast<double>(from) / rate, c.result.end_s = static_cast<double>(to) / rate;
    c.result.clipped_fraction = clipped_fraction(c.samples);
    return c;
  }

  void extract(std::vector<Cut>& cuts) {
    parallel_for(cuts.size(), threads, [&](std::size_t i) {
      auto extractor = pool.acquire();
      char at[64];
      std::snprintf(at, sizeof at, "@%.3fs", cuts[i].result.start_s);
      auto stream = AudioStream::from_samples(std::move(cuts[i].samples), rate, source + at);
      const std::vector<double> all = extractor->extract(*stream);
      pool.release(std::move(extractor));
      cuts[i].row.resize(columns.size());
      for (std::size_t c = 0; c < columns.size(); ++c) cuts[i].row[c] = all[columns[c]];
    });
  }

  // Normalises and classifies one row; fills label, probabilities, atypicality, flags.
  SegmentResult predict(Cut& c, const ZScore& z, std::size_t enrolled) {
    SegmentResult r = std::move(c.result);
    z.apply_row(c.row.data());
    double sum = 0;
    for (double v : c.row) sum += v * v;
    r.atypicality = std::sqrt(sum / static_cast<double>(std::max<std::size_t>(1, c.row.size())));
    Matrix x(1, c.row.size());
    std::copy(c.row.begin(), c.row.end(), x.row(0));
    const Matrix p = model.classifier->predict_proba(x);
    r.probabilities.assign(p.row(0), p.row(0) + p.cols);
    r.enrolled = enrolled;
    smooth(r);
    r.label = model.classes[static_cast<std::size_t>(std::max_element(r.probabilities.begin(), r.probabilities.end()) - r.probabilities.begin())];
    if (r.end_s - r.start_s < s.min_trusted_s) r.flags.push_back("short");
    if (r.clipped_fraction > 0.001) r.flags.push_back("clipped");
    if (r.atypicality > kAtypicalRms) r.flags.push_back("atypical");
    if (speaker_normalised() && !fixed && static_cast<double>(enrolled) < std::max(s.enroll_prior, 2.0)) r.flags.push_back("enrolling");
    return r;
  }

  // Causal exponential smoothing over the channel's segments, by their end times.
  void smooth(SegmentResult& r) {
    if (!(s.smooth_s > 0)) return;
    if (!smoothed.empty()) {
      const double keep = std::exp(-std::max(0.0, r.end_s - smoothed_at) / s.smooth_s);
      for (std::size_t c = 0; c < smoothed.size(); ++c) smoothed[c] = keep * smoothed[c] + (1 - keep) * r.probabilities[c];
    } else {
      smoothed = r.probabilities;
    }
    smoothed_at = r.end_s;
    r.probabilities = smoothed;
  }

  ZScore statistics_now() const {
    if (fixed) return *fixed;
    if (!speaker_normalised()) return model.normalizer;
    return stats.zscore(model.speaker_prior, s.enroll_prior);
  }

  std::vector<SegmentResult> finalize(std::vector<Cut>& cuts) {
    std::vector<SegmentResult> out;
    for (auto& c : cuts) {
      if (speaker_normalised() && !fixed) stats.add(c.row);
      if (s.enroll_scope == "recording" && speaker_normalised() && !fixed) {
        held.push_back(std::move(c));
        continue;
      }
      out.push_back(predict(c, statistics_now(), stats.count()));
    }
    return out;
  }

  std::vector<SegmentResult> process(const std::vector<SegmentSpan>& closed) {
    std::vector<Cut> cuts;
    for (const auto& span : closed) cuts.push_back(cut(span));
    extract(cuts);
    return finalize(cuts);
  }

  void trim() {
    const auto pad = static_cast<std::size_t>(std::llround(s.pad_s * rate));
    const std::size_t needed = sample_of(segmenter.earliest_needed());
    const std::size_t keep_from = needed > pad ? needed - pad : 0;
    if (keep_from > base) {
      const std::size_t drop = std::min(keep_from - base, buffer.size());
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(drop));
      base += drop;
    }
  }

  const TrainedModel& model;
  AnalyzeSettings s;
  double rate;
  std::string source;
  int channel;
  int threads;
  std::optional<ZScore> fixed;
  std::unique_ptr<VoiceDetector> vad;
  Segmenter segmenter;
  ExtractorPool pool;
  std::vector<std::size_t> columns;
  SpeakerStatistics stats{0};
  std::vector<Cut> held;  // enroll_scope = recording: predicted at the end
  std::deque<float> buffer;
  std::size_t base = 0, received = 0, active = 0;
  std::vector<double> smoothed;
  double smoothed_at = 0;
};

ChannelAnalyzer::ChannelAnalyzer(const TrainedModel& model, const AnalyzeSettings& settings, double rate_hz, std::string source,
                                 int channel, int threads, std::optional<ZScore> enrolment)
    : impl_(std::make_unique<Impl>(model, settings, rate_hz, std::move(source), channel, threads, std::move(enrolment))) {}
ChannelAnalyzer::~ChannelAnalyzer() = default;
ChannelAnalyzer::ChannelAnalyzer(ChannelAnalyzer&&) noexcept = default;

std::vector<SegmentResult> ChannelAnalyzer::push(std::span<const float> samples) {
  Impl& m = *impl_;
  m.buffer.insert(m.buffer.end(), samples.begin(), samples.end());
  m.received += samples.size();
  std::vector<VadFrame> frames;
  m.vad->push(samples, frames);
  std::vector<SegmentSpan> closed;
  for (const auto& f : frames) {
    m.active += f.active ? 1 : 0;
    m.segmenter.push(f, closed);
  }
  auto out = m.process(closed);
  m.trim();
  return out;
}

std::vector<SegmentResult> ChannelAnalyzer::finish() {
  Impl& m = *impl_;
  std::vector<SegmentSpan> closed;
  m.segmenter.finish(closed);
  auto out = m.process(closed);
  if (!m.held.empty()) {
    const ZScore z = m.statistics_now();
    for (auto& c : m.held) out.push_back(m.predict(c, z, m.stats.count()));
    m.held.clear();
  }
  m.buffer.clear();
  return out;
}

double ChannelAnalyzer::seconds_received() const { return static_cast<double>(impl_->received) / impl_->rate; }
std::size_t ChannelAnalyzer::buffered_samples() const { return impl_->buffer.size(); }
std::size_t ChannelAnalyzer::frames_active() const { return impl_->active; }

}  // namespace seraug
