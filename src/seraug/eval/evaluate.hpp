// Running an evaluation protocol: for each repeat (seed) and fold, normalise on the
// training fold, choose hyperparameters by speaker-grouped inner cross-validation on the
// training fold (unless fixed), train, predict the test fold. Test rows are seen only
// when they are predicted (and, with speaker norm, for their own unlabelled statistics).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seraug/augment/augmenter.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/stats/metrics.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/eval/protocol.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {

struct EvalOptions {
  std::string classifier = "svm";
  Protocol protocol;
  NormKind norm = NormKind::Global;
  int repeats = 1;
  std::uint64_t seed = 1;                 // repeat r uses seed + r
  std::optional<Hyperparameters> fixed;   // skip the inner search
  int inner_folds = 3;                    // speaker-grouped folds for model selection
  bool balanced = false;                  // class weights n / (k n_c)
  int threads = 0;                        // for the inner search; 0 = every CPU this process may use (cpus.hpp)
  DnnConfig dnn;                          // used when classifier == "dnn"
  // In-fold univariate feature selection (ANOVA F, stats/selection.hpp): the numbers of
  // columns to try (0 = all); the inner search chooses one with the hyperparameters,
  // scoring columns on each inner training part, then the fold keeps that many of the
  // columns ranked on its whole training side. Empty = no selection.
  std::vector<std::size_t> select_keep;
  // Speaker norm only: each test speaker's statistics from this many of its clips, drawn
  // with the seed (what `predict --enroll` with that many clips would see); 0 = all of
  // its clips (the usual transductive speaker norm).
  std::size_t enroll_clips = 0;
  // With enroll_clips: shrink each enrolment's statistics towards the training speakers'
  // pooled ones (pooled_speaker_prior) with the weight of this many clips; 0 = no shrinkage.
  double enroll_prior = 0;
  // Late fusion: one model per member = (column block, classifier): the blocks are the
  // fused files or sets (column_blocks), the classifiers `late_classifiers` (empty =
  // `classifier`). Each member has its own inner search and selection on the training
  // fold and is calibrated there (out-of-fold temperature); a test row gets the mean of
  // the members' probabilities. No augmentation or extra rows with it.
  bool late_fusion = false;
  std::vector<std::string> late_classifiers;

  // Perturbed copies of the clips (audio-domain augmentation, data/copies.hpp): a fold's
  // training side gets the copies of its own clips, never of a test clip. A copy keeps
  // its clip's label and speaker; under speaker norm each (speaker, chain) is normalised
  // as a speaker of its own (a perturbed voice is a new voice), under global norm with
  // the real training rows' statistics. The inner search trains on the copies of its
  // training speakers and scores real rows only. Feature-space augmenters see real rows
  // and copies alike.
  std::shared_ptr<const CopyRows> copies;

  // Augmentation inside each training fold (after normalisation, before training).
  std::string augment = "none";
  std::vector<std::size_t> amounts = {0};  // synthetic rows per class; several = a sweep
  bool balance = false;                    // instead of amounts: fill every class up to the largest
  AugmentConfig augment_config;
  // Rows of another corpus added to every training fold (data's columns; shared, so a
  // copied EvalOptions, e.g. in an EvalResult, keeps them alive).
  std::shared_ptr<const Dataset> extra;
  // cyclegan-*: external unlabelled source rows (raw features in data's columns).
  std::shared_ptr<const Matrix> gan_source;
  // cyclegan-*: folder of trained generators, one sub-folder per (method, seed, fold's
  // training rows, normalisation, GAN settings); reused when present, so the GANs of a
  // fold are trained once for every classifier and amount.
  std::string gan_cache;
  // Folder of inner-search choices to reuse (an experiment's cache/inner_search; empty =
  // search every time). The search runs before augmentation, on the fold's real rows
  // (and copies), so cells that differ only in what they add afterwards (none, noise,
  // SMOTE, the GANs) make the same choice: it is searched once per fold's rows, classifier
  // and seed and read back by the others (select_model_cached).
  std::string inner_search_cache;
  // Folds given in code (row indices into the dataset) instead of the protocol's: nested
  // selection's inner folds inside one outer training side, and one outer fold. Empty =
  // make_folds(protocol). Rows in no fold are never touched.
  std::vector<Fold> folds;
};

// Where a fold's time went (seconds). A fold's preparation (normalisation, the inner
// search, selection, augmentation) is counted in the outcome of its first amount only, so
// that sums over a sweep's outcomes count it once.
struct PhaseSeconds {
  double normalise = 0;     // z-scores (and the copies appended)
  double inner_search = 0;  // hyperparameters and column count by the inner cross-validation
  double selection = 0;     // F-score ranking of the chosen column count
  double augmentation = 0;  // the augmenter's training and generation (the cycle-GANs)
  double fit = 0;           // the final model on the fold's training rows
  double predict = 0;       // its predictions of the test rows
  PhaseSeconds& operator+=(const PhaseSeconds& o) {
    normalise += o.normalise, inner_search += o.inner_search, selection += o.selection;
    augmentation += o.augmentation, fit += o.fit, predict += o.predict;
    return *this;
  }
  double total() const { return normalise + inner_search + selection + augmentation + fit + predict; }
};

