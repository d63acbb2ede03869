// Perturbed copies in the evaluation (data/copies.hpp, EvalOptions::copies): only the
// copies of a fold's training clips are trained on, and nothing about the test clips'
// copies can change a fold's outcome.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "seraug/common/error.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/eval/evaluate.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

// Five speakers, three classes, six clips of each class per speaker, six features.
Dataset speakers_dataset(unsigned seed) { return testing::synthetic(5, 6, 3, 1.5, seed, 6); }

// Two "perturbations" of every clip: its row scaled and shifted a little.
FeatureTable copies_table(const Dataset& d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.3);
  FeatureTable t;
  t.feature_names = d.feature_names;
  for (const std::string chain : {"speed=0.9", "speed=1.1"})
    for (std::size_t r = 0; r < d.rows(); ++r) {
      t.names.push_back(copy_row_name(d.names[r], chain));
      t.speakers.push_back(d.speakers[r]);
      t.labels.push_back(d.classes[static_cast<std::size_t>(d.labels[r])]);
      for (std::size_t f = 0; f < d.dims(); ++f) t.values.push_back(d.features.at(r, f) * 1.1 + noise(rng));
    }
  return t;
}

TEST(AudioCopies, OnlyTrainingClipsAreCopiedIntoAFold) {
  const Dataset d = speakers_dataset(1);
  EvalOptions o;
  o.copies = std::make_shared<const CopyRows>(copies_of(d, copies_table(d, 2), "copies"));
  for (const NormKind norm : {NormKind::Global, NormKind::Speaker}) {
    o.norm = norm;
    const EvalResult r = evaluate(d, o);
    for (const auto& fold : r.repeats.front().folds) {
      const std::set<std::size_t> test(fold.test_rows.begin(), fold.test_rows.end());
      EXPECT_EQ(fold.copy_rows, 2 * (d.rows() - test.size()));
      EXPECT_EQ(fold.train_rows, 3 * (d.rows() - test.size()));
      ASSERT_FALSE(fold.copy_source_rows.empty());
      for (auto src : fold.copy_source_rows) EXPECT_FALSE(test.count(src)) << fold.name;
    }
  }
}

TEST(AudioCopies, TheTestClipsCopiesCannotChangeTheirFold) {
  const Dataset d = speakers_dataset(3);
  const FeatureTable clean = copies_table(d, 4);
  FeatureTable scrambled = clean;  // every copy of speaker s2's clips replaced by garbage
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> garbage(-100, 100);
  for (std::size_t r = 0; r < scrambled.rows(); ++r)
    if (scrambled.speakers[r] == "s2")
      for (std::size_t f = 0; f < scrambled.dims(); ++f) scrambled.values[r * scrambled.dims() + f] = garbage(rng);
  for (const NormKind norm : {NormKind::Global, NormKind::Speaker})
    for (const std::string augment : {"none", "smote"}) {
      EvalOptions o;
      o.norm = norm;
      o.augment = augment;
      o.amounts = {augment == "none" ? 0u : 20u};
      o.copies = std::make_shared<const CopyRows>(copies_of(d, clean, "clean"));
      const EvalResult a = evaluate(d, o);
      o.copies = std::make_shared<const CopyRows>(copies_of(d, scrambled, "scrambled"));
      const EvalResult b = evaluate(d, o);
      bool some_fold_differs = false;
      for (std::size_t f = 0; f < a.repeats.front().folds.size(); ++f) {
        const FoldOutcome &fa = a.repeats.front().folds[f], &fb = b.repeats.front().folds[f];
        if (fa.test_speakers == std::vector<std::string>{"s2"}) {
          EXPECT_EQ(fa.predictions, fb.predictions) << augment;
          EXPECT_EQ(fa.chosen, fb.chosen) << augment;
          const std::set<std::size_t> test(fa.test_rows.begin(), fa.test_rows.end());
          for (auto src : fa.synthetic_source_rows) EXPECT_FALSE(test.count(src));
        } else {
          some_fold_differs = some_fold_differs || fa.predictions != fb.predictions;
        }
      }
      EXPECT_TRUE(some_fold_differs) << "the garbage copies should matter where they are trained on (" << augment << ")";
    }
}

TEST(AudioCopies, CopyFilesAreCheckedAgainstTheirClips) {
  const Dataset d = speakers_dataset(6);
  FeatureTable t = copies_table(d, 7);
  EXPECT_EQ(copies_of(d, t, "ok").size(), 2 * d.rows());
  auto error_of = [&](FeatureTable bad) {
    try {
      copies_of(d, bad, "bad.csv");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  FeatureTable plain = t;
  plain.names[3] = "s0_0_3";
  EXPECT_NE(error_of(plain).find("row 4 ('s0_0_3') is not a perturbed copy"), std::string::npos) << error_of(plain);
  FeatureTable relabelled = t;
  relabelled.labels[0] = "b";
  EXPECT_NE(error_of(relabelled).find("label 'b' differs"), std::string::npos);
  FeatureTable moved = t;
  moved.speakers[0] = "s4";
  EXPECT_NE(error_of(moved).find("speaker 's4' differs"), std::string::npos);
  FeatureTable foreign = t;
  for (auto& n : foreign.names) n = "other_" + n;
  EXPECT_NE(error_of(foreign).find("holds no copy of any clip"), std::string::npos);
  FeatureTable narrow = t;
  narrow.feature_names[2] = "renamed";
  EXPECT_NE(error_of(narrow).find("has no column 'f2'"), std::string::npos);
  EXPECT_EQ(split_copy_row_name("a@b@speed=1.1")->first, "a@b");
  EXPECT_FALSE(split_copy_row_name("plain.wav"));
}

}  // namespace
}  // namespace seraug
