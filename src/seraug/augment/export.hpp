// Synthetic rows as a feature file (seraug augment): generated from the whole dataset
// after a global z-score, then mapped back to the input's feature space, with
// provenance columns synthetic=1, method, seed and sources (';'-separated names of the
// real rows each row derives from). For training final models or other tools; inside
// `evaluate`, augmentation always runs per fold instead.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "seraug/augment/augmenter.hpp"
#include "seraug/data/dataset.hpp"

namespace seraug {

struct ExportOptions {
  std::string method = "smote";
  std::size_t per_class = 0;
  bool balance = false;
  AugmentConfig config;
  std::uint64_t seed = 1;
  // cyclegan-*: unlabelled source rows (raw features in data's columns), z-scored with
  // the data's statistics; null = the [gan] source setting.
  std::shared_ptr<const Matrix> gan_source;
};

FeatureTable synthesize_table(const Dataset& data, const ExportOptions& options);

}  // namespace seraug
