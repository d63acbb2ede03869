#include "seraug/report/results.hpp"

#include <cstdio>
#include <fstream>

#include "seraug/common/csv.hpp"
#include "seraug/common/error.hpp"
#include "seraug/eval/protocol.hpp"
#include "seraug/stats/permutation.hpp"

namespace seraug {
namespace {
// The paper's Table 1 (WA %, UAR %) for the methods it reports.
struct PaperRow {
  const char* method;
  const char* classifier;
  double wa, uar;
};

constexpr PaperRow kPaper[] = {
    {"noise", "dnn", 82.06, 82.73},         {"noise", "svm", 81.12, 80.25},          {"smote", "dnn", 82.43, 81.51},
    {"smote", "svm", 80.93, 79.51},         {"cyclegan-ce", "dnn", 83.55, 82.50},    {"cyclegan-ce", "svm", 81.50, 80.30},
    {"cyclegan-wdiv", "dnn", 84.49, 83.33}, {"cyclegan-wdiv", "svm", 81.07, 80.08},
};

double fold_uar(const FoldRow& r) {
  double sum = 0;
  int present = 0;
  for (std::size_t c = 0; c < r.support.size(); ++c)
    if (r.support[c] > 0) {
      sum += static_cast<double>(r.hits[c]) / static_cast<double>(r.support[c]);
      ++present;
    }
  return present ? sum / present : 0.0;
}


// "mean ± std" over seeds; one seed has no spread to show ("± 0.00" would claim one).
std::string pm(const MeanStd& m) {
  char buf[48];
  if (m.n < 2) std::snprintf(buf, sizeof buf, "%.2f", 100 * m.mean);
  else std::snprintf(buf, sizeof buf, "%.2f ± %.2f", 100 * m.mean, 100 * m.std);
  return buf;
}


}  // namespace

MeanStd over_seeds(const std::map<std::uint64_t, Pooled>& by_seed, bool uar) {
  std::vector<double> v;
  for (const auto& [seed, p] : by_seed) v.push_back(uar ? p.uar() : p.wa());
  return mean_std(v);
}

std::string table_amount_of(const ExperimentConfig& c, const std::string& method) {
  return parse_method(method).augmenter == "none" ? "0" : std::to_string(c.table_amount);
}

double Pooled::wa() const { return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0; }

double Pooled::uar() const {
  double sum = 0;
  int present = 0;
  for (std::size_t c = 0; c < support.size(); ++c)
    if (support[c] > 0) {
      sum += static_cast<double>(hits[c]) / static_cast<double>(support[c]);
      ++present;
    }
  return present ? sum / present : 0.0;
}

void Pooled::add(const FoldRow& r) {
  if (support.empty()) {
    support.assign(r.support.size(), 0);
    hits.assign(r.hits.size(), 0);
    confusion.assign(r.confusion.size(), 0);
  }
  n += r.n;
  correct += r.correct;
  for (std::size_t c = 0; c < support.size(); ++c) {
    support[c] += r.support[c];
    hits[c] += r.hits[c];
  }
  for (std::size_t i = 0; i < confusion.size(); ++i) confusion[i] += r.confusion[i];
}

std::string display_name(const std::string& method) {
  if (method == "none") return "No augmentation";
  if (method == "replicate") return "Replication";
  if (method == "noise") return "Add noise";
  if (method == "smote") return "SMOTE";
  if (method == "cyclegan-ce") return "Cycle-GAN";
  if (method == "cyclegan-wdiv") return "Cycle-GAN + Wasserstein";
  return method;
}

std::vector<FoldRow> read_cell(const std::string& path, std::size_t classes) {
  std::ifstream in(path);
  if (!in) throw file_error(path, "cannot open cell file");
  std::string line;
  std::getline(in, line);  // header
  std::vector<FoldRow> rows;
  long number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const auto f = split_csv_line(line, ',');
    if (f.size() != 8 + 2 * classes + classes * classes) throw table_error(path, number, 0, "damaged cell row");
    FoldRow r;
    r.method = f[0];
    r.classifier = f[1];
    r.seed = std::stoull(f[2]);
    r.amount = f[3];
    r.fold = f[4];
    r.n = std::stol(f[6]);
    r.correct = std::stol(f[7]);
    for (std::size_t c = 0; c < classes; ++c) {
      r.support.push_back(std::stol(f[8 + 2 * c]));
      r.hits.push_back(std::stol(f[9 + 2 * c]));
    }
    for (std::size_t i = 0; i < classes * classes; ++i) r.confusion.push_back(std::stol(f[8 + 2 * classes + i]));
    rows.push_back(std::move(r));
  }
  return rows;
}

Aggregate aggregate(const std::vector<FoldRow>& rows) {
  Aggregate a;
  for (const auto& r : rows) {
    a.pooled[{r.method, r.classifier, r.amount}][r.seed].add(r);
    a.fold_uars[{r.method, r.classifier, r.amount, r.seed, r.fold}] = fold_uar(r);
  }
  return a;
}

