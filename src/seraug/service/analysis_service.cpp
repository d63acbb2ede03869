#include "seraug/service/analysis_service.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "seraug/analysis/analyzer.hpp"
#include "seraug/analysis/recording.hpp"
#include "seraug/analysis/timeline.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/parameter_json.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {
namespace {

using Clock = std::chrono::steady_clock;

// The most audio one push may carry: a page sends a few hundred milliseconds at a time.
constexpr double kMaxPushSeconds = 30;

// Admission to the analysis workers: `workers` run, `queue` wait, the rest are refused.
class WorkSlots {
 public:
  WorkSlots(int workers, int queue) : workers_(workers), capacity_(workers + queue) {}
  bool enter() {
    std::unique_lock lock(m_);
    if (running_ + waiting_ >= capacity_) return false;
    ++waiting_;
    free_.wait(lock, [&] { return running_ < workers_; });
    --waiting_;
    ++running_;
    return true;
  }
  void leave() {
    {
      std::lock_guard lock(m_);
      --running_;
    }
    free_.notify_one();
  }
  std::pair<int, int> load() const {
    std::lock_guard lock(m_);
    return {running_, waiting_};
  }

 private:
  mutable std::mutex m_;
  std::condition_variable free_;
  int workers_, capacity_, running_ = 0, waiting_ = 0;
};

struct SlotGuard {
  WorkSlots& slots;
  ~SlotGuard() { slots.leave(); }
};

struct Stream {
  Stream(ChannelAnalyzer a, double rate_hz) : analyzer(std::move(a)), rate(rate_hz) {}
  std::mutex m;
  ChannelAnalyzer analyzer;
  double rate;
  Clock::time_point last_use = Clock::now();
  Pcm16Decoder decoder;
  std::vector<float> samples;
};

std::string random_id() {
  std::random_device device;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string id;
  for (int i = 0; i < 32; ++i) id += "0123456789abcdef"[hex(device)];
  return id;
}

ServiceReply json_reply(int status, const nlohmann::ordered_json& j) { return {status, "application/json", j.dump()}; }

// {"segments": [each as a line of `analyze --format jsonl`], "seconds": audio received}.
ServiceReply segments_reply(const std::vector<SegmentResult>& segments, const std::vector<std::string>& classes, double seconds) {
  std::string body = "{\"segments\":[";
  for (std::size_t i = 0; i < segments.size(); ++i) body += (i ? "," : "") + segment_json_line(segments[i], classes);
  return {200, "application/json", body + "],\"seconds\":" + nlohmann::json(seconds).dump() + "}"};
}

}  // namespace

ServiceReply error_reply(int status, const std::string& message) { return json_reply(status, {{"error", message}}); }

struct AnalysisService::Impl {
  const TrainedModel& model;
  std::string model_name;
  AnalyzeSettings analyze;
  ServeSettings serve;
  WorkSlots slots;
  mutable std::mutex streams_m;
  std::map<std::string, std::shared_ptr<Stream>> streams;

  Impl(const TrainedModel& m, std::string name, AnalyzeSettings a, ServeSettings s)
      : model(m), model_name(std::move(name)), analyze(std::move(a)), serve(std::move(s)), slots(serve.workers, serve.queue) {}

  // The request's [analyze] settings over the service's; other keys are left in `rest`.
  AnalyzeSettings settings_of(const QueryParameters& query, const std::vector<std::string>& own_keys, QueryParameters& rest) const {
    QueryParameters declared;
    for (const auto& kv : query) {
      bool is_declared = false;
      for (const auto& f : analyze_fields()) is_declared = is_declared || f.parameter.name == kv.first;
      if (is_declared) declared.push_back(kv);
      else if (std::find(own_keys.begin(), own_keys.end(), kv.first) != own_keys.end()) rest.push_back(kv);
      else throw Error("unknown query parameter '" + kv.first + "' (format, name, or an [analyze] setting of docs/parameters.md)");
    }
    return with_analyze_settings(analyze, declared, ValueSyntax::Word);
  }

  void close_idle_streams() {
    const auto now = Clock::now();
    for (auto it = streams.begin(); it != streams.end();) {
      const double idle = std::chrono::duration<double>(now - it->second->last_use).count();
      it = idle > serve.stream_idle_s ? streams.erase(it) : std::next(it);
    }
  }

  std::shared_ptr<Stream> stream(const std::string& id, bool remove) {
    std::lock_guard lock(streams_m);
    close_idle_streams();
    const auto it = streams.find(id);
    if (it == streams.end()) return nullptr;
    auto s = it->second;
    if (remove) streams.erase(it);
    return s;
  }

  std::string timeline(std::span<const unsigned char> body, const AnalyzeSettings& s, const std::string& format,
                       const std::string& name) const {
    std::ostringstream out;
    TimelineWriter writer(out, format, model_name, model.classes, s, false);
    const RecordingSummary summary =
        analyze_recording_bytes(model, body, name, s, 1, std::nullopt, [&](const SegmentResult& r) { writer.write(r); });
    writer.recording_done(summary);
    writer.finish();
    return out.str();
  }
};