struct FoldOutcome {
  std::string name;
  std::vector<std::string> test_speakers;
  bool speaker_overlap = false;
  Hyperparameters chosen;                  // with "features" = columns kept when selecting
  double inner_uar = 0;                    // NaN when hyperparameters were fixed
  std::size_t train_rows = 0;
  std::vector<std::size_t> selected_columns;  // dataset columns kept by selection; empty = all
  std::vector<std::size_t> test_rows;      // dataset row indices
  std::vector<int> predictions;            // per test row
  std::size_t synthetic_rows = 0;
  std::vector<std::size_t> synthetic_source_rows;  // dataset rows the synthetic rows derive from
  std::size_t copy_rows = 0;                       // perturbed copies trained on
  std::vector<std::size_t> copy_source_rows;       // dataset rows whose copies were trained on
  Confusion confusion;
  double seconds = 0;
  PhaseSeconds phases;
};

struct RepeatOutcome {
  std::uint64_t seed = 0;
  std::vector<FoldOutcome> folds;
  Confusion pooled;  // summed over folds (the usual LOSO convention)
};

struct EvalResult {
  EvalOptions options;
  std::string amount;  // "0", "200", "balance": synthetic rows per class of this result
  std::string source;
  std::vector<std::string> classes;
  std::size_t rows = 0, dims = 0, speakers = 0;
  std::vector<RepeatOutcome> repeats;
  double seconds = 0;
  // What the numbers cannot show by themselves, in words (a class of one speaker only
  // under a speaker-independent protocol); printed with the report and on stderr.
  std::vector<std::string> warnings;

  MeanStd wa() const;   // of pooled WA over repeats
  MeanStd uar() const;  // of pooled UAR over repeats
  MeanStd recall(std::size_t c) const;
  MeanStd fold_uar() const;  // over all folds of all repeats (spread across speakers)
};

// The outcome of the inner search.
struct ModelChoice {
  Hyperparameters hyperparameters;
  std::size_t keep = 0;  // columns kept by F-score selection; 0 = all
  double inner_uar = std::numeric_limits<double>::quiet_NaN();  // NaN when nothing was searched
};

// Chooses hyperparameters and, when keep_grid is not empty, the number of F-ranked
// columns, by the best mean UAR over speaker-grouped inner folds of the rows given.
// Each inner fold ranks columns on its own training part, so no inner test row shapes
// the selection it is scored with. Rows marked in `training_only` (empty = none) are
// never scored: they join the training part of every inner fold that does not test
// their speaker. Ties: the earlier keep value, then the earlier grid entry.
ModelChoice select_model(const std::string& classifier, const Matrix& x, const std::vector<int>& y,
                         const std::vector<std::string>& speakers, std::size_t classes, int inner_folds, bool balanced,
                         std::uint64_t seed, int threads, const DnnConfig& dnn, const std::vector<std::size_t>& keep_grid,
                         const std::vector<char>& training_only = {});

// select_model through `folder` (empty: select_model itself). A file named by a hash of
// every input that decides the choice (the rows' values, labels, speakers and
// training-only marks; the classifier, its grid, the keep grid, classes, inner folds,
// class weighting, seed, the DNN settings and the OpenBLAS kernel) holds the choice of an
// earlier search, read back exactly; absent or unreadable, the search runs and its choice
// is written (atomically: concurrent shards may both search, and write the same choice).
// Thread counts are left out: the choice does not depend on them (the fold scores are
// summed in a fixed order; DNN fits draw from their own generators).
ModelChoice select_model_cached(const std::string& folder, const std::string& classifier, const Matrix& x, const std::vector<int>& y,
                                const std::vector<std::string>& speakers, std::size_t classes, int inner_folds, bool balanced,
                                std::uint64_t seed, int threads, const DnnConfig& dnn, const std::vector<std::size_t>& keep_grid,
                                const std::vector<char>& training_only = {});

// Chooses the hyperparameters with the best mean inner UAR (ties: the earlier grid
// entry, i.e. the simpler model). Rows index into x / y / speakers.
std::pair<Hyperparameters, double> select_hyperparameters(const std::string& classifier, const Matrix& x,
                                                          const std::vector<int>& y, const std::vector<std::string>& speakers,
                                                          std::size_t classes, int inner_folds, bool balanced,
                                                          std::uint64_t seed, int threads = 0, const DnnConfig& dnn = {});

// The fold's training and test rows normalised as the options say (options.norm, and
// options.enroll_clips for the test speakers' statistics).
std::pair<Matrix, Matrix> normalize_fold_rows(const Dataset& data, const Fold& fold, const EvalOptions& options, std::uint64_t seed);

// One result per amount (options.amounts, or one for balance). Synthetic rows are
// generated once per fold for the largest amount; smaller amounts use a prefix of each
// class, so the curve over amounts compares like with like.
std::vector<EvalResult> evaluate_sweep(const Dataset& data, const EvalOptions& options);
// The single-amount case.
EvalResult evaluate(const Dataset& data, const EvalOptions& options);

}  // namespace seraug
