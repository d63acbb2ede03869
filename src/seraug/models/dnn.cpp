// The feed-forward DNN classifier (LibTorch), built into the plug-in
// libseraug_torch.so (see torch_plugin.hpp); the class is in dnn_torch.hpp.
#include "seraug/models/dnn_torch.hpp"

// The plug-in's entry point (see torch_plugin.hpp).
extern "C" std::unique_ptr<seraug::Classifier> seraug_make_dnn(const seraug::Hyperparameters& hp, const seraug::DnnConfig& config) {
  if (!hp.empty()) throw seraug::Error("dnn: takes no grid hyperparameters (" + seraug::describe(hp) + "); set them in the [dnn] config");
  return std::make_unique<seraug::Dnn>(config);
}
