#include "seraug/eval/evaluate.hpp"

#include "seraug/common/file_lock.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <unordered_map>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/common/parallel.hpp"
#include "seraug/stats/hash.hpp"
#include "seraug/stats/selection.hpp"
#include "seraug/eval/fold_rows.hpp"
#include "seraug/eval/gan_domains.hpp"
#include "seraug/eval/late_fusion.hpp"
#include "seraug/eval/sweep_checks.hpp"

namespace seraug {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}


}  // namespace

namespace {

std::vector<std::string> amount_labels(const EvalOptions& o) {
  if (o.balance) return {"balance"};
  std::vector<std::string> labels;
  for (auto a : o.amounts) labels.push_back(std::to_string(a));
  return labels;
}

// Normalises the --extra rows as the fold's training rows were.
Matrix normalize_extra(const Dataset& extra, const Dataset& data, const std::vector<std::size_t>& train_rows, NormKind kind) {
  Matrix x = extra.features;
  if (kind == NormKind::Global) ZScore::fit(data.features, train_rows).apply(x);
  if (kind == NormKind::Speaker) {
    std::vector<std::size_t> all(extra.rows());
    std::iota(all.begin(), all.end(), 0);
    x = normalize_fold(extra.features, extra.speakers, all, {}, NormKind::Speaker).first;
  }
  return x;
}

void append_rows(Matrix& x, std::vector<int>& y, std::vector<std::string>& speakers, const Matrix& more_x,
                 const std::vector<int>& more_y, const std::vector<std::string>& more_speakers) {
  x.data.insert(x.data.end(), more_x.data.begin(), more_x.data.end());
  x.rows += more_x.rows;
  y.insert(y.end(), more_y.begin(), more_y.end());
  speakers.insert(speakers.end(), more_speakers.begin(), more_speakers.end());
}

// A class whose clips all come from one speaker cannot be learnt when that speaker is
// tested under a speaker-independent protocol: the training fold has none of it.
std::vector<std::string> dataset_warnings(const Dataset& data, const EvalOptions& options) {
  std::vector<std::string> warnings;
  if (!options.protocol.speaker_independent()) return warnings;
  for (const auto& [name, speaker] : single_speaker_classes(data))
    warnings.push_back("class '" + name + "' has clips of one speaker only (" + speaker + "); when " + speaker +
                       " is tested, no training fold holds that class, so its recall there is 0 by construction");
  return warnings;
}

std::vector<EvalResult> empty_results(const Dataset& data, const EvalOptions& options, const std::vector<std::string>& labels) {
  const std::vector<std::string> warnings = dataset_warnings(data, options);
  std::vector<EvalResult> results(labels.size());
  for (std::size_t a = 0; a < labels.size(); ++a) {
    EvalResult& r = results[a];
    r.options = options;
    r.amount = labels[a];
    r.source = data.source;
    r.classes = data.classes;
    r.rows = data.rows();
    r.dims = data.dims();
    r.speakers = data.speaker_list().size();
    r.warnings = warnings;
  }
  return results;
}

// One fold before training: normalised rows, the chosen hyperparameters, the real
// training rows (plus --extra rows) and the synthetic rows for the largest amount.
struct PreparedFold {
  Matrix train_x, test_x;
  std::vector<int> train_y, test_y;
  std::vector<std::string> train_speakers;
  Hyperparameters chosen;
  double inner_uar = std::numeric_limits<double>::quiet_NaN();  // NaN when fixed
  Matrix base_x;
  std::vector<int> base_y;
  std::vector<std::string> base_speakers;
  SyntheticRows synthetic;
  std::vector<std::size_t> columns;  // selected columns; empty = all
  std::vector<std::size_t> train_origin;  // per training row: its dataset row (a copy's: its clip's)
  std::size_t copy_rows = 0;              // perturbed copies at the end of the training rows
  PhaseSeconds phases;                    // of the preparation: normalise .. augmentation
};

// Appends the fold's perturbed copies to its training rows; returns which training rows
// are copies (never scored by the inner search).
std::vector<char> append_copies_of_training_clips(const Dataset& data, const EvalOptions& options, const Fold& fold, PreparedFold& p) {
  if (!options.copies) return {};
  const FoldCopies copies = fold_copies(data, options, fold);
  std::vector<char> training_only(p.train_x.rows, 0);
  training_only.resize(p.train_x.rows + copies.x.rows, 1);
  append_rows(p.train_x, p.train_y, p.train_speakers, copies.x, copies.y, copies.speakers);
  p.train_origin.insert(p.train_origin.end(), copies.source.begin(), copies.source.end());
  p.copy_rows = copies.x.rows;
  return training_only;
}

SyntheticRows generate_synthetic(const Dataset& data, const EvalOptions& options, const Fold& fold, std::uint64_t seed, const PreparedFold& p,
                                 std::unique_ptr<Augmenter>& augmenter, const std::vector<std::size_t>& counts);

PreparedFold prepare_fold(const Dataset& data, const EvalOptions& options, const Fold& fold, std::uint64_t seed,
                          std::unique_ptr<Augmenter>& augmenter) {
  const std::size_t k = data.classes.size();
  if (fold.train.empty() || fold.test.empty()) throw Error("fold '" + fold.name + "' has an empty side");
  PreparedFold p;
  auto phase_start = std::chrono::steady_clock::now();
  const auto phase_done = [&](double& into) {
    into += seconds_since(phase_start);
    phase_start = std::chrono::steady_clock::now();
  };
  std::tie(p.train_x, p.test_x) = normalize_fold_rows(data, fold, options, seed);
  p.train_y = select(data.labels, fold.train);
  p.test_y = select(data.labels, fold.test);
  p.train_speakers = select(data.speakers, fold.train);
  p.train_origin = fold.train;
  const std::vector<char> training_only = append_copies_of_training_clips(data, options, fold, p);
  phase_done(p.phases.normalise);
  std::size_t keep = options.select_keep.empty() ? 0 : options.select_keep.front();
  if (options.fixed) p.chosen = *options.fixed;
  else {
    const ModelChoice choice =
        select_model_cached(options.inner_search_cache, options.classifier, p.train_x, p.train_y, p.train_speakers, k,
                            options.inner_folds, options.balanced, seed, options.threads, options.dnn, options.select_keep, training_only);
    p.chosen = choice.hyperparameters;
    p.inner_uar = choice.inner_uar;
    keep = choice.keep;
  }
  phase_done(p.phases.inner_search);
  if (!options.select_keep.empty()) {
    // Ranked on the whole training side of the fold; the test rows only follow.
    // keep 0 = every column, listed, so the report says how many were kept.
    p.columns = f_score_columns(p.train_x, p.train_y, k, keep);
    p.train_x = select_columns(p.train_x, p.columns);
    p.test_x = select_columns(p.test_x, p.columns);
  }
  phase_done(p.phases.selection);

  // Real training rows (plus --extra rows), then synthetic rows from the real ones only.
  p.base_x = p.train_x;
  p.base_y = p.train_y;
  p.base_speakers = p.train_speakers;
  if (options.extra) {
    std::vector<std::string> extra_speakers;
    for (const auto& s : options.extra->speakers) extra_speakers.push_back("extra:" + s);
    append_rows(p.base_x, p.base_y, p.base_speakers, keep_columns(normalize_extra(*options.extra, data, fold.train, options.norm), p.columns),
                options.extra->labels, extra_speakers);
  }
  const std::size_t largest = options.balance ? 0 : *std::max_element(options.amounts.begin(), options.amounts.end());
  p.synthetic = generate_synthetic(data, options, fold, seed, p, augmenter, synthetic_counts(p.train_y, k, largest, options.balance));
  phase_done(p.phases.augmentation);
  return p;
}

// The fold's synthetic rows: the augmenter sees its training rows and the source domain
// [gan] source names (gan_domains.hpp).
SyntheticRows generate_synthetic(const Dataset& data, const EvalOptions& options, const Fold& fold, std::uint64_t seed, const PreparedFold& p,
                                 std::unique_ptr<Augmenter>& augmenter, const std::vector<std::size_t>& counts) {
  const FoldGanDomains domains = fold_gan_domains(data, options, fold, p.train_x, p.train_speakers, p.copy_rows, p.columns);
  const bool all_rows = domains.target_rows == p.train_x.rows;
  std::vector<std::size_t> targets(domains.target_rows);
  std::iota(targets.begin(), targets.end(), 0);
  const Matrix target_x = all_rows ? Matrix{} : select_rows(p.train_x, targets);
  const std::vector<int> target_y = select(p.train_y, targets);
  const std::vector<std::string> target_speakers = select(p.train_speakers, targets);
  AugmentInput input{all_rows ? p.train_x : target_x, target_y, target_speakers, data.classes.size()};
  if (domains.external) {
    input.external_source = &domains.source;
    input.source_speakers = &domains.source_speakers;
  }
  input.neutral_class = data.class_index("neutral");
  std::optional<FileLock> training;
  if (!options.gan_cache.empty() && is_cyclegan(options.augment)) {
    AugmentConfig cached = options.augment_config;
    const std::string folder = fold_gan_cache_folder(options, data, fold, seed, p.columns);
    // Processes sharing the cache (array tasks) train a fold's GANs once: the first holds
    // the lock (inside the folder) while it trains and saves; the others wait, then load.
    training.emplace(FileLock::acquire(folder + "/training.lock"));
    (std::filesystem::exists(folder + "/generators.json") ? cached.load_from : cached.save_to) = folder;
    augmenter = make_augmenter(options.augment, cached);
  }
  return augmenter->generate(input, counts, seed);
}

// Trains on the fold's real rows plus the first `amounts[a]` synthetic rows per class
// (all of them with balance) and predicts the test rows.
FoldOutcome evaluate_amount(const Dataset& data, const EvalOptions& options, const Fold& fold, const PreparedFold& p, std::size_t a,
                            std::uint64_t seed) {
  const std::size_t k = data.classes.size();
  const SyntheticRows synthetic = options.balance ? p.synthetic
                                                  : take_per_class(p.synthetic, synthetic_counts(p.train_y, k, options.amounts[a], false));
  Matrix x = p.base_x;
  std::vector<int> y = p.base_y;
  std::vector<std::string> speakers = p.base_speakers;
  std::vector<std::string> synthetic_speakers;  // a synthetic row goes with the speaker it came from
  std::set<std::size_t> source_rows;
  for (std::size_t r = 0; r < synthetic.sources.size(); ++r) {
    const auto& src = synthetic.sources[r];
    if (!synthetic.speakers.empty()) synthetic_speakers.push_back(synthetic.speakers[r]);
    else synthetic_speakers.push_back(src.empty() ? "synthetic" : p.train_speakers[src.front()]);
    for (auto i : src) source_rows.insert(p.train_origin[i]);
  }
  append_rows(x, y, speakers, synthetic.x, synthetic.y, synthetic_speakers);

  FoldOutcome out;
  out.name = fold.name;
  out.test_speakers = fold.test_speakers;
  out.speaker_overlap = fold.speaker_overlap;
  out.train_rows = x.rows;
  out.test_rows = fold.test;
  out.chosen = p.chosen;
  if (!options.select_keep.empty()) out.chosen["features"] = static_cast<double>(p.columns.size());
  out.selected_columns = p.columns;
  out.inner_uar = p.inner_uar;
  out.synthetic_rows = synthetic.x.rows;
  out.synthetic_source_rows.assign(source_rows.begin(), source_rows.end());
  out.copy_rows = p.copy_rows;
  const std::set<std::size_t> copied(p.train_origin.end() - static_cast<std::ptrdiff_t>(p.copy_rows), p.train_origin.end());
  out.copy_source_rows.assign(copied.begin(), copied.end());
  auto model = make_classifier(options.classifier, p.chosen, options.dnn);
  FitOptions fit = fit_options(y, speakers, k, options.balanced, seed);
  if (options.augment_config.gan.synthetic_weight != 1.0 && synthetic.x.rows > 0) {
    // Real rows (and --extra rows) weigh 1, synthetic rows gan.synthetic_weight.
    fit.row_weights.assign(x.rows, 1.0);
    std::fill(fit.row_weights.end() - static_cast<std::ptrdiff_t>(synthetic.x.rows), fit.row_weights.end(), options.augment_config.gan.synthetic_weight);
  }
  if (a == 0) out.phases = p.phases;  // the fold's preparation, counted once
  const auto fit_start = std::chrono::steady_clock::now();
  model->fit(x, y, k, fit);
  out.phases.fit = seconds_since(fit_start);
  const auto predict_start = std::chrono::steady_clock::now();
  out.predictions = model->predict(p.test_x);
  out.phases.predict = seconds_since(predict_start);
  out.confusion = Confusion::from(p.test_y, out.predictions, k);
  return out;
}

// How many folds fit side by side: one per thread where the classifier's fits share no
// global state (trains_in_parallel), else one. Their preparation (normalisation, inner
// search, augmentation) still runs one fold at a time on every thread.
std::size_t folds_side_by_side(const EvalOptions& options) {
  if (options.late_fusion || !trains_in_parallel(options.classifier)) return 1;
  return resolve_threads(options.threads);
}

std::vector<FoldOutcome> late_fusion_folds(const Dataset& data, const EvalOptions& options, std::span<const Fold> folds, std::uint64_t seed) {
  std::vector<FoldOutcome> outcomes;
  for (const Fold& fold : folds) {
    const auto fold_start = std::chrono::steady_clock::now();
    check_interrupt();
    outcomes.push_back(evaluate_late_fusion_fold(data, options, fold, seed));
    outcomes.back().seconds = seconds_since(fold_start);
  }
  return outcomes;
}

// Fits that ran side by side measured their own seconds, which add up to more than the
// wall time they took: each gets the wall time's share in proportion to its own, so a
// cell's phases still add up to its wall time.
void share_wall_time(std::vector<FoldOutcome>& outcomes, double wall) {
  double own = 0;
  for (const auto& o : outcomes) own += o.seconds;
  const double factor = own > 0 ? wall / own : 0;
  for (auto& o : outcomes) {
    o.seconds *= factor;
    o.phases.fit *= factor;
    o.phases.predict *= factor;
  }
}

// The outcomes of a group of folds, in (fold, amount) order: each fold prepared in turn,
// then every (fold, amount) fit and prediction, side by side when there are several
// folds, one thread each (a fit's numbers do not depend on which thread runs it).
std::vector<FoldOutcome> evaluate_folds(const Dataset& data, const EvalOptions& options, std::span<const Fold> folds, std::uint64_t seed,
                                        std::size_t amounts, std::unique_ptr<Augmenter>& augmenter) {
  std::vector<PreparedFold> prepared;
  std::vector<double> setup_seconds;
  for (const Fold& fold : folds) {
    const auto fold_start = std::chrono::steady_clock::now();
    check_interrupt();
    prepared.push_back(prepare_fold(data, options, fold, seed, augmenter));
    setup_seconds.push_back(seconds_since(fold_start));
  }
  std::vector<FoldOutcome> outcomes(folds.size() * amounts);
  const auto run = [&](std::size_t job) {
    const auto job_start = std::chrono::steady_clock::now();
    outcomes[job] = evaluate_amount(data, options, folds[job / amounts], prepared[job / amounts], job % amounts, seed);
    outcomes[job].seconds = seconds_since(job_start);
  };
  const auto section_start = std::chrono::steady_clock::now();
  parallel_for(outcomes.size(), static_cast<int>(folds.size()), run);
  share_wall_time(outcomes, seconds_since(section_start));
  for (std::size_t job = 0; job < outcomes.size(); ++job) outcomes[job].seconds += setup_seconds[job / amounts] / static_cast<double>(amounts);
  return outcomes;
}

}  // namespace

