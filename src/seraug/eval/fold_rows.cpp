#include "seraug/eval/fold_rows.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "seraug/stats/hash.hpp"

namespace seraug {

std::pair<Matrix, Matrix> normalize_fold_rows(const Dataset& data, const Fold& fold, const EvalOptions& o, std::uint64_t seed) {
  auto normalised = normalize_fold(data.features, data.speakers, fold.train, fold.test, o.norm);
  if (o.norm != NormKind::Speaker || o.enroll_clips == 0) return normalised;
  // Speakers new to the fold: statistics from `enroll_clips` of their clips instead.
  const std::vector<std::string> train_speakers = select(data.speakers, fold.train);
  const std::set<std::string> seen(train_speakers.begin(), train_speakers.end());
  const Matrix raw = select_rows(data.features, fold.test);
  std::map<std::string, std::vector<std::size_t>> positions;  // new test speaker -> positions in fold.test
  for (std::size_t i = 0; i < fold.test.size(); ++i)
    if (!seen.count(data.speakers[fold.test[i]])) positions[data.speakers[fold.test[i]]].push_back(i);
  const ZScore prior = o.enroll_prior > 0 ? pooled_speaker_prior(data.features, data.speakers, fold.train) : ZScore{};
  for (const auto& [speaker, at] : positions) {
    std::vector<std::size_t> enrolment = at;
    std::mt19937_64 rng(seed ^ fnv1a(speaker));
    std::shuffle(enrolment.begin(), enrolment.end(), rng);
    enrolment.resize(std::min(enrolment.size(), o.enroll_clips));
    std::sort(enrolment.begin(), enrolment.end());  // row order, as without enrolment
    ZScore z = ZScore::fit(raw, enrolment);
    if (o.enroll_prior > 0) z = shrink_towards(z, enrolment.size(), prior, o.enroll_prior);
    for (auto i : at) {
      std::copy(raw.row(i), raw.row(i) + raw.cols, normalised.second.row(i));
      z.apply_row(normalised.second.row(i));
    }
  }
  return normalised;
}

FoldCopies fold_copies(const Dataset& data, const EvalOptions& o, const Fold& fold) {
  const CopyRows& copies = *o.copies;
  const std::set<std::size_t> training(fold.train.begin(), fold.train.end());
  std::vector<std::size_t> picked;
  for (std::size_t i = 0; i < copies.size(); ++i)
    if (training.count(copies.source[i])) picked.push_back(i);
  FoldCopies f;
  f.x = select_rows(copies.x, picked);
  std::vector<std::string> voices;  // (speaker, chain): the speaker a copy sounds like
  for (auto i : picked) {
    const std::size_t s = copies.source[i];
    f.y.push_back(data.labels[s]);
    f.speakers.push_back(data.speakers[s]);
    f.source.push_back(s);
    voices.push_back(data.speakers[s] + "@" + copies.chain[i]);
  }
  if (o.norm == NormKind::Global) ZScore::fit(data.features, fold.train).apply(f.x);
  if (o.norm == NormKind::Speaker && !picked.empty()) {
    std::vector<std::size_t> all(picked.size());
    std::iota(all.begin(), all.end(), 0);
    f.x = normalize_fold(f.x, voices, all, {}, NormKind::Speaker).first;
  }
  return f;
}


std::vector<Fold> inner_folds_with_training_only(const std::vector<std::string>& speakers, const std::vector<char>& training_only,
                                                 int inner_folds, std::uint64_t seed) {
  std::vector<std::size_t> scored, extra;
  for (std::size_t r = 0; r < speakers.size(); ++r) (!training_only.empty() && training_only[r] ? extra : scored).push_back(r);
  auto folds = group_kfold(speakers, scored, inner_folds, seed);
  for (Fold& fold : folds) {
    const std::set<std::string> tested(fold.test_speakers.begin(), fold.test_speakers.end());
    for (auto r : extra)
      if (!tested.count(speakers[r])) fold.train.push_back(r);
  }
  return folds;
}

FitOptions fit_options(std::span<const int> y, std::vector<std::string> speakers, std::size_t classes, bool balanced, std::uint64_t seed) {
  FitOptions o;
  if (balanced) o.class_weights = balanced_class_weights(y, classes);
  o.speakers = std::move(speakers);
  o.seed = seed;
  return o;
}

}  // namespace seraug