AnalysisService::AnalysisService(const TrainedModel& model, std::string model_name, AnalyzeSettings analyze, ServeSettings serve)
    : impl_(std::make_unique<Impl>(model, std::move(model_name), std::move(analyze), std::move(serve))) {
  impl_->analyze.validate();
  impl_->serve.validate();
}

AnalysisService::~AnalysisService() = default;

ServiceReply AnalysisService::model_description() const {
  const TrainedModel& m = impl_->model;
  const nlohmann::json description = {{"name", impl_->model_name},
                                      {"classes", m.classes},
                                      {"feature_set", m.feature_set},
                                      {"classifier", m.classifier_name},
                                      {"normalization", norm_name(m.normalization)},
                                      {"columns", m.feature_names.size()},
                                      {"hyperparameters", describe(m.hyperparameters)},
                                      {"settings", fields_json(analyze_fields(), impl_->analyze)},
                                      {"limits", fields_json(serve_fields(), impl_->serve)}};
  return {200, "application/json", description.dump()};
}

ServiceReply AnalysisService::health() const {
  const auto [running, waiting] = impl_->slots.load();
  return json_reply(200, {{"status", "ok"}, {"analysing", running}, {"waiting", waiting}, {"streams", open_streams()}});
}

ServiceReply AnalysisService::analyze_upload(std::span<const unsigned char> body, const QueryParameters& query) {
  QueryParameters own;
  AnalyzeSettings s;
  try {
    s = impl_->settings_of(query, {"format", "name"}, own);
  } catch (const Error& e) {
    return error_reply(400, e.what());
  }
  std::string format = "json", name = "upload";
  for (const auto& [key, value] : own) (key == "format" ? format : name) = value;
  if (format != "json" && format != "csv" && format != "jsonl") return error_reply(400, "format must be json, csv or jsonl, not '" + format + "'");
  if (name.empty() || name.size() > 200) return error_reply(400, "name must be 1 to 200 characters");
  if (body.empty()) return error_reply(400, "the request has no body: send the recording's bytes (WAV, FLAC, OGG)");
  if (!impl_->slots.enter()) return error_reply(503, "busy: every worker is analysing and the queue is full; retry shortly");
  SlotGuard guard{impl_->slots};
  try {
    const std::string type = format == "csv" ? "text/csv; charset=utf-8" : format == "jsonl" ? "application/x-ndjson" : "application/json";
    return {200, type, impl_->timeline(body, s, format, name)};
  } catch (const Interrupted&) {
    return error_reply(503, "the server is stopping");
  } catch (const Error& e) {
    return error_reply(400, e.what());
  }
}

ServiceReply AnalysisService::open_stream(const QueryParameters& query) {
  QueryParameters own;
  AnalyzeSettings s;
  try {
    s = impl_->settings_of(query, {}, own);
  } catch (const Error& e) {
    return error_reply(400, e.what());
  }
  if (s.enroll_scope == "recording") return error_reply(400, "enroll_scope = recording waits for the end of a recording; a live stream uses online");
  std::lock_guard lock(impl_->streams_m);
  impl_->close_idle_streams();
  if (impl_->streams.size() >= static_cast<std::size_t>(impl_->serve.max_streams))
    return error_reply(503, "busy: " + std::to_string(impl_->serve.max_streams) + " live stream(s) are open; retry shortly");
  auto stream = std::make_shared<Stream>(ChannelAnalyzer(impl_->model, s, s.sample_rate, "live"), double(s.sample_rate));
  const std::string id = random_id();
  impl_->streams.emplace(id, std::move(stream));
  return json_reply(201, {{"id", id}, {"sample_rate", s.sample_rate}, {"classes", impl_->model.classes}});
}

ServiceReply AnalysisService::push_stream(const std::string& id, std::span<const unsigned char> body) {
  const auto stream = impl_->stream(id, false);
  if (!stream) return error_reply(404, "no open stream '" + id + "' (closed, or idle for over " + std::to_string(impl_->serve.stream_idle_s) + " s)");
  std::lock_guard lock(stream->m);
  if (static_cast<double>(body.size()) > 2 * kMaxPushSeconds * stream->rate)
    return error_reply(413, "a push carries at most " + std::to_string(static_cast<int>(kMaxPushSeconds)) + " s of audio");
  stream->last_use = Clock::now();
  try {
    stream->decoder.decode(body, stream->samples);
    const auto segments = stream->analyzer.push(stream->samples);
    return segments_reply(segments, impl_->model.classes, stream->analyzer.seconds_received());
  } catch (const Error& e) {
    return error_reply(400, e.what());
  }
}

ServiceReply AnalysisService::close_stream(const std::string& id) {
  const auto stream = impl_->stream(id, true);
  if (!stream) return error_reply(404, "no open stream '" + id + "'");
  std::lock_guard lock(stream->m);
  const auto segments = stream->analyzer.finish();
  return segments_reply(segments, impl_->model.classes, stream->analyzer.seconds_received());
}

std::size_t AnalysisService::open_streams() const {
  std::lock_guard lock(impl_->streams_m);
  return impl_->streams.size();
}

}  // namespace seraug
