// Perturbed copies of a dataset's clips (audio-domain augmentation): feature rows of
// clips that were speeded up, warped, shifted, noised or reverberated, each tied to the
// clip it came from. An evaluation adds a copy to a fold only when its clip is in that
// fold's training side (eval/evaluate.hpp), so no test clip is ever seen perturbed.
//
// In a feature file a copy's row is named "<clip name>@<perturbation chain>", e.g.
// "03a01Fa.wav@speed=1.1" (what `seraug extract --perturb` writes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "seraug/common/matrix.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"

namespace seraug {

struct CopyRows {
  Matrix x;                          // copies x dims, raw features in the dataset's columns
  std::vector<std::size_t> source;   // per copy: the dataset row of its clip
  std::vector<std::string> chain;    // per copy: its perturbation chain ("speed=1.1")
  std::size_t size() const { return source.size(); }
};

std::string copy_row_name(const std::string& clip_name, const std::string& chain);
// {clip name, chain} of a copy's row name; nullopt for a row name without '@'.
std::optional<std::pair<std::string, std::string>> split_copy_row_name(const std::string& row_name);

// The copies in `table` whose clip is a row of `data` (copies of clips outside data's
// class or speaker selection are left out). Columns are matched by name. Throws
// seraug::Error naming `what` and the row when a row is not a copy, when a copy's
// speaker or label differs from its clip's, when a column is missing, or when no copy
// belongs to data at all.
CopyRows copies_of(const Dataset& data, const FeatureTable& table, const std::string& what);

// Concatenation (several copy files or chains).
void append_copies(CopyRows& to, const CopyRows& more);

// `train` (a subset of `data` holding its rows `rows`, in that order) with the copies
// of those clips appended as rows of their clip's speaker and label, named
// "<clip>@<chain>": multi-condition training. Copies of clips outside `rows` are left
// out, so a held-out clip is never seen perturbed.
void append_copies_of_rows(Dataset& train, const Dataset& data, const std::vector<std::size_t>& rows, const CopyRows& copies);

}  // namespace seraug
