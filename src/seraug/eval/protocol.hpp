// Evaluation protocols: how a dataset is split into training and test folds.
//
//   loso            leave one speaker out (one fold per speaker)      speaker-independent
//   group-kfold:K   K folds of whole speakers, balanced by row count  speaker-independent
//   kfold:K         stratified K folds of rows, speakers ignored      SPEAKER-DEPENDENT
//   lists:TRAIN:TEST  one fold from two files of row names (one per line)
//
// Folds hold row indices into the dataset; train and test are disjoint, sorted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/data/dataset.hpp"

namespace seraug {

struct Protocol {
  enum class Kind { Loso, GroupKFold, KFold, Lists } kind = Kind::Loso;
  int k = 0;
  std::string train_list, test_list;

  std::string name() const;  // canonical text, parseable again
  // False for kfold; lists are checked per fold (Fold::speaker_overlap).
  bool speaker_independent() const { return kind != Kind::KFold; }
};

// Throws seraug::Error for an unknown or malformed protocol.
Protocol parse_protocol(const std::string& text);

struct Fold {
  std::string name;                      // e.g. "speaker 03", "fold 2/5"
  std::vector<std::size_t> train, test;  // row indices
  std::vector<std::string> test_speakers;
  bool speaker_overlap = false;          // some speaker on both sides
};

// Splits `d`; `seed` decides the shuffling of kfold/group-kfold (loso and lists ignore it).
std::vector<Fold> make_folds(const Dataset& d, const Protocol& protocol, std::uint64_t seed);

// Speaker-grouped k-fold over a subset of rows (used for inner model selection);
// k is reduced to the number of speakers present.
std::vector<Fold> group_kfold(const std::vector<std::string>& speakers, const std::vector<std::size_t>& rows,
                              int k, std::uint64_t seed);

}  // namespace seraug
