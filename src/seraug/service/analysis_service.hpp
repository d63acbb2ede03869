// What `seraug serve` answers, without HTTP: analyses of uploaded recordings through a
// bounded work queue, live streams of raw PCM analysed as they arrive (analyze's
// streaming path), the model's description and the service's health. The HTTP server
// (service/server.hpp) maps routes onto these calls; tests call them directly.
//
// Memory is bounded: at most `workers` uploads are analysed and `queue` wait, each body at
// most max_upload_mb; at most `max_streams` streams, each holding one ChannelAnalyzer (its
// open stretch of speech, a few seconds). Requests beyond the bounds are answered 503.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/models/saved_model.hpp"
#include "seraug/service/serve_settings.hpp"

namespace seraug {

struct ServiceReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;  // JSON errors read {"error": "..."}
};

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

class AnalysisService {
 public:
  // `model` must outlive the service; `model_name` labels it in JSON (the folder given).
  // `analyze`: the timeline settings every request starts from.
  AnalysisService(const TrainedModel& model, std::string model_name, AnalyzeSettings analyze, ServeSettings serve);
  ~AnalysisService();

  // {"name", "classes", "feature_set", "classifier", "normalization", "columns",
  //  "hyperparameters", "settings": the [analyze] settings, "limits": the [serve] settings}
  ServiceReply model_description() const;
  // {"status": "ok", "analysing", "waiting", "streams"}
  ServiceReply health() const;

  // An encoded recording (WAV, FLAC, OGG, ... as `analyze` reads) in `body`. `query`:
  // format = json (default; what `analyze --format json` writes) | csv | jsonl, name = the
  // file's name in the rows (default "upload"), and any [analyze] setting by its name.
  // 200 with the timeline; 400 for an unknown key, a bad value, or audio the decoder
  // refuses (its message); 503 when the work queue is full.
  ServiceReply analyze_upload(std::span<const unsigned char> body, const QueryParameters& query);

  // A live stream: `query` may set sample_rate (Hz of the raw PCM to come) and any other
  // [analyze] setting (enroll_scope stays online). 201 {"id", "sample_rate", "classes"};
  // 503 when max_streams are open.
  ServiceReply open_stream(const QueryParameters& query);
  // Raw mono signed 16-bit little-endian PCM for stream `id` (up to 30 s of it a request):
  // 200 {"segments": [the segments it closed], "seconds": audio received}; 404 for an
  // unknown or expired stream; 413 for a longer body.
  ServiceReply push_stream(const std::string& id, std::span<const unsigned char> body);
  // Ends stream `id`: 200 {"segments": [the rest], "seconds"}; 404 when unknown.
  ServiceReply close_stream(const std::string& id);

  std::size_t open_streams() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// {"error": message} with `status`.
ServiceReply error_reply(int status, const std::string& message);

}  // namespace seraug
