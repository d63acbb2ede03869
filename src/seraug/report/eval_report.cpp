#include "seraug/report/eval_report.hpp"

#include "seraug/common/parameter_json.hpp"

#include <cmath>

#include "seraug/common/cpus.hpp"
#include <cstdio>
#include <set>
#include <nlohmann/json.hpp>

#include "seraug/version.hpp"

namespace seraug {

std::string percent_text(const MeanStd& m, int decimals) {
  char buf[64];
  if (m.n < 2) std::snprintf(buf, sizeof buf, "%5.*f%*s", decimals, 100 * m.mean, decimals + 5, "");
  else std::snprintf(buf, sizeof buf, "%5.*f ± %.*f", decimals, 100 * m.mean, decimals, 100 * m.std);
  return buf;
}

namespace {

std::string percent(const MeanStd& m) { return percent_text(m, 1); }

std::string protocol_label(const EvalResult& r) {
  std::string s = r.options.protocol.name();
  if (!r.options.protocol.speaker_independent()) s += " (SPEAKER-DEPENDENT)";
  return s;
}

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json confusion_json(const Confusion& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t t = 0; t < c.classes(); ++t) {
    nlohmann::json row = nlohmann::json::array();
    for (std::size_t p = 0; p < c.classes(); ++p) row.push_back(c.at(t, p));
    rows.push_back(row);
  }
  return rows;
}

nlohmann::json metrics_json(const Confusion& c, const std::vector<std::string>& classes) {
  nlohmann::json per_class = nlohmann::json::object();
  for (std::size_t k = 0; k < classes.size(); ++k)
    per_class[classes[k]] = {{"recall", finite_or_null(c.recall(k))}, {"precision", finite_or_null(c.precision(k))},
                             {"f1", finite_or_null(c.f1(k))}, {"support", c.support(k)}};
  return {{"wa", finite_or_null(c.wa())}, {"uar", finite_or_null(c.uar())}, {"per_class", per_class}, {"confusion", confusion_json(c)}};
}

// Enrolment, late fusion and selection, when used: one paragraph.
// The audio-domain augmentation of a run: which perturbed copies the folds trained on.
std::string copies_line(const EvalOptions& o) {
  if (!o.copies) return "";
  std::set<std::string> chains(o.copies->chain.begin(), o.copies->chain.end());
  std::string list;
  for (const auto& c : chains) list += (list.empty() ? "" : " ") + c;
  return "audio copies: " + std::to_string(chains.size()) + " per training clip (" + list +
         "), only of each fold's training clips; each (speaker, perturbation) normalised as a speaker of its own under speaker norm\n\n";
}

std::string recipe_lines(const EvalOptions& o) {
  std::string out;
  if (o.enroll_clips > 0)
    out += "test speakers normalised with the statistics of " + std::to_string(o.enroll_clips) +
           " of their clips each (seeded draw), as predict --enroll would" +
           (o.enroll_prior > 0 ? ", shrunk towards the training speakers' pooled statistics" : std::string()) + "\n";
  if (o.late_fusion) out += "late fusion: mean of calibrated probabilities of one model per feature block and classifier\n";
  std::string keep;
  for (auto k : o.select_keep) keep += (keep.empty() ? "" : ",") + (k == 0 ? std::string("all") : std::to_string(k));
  if (!keep.empty()) out += "in-fold F-score selection, columns kept chosen by the inner CV among " + keep + "\n";
  return out.empty() ? out : out + "\n";
}

}  // namespace

// Recall (mean ± std over repeats), precision, F1 and support per class. Precision (and
// F1) of a class that was never predicted is 0/0: printed "–" and explained, not "nan".
std::string per_class_table(const EvalResult& r) {
  std::string out = "  class        recall       precision  f1     support\n";
  const Confusion& first = r.repeats.front().pooled;
  bool undefined = false;
  const auto cell = [&](double v) {
    if (std::isfinite(v)) {
      char number[16];
      std::snprintf(number, sizeof number, "%5.1f", 100 * v);
      return std::string(number);
    }
    undefined = true;
    return std::string("    \u2013");
  };
  char buf[256];
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    std::snprintf(buf, sizeof buf, "  %-11s %s   %s      %s  %ld\n", r.classes[c].c_str(), percent(r.recall(c)).c_str(),
                  cell(first.precision(c)).c_str(), cell(first.f1(c)).c_str(), first.support(c));
    out += buf;
  }
  if (undefined) out += "  \u2013: the class was never predicted, so its precision (and F1) is undefined (0 of 0 predictions)\n";
  return out;
}

