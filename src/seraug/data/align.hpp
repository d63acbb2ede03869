// Rows of another file lined up with a dataset's columns: --extra rows of another corpus
// and --gan-source unlabelled rows. Both refuse rows that are, or derive from (their
// "sources" column), rows of the dataset: that would leak test speakers into training.
#pragma once

#include <string>

#include "seraug/common/matrix.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"

namespace seraug {

// `extra`'s rows with `data`'s feature columns in `data`'s order; rows of classes outside
// data's selection are dropped. Throws naming `source` for a missing column or a leak.
Dataset align_extra_rows(const FeatureTable& extra, const std::string& source, const Dataset& data);

// Unlabelled rows (rows x data.dims(), raw feature values) for --gan-source FILE, with
// the same column and leak checks.
Matrix align_source_rows(const FeatureTable& rows, const std::string& source, const Dataset& data);

}  // namespace seraug
