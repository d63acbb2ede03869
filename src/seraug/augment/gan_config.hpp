// Settings of the per-emotion cycle-GANs (configs/default.toml, [gan]). Defaults follow
// the paper where it states them (residual MLP generators and MLP critics with two
// hidden layers of 800 units, leaky ReLU, Adam 2e-4 with beta (0.5, 0.999) halved every
// 50 epochs, two generator updates per critic update, lambda_cyc = 1, WGAN-div k = 2,
// p = 6); the rest were chosen from the loss curves (docs/augmentation.md).
#pragma once

#include <string>
#include <vector>

#include "seraug/common/parameter.hpp"

namespace seraug {

struct GanConfig {
  std::vector<int> hidden = {800, 800};  // generators and critics
  double leaky_slope = 0.2;
  int epochs = 100;                      // an epoch = one pass over the largest target class
  int batch_size = 64;
  int pretrain_epochs = 10;              // generators trained on cycle reconstruction only
  double learning_rate = 2e-4;
  double beta1 = 0.5, beta2 = 0.999;
  int halve_lr_every = 50;               // epochs
  int generator_steps_per_critic = 2;
  double lambda_cycle = 1.0;
  double lambda_class = 1.0;             // auxiliary classifier loss weight
  double wdiv_k = 2.0, wdiv_p = 6.0;     // Wasserstein divergence penalty
  double real_label = 0.9;               // cyclegan-ce: one-sided label smoothing
  double input_noise = 0.0;              // std of noise added to source rows at generation

  // The variants of the GAN study (docs/augmentation.md, "Giving the cycle-GAN every
  // fair chance"). Defaults are the paper's GAN.
  //
  // Source domain S of each emotion's GAN:
  //   others   the fold's rows of the other classes (the paper's "main data")
  //   all      every training row
  //   neutral  the fold's neutral rows (the neutral GAN itself maps the other classes)
  //   unused   the training speakers' rows of the corpus's classes outside the study
  //            (EMO-DB: boredom, disgust), unlabelled
  //   copies   the perturbed audio copies of the training clips (a method with an audio
  //            kind, e.g. "speed+cyclegan-wdiv[source=copies]"); targets are real rows
  std::string source = "others";
  // class: G_c maps any source row to class c. speaker: G_c also takes a target training
  // speaker (one-hot) and the critics judge (row, speaker) pairs, so G_c carries speaker
  // a's row onto speaker b's class c; synthetic rows belong to the target speaker.
  std::string mapping = "class";
  // Realism filter: candidates = count / filter_keep rows per class, the best-scoring
  // count kept. critic: the target critic's score; knn: the k-NN manifold score against
  // the class's real rows (> -1 = inside the real manifold, k = 3); classifier: the
  // auxiliary classifier's probability of the class.
  std::string filter = "none";
  double filter_keep = 0.5;
  // Loss weight of a synthetic row in the classifier trained on the augmented fold (real
  // rows 1). Only the dnn takes row weights (LIBLINEAR and LIBSVM have none).
  double synthetic_weight = 1.0;
  // Early stopping: every fd_every epochs, the mean over classes of the Fréchet distance
  // between generated rows and one held-out training speaker's real rows (that speaker
  // is left out of the GAN's training); stop after fd_patience checks without
  // improvement and keep the generators of the best check. 0 = train `epochs` epochs.
  int fd_every = 0;
  int fd_patience = 3;
  // Train in an in-fold PCA space of this many whitened components (fitted on the GAN's
  // training rows, targets and sources) and map synthetic rows back; 0 = feature space.
  int pca = 0;

  void validate() const;  // checks every field against gan_fields(); throws naming it (gan.<name>)
  bool operator==(const GanConfig&) const = default;
};

// The declaration of every [gan] setting (reader, checks, flags --gan-<name>, docs).
const std::vector<Field<GanConfig>>& gan_fields();

// A GAN variant named in a method: "cyclegan-wdiv[source=neutral,pca=64]" is the
// augmenter "cyclegan-wdiv" with those [gan] keys set (values as in TOML; a bare word is
// a string). No brackets: the augmenter as given, no overrides.
struct AugmenterVariant {
  std::string augmenter;
  std::string overrides;  // "source=neutral,pca=64" ("" = none)
};
AugmenterVariant split_augmenter_variant(const std::string& method);  // throws on unbalanced brackets
// `base` with the overrides applied and validated; errors name `method` and the key.
GanConfig apply_gan_overrides(GanConfig base, const std::string& overrides, const std::string& method);

}  // namespace seraug
