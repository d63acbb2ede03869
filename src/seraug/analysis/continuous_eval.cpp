#include "seraug/analysis/continuous_eval.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "seraug/analysis/analyzer.hpp"
#include "seraug/analysis/constructed.hpp"
#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/eval/training.hpp"
#include "seraug/stats/permutation.hpp"

namespace seraug {
namespace {

Dataset subset(const Dataset& d, const std::vector<std::size_t>& rows) {
  Dataset out;
  out.classes = d.classes, out.feature_names = d.feature_names, out.source = d.source;
  out.features = select_rows(d.features, rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.labels.push_back(d.labels[rows[i]]);
    out.speakers.push_back(d.speakers[rows[i]]);
    out.names.push_back(d.names[rows[i]]);
  }
  return out;
}

FeatureTable table_of(const Dataset& d, const std::vector<std::size_t>& rows) {
  FeatureTable t;
  t.feature_names = d.feature_names;
  for (auto r : rows) {
    t.names.push_back(d.names[r]);
    t.speakers.push_back(d.speakers[r]);
    t.labels.push_back(d.classes[static_cast<std::size_t>(d.labels[r])]);
    t.values.insert(t.values.end(), d.features.row(r), d.features.row(r) + d.dims());
  }
  return t;
}

// Truth and predicted class per clip (-1: missed) of one speaker and condition.
struct Outcomes {
  std::vector<int> truth, predicted;
  std::vector<double> confidence;  // the predicted class's probability (missed clips: 0)
  void add(const Outcomes& o) {
    truth.insert(truth.end(), o.truth.begin(), o.truth.end());
    predicted.insert(predicted.end(), o.predicted.begin(), o.predicted.end());
    confidence.insert(confidence.end(), o.confidence.begin(), o.confidence.end());
  }
};

// Expected calibration error over the scored clips (missed ones left out): ten equal
// bins of confidence, sum over bins of (share of clips) x |accuracy - mean confidence|;
// the bins themselves are added to `bins` (pooled over seeds for the diagram).
double calibration_error(const Outcomes& o, std::vector<ReliabilityBin>& bins) {
  bins.resize(kReliabilityBins);
  std::vector<ReliabilityBin> own(kReliabilityBins);
  std::size_t scored = 0;
  for (std::size_t i = 0; i < o.truth.size(); ++i) {
    if (o.predicted[i] < 0) continue;
    const auto b = std::min<std::size_t>(kReliabilityBins - 1, static_cast<std::size_t>(o.confidence[i] * kReliabilityBins));
    own[b].clips += 1, own[b].confidence += o.confidence[i], own[b].correct += o.predicted[i] == o.truth[i] ? 1 : 0;
    ++scored;
  }
  double ece = 0;
  for (std::size_t b = 0; b < kReliabilityBins; ++b) {
    if (own[b].clips) ece += std::fabs(own[b].correct - own[b].confidence) / static_cast<double>(scored);
    bins[b].clips += own[b].clips, bins[b].confidence += own[b].confidence, bins[b].correct += own[b].correct;
  }
  return ece;
}

std::pair<double, double> uar_wa(const Outcomes& o, std::size_t classes) {
  std::vector<double> hit(classes, 0), total(classes, 0);
  for (std::size_t i = 0; i < o.truth.size(); ++i) {
    total[static_cast<std::size_t>(o.truth[i])] += 1;
    hit[static_cast<std::size_t>(o.truth[i])] += o.predicted[i] == o.truth[i] ? 1 : 0;
  }
  double recall = 0, present = 0, correct = 0, all = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    if (total[c] > 0) recall += hit[c] / total[c], present += 1;
    correct += hit[c], all += total[c];
  }
  return {present ? 100 * recall / present : 0, all ? 100 * correct / all : 0};
}

// Each clip of `scored` by the segments overlapping its speech.
Outcomes score_clips(const ConstructedRecording& rec, const std::vector<SegmentResult>& segments, const Dataset& d,
                     const std::map<std::string, std::size_t>& row_of, const std::string& scored) {
  Outcomes o;
  for (const auto& clip : rec.clips) {
    if (clip.speaker != scored) continue;
    std::vector<double> p(d.classes.size(), 0.0);
    double weight = 0;
    for (const auto& s : segments) {
      const double overlap = std::min(s.end_s, clip.speech_end_s) - std::max(s.start_s, clip.speech_start_s);
      if (overlap <= 0) continue;
      for (std::size_t c = 0; c < p.size(); ++c) p[c] += overlap * s.probabilities[c];
      weight += overlap;
    }
    o.truth.push_back(d.labels[row_of.at(clip.name)]);
    o.predicted.push_back(weight > 0 ? static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin()) : -1);
    o.confidence.push_back(weight > 0 ? *std::max_element(p.begin(), p.end()) / weight : 0);
  }
  return o;
}

