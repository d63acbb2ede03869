#include "seraug/eval/evaluate.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>
#include <unordered_map>

#include "seraug/common/error.hpp"
#include "seraug/common/hash.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/common/parallel.hpp"

namespace seraug {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

FitOptions fit_options(std::span<const int> y, std::vector<std::string> speakers, std::size_t classes, bool balanced,
                       std::uint64_t seed) {
  FitOptions o;
  if (balanced) o.class_weights = balanced_class_weights(y, classes);
  o.speakers = std::move(speakers);
  o.seed = seed;
  return o;
}

}  // namespace

std::pair<Hyperparameters, double> select_hyperparameters(const std::string& classifier, const Matrix& x,
                                                          const std::vector<int>& y, const std::vector<std::string>& speakers,
                                                          std::size_t classes, int inner_folds, bool balanced,
                                                          std::uint64_t seed, int threads, const DnnConfig& dnn) {
  const auto grid = default_grid(classifier);
  if (grid.size() == 1) return {grid.front(), std::numeric_limits<double>::quiet_NaN()};
  std::vector<std::size_t> all(x.rows);
  std::iota(all.begin(), all.end(), 0);
  const auto folds = group_kfold(speakers, all, inner_folds, seed);
  // Every (grid point, inner fold) pair is independent: run them in parallel, then add
  // up in a fixed order so the choice does not depend on the thread count.
  std::vector<double> fold_uar(grid.size() * folds.size(), 0.0);
  parallel_for(fold_uar.size(), trains_in_parallel(classifier) ? threads : 1, [&](std::size_t job) {
    const std::size_t g = job / folds.size();
    const Fold& fold = folds[job % folds.size()];
    const Matrix train = select_rows(x, fold.train), test = select_rows(x, fold.test);
    const auto train_y = select(y, fold.train), test_y = select(y, fold.test);
    auto model = make_classifier(classifier, grid[g], dnn);
    model->fit(train, train_y, classes, fit_options(train_y, select(speakers, fold.train), classes, balanced, seed));
    fold_uar[job] = Confusion::from(test_y, model->predict(test), classes).uar();
  });
  std::vector<double> score(grid.size(), 0.0);
  for (std::size_t job = 0; job < fold_uar.size(); ++job) score[job / folds.size()] += fold_uar[job] / static_cast<double>(folds.size());
  std::size_t best = 0;
  for (std::size_t g = 1; g < grid.size(); ++g)
    if (score[g] > score[best] + 1e-12) best = g;
  return {grid[best], score[best]};
}

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

}  // namespace

// The cache folder of one fold's GANs: a hash of everything that decides them.
std::string gan_cache_folder(const EvalOptions& o, const Dataset& data, const Fold& fold, std::uint64_t seed) {
  // The rows are named below; the file they came from does not matter. Bump the
  // version when GAN training changes, so old generators are not reused.
  constexpr int kGanTrainingVersion = 4;
  std::string key = o.augment + "|v" + std::to_string(kGanTrainingVersion) + "|" + std::to_string(seed) + "|" + norm_name(o.norm);
  const GanConfig& g = o.augment_config.gan;
  for (int h : g.hidden) key += "|h" + std::to_string(h);
  char settings[512];
  std::snprintf(settings, sizeof settings, "|%g|%d|%d|%d|%g|%g|%g|%d|%d|%g|%g|%g|%g|%g|%s", g.leaky_slope, g.epochs, g.batch_size,
                g.pretrain_epochs, g.learning_rate, g.beta1, g.beta2, g.halve_lr_every, g.generator_steps_per_critic, g.lambda_cycle,
                g.lambda_class, g.wdiv_k, g.wdiv_p, g.real_label, g.source.c_str());
  key += settings;
  for (auto r : fold.train) key += "|" + data.names[r];
  if (o.gan_source) key += "|external" + std::to_string(o.gan_source->rows);
  return o.gan_cache + "/" + o.augment + "-" + hex64(fnv1a(key));
}