std::vector<EvalResult> evaluate_sweep(const Dataset& data, const EvalOptions& options) {
  check_sweep_options(data, options);
  if (options.late_fusion) check_late_fusion_options(data, options);
  auto augmenter = make_augmenter(options.augment, options.augment_config);
  const auto start = std::chrono::steady_clock::now();
  const auto labels = amount_labels(options);
  std::vector<EvalResult> results = empty_results(data, options, labels);
  const std::size_t side_by_side = folds_side_by_side(options);
  for (int rep = 0; rep < options.repeats; ++rep) {
    const std::uint64_t seed = options.seed + static_cast<std::uint64_t>(rep);
    for (auto& r : results) r.repeats.push_back(RepeatOutcome{seed, {}, Confusion(data.classes.size())});
    const std::vector<Fold> folds = options.folds.empty() ? make_folds(data, options.protocol, seed) : options.folds;
    for (std::size_t first = 0; first < folds.size(); first += side_by_side) {
      const std::span<const Fold> group(folds.data() + first, std::min(side_by_side, folds.size() - first));
      std::vector<FoldOutcome> outcomes = options.late_fusion ? late_fusion_folds(data, options, group, seed)
                                                              : evaluate_folds(data, options, group, seed, labels.size(), augmenter);
      // (fold, amount) order; late fusion has one "amount".
      const std::size_t per_fold = options.late_fusion ? 1 : labels.size();
      for (std::size_t i = 0; i < outcomes.size(); ++i) {
        RepeatOutcome& repeat = results[i % per_fold].repeats.back();
        repeat.pooled.add(outcomes[i].confusion);
        repeat.folds.push_back(std::move(outcomes[i]));
      }
    }
  }
  const double total = seconds_since(start);
  for (auto& r : results) r.seconds = total;
  return results;
}

EvalResult evaluate(const Dataset& data, const EvalOptions& options) {
  auto results = evaluate_sweep(data, options);
  if (results.size() != 1) throw Error("evaluate: several amounts given; use evaluate_sweep");
  return std::move(results.front());
}

namespace {

template <typename F>
MeanStd over_repeats(const EvalResult& r, F metric) {
  std::vector<double> v;
  for (const auto& rep : r.repeats) v.push_back(metric(rep.pooled));
  return mean_std(v);
}

}  // namespace

MeanStd EvalResult::wa() const { return over_repeats(*this, [](const Confusion& c) { return c.wa(); }); }
MeanStd EvalResult::uar() const { return over_repeats(*this, [](const Confusion& c) { return c.uar(); }); }
MeanStd EvalResult::recall(std::size_t cls) const {
  return over_repeats(*this, [cls](const Confusion& c) { return c.recall(cls); });
}
MeanStd EvalResult::fold_uar() const {
  std::vector<double> v;
  for (const auto& rep : repeats)
    for (const auto& f : rep.folds) v.push_back(f.confusion.uar());
  return mean_std(v);
}

}  // namespace seraug
