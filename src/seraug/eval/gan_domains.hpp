// The rows a fold's GANs learn from (internal to the eval layer): which training rows are
// their targets and where their source domain comes from ([gan] source). Everything here
// is a training row of the fold or an unlabelled row of a training speaker; no test
// speaker's row ever reaches a GAN.
#pragma once

#include <string>
#include <vector>

#include "seraug/eval/evaluate.hpp"

namespace seraug {

struct FoldGanDomains {
  std::size_t target_rows = 0;  // the first target_rows training rows are the GAN's data
  bool external = false;        // the source is `source`, not rows of the data
  Matrix source;                // external source rows, normalised as the training rows
  std::vector<std::string> source_speakers;  // per source row ("" = unknown speaker)
};

// `train_x` / `train_speakers`: the fold's normalised training rows (real rows, then its
// `copy_rows` perturbed copies), restricted to `columns` (empty = all).
FoldGanDomains fold_gan_domains(const Dataset& data, const EvalOptions& o, const Fold& fold, const Matrix& train_x,
                                const std::vector<std::string>& train_speakers, std::size_t copy_rows,
                                const std::vector<std::size_t>& columns);

// The EvalOptions::gan_cache sub-folder of one fold's GANs, named by everything that
// decides them (augment/gan_fingerprint.hpp); `columns` = selected columns (empty = all).
std::string fold_gan_cache_folder(const EvalOptions& o, const Dataset& data, const Fold& fold, std::uint64_t seed,
                                  const std::vector<std::size_t>& columns);

// The rows of x restricted to `columns` (the fold's selected columns; empty = all).
Matrix keep_columns(Matrix x, const std::vector<std::size_t>& columns);

}  // namespace seraug