std::vector<EvalResult> evaluate_sweep(const Dataset& data, const EvalOptions& options) {
  if (options.repeats < 1) throw Error("--repeats must be at least 1");
  if (!options.balance && options.amounts.empty()) throw Error("no augmentation amount given");
  make_classifier(options.classifier, options.fixed.value_or(default_grid(options.classifier).front()), options.dnn);  // validate early
  auto augmenter = make_augmenter(options.augment, options.augment_config);
  const bool cache_gans = !options.gan_cache.empty() && options.augment.rfind("cyclegan", 0) == 0;
  if (options.augment == "none" && (options.balance || *std::max_element(options.amounts.begin(), options.amounts.end()) > 0))
    throw Error("synthetic amounts need an augmentation method (--augment)");
  if (!options.balance)
    require_synthetic_rows_fit(*std::max_element(options.amounts.begin(), options.amounts.end()), data.classes.size(), data.dims(), "--per-class");
  const auto start = std::chrono::steady_clock::now();
  const auto labels = amount_labels(options);
  const std::size_t k = data.classes.size();

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
  }

  for (int rep = 0; rep < options.repeats; ++rep) {
    const std::uint64_t seed = options.seed + static_cast<std::uint64_t>(rep);
    for (auto& r : results) {
      r.repeats.push_back(RepeatOutcome{seed, {}, Confusion(k)});
    }
    for (const Fold& fold : make_folds(data, options.protocol, seed)) {
      const auto fold_start = std::chrono::steady_clock::now();
      check_interrupt();
      if (fold.train.empty() || fold.test.empty()) throw Error("fold '" + fold.name + "' has an empty side");
      auto [train_x, test_x] = normalize_fold(data.features, data.speakers, fold.train, fold.test, options.norm);
      const auto train_y = select(data.labels, fold.train), test_y = select(data.labels, fold.test);
      const auto train_speakers = select(data.speakers, fold.train);

      Hyperparameters chosen;
      double inner_uar = std::numeric_limits<double>::quiet_NaN();
      if (options.fixed) chosen = *options.fixed;
      else
        std::tie(chosen, inner_uar) = select_hyperparameters(options.classifier, train_x, train_y, train_speakers, k, options.inner_folds,
                                                             options.balanced, seed, options.threads, options.dnn);

      // Real training rows (plus --extra rows), then synthetic rows from the real ones only.
      Matrix base_x = train_x;
      std::vector<int> base_y = train_y;
      std::vector<std::string> base_speakers = train_speakers;
      if (options.extra) {
        std::vector<std::string> extra_speakers;
        for (const auto& s : options.extra->speakers) extra_speakers.push_back("extra:" + s);
        append_rows(base_x, base_y, base_speakers, normalize_extra(*options.extra, data, fold.train, options.norm), options.extra->labels,
                    extra_speakers);
      }
      const std::size_t largest = options.balance ? 0 : *std::max_element(options.amounts.begin(), options.amounts.end());
      AugmentInput input{train_x, train_y, train_speakers, k};
      Matrix gan_source;
      if (options.gan_source) {
        gan_source = *options.gan_source;
        if (options.norm == NormKind::Global) ZScore::fit(data.features, fold.train).apply(gan_source);
        if (options.norm == NormKind::Speaker) {
          std::vector<std::size_t> all(gan_source.rows);
          std::iota(all.begin(), all.end(), 0);
          ZScore::fit(gan_source, all).apply(gan_source);  // an unlabelled corpus of unknown speakers: as one speaker
        }
        input.external_source = &gan_source;
      }
      if (cache_gans) {
        AugmentConfig cached = options.augment_config;
        const std::string folder = gan_cache_folder(options, data, fold, seed);
        (std::filesystem::exists(folder + "/generators.json") ? cached.load_from : cached.save_to) = folder;
        augmenter = make_augmenter(options.augment, cached);
      }
      const SyntheticRows all_synthetic = augmenter->generate(input, synthetic_counts(train_y, k, largest, options.balance), seed);
      const double setup_seconds = seconds_since(fold_start);

      for (std::size_t a = 0; a < labels.size(); ++a) {
        const auto amount_start = std::chrono::steady_clock::now();
        const SyntheticRows synthetic = options.balance
                                            ? all_synthetic
                                            : take_per_class(all_synthetic, synthetic_counts(train_y, k, options.amounts[a], false));
        Matrix x = base_x;
        std::vector<int> y = base_y;
        std::vector<std::string> speakers = base_speakers;
        std::vector<std::string> synthetic_speakers;  // a synthetic row goes with the speaker it came from
        std::set<std::size_t> source_rows;
        for (const auto& src : synthetic.sources) {
          synthetic_speakers.push_back(src.empty() ? "synthetic" : train_speakers[src.front()]);
          for (auto i : src) source_rows.insert(fold.train[i]);
        }
        append_rows(x, y, speakers, synthetic.x, synthetic.y, synthetic_speakers);

        FoldOutcome out;
        out.name = fold.name;
        out.test_speakers = fold.test_speakers;
        out.speaker_overlap = fold.speaker_overlap;
        out.train_rows = x.rows;
        out.test_rows = fold.test;
        out.chosen = chosen;
        out.inner_uar = inner_uar;
        out.synthetic_rows = synthetic.x.rows;
        out.synthetic_source_rows.assign(source_rows.begin(), source_rows.end());
        auto model = make_classifier(options.classifier, chosen, options.dnn);
        model->fit(x, y, k, fit_options(y, speakers, k, options.balanced, seed));
        out.predictions = model->predict(test_x);
        out.confusion = Confusion::from(test_y, out.predictions, k);
        out.seconds = seconds_since(amount_start) + setup_seconds / static_cast<double>(labels.size());
        results[a].repeats.back().pooled.add(out.confusion);
        results[a].repeats.back().folds.push_back(std::move(out));
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

// Refuses rows that are, or derive from, rows of the evaluated corpus.
void check_no_leak(const FeatureTable& extra, const std::string& source, const Dataset& data) {
  const std::set<std::string> evaluated(data.names.begin(), data.names.end());
  const auto sources_it = extra.extras.find("sources");
  for (std::size_t r = 0; r < extra.rows(); ++r) {
    if (evaluated.count(extra.names[r]))
      throw file_error(source, "row '" + extra.names[r] + "' is a row of the evaluated corpus; --extra takes other corpora only");
    if (sources_it == extra.extras.end()) continue;
    std::stringstream list(sources_it->second[r]);
    std::string name;
    while (std::getline(list, name, ';'))
      if (evaluated.count(name))
        throw file_error(source, "row '" + extra.names[r] + "' derives from '" + name +
                                     "' of the evaluated corpus; adding it would leak test speakers into training");
  }
}

std::vector<double> aligned_row(const FeatureTable& t, std::size_t r, const std::unordered_map<std::string, std::size_t>& column,
                                const Dataset& data, const std::string& source) {
  std::vector<double> row;
  for (const auto& f : data.feature_names) {
    const auto it = column.find(f);
    if (it == column.end()) throw file_error(source, "lacks feature column '" + f + "' of " + data.source);
    row.push_back(t.row(r)[it->second]);
  }
  return row;
}

std::unordered_map<std::string, std::size_t> column_index(const FeatureTable& t) {
  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < t.dims(); ++c) column[t.feature_names[c]] = c;
  return column;
}

}  // namespace

Matrix align_source_rows(const FeatureTable& rows, const std::string& source, const Dataset& data) {
  check_no_leak(rows, source, data);
  const auto column = column_index(rows);
  Matrix x(0, data.dims());
  for (std::size_t r = 0; r < rows.rows(); ++r) {
    const auto row = aligned_row(rows, r, column, data, source);
    x.data.insert(x.data.end(), row.begin(), row.end());
    ++x.rows;
  }
  return x;
}

Dataset align_extra_rows(const FeatureTable& extra, const std::string& source, const Dataset& data) {
  check_no_leak(extra, source, data);
  const auto column = column_index(extra);
  FeatureTable aligned;
  aligned.feature_names = data.feature_names;
  for (std::size_t r = 0; r < extra.rows(); ++r) {
    aligned.names.push_back(extra.names[r]);
    aligned.speakers.push_back(extra.speakers[r].empty() ? "extra" : extra.speakers[r]);
    aligned.labels.push_back(extra.labels[r]);
    const auto row = aligned_row(extra, r, column, data, source);
    aligned.values.insert(aligned.values.end(), row.begin(), row.end());
  }
  // Keep only the evaluated classes, in the evaluated order.
  std::string selection;
  for (const auto& c : data.classes) selection += (selection.empty() ? "" : ",") + c;
  FeatureTable kept;
  kept.feature_names = aligned.feature_names;
  for (std::size_t r = 0; r < aligned.rows(); ++r) {
    if (std::find(data.classes.begin(), data.classes.end(), aligned.labels[r]) == data.classes.end()) continue;
    kept.names.push_back(aligned.names[r]);
    kept.speakers.push_back(aligned.speakers[r]);
    kept.labels.push_back(aligned.labels[r]);
    kept.values.insert(kept.values.end(), aligned.row(r), aligned.row(r) + aligned.dims());
  }
  if (kept.rows() == 0) throw file_error(source, "has no rows of the evaluated classes");
  Dataset d;
  d.source = source;
  d.classes = data.classes;
  d.feature_names = data.feature_names;
  d.names = kept.names;
  d.speakers = kept.speakers;
  for (const auto& l : kept.labels)
    d.labels.push_back(static_cast<int>(std::find(data.classes.begin(), data.classes.end(), l) - data.classes.begin()));
  d.features = Matrix(kept.rows(), kept.dims());
  d.features.data = kept.values;
  return d;
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