struct Corpus {
  const Dataset& data;
  std::map<std::string, std::size_t> row_of;
  std::vector<SourceClip> clips;  // per row
  double rate = 0;
};

Corpus load_corpus(const Dataset& d, const std::vector<Utterance>& audio) {
  Corpus c{d, {}, {}, 0};
  std::map<std::string, std::string> path_of;
  for (const auto& u : audio) path_of[u.name] = u.path;
  for (std::size_t r = 0; r < d.rows(); ++r) {
    const auto it = path_of.find(d.names[r]);
    if (it == path_of.end()) throw Error("row " + d.names[r] + " of " + d.source + " has no audio file among the corpus's clips");
    const auto stream = AudioStream::open_file(it->second);
    if (c.rate == 0) c.rate = stream->info().rate_hz;
    if (stream->info().rate_hz != c.rate) throw file_error(it->second, "has another sample rate than the corpus's other clips");
    c.clips.push_back({d.names[r], d.classes[static_cast<std::size_t>(d.labels[r])], d.speakers[r], read_all_samples(*stream)});
    c.row_of[d.names[r]] = r;
  }
  return c;
}

std::vector<std::size_t> rows_where(const Dataset& d, const std::function<bool(const std::string&)>& keep) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (keep(d.speakers[r])) rows.push_back(r);
  return rows;
}

// A recording of `rows`' clips in a seeded shuffle, analysed by `model`.
std::pair<ConstructedRecording, std::vector<SegmentResult>> record_and_analyse(const Corpus& c, std::vector<std::size_t> rows,
                                                                               const TrainedModel& model, const ContinuousSettings& s,
                                                                               ConstructionSettings how, const std::vector<SourceClip>& babble) {
  std::mt19937_64 rng(how.seed);
  std::shuffle(rows.begin(), rows.end(), rng);
  std::vector<SourceClip> clips;
  for (auto r : rows) clips.push_back(c.clips[r]);
  ConstructedRecording rec = construct_recording(clips, c.rate, how, babble);
  ChannelAnalyzer analyzer(model, s.analyze, c.rate, "constructed", 0, s.threads);
  std::vector<SegmentResult> segments;
  const std::size_t block = static_cast<std::size_t>(10 * c.rate);
  for (std::size_t at = 0; at < rec.samples.size(); at += block)
    for (auto& r : analyzer.push(std::span<const float>(rec.samples.data() + at, std::min(block, rec.samples.size() - at))))
      segments.push_back(std::move(r));
  for (auto& r : analyzer.finish()) segments.push_back(std::move(r));
  return {std::move(rec), std::move(segments)};
}

TrainedModel train_without(const Dataset& d, const TrainSettings& recipe, std::uint64_t seed, const std::vector<std::string>& held_out,
                           const CopyRows* copies) {
  TrainSettings t = recipe;
  t.seed = seed;
  const auto rows = rows_where(d, [&](const std::string& s) { return std::find(held_out.begin(), held_out.end(), s) == held_out.end(); });
  Dataset train = subset(d, rows);
  if (copies) append_copies_of_rows(train, d, rows, *copies);
  return train_model(train, build_train_options(t));
}

