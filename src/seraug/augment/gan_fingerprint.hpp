// The identity of a trained set of per-class cycle-GANs, for caches of generators
// (`evaluate --gan-cache`, an experiment's cache/gans): a hash over one list of every
// input that decides the trained generators. Owned here, next to the training, so that a
// new GAN or auxiliary-classifier setting cannot be forgotten by a caller.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "seraug/augment/gan_config.hpp"
#include "seraug/common/matrix.hpp"
#include "seraug/models/dnn_config.hpp"

namespace seraug {

struct GanTrainingInputs {
  std::string method;                      // "cyclegan-wdiv" | "cyclegan-ce"
  std::uint64_t seed = 0;
  std::string normalisation;               // how the rows were normalised, e.g. "global"
  GanConfig gan;
  DnnConfig classifier;                    // the auxiliary classifier trained with the GANs
  std::vector<std::string> training_rows;  // names of the rows the GANs learn from, in order
  const Matrix* external_source = nullptr; // --gan-source rows (raw); hashed by content
};

// Every field of the list, as (name, value) pairs in a fixed order; the fingerprint hashes
// exactly these (tests change each one and expect a different fingerprint).
std::vector<std::pair<std::string, std::string>> gan_training_fields(const GanTrainingInputs& in);

// 16 hex digits.
std::string gan_fingerprint(const GanTrainingInputs& in);

}  // namespace seraug
