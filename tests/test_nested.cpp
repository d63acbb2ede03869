// Nested selection among recipes (eval/nested.hpp): it never sees an outer test fold, it
// picks what the inner folds favour, and its outer predictions are the winners' own.
#include <gtest/gtest.h>

#include <random>

#include "seraug/common/error.hpp"
#include "seraug/eval/nested.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

NestedCandidate candidate(const std::string& name, NormKind norm, std::vector<std::size_t> columns = {},
                          std::vector<std::size_t> keep = {}) {
  NestedCandidate c;
  c.name = name;
  c.options.norm = norm;
  c.options.select_keep = std::move(keep);
  c.options.threads = 1;
  c.columns = std::move(columns);
  return c;
}

// Three candidates that differ in what they fit on the training side: normalisation,
// columns and in-fold selection.
std::vector<NestedCandidate> three_candidates() {
  return {candidate("global", NormKind::Global), candidate("speaker", NormKind::Speaker),
          candidate("half the columns, selection", NormKind::Global, {0, 2, 4, 6, 8}, {2, 0})};
}

TEST(NestedSelection, OneFoldAloneEqualsThatFoldOfTheWholeProtocol) {
  const Dataset d = testing::synthetic(5, 4, 3, 1.0, 7);
  EvalOptions o;
  o.norm = NormKind::Speaker;
  o.select_keep = {3, 0};
  o.seed = 4;
  const EvalResult whole = evaluate(d, o);
  const auto folds = make_folds(d, o.protocol, o.seed);
  for (std::size_t f = 0; f < folds.size(); ++f) {
    EvalOptions one = o;
    one.folds = {folds[f]};
    const EvalResult alone = evaluate(d, one);
    EXPECT_EQ(alone.repeats[0].folds[0].predictions, whole.repeats[0].folds[f].predictions) << folds[f].name;
    EXPECT_EQ(alone.repeats[0].folds[0].chosen, whole.repeats[0].folds[f].chosen) << folds[f].name;
  }
}

// The property: whatever the outer test rows hold (features or labels), the choice of an
// outer fold and every inner score behind it stay the same to the bit.
TEST(NestedSelection, TheChoiceOfAnOuterFoldNeverSeesItsTestRows) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const Dataset d = testing::synthetic(5, 3, 3, 0.8, seed);
    const NestedResult plain = evaluate_nested(d, three_candidates(), parse_protocol("loso"), 3, 1, seed);
    const auto folds = make_folds(d, parse_protocol("loso"), seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> wild(-1e3, 1e3);
    for (std::size_t f = 0; f < folds.size(); ++f) {
      Dataset changed = d;
      for (std::size_t row : folds[f].test) {
        for (std::size_t c = 0; c < d.dims(); ++c) changed.features.at(row, c) = wild(rng);
        changed.labels[row] = (changed.labels[row] + 1) % 3;
      }
      const NestedResult other = evaluate_nested(changed, three_candidates(), parse_protocol("loso"), 3, 1, seed);
      const NestedChoice& a = plain.choices[0][f];
      const NestedChoice& b = other.choices[0][f];
      EXPECT_EQ(a.chosen, b.chosen) << "seed " << seed << ", " << folds[f].name;
      EXPECT_EQ(a.inner_uar, b.inner_uar) << "seed " << seed << ", " << folds[f].name;
    }
  }
}

TEST(NestedSelection, TheInformativeCandidateWinsAndTheNestedFoldsAreTheWinners) {
  Dataset d = testing::synthetic(5, 4, 3, 2.5, 11, 6);
  // Columns 3-5 are pure noise: the candidate that sees only them cannot win inside.
  std::mt19937 rng(3);
  std::normal_distribution<double> noise;
  for (std::size_t r = 0; r < d.rows(); ++r)
    for (std::size_t c = 3; c < 6; ++c) d.features.at(r, c) = noise(rng);
  const std::vector<NestedCandidate> candidates = {candidate("noise", NormKind::Global, {3, 4, 5}),
                                                   candidate("signal", NormKind::Global, {0, 1, 2})};
  const NestedResult r = evaluate_nested(d, candidates, parse_protocol("loso"), 3, 2, 5);
  ASSERT_EQ(r.choices.size(), 2u);
  for (const auto& repeat : r.choices)
    for (const auto& c : repeat) EXPECT_EQ(c.chosen, 1u) << c.fold;
  EXPECT_EQ(r.optimistic(), 1u);
  EXPECT_DOUBLE_EQ(r.nested.uar().mean, r.each[1].uar().mean);
  EXPECT_GT(r.nested.uar().mean, r.each[0].uar().mean);
}

TEST(NestedSelection, RefusesWhatItCannotRunHonestly) {
  const Dataset d = testing::synthetic(4, 3, 3, 1.0, 2);
  auto candidates = three_candidates();
  EXPECT_THROW(evaluate_nested(d, {candidates.front()}, parse_protocol("loso"), 3, 1, 1), Error);
  EXPECT_THROW(evaluate_nested(d, candidates, parse_protocol("kfold:3"), 3, 1, 1), Error);
  EXPECT_THROW(evaluate_nested(d, candidates, parse_protocol("loso"), 1, 1, 1), Error);
  candidates[1].options.amounts = {0, 100};
  EXPECT_THROW(evaluate_nested(d, candidates, parse_protocol("loso"), 3, 1, 1), Error);
}

}  // namespace
}  // namespace seraug
