#include "seraug/eval/nested.hpp"

#include <chrono>

#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {
namespace {

Matrix matrix_columns(const Matrix& m, const std::vector<std::size_t>& columns) {
  Matrix out(m.rows, columns.size());
  for (std::size_t r = 0; r < m.rows; ++r)
    for (std::size_t j = 0; j < columns.size(); ++j) out.at(r, j) = m.at(r, columns[j]);
  return out;
}

void check_candidates(const std::vector<NestedCandidate>& candidates, const Protocol& outer, int selection_folds) {
  if (candidates.size() < 2) throw Error("nested selection needs at least two candidates");
  if (!outer.speaker_independent() || outer.kind == Protocol::Kind::Lists)
    throw Error("nested selection runs under a speaker-independent protocol (loso or group-kfold:K), not " + outer.name());
  if (selection_folds < 2) throw Error("nested selection needs at least 2 selection folds, got " + std::to_string(selection_folds));
  for (const auto& c : candidates) {
    if (c.options.amounts.size() != 1 || c.options.balance)
      throw Error(c.name + ": nested selection compares one recipe per candidate; give one per_class amount, not a sweep or balance");
    if (!c.columns.empty() && (c.options.copies || c.options.extra || c.options.gan_source))
      throw Error(c.name + ": a candidate that uses some of the columns cannot take audio copies, extra rows or a GAN source file");
  }
}

// A candidate's evaluation on the given folds with one seed: its options, the run's seed.
EvalResult evaluate_on(const Dataset& view, const NestedCandidate& c, std::vector<Fold> folds, std::uint64_t seed) {
  EvalOptions o = c.options;
  o.folds = std::move(folds);
  o.repeats = 1;
  o.seed = seed;
  return evaluate(view, o);
}

// The candidate with the best inner UAR; ties go to the earlier one.
std::size_t best_of(const std::vector<double>& uar) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < uar.size(); ++i)
    if (uar[i] > uar[best]) best = i;
  return best;
}

}  // namespace

Dataset with_columns(const Dataset& data, const std::vector<std::size_t>& columns) {
  if (columns.empty()) return data;
  Dataset out = data;
  out.features = matrix_columns(data.features, columns);
  out.unselected.features = matrix_columns(data.unselected.features, columns);
  out.feature_names.clear();
  for (std::size_t c : columns) out.feature_names.push_back(data.feature_names.at(c));
  return out;
}

std::size_t NestedResult::optimistic() const {
  std::vector<double> uar;
  for (const auto& r : each) uar.push_back(r.uar().mean);
  return best_of(uar);
}

NestedResult evaluate_nested(const Dataset& data, const std::vector<NestedCandidate>& candidates, const Protocol& outer,
                             int selection_folds, int repeats, std::uint64_t seed) {
  check_candidates(candidates, outer, selection_folds);
  const auto start = std::chrono::steady_clock::now();
  std::vector<Dataset> views;
  for (const auto& c : candidates) views.push_back(with_columns(data, c.columns));
  NestedResult out;
  out.selection_folds = selection_folds;
  for (const auto& c : candidates) {
    out.candidates.push_back(c.name);
    EvalOptions o = c.options;
    o.protocol = outer;
    o.repeats = repeats;
    o.seed = seed;
    out.each.push_back(evaluate(views[&c - candidates.data()], o));  // the optimistic table: every candidate on the outer folds
  }
  out.nested = out.each.front();
  for (auto& rep : out.nested.repeats) {
    rep.folds.clear();
    rep.pooled = Confusion(data.classes.size());
  }
  for (int r = 0; r < repeats; ++r) {
    const std::uint64_t s = seed + static_cast<std::uint64_t>(r);
    out.choices.emplace_back();
    const std::vector<Fold> folds = make_folds(data, outer, s);
    for (std::size_t f = 0; f < folds.size(); ++f) {
      check_interrupt();
      // Only the outer training rows: the inner folds partition them by speaker.
      const std::vector<Fold> inner = group_kfold(data.speakers, folds[f].train, selection_folds, s);
      NestedChoice choice{folds[f].name, 0, {}};
      for (std::size_t c = 0; c < candidates.size(); ++c) choice.inner_uar.push_back(evaluate_on(views[c], candidates[c], inner, s).uar().mean);
      choice.chosen = best_of(choice.inner_uar);
      const FoldOutcome& won = out.each[choice.chosen].repeats[r].folds.at(f);
      out.nested.repeats[r].pooled.add(won.confusion);
      out.nested.repeats[r].folds.push_back(won);
      out.choices.back().push_back(std::move(choice));
    }
  }
  out.nested.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace seraug
