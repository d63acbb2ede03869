#include "seraug/report/nested_report.hpp"

#include <cstdio>
#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>

#include "seraug/report/eval_report.hpp"
#include "seraug/stats/permutation.hpp"
#include "seraug/version.hpp"

namespace seraug {
namespace {

std::string percent(const MeanStd& m) { return percent_text(m, 2); }

// A candidate as the tables show it: its file's stem ("r10" for .../r10.toml) when the
// stems tell the candidates apart, else the whole name.
std::vector<std::string> shown_names(const std::vector<std::string>& names) {
  std::vector<std::string> stems;
  for (const auto& n : names) stems.push_back(std::filesystem::path(n).stem().string());
  const std::set<std::string> distinct(stems.begin(), stems.end());
  return distinct.size() == stems.size() ? stems : names;
}

// How many outer folds (of all repeats) chose each candidate.
std::vector<std::size_t> wins(const NestedResult& r) {
  std::vector<std::size_t> count(r.candidates.size(), 0);
  for (const auto& repeat : r.choices)
    for (const auto& c : repeat) ++count[c.chosen];
  return count;
}

// Per outer fold (all repeats): the nested UAR minus the optimistic candidate's.
std::vector<double> fold_differences(const NestedResult& r) {
  std::vector<double> d;
  const EvalResult& best = r.each[r.optimistic()];
  for (std::size_t rep = 0; rep < r.nested.repeats.size(); ++rep)
    for (std::size_t f = 0; f < r.nested.repeats[rep].folds.size(); ++f)
      d.push_back(r.nested.repeats[rep].folds[f].confusion.uar() - best.repeats[rep].folds[f].confusion.uar());
  return d;
}

}  // namespace

std::string format_nested(const NestedResult& r) {
  const EvalResult& n = r.nested;
  const std::uint64_t first = n.options.seed, last = first + static_cast<std::uint64_t>(n.repeats.size()) - 1;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "seraug evaluate (nested selection among %zu recipes): %s, %zu rows, %zu speakers, %zu classes\n"
                "outer protocol %s, seeds %llu..%llu; in each outer fold the recipe with the best pooled UAR over %d "
                "speaker-grouped folds of the outer training speakers is chosen (ties: the earlier recipe) and predicts "
                "the outer test speakers\n\n",
                r.candidates.size(), n.source.c_str(), n.rows, n.speakers, n.classes.size(), n.options.protocol.name().c_str(),
                static_cast<unsigned long long>(first), static_cast<unsigned long long>(last), r.selection_folds);
  std::string out = buf;
  out += "recipe                              outer UAR (%)   outer WA (%)    chosen in folds\n";
  // (A recipe's outer score uses the test speakers: the best of them is the optimistic number.)
  const auto won = wins(r);
  const auto shown = shown_names(r.candidates);
  std::size_t folds = 0;
  for (auto w : won) folds += w;
  for (std::size_t c = 0; c < r.candidates.size(); ++c) {
    std::snprintf(buf, sizeof buf, "  %-32.32s  %-14s  %-14s  %zu/%zu\n", shown[c].c_str(), percent(r.each[c].uar()).c_str(),
                  percent(r.each[c].wa()).c_str(), won[c], folds);
    out += buf;
  }
  const std::size_t best = r.optimistic();
  const double p = sign_flip_p_value(fold_differences(r));
  std::snprintf(buf, sizeof buf,
                "\noptimistic (the best recipe by its outer score, chosen on the test speakers): UAR %s, WA %s (%s)\n"
                "honest (nested selection):                                                   UAR %s, WA %s\n"
                "honest - optimistic, per outer fold: paired sign-flip p = %.3g over %zu folds\n",
                percent(r.each[best].uar()).c_str(), percent(r.each[best].wa()).c_str(), shown[best].c_str(),
                percent(n.uar()).c_str(), percent(n.wa()).c_str(), p, folds);
  out += buf;
  out += "\nchoices (repeat 1): outer fold  chosen recipe  (inner UAR % of each recipe)\n";
  for (const auto& c : r.choices.front()) {
    std::string inner;
    for (double u : c.inner_uar) {
      std::snprintf(buf, sizeof buf, " %.1f", 100 * u);
      inner += buf;
    }
    std::snprintf(buf, sizeof buf, "  %-14s %-14.14s (%s)\n", c.fold.c_str(), shown[c.chosen].c_str(), inner.c_str() + 1);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "\n%.1f s\n", n.seconds);
  return out + buf;
}

std::string nested_json(const NestedResult& r) {
  nlohmann::json j = {{"seraug_version", kVersion}, {"selection_folds", r.selection_folds}, {"candidates", r.candidates}};
  j["optimistic"] = {{"candidate", r.candidates[r.optimistic()]}, {"uar_mean", r.each[r.optimistic()].uar().mean},
                     {"wa_mean", r.each[r.optimistic()].wa().mean}};
  j["nested"] = nlohmann::json::parse(evaluation_json(r.nested));
  // (Its folds are different candidates' outcomes: the settings are in "each" and "choices".)
  j["nested"]["config"] = {{"protocol", r.nested.options.protocol.name()}, {"seed", r.nested.options.seed},
                           {"repeats", r.nested.repeats.size()}, {"selection_folds", r.selection_folds}};
  j["honest_minus_optimistic_p"] = sign_flip_p_value(fold_differences(r));
  j["each"] = nlohmann::json::array();
  for (const auto& e : r.each) j["each"].push_back(nlohmann::json::parse(evaluation_json(e)));
  j["choices"] = nlohmann::json::array();
  for (const auto& repeat : r.choices) {
    nlohmann::json rep = nlohmann::json::array();
    for (const auto& c : repeat) rep.push_back({{"fold", c.fold}, {"chosen", r.candidates[c.chosen]}, {"inner_uar", c.inner_uar}});
    j["choices"].push_back(rep);
  }
  return j.dump(2) + "\n";
}

}  // namespace seraug
