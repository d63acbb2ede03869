// The tables of evaluate_continuous (continuous_eval.hpp).
#include <cmath>
#include <cstdio>
#include <string>
#include <nlohmann/json.hpp>

#include "seraug/analysis/continuous_eval.hpp"
#include "seraug/stats/metrics.hpp"

namespace seraug {
namespace {

std::string mean_pm(const std::vector<double>& v) {
  const MeanStd m = mean_std(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%6.2f ± %4.2f", m.mean, m.std);
  return buf;
}

std::string seeds_text(const ContinuousSettings& s) {
  std::string out;
  for (auto seed : s.seeds) out += (out.empty() ? "" : ",") + std::to_string(seed);
  return out;
}

// Each row's reliability diagram as text: per confidence bin, the clips, their mean
// confidence and their accuracy (a calibrated model has the two equal), and a bar.
std::string reliability_text(const ContinuousReport& r) {
  std::string out = "\nReliability (confidence = the winning class's probability; pooled over seeds):\n";
  char buf[256];
  for (const auto& row : r.rows) {
    out += "  " + row.condition + "\n";
    for (std::size_t b = 0; b < row.reliability.size(); ++b) {
      const auto& bin = row.reliability[b];
      if (!bin.clips) continue;
      const double conf = bin.confidence / static_cast<double>(bin.clips), acc = bin.correct / static_cast<double>(bin.clips);
      std::snprintf(buf, sizeof buf, "    [%.1f, %.1f) %5zu clips  confidence %.3f  accuracy %.3f  %s\n", b / 10.0, (b + 1) / 10.0, bin.clips,
                    conf, acc, std::string(static_cast<std::size_t>(std::lround(acc * 40)), '#').c_str());
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string continuous_table(const ContinuousReport& r, const ContinuousSettings& s, const std::string& recipe) {
  std::string out;
  char buf[2048];
  std::snprintf(buf, sizeof buf,
                "Continuous audio under LOSO (recipe %s): %zu speakers, %zu clips, seeds %s, %.0f s of constructed audio analysed.\n"
                "Each test speaker's clips shuffled into one recording (pauses 0.3-2 s, %s noise); analyze: vad %s, hangover %.2f s, "
                "enrolment %s (prior %.0f segments); a clip is scored by the segments overlapping its speech.\n"
                "Clip-level row: the same models, each clip alone, z-scored with all of its speaker's clips (transductive).\n"
                "p: paired sign-flip test over seed x speaker UARs against the clip-level row, Holm-adjusted over the rows.\n\n",
                recipe.c_str(), r.speakers, r.clips, seeds_text(s).c_str(), r.seconds, s.noise.c_str(), s.analyze.vad.c_str(),
                s.analyze.hangover_s, s.analyze.enroll_scope.c_str(), s.analyze.enroll_prior);
  out += buf;
  std::snprintf(buf, sizeof buf, "%-40s %15s %15s %15s %8s %8s %8s\n", "condition", "UAR %", "WA %", "ECE", "missed", "p", "p Holm");
  out += buf;
  for (std::size_t k = 0; k < r.rows.size(); ++k) {
    const auto& row = r.rows[k];
    const MeanStd ece = mean_std(row.ece);
    std::snprintf(buf, sizeof buf, "%-40s %15s %15s  %6.3f ± %5.3f %7.1f%% ", row.condition.c_str(), mean_pm(row.uar).c_str(),
                  mean_pm(row.wa).c_str(), ece.mean, ece.std, 100 * row.missed);
    out += buf;
    if (k == 0) std::snprintf(buf, sizeof buf, "%8s %8s\n", "-", "-");
    else std::snprintf(buf, sizeof buf, "%8.4f %8.4f\n", row.p_vs_clips, row.p_holm);
    out += buf;
  }
  return out + reliability_text(r);
}

std::string continuous_json(const ContinuousReport& r, const ContinuousSettings& s, const std::string& recipe) {
  nlohmann::ordered_json j = {{"protocol", "loso-continuous"}, {"recipe", recipe}, {"speakers", r.speakers}, {"clips", r.clips},
                              {"seeds", s.seeds}, {"noise", s.noise}, {"snr_db", s.snr_db}, {"seconds_analysed", r.seconds},
                              {"vad", s.analyze.vad}, {"enroll_scope", s.analyze.enroll_scope}, {"enroll_prior", s.analyze.enroll_prior},
                              {"rows", nlohmann::ordered_json::array()}};
  for (const auto& row : r.rows)
    j["rows"].push_back({{"condition", row.condition}, {"uar", row.uar}, {"wa", row.wa}, {"uar_mean", mean_std(row.uar).mean},
                         {"uar_std", mean_std(row.uar).std}, {"wa_mean", mean_std(row.wa).mean}, {"missed", row.missed}, {"ece", row.ece}, {"ece_mean", mean_std(row.ece).mean},
                         {"p_vs_clips", row.p_vs_clips}, {"p_holm", row.p_holm}, {"speaker_uar", row.speaker_uar}});
  return j.dump(2) + "\n";
}

}  // namespace seraug