// One test speaker's outcomes under every condition (the clip-level row first).
std::vector<Outcomes> speaker_outcomes(const Corpus& c, const TrainSettings& recipe, const ContinuousSettings& s, std::uint64_t seed,
                                       const std::vector<std::string>& speakers, std::size_t i, std::size_t conditions, double& seconds) {
  const Dataset& d = c.data;
  const std::string& who = speakers[i];
  const auto own = rows_where(d, [&](const std::string& x) { return x == who; });
  std::vector<SourceClip> babble;
  for (auto r : rows_where(d, [&](const std::string& x) { return x != who; })) babble.push_back(c.clips[r]);
  const TrainedModel model = train_without(d, recipe, seed, {who}, s.training_copies);
  std::vector<Outcomes> per(conditions);
  const FeatureTable clips = table_of(d, own);
  for (const auto& p : predict_table(model, clips, model.normalization == NormKind::Speaker ? &clips : nullptr)) {
    per[0].truth.push_back(d.labels[c.row_of.at(p.name)]);
    per[0].predicted.push_back(d.class_index(p.label));
    per[0].confidence.push_back(*std::max_element(p.probabilities.begin(), p.probabilities.end()));
  }
  for (std::size_t k = 0; k < s.snr_db.size(); ++k) {
    const ConstructionSettings how{0.3, 2.0, 1.0, s.snr_db[k], s.noise, 0, seed * 1000 + i};
    const auto [rec, segments] = record_and_analyse(c, own, model, s, how, babble);
    per[k + 1] = score_clips(rec, segments, d, c.row_of, who);
    seconds += static_cast<double>(rec.samples.size()) / c.rate;
  }
  if (s.two_speakers && !s.snr_db.empty()) {
    // A second held-out speaker on the same channel: the model is trained without both.
    const std::string& partner = speakers[(i + 1) % speakers.size()];
    const TrainedModel both = train_without(d, recipe, seed, {who, partner}, s.training_copies);
    std::vector<SourceClip> rest;
    for (auto r : rows_where(d, [&](const std::string& x) { return x != who && x != partner; })) rest.push_back(c.clips[r]);
    const ConstructionSettings how{0.3, 2.0, 1.0, s.snr_db[0], s.noise, 0, seed * 1000 + i};
    const auto [rec, segments] = record_and_analyse(c, rows_where(d, [&](const std::string& x) { return x == who || x == partner; }), both,
                                                    s, how, rest);
    per.back() = score_clips(rec, segments, d, c.row_of, who);
    seconds += static_cast<double>(rec.samples.size()) / c.rate;
  }
  return per;
}

// Each continuous row against the clip-level row: paired sign-flip over seed x speaker
// UARs, Holm-adjusted over the rows.
void paired_tests(ContinuousReport& report) {
  std::vector<double> p;
  for (std::size_t k = 1; k < report.rows.size(); ++k) {
    std::vector<double> diff;
    for (std::size_t j = 0; j < report.rows[k].speaker_uar.size(); ++j)
      diff.push_back(report.rows[k].speaker_uar[j] - report.rows[0].speaker_uar[j]);
    report.rows[k].p_vs_clips = sign_flip_p_value(diff);
    p.push_back(report.rows[k].p_vs_clips);
  }
  const auto holm = holm_adjusted(p);
  for (std::size_t k = 1; k < report.rows.size(); ++k) report.rows[k].p_holm = holm[k - 1];
}

}  // namespace

ContinuousReport evaluate_continuous(const Dataset& d, const std::vector<Utterance>& audio, const TrainSettings& recipe,
                                     const ContinuousSettings& s) {
  const Corpus corpus = load_corpus(d, audio);
  const std::vector<std::string> speakers = d.speaker_list();
  std::vector<std::string> names = {"clips (enrolled)"};
  for (double snr : s.snr_db) names.push_back("continuous, " + s.noise + " " + std::to_string(static_cast<int>(snr)) + " dB");
  if (s.two_speakers && !s.snr_db.empty()) names.push_back(names[1] + ", two speakers");
  ContinuousReport report;
  report.speakers = speakers.size();
  report.clips = d.rows();
  for (const auto& n : names) report.rows.emplace_back().condition = n;
  for (const std::uint64_t seed : s.seeds) {
    std::vector<Outcomes> pooled(names.size());
    for (std::size_t i = 0; i < speakers.size(); ++i) {
      const auto per = speaker_outcomes(corpus, recipe, s, seed, speakers, i, names.size(), report.seconds);
      for (std::size_t k = 0; k < names.size(); ++k) {
        report.rows[k].speaker_uar.push_back(uar_wa(per[k], d.classes.size()).first);
        for (int p : per[k].predicted) report.rows[k].missed += p < 0 ? 1 : 0;
        pooled[k].add(per[k]);
      }
    }
    for (std::size_t k = 0; k < names.size(); ++k) {
      const auto [uar, wa] = uar_wa(pooled[k], d.classes.size());
      report.rows[k].uar.push_back(uar);
      report.rows[k].wa.push_back(wa);
      report.rows[k].ece.push_back(calibration_error(pooled[k], report.rows[k].reliability));
    }
  }
  for (auto& row : report.rows) row.missed /= static_cast<double>(d.rows() * s.seeds.size());
  paired_tests(report);
  return report;
}

}  // namespace seraug
