#include "seraug/analysis/vad_study.hpp"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/parallel.hpp"

namespace seraug {
namespace {

struct Condition {
  std::string name;
  ConstructionSettings how;
};

std::vector<Condition> conditions() {
  std::vector<Condition> out = {{"clean", {}}};
  for (const std::string noise : {"white", "pink", "babble"})
    for (double snr : {20.0, 10.0, 0.0}) {
      Condition c{noise + " " + std::to_string(static_cast<int>(snr)) + " dB", {}};
      c.how.noise = noise, c.how.snr_db = snr;
      out.push_back(c);
    }
  Condition reverb{"reverb 0.6 s", {}};
  reverb.how.rt60_s = 0.6;
  out.push_back(reverb);
  Condition both{"reverb 0.6 s + babble 20 dB", {}};
  both.how.rt60_s = 0.6, both.how.noise = "babble", both.how.snr_db = 20;
  out.push_back(both);
  return out;
}

std::map<std::string, std::vector<SourceClip>> clips_by_speaker(const std::vector<Utterance>& utterances, double& rate) {
  std::map<std::string, std::vector<SourceClip>> out;
  for (const auto& u : utterances)
    if (u.speaker.empty()) throw file_error(u.path, "has no speaker (EMO-DB names or a manifest's speaker column give one)");
  for (const auto& u : utterances) {
    const auto stream = AudioStream::open_file(u.path);
    if (rate == 0) rate = stream->info().rate_hz;
    if (stream->info().rate_hz != rate) throw file_error(u.path, "has another sample rate than the corpus's other clips");
    out[u.speaker].push_back({u.name, u.label, u.speaker, read_all_samples(*stream)});
  }
  return out;
}

}  // namespace

VadStudy run_vad_study(const std::vector<Utterance>& utterances, const AnalyzeSettings& settings, const std::vector<std::uint64_t>& seeds) {
  double rate = 0;
  const auto speakers = clips_by_speaker(utterances, rate);
  VadStudy study;
  study.detectors = {"energy", "webrtc"};
  const auto list = conditions();
  for (const auto& c : list) study.conditions.push_back({c.name, std::vector<FrameScores>(study.detectors.size())});
  std::vector<const std::vector<SourceClip>*> own;
  for (const auto& [speaker, clips] : speakers) own.push_back(&clips);
  // One task per (seed, speaker, condition); each task's scores in its own slot.
  const std::size_t tasks = seeds.size() * own.size() * list.size();
  std::vector<std::vector<FrameScores>> slot(tasks, std::vector<FrameScores>(study.detectors.size()));
  std::vector<double> seconds(tasks, 0);
  parallel_for(tasks, 0, [&](std::size_t t) {
    const std::size_t k = t % list.size(), who = t / list.size() % own.size(), seed = t / list.size() / own.size();
    std::vector<SourceClip> babble;
    for (std::size_t o = 0; o < own.size(); ++o)
      if (o != who) babble.insert(babble.end(), own[o]->begin(), own[o]->begin() + std::min<std::ptrdiff_t>(10, std::ssize(*own[o])));
    ConstructionSettings how = list[k].how;
    how.seed = seeds[seed] * 1000 + who;
    const ConstructedRecording rec = construct_recording(*own[who], rate, how, babble);
    seconds[t] = static_cast<double>(rec.samples.size()) / rate;
    for (std::size_t v = 0; v < study.detectors.size(); ++v) {
      AnalyzeSettings s = settings;
      s.vad = study.detectors[v];
      slot[t][v] = score_frames(rec.speech_frames, detected_speech_frames(s, rec.samples, rate));
    }
  });
  for (std::size_t t = 0; t < tasks; ++t) {
    for (std::size_t v = 0; v < study.detectors.size(); ++v) study.conditions[t % list.size()].scores[v].add(slot[t][v]);
    study.seconds += seconds[t];
  }
  return study;
}

std::string vad_study_table(const VadStudy& study, const AnalyzeSettings& s) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "VAD frame scores (10 ms frames, pooled over speakers and seeds; %.0f s of audio per detector)\n"
                "segmenter: hangover %.2f s, min segment %.2f s, min voiced %.2f s (energy), energy threshold %.1f dB, webrtc likelihood %s\n\n",
                study.seconds, s.hangover_s, s.min_segment_s, s.min_voiced_s, s.vad_threshold_db, s.webrtc_likelihood.c_str());
  out += buf;
  std::snprintf(buf, sizeof buf, "%-28s", "condition");
  out += buf;
  for (const auto& d : study.detectors) std::snprintf(buf, sizeof buf, " | %-6s P      R      F1   ", d.c_str()), out += buf;
  out += "\n";
  for (const auto& c : study.conditions) {
    std::snprintf(buf, sizeof buf, "%-28s", c.name.c_str());
    out += buf;
    for (const auto& f : c.scores) std::snprintf(buf, sizeof buf, " | %13.3f %6.3f %6.3f", f.precision(), f.recall(), f.f1()), out += buf;
    out += "\n";
  }
  return out;
}

std::string vad_study_json(const VadStudy& study, const AnalyzeSettings& s) {
  nlohmann::ordered_json j = {{"detectors", study.detectors}, {"seconds_per_detector", study.seconds},
                              {"hangover_s", s.hangover_s}, {"min_segment_s", s.min_segment_s}, {"conditions", nlohmann::ordered_json::array()}};
  for (const auto& c : study.conditions) {
    nlohmann::ordered_json row = {{"condition", c.name}};
    for (std::size_t v = 0; v < study.detectors.size(); ++v)
      row[study.detectors[v]] = {{"precision", c.scores[v].precision()}, {"recall", c.scores[v].recall()}, {"f1", c.scores[v].f1()},
                                 {"frames", c.scores[v].frames}};
    j["conditions"].push_back(row);
  }
  return j.dump(2) + "\n";
}

}  // namespace seraug
