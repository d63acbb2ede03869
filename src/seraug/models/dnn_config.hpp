// Hyper-parameters of the feed-forward DNN classifier, with documented defaults (also
// in configs/default.toml).
#pragma once

#include <string>
#include <vector>

#include "seraug/common/parameter.hpp"

namespace seraug {

struct DnnConfig {
  std::vector<int> hidden = {256, 128};  // units per hidden layer
  double dropout = 0.3;                  // after each hidden layer
  double leaky_slope = 0.01;             // leaky ReLU negative slope
  double learning_rate = 1e-3;           // Adam
  double weight_decay = 1e-4;            // L2 penalty (Adam's weight_decay)
  int batch_size = 32;
  int max_epochs = 200;
  int patience = 20;                     // epochs without validation improvement before stopping
  double validation_fraction = 0.2;      // of training speakers held out for early stopping
  bool balanced_loss = false;            // class-weighted cross-entropy (n / (k n_c))

  // Checks every field against dnn_fields(); throws seraug::Error naming it (dnn.<name>).
  void validate() const;
  bool operator==(const DnnConfig&) const = default;
};

// The declaration of every [dnn] setting (reader, checks, flags --dnn-<name>, docs).
const std::vector<Field<DnnConfig>>& dnn_fields();

}  // namespace seraug