std::string format_evaluation(const EvalResult& r) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "seraug evaluate: %s, %zu rows x %zu features, %zu speakers, %zu classes\n", r.source.c_str(), r.rows,
                r.dims, r.speakers, r.classes.size());
  out += buf;
  std::string classifiers;
  for (const auto& c : r.options.late_classifiers) classifiers += (classifiers.empty() ? "" : "+") + c;
  if (classifiers.empty()) classifiers = r.options.classifier;
  std::snprintf(buf, sizeof buf, "classifier %s, protocol %s, norm %s, %d repeat(s), seeds %llu..%llu%s\n\n", classifiers.c_str(),
                protocol_label(r).c_str(), norm_name(r.options.norm).c_str(), r.options.repeats,
                static_cast<unsigned long long>(r.options.seed),
                static_cast<unsigned long long>(r.options.seed + static_cast<std::uint64_t>(r.options.repeats) - 1),
                r.options.balanced ? ", balanced class weights" : "");
  out += buf;
  out += recipe_lines(r.options);
  out += copies_line(r.options);
  if (r.options.augment != "none" || r.options.extra) {
    std::snprintf(buf, sizeof buf, "augment %s, %s synthetic rows per class%s\n\n", r.options.augment.c_str(), r.amount.c_str(),
                  r.options.extra ? (", extra rows from " + r.options.extra->source).c_str() : "");
    out += buf;
  }
  out += "pooled over folds, mean ± std over repeats (%):\n";
  out += "  WA   " + percent(r.wa()) + "\n";
  out += "  UAR  " + percent(r.uar()) + "\n";
  out += "  per-fold UAR " + percent(r.fold_uar()) + " (spread across folds)\n\n";
  out += per_class_table(r);
  for (const auto& w : r.warnings) out += "  note: " + w + "\n";
  const Confusion& first = r.repeats.front().pooled;
  out += "\nconfusion matrix (repeat 1; rows true, columns predicted):\n  " + std::string(11, ' ');
  for (const auto& c : r.classes) { std::snprintf(buf, sizeof buf, " %9.9s", c.c_str()); out += buf; }
  out += "\n";
  for (std::size_t t = 0; t < r.classes.size(); ++t) {
    std::snprintf(buf, sizeof buf, "  %-11s", r.classes[t].c_str());
    out += buf;
    for (std::size_t p = 0; p < r.classes.size(); ++p) { std::snprintf(buf, sizeof buf, " %9ld", first.at(t, p)); out += buf; }
    out += "\n";
  }
  out += "\nfolds (repeat 1): name  UAR  WA  chosen hyperparameters\n";
  for (const auto& f : r.repeats.front().folds) {
    std::snprintf(buf, sizeof buf, "  %-14s %5.1f  %5.1f  %s%s\n", f.name.c_str(), 100 * f.confusion.uar(), 100 * f.confusion.wa(),
                  describe(f.chosen).c_str(), f.speaker_overlap ? "  [speakers on both sides]" : "");
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "\n%.1f s\n", r.seconds);
  out += buf;
  return out;
}

nlohmann::json evaluation_object(const EvalResult& r);

std::string evaluation_json(const EvalResult& r) { return evaluation_object(r).dump(2) + "\n"; }

std::string format_sweep(const std::vector<EvalResult>& results) {
  if (results.size() == 1) return format_evaluation(results.front());
  const EvalResult& first = results.front();
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "seraug evaluate: %s, %zu rows x %zu features, %zu speakers, %zu classes\n", first.source.c_str(),
                first.rows, first.dims, first.speakers, first.classes.size());
  out += buf;
  std::snprintf(buf, sizeof buf, "classifier %s, protocol %s, norm %s, augment %s, %d repeat(s), seeds %llu..%llu\n\n",
                first.options.classifier.c_str(), protocol_label(first).c_str(), norm_name(first.options.norm).c_str(),
                first.options.augment.c_str(), first.options.repeats, static_cast<unsigned long long>(first.options.seed),
                static_cast<unsigned long long>(first.options.seed + static_cast<std::uint64_t>(first.options.repeats) - 1));
  out += buf;
  out += "synthetic rows per class   WA (%)         UAR (%)        (pooled over folds, mean ± std over repeats)\n";
  for (const auto& r : results) {
    std::snprintf(buf, sizeof buf, "  %-24s %s    %s\n", r.amount.c_str(), percent(r.wa()).c_str(), percent(r.uar()).c_str());
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "\n%.1f s (per-fold details: --json)\n", first.seconds);
  return out + buf;
}

