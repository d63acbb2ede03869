// Settings of the per-emotion cycle-GANs (configs/default.toml, [gan]). Defaults follow
// the paper where it states them (residual MLP generators and MLP critics with two
// hidden layers of 800 units, leaky ReLU, Adam 2e-4 with beta (0.5, 0.999) halved every
// 50 epochs, two generator updates per critic update, lambda_cyc = 1, WGAN-div k = 2,
// p = 6); the rest were chosen from the loss curves (docs/augmentation.md).
#pragma once

#include <string>
#include <vector>

namespace seraug {

class TableReader;

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
  std::string source = "others";         // "others" (rows of the other classes) or "all"

  void validate() const;  // throws seraug::Error naming the field
  bool operator==(const GanConfig&) const = default;
};

// Reads the keys of the [gan] section into `c` (the caller rejects unknown keys).
void read_config_section(TableReader& r, GanConfig& c);

}  // namespace seraug
