// Data augmentation in feature space. An Augmenter sees only the normalised training
// rows of one fold and returns synthetic rows with labels, each tagged with the input
// rows it derives from (so tests and audits can prove no test row was used).
//
//   replicate  copies of real rows (each row of a class used in turn, shuffled)
//   noise      copies plus Gaussian noise, sigma in units of each feature's training std
//   smote      Chawla et al. 2002: x_i + u (x_nn - x_i), nn among the k nearest
//              same-class rows, u ~ U(0, 1)
//   cyclegan-wdiv / cyclegan-ce
//              one cycle-GAN per emotion (source rows S -> class rows T_i), trained
//              with the Wasserstein divergence or the cross-entropy loss (LibTorch
//              plug-in; see cyclegan.hpp)
//
// Synthetic rows come grouped by class, and within a class every prefix is itself a
// valid sample, so a sweep over amounts can take the first N of one generation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "seraug/augment/gan_config.hpp"
#include "seraug/common/matrix.hpp"
#include "seraug/models/dnn_config.hpp"

namespace seraug {

struct AugmentInput {
  const Matrix& x;                         // normalised training rows
  const std::vector<int>& y;               // class per row
  const std::vector<std::string>& speakers;
  std::size_t classes;
  const Matrix* external_source = nullptr; // GANs: unlabelled source rows (normalised alike)
  const std::vector<std::string>* source_speakers = nullptr;  // per external source row ("" = unknown)
  int neutral_class = -1;                  // GANs with source "neutral": its class index
};

struct SyntheticRows {
  Matrix x;                                     // rows x dims
  std::vector<int> y;
  std::vector<std::vector<std::size_t>> sources;  // input rows each synthetic row derives from
  // Per row, the speaker a row is given to (speaker-mapping GANs: the target speaker);
  // empty = the speaker of the row's first source row.
  std::vector<std::string> speakers;

  void append(const SyntheticRows& other);
};

struct AugmentConfig {
  double noise_sigma = 0.1;  // noise: in units of each feature's training std
  int smote_k = 5;           // smote: nearest same-class neighbours
  GanConfig gan;             // cyclegan-*
  DnnConfig classifier;      // cyclegan-*: the auxiliary classifier C
  std::string loss_log;      // cyclegan-*: append per-epoch losses to this CSV ("" = none)
  std::string save_to;       // cyclegan-*: save the trained generators to this folder
  std::string load_from;     // cyclegan-*: use generators saved here instead of training
  void validate() const;
};

class Augmenter {
 public:
  virtual ~Augmenter() = default;
  // `counts[c]` synthetic rows of class c. Throws seraug::Error when a class with a
  // positive count has no input rows.
  virtual SyntheticRows generate(const AugmentInput& input, const std::vector<std::size_t>& counts, std::uint64_t seed) = 0;
};

std::vector<std::string> augmenter_names();  // "none" is accepted too and adds nothing
std::vector<std::string> synthesising_augmenter_names();  // all but "none"
// Whether an augmenter (its name, without [gan] settings) is one of the cycle-GANs.
inline bool is_cyclegan(std::string_view augmenter) { return augmenter.rfind("cyclegan", 0) == 0; }
std::unique_ptr<Augmenter> make_augmenter(const std::string& name, const AugmentConfig& config);

// The cycle-GANs are built by the LibTorch plug-in, which registers its factory here when
// it is loaded (common/plugin.hpp); make_augmenter("cyclegan-*") loads it on first use.
using CycleGanFactory = std::unique_ptr<Augmenter> (*)(const std::string& method, const AugmentConfig&);
void register_cyclegan_factory(CycleGanFactory factory);

// How many rows to add per class: `per_class` each, or (balance) enough to bring every
// class up to the largest one.
std::vector<std::size_t> synthetic_counts(const std::vector<int>& y, std::size_t classes, std::size_t per_class, bool balance);
// Refuses `per_class` synthetic rows of `classes` classes in `dims` dimensions when they
// cannot fit in this machine's memory; `option` names the setting in the message.
void require_synthetic_rows_fit(std::size_t per_class, std::size_t classes, std::size_t dims, const std::string& option);

// The first counts[c] rows of each class block of `all` (see prefix note above).
SyntheticRows take_per_class(const SyntheticRows& all, const std::vector<std::size_t>& counts);

}  // namespace seraug