std::string sweep_json(const std::vector<EvalResult>& results) {
  nlohmann::json j = {{"seraug_version", kVersion}, {"results", nlohmann::json::array()}};
  for (const auto& r : results) j["results"].push_back(evaluation_object(r));
  return j.dump(2) + "\n";
}

nlohmann::json evaluation_object(const EvalResult& r) {
  nlohmann::json j;
  j["seraug_version"] = kVersion;
  j["library_versions"] = solver_library_versions();
  j["blas_kernel"] = blas_kernel();  // the DNN's numbers depend on it (common/cpus.hpp)
  j["source"] = r.source;
  j["dataset"] = {{"rows", r.rows}, {"features", r.dims}, {"speakers", r.speakers}, {"classes", r.classes}};
  if (!r.warnings.empty()) j["warnings"] = r.warnings;
  j["config"] = {{"classifier", r.options.classifier},
                 {"protocol", r.options.protocol.name()},
                 {"speaker_independent", r.options.protocol.speaker_independent()},
                 {"norm", norm_name(r.options.norm)},
                 {"repeats", r.options.repeats},
                 {"seed", r.options.seed},
                 {"inner_folds", r.options.inner_folds},
                 {"threads", resolve_thread_count(r.options.threads)},
                 {"usable_cpus", usable_cpus()},
                 {"balanced_class_weights", r.options.balanced},
                 {"fixed_hyperparameters", r.options.fixed ? nlohmann::json(*r.options.fixed) : nlohmann::json(nullptr)},
                 {"grid", r.options.fixed ? nlohmann::json(nullptr) : nlohmann::json(default_grid(r.options.classifier))},
                 {"augment", r.options.augment},
                 {"synthetic_per_class", r.amount},
                 {"noise_sigma", r.options.augment_config.noise_sigma},
                 {"smote_k", r.options.augment_config.smote_k},
                 {"extra", r.options.extra ? nlohmann::json(r.options.extra->source) : nlohmann::json(nullptr)},
                 {"select_keep", r.options.select_keep},
                 {"fusion", r.options.late_fusion ? "late" : "early"},
                 {"late_classifiers", r.options.late_classifiers},
                 {"enroll_clips", r.options.enroll_clips},
                 {"enroll_prior", r.options.enroll_prior}};
  // The model settings in use, under their declared names (docs/parameters.md).
  const bool gan = is_cyclegan(r.options.augment);
  if (r.options.classifier == "dnn" || gan)
    j["config"]["dnn"] = fields_json(dnn_fields(), r.options.classifier == "dnn" ? r.options.dnn : r.options.augment_config.classifier);
  if (gan) j["config"]["gan"] = fields_json(gan_fields(), r.options.augment_config.gan);
  j["summary"] = {{"wa_mean", r.wa().mean}, {"wa_std", r.wa().std}, {"uar_mean", r.uar().mean}, {"uar_std", r.uar().std},
                  {"fold_uar_mean", finite_or_null(r.fold_uar().mean)}, {"fold_uar_std", finite_or_null(r.fold_uar().std)}};
  j["repeats"] = nlohmann::json::array();
  for (const auto& rep : r.repeats) {
    nlohmann::json jr = {{"seed", rep.seed}, {"pooled", metrics_json(rep.pooled, r.classes)}, {"folds", nlohmann::json::array()}};
    for (const auto& f : rep.folds) {
      nlohmann::json jf = metrics_json(f.confusion, r.classes);
      jf["name"] = f.name;
      jf["test_speakers"] = f.test_speakers;
      jf["speaker_overlap"] = f.speaker_overlap;
      jf["train_rows"] = f.train_rows;
      jf["synthetic_rows"] = f.synthetic_rows;
      jf["copy_rows"] = f.copy_rows;
      jf["test_rows"] = f.test_rows.size();
      jf["hyperparameters"] = f.chosen;
      jf["inner_uar"] = finite_or_null(f.inner_uar);
      jf["seconds"] = f.seconds;
      jr["folds"].push_back(jf);
    }
    j["repeats"].push_back(jr);
  }
  j["seconds"] = r.seconds;
  return j;
}

}  // namespace seraug