namespace {

// Per fold (speaker), the method's UAR minus none's, each averaged over the seeds both
// have: the pairs of the sign-flip test (seeds of one fold are not independent pairs).
std::vector<double> fold_differences(const Aggregate& a, const std::string& method, const std::string& clf, const std::string& amount) {
  std::map<std::string, std::pair<double, int>> by_fold;
  for (const auto& [key, uar] : a.fold_uars) {
    if (std::get<0>(key) != method || std::get<1>(key) != clf || std::get<2>(key) != amount) continue;
    const auto base = a.fold_uars.find({"none", clf, "0", std::get<3>(key), std::get<4>(key)});
    if (base == a.fold_uars.end()) continue;
    auto& [sum, n] = by_fold[std::get<4>(key)];
    sum += uar - base->second;
    ++n;
  }
  std::vector<double> diffs;
  for (const auto& [fold, sum_n] : by_fold) diffs.push_back(sum_n.first / sum_n.second);
  return diffs;
}

// "WA | UAR" of the paper's Table 1 for this row, or dashes.
std::string paper_columns(const std::string& method, const std::string& clf) {
  for (const auto& paper : kPaper)
    if (method == paper.method && clf == paper.classifier) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f | %.2f", paper.wa, paper.uar);
      return buf;
    }
  return "– | –";
}

}  // namespace

std::string recipe_description(const ExperimentConfig& c) {
  std::string recipe = c.feature_set + ", " + c.norm + " norm";
  if (!c.select_keep.empty()) recipe += ", in-fold F-score selection among " + c.select_keep + " columns";
  if (c.balanced) recipe += ", balanced class weights";
  if (c.fusion == "late") recipe += ", late fusion of the set's blocks";
  return recipe;
}

std::string protocol_description(const ExperimentConfig& c) {
  const Protocol p = parse_protocol(c.protocol);
  std::string text = p.name() + (p.speaker_independent() ? " (speaker-independent)" : " (speaker-dependent: a speaker's clips on both sides)");
  text += "; normalisation: ";
  if (c.norm == "speaker") text += "per-speaker z-score (transductive for the test speaker: its own unlabelled clips' statistics)";
  else if (c.norm == "global") text += "z-score fitted on the training fold";
  else text += c.norm;
  return text + "; everything else fitted on the training fold only";
}

std::string make_table(const ExperimentConfig& c, const Aggregate& a) {
  const std::string recipe = recipe_description(c);
  std::string out = "# Table 1: data augmentation and SER (seraug, " + c.protocol + ", " + std::to_string(c.repeats) +
                    " seed(s) from " + std::to_string(c.seed) + ", " + std::to_string(c.table_amount) +
                    " synthetic rows per class)\n\n" + "Recipe: " + recipe + ".\n\n"
                    "WA and UAR pooled over folds, mean ± std over seeds; ΔUAR against no augmentation. p: two-sided paired "
                    "sign-flip permutation test of per-fold UAR against no augmentation (same classifier, folds and seeds; "
                    "each fold's difference averaged over the seeds first); Holm: p adjusted with Holm's method over every "
                    "row of this table that has one. Paper: Table 1 of the paper (its own protocol).\n\n"
                    "| Method | Classifier | WA % | UAR % | ΔUAR | p vs none | Holm | Paper WA % | Paper UAR % |\n|---|---|---|---|---|---|---|---|---|\n";
  struct Row {
    std::string method, clf, wa, uar, delta = "–";
    double p = -1;  // < 0: no test
  };
  std::vector<Row> rows;
  for (const auto& method : c.methods)
    for (const auto& clf : c.classifiers) {
      const auto it = a.pooled.find({method, clf, table_amount_of(c, method)});
      if (it == a.pooled.end()) continue;
      Row row{method, clf, pm(over_seeds(it->second, false)), pm(over_seeds(it->second, true))};
      const auto none = a.pooled.find({"none", clf, "0"});
      if (method != "none" && none != a.pooled.end()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%+.1f", 100 * (over_seeds(it->second, true).mean - over_seeds(none->second, true).mean));
        row.delta = buf;
        const std::vector<double> diffs = fold_differences(a, method, clf, table_amount_of(c, method));
        if (!diffs.empty()) row.p = sign_flip_p_value(diffs);
      }
      rows.push_back(row);
    }
  std::vector<double> family;
  for (const auto& r : rows)
    if (r.p >= 0) family.push_back(r.p);
  const std::vector<double> adjusted = holm_adjusted(family);
  std::size_t next = 0;
  for (const auto& r : rows) {
    std::string p = "–", holm = "–";
    if (r.p >= 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", r.p);
      p = buf;
      std::snprintf(buf, sizeof buf, "%.3f", adjusted[next++]);
      holm = buf;
    }
    out += "| " + display_name(r.method) + " | " + (r.clf == "svm" ? "SVM" : r.clf == "dnn" ? "DNN" : r.clf) + " | " + r.wa + " | " + r.uar +
           " | " + r.delta + " | " + p + " | " + holm + " | " + paper_columns(r.method, r.clf) + " |\n";
  }
  return out;
}

}  // namespace seraug
