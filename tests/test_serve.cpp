// The service behind `seraug serve`, without HTTP (service/analysis_service.hpp): uploads
// equal analyze's timeline, a stream pushed in uneven pieces equals the file, and every
// refusal has its status. (tests/serve_api.py covers the same through the server.)
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "seraug/analysis/recording.hpp"
#include "seraug/audio/audio.hpp"
#include "seraug/service/analysis_service.hpp"
#include "seraug/service/server.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

const std::string kModel = std::string(SERAUG_SOURCE_DIR) + "/models/emodb-is09-svm";

// Two harmonic tones with pauses, as 16-bit PCM at 16 kHz.
std::vector<float> tones() {
  std::vector<float> x = testing::white_noise(1.0, 16000, 0.001, 3);
  for (double pitch : {150.0, 210.0}) {
    auto tone = testing::harmonic_tone(pitch, 1.4, 16000, 0.2);
    const auto noise = testing::white_noise(1.4, 16000, 0.001, static_cast<unsigned>(pitch) + 1);
    for (std::size_t j = 0; j < tone.size(); ++j) tone[j] += noise[j];
    x.insert(x.end(), tone.begin(), tone.end());
    const auto pause = testing::white_noise(1.0, 16000, 0.001, static_cast<unsigned>(pitch));
    x.insert(x.end(), pause.begin(), pause.end());
  }
  return x;
}

std::vector<unsigned char> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<unsigned char> pcm16(const std::vector<float>& x) {
  std::vector<unsigned char> out;
  for (float v : x) {
    const auto q = static_cast<std::int16_t>(std::lround(std::clamp(v, -1.0f, 32767.0f / 32768.0f) * 32768.0f));
    out.push_back(static_cast<unsigned char>(q & 0xff));
    out.push_back(static_cast<unsigned char>((q >> 8) & 0xff));
  }
  return out;
}

TEST(Serve, AnUploadAndAStreamGiveAnalyzesTimeline) {
  const TrainedModel model = load_trained_model(kModel);
  ServeSettings limits;
  limits.max_streams = 1;
  AnalysisService service(model, "is09", AnalyzeSettings{}, limits);
  testing::ScratchDir dir;
  const auto x = tones();
  write_wav16(dir.file("rec.wav"), x, 16000);
  std::vector<SegmentResult> want;
  analyze_recording(model, dir.file("rec.wav"), AnalyzeSettings{}, 1, std::nullopt, [&](const SegmentResult& r) { want.push_back(r); });
  ASSERT_EQ(want.size(), 2u);

  const auto upload = bytes_of(dir.file("rec.wav"));
  const ServiceReply reply = service.analyze_upload(upload, {{"name", "rec.wav"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto timeline = nlohmann::json::parse(reply.body);
  ASSERT_EQ(timeline["segments"].size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(timeline["segments"][i]["label"], want[i].label);
    EXPECT_EQ(timeline["segments"][i]["file"], "rec.wav");
  }

  const ServiceReply opened = service.open_stream({{"sample_rate", "16000"}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_EQ(service.open_stream({}).status, 503);  // max_streams = 1
  const std::string id = nlohmann::json::parse(opened.body)["id"];
  const auto pcm = pcm16(tones());
  nlohmann::json segments = nlohmann::json::array();
  for (std::size_t at = 0; at < pcm.size(); at += 3001) {  // odd pieces: samples split across pushes
    const std::size_t n = std::min<std::size_t>(3001, pcm.size() - at);
    const ServiceReply pushed = service.push_stream(id, std::span<const unsigned char>(pcm.data() + at, n));
    ASSERT_EQ(pushed.status, 200) << pushed.body;
    const auto body = nlohmann::json::parse(pushed.body);  // (kept: a range over a temporary's member dangles)
    for (const auto& s : body["segments"]) segments.push_back(s);
  }
  const ServiceReply closed = service.close_stream(id);
  ASSERT_EQ(closed.status, 200);
  const auto rest = nlohmann::json::parse(closed.body);
  for (const auto& s : rest["segments"]) segments.push_back(s);
  ASSERT_EQ(segments.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(segments[i]["start"].get<double>(), want[i].start_s, 0.0005);
    EXPECT_EQ(segments[i]["label"], want[i].label);
  }
  EXPECT_EQ(service.close_stream(id).status, 404);
  EXPECT_EQ(service.open_streams(), 0u);
}

TEST(Serve, EveryRefusalHasItsStatusAndWords) {
  const TrainedModel model = load_trained_model(kModel);
  AnalysisService service(model, "is09", AnalyzeSettings{}, ServeSettings{});
  const std::vector<unsigned char> text = {'n', 'o', 't', ' ', 'a', 'u', 'd', 'i', 'o'};
  const auto status_and_error = [](const ServiceReply& r) {
    return std::to_string(r.status) + " " + nlohmann::json::parse(r.body).value("error", "");
  };
  EXPECT_NE(status_and_error(service.analyze_upload(text, {})).find("400 upload: not a readable audio file"), std::string::npos);
  EXPECT_NE(status_and_error(service.analyze_upload({}, {})).find("400 the request has no body"), std::string::npos);
  EXPECT_NE(status_and_error(service.analyze_upload(text, {{"loudness", "1"}})).find("unknown query parameter 'loudness'"), std::string::npos);
  EXPECT_NE(status_and_error(service.analyze_upload(text, {{"hangover_s", "9"}})).find("analyze.hangover_s must be in"), std::string::npos);
  EXPECT_EQ(service.analyze_upload(text, {{"format", "xml"}}).status, 400);
  EXPECT_EQ(service.open_stream({{"enroll_scope", "recording"}}).status, 400);
  EXPECT_EQ(service.push_stream(std::string(32, '0'), text).status, 404);
  const std::string id = nlohmann::json::parse(service.open_stream({{"sample_rate", "8000"}}).body)["id"];
  EXPECT_EQ(service.push_stream(id, std::vector<unsigned char>(2 * 8000 * 31, 0)).status, 413);
  EXPECT_EQ(service.model_description().status, 200);
  EXPECT_NE(service.health().body.find("\"streams\":1"), std::string::npos);
}

TEST(Serve, ThePageIsCompiledInAndNothingElseIsServed) {
  ASSERT_NE(page_asset("/"), nullptr);
  EXPECT_NE(std::string(page_asset("/")->bytes).find("<canvas id=\"timeline\""), std::string::npos);
  for (const char* path : {"/app.js", "/timeline.js", "/capture-worklet.js", "/style.css"}) EXPECT_NE(page_asset(path), nullptr) << path;
  for (const char* path : {"/index.html", "/../CMakeLists.txt", "/etc/passwd", ""}) EXPECT_EQ(page_asset(path), nullptr) << path;
}

}  // namespace
}  // namespace seraug
