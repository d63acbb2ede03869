// The feed-forward DNN classifier (LibTorch), built into the plug-in
// libseraug_torch.so (see common/plugin.hpp); the class is in dnn_torch.hpp.
#include "seraug/models/dnn_torch.hpp"

namespace {

std::unique_ptr<seraug::Classifier> make_dnn(const seraug::Hyperparameters& hp, const seraug::DnnConfig& config) {
  if (!hp.empty()) throw seraug::Error("dnn: takes no grid hyperparameters (" + seraug::describe(hp) + "); set them in the [dnn] config");
  return std::make_unique<seraug::Dnn>(config);
}

// Runs when the plug-in is loaded (common/plugin.hpp): the models layer owns the factory.
const bool dnn_registered = (seraug::register_dnn_factory(&make_dnn), true);

}  // namespace
