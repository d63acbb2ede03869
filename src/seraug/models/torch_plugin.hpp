// LibTorch lives in a plug-in (libseraug_torch.so) loaded on first use: linking torch
// into every program costs about half a second of static initialisation per start, which
// `seraug extract`, the SVM paths and most tests never need.
//
// The plug-in is looked up in $SERAUG_PLUGIN_DIR, else next to libseraug_core.so.
#pragma once

#include <memory>

#include "seraug/augment/augmenter.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {

// Entry points the plug-in exports (extern "C", resolved with dlsym).
struct TorchPlugin {
  std::unique_ptr<Classifier> (*make_dnn)(const Hyperparameters&, const DnnConfig&) = nullptr;
  std::unique_ptr<Augmenter> (*make_cyclegan)(const std::string& method, const AugmentConfig&) = nullptr;
};

// Loads the plug-in once; throws seraug::Error saying where it looked if it is missing.
const TorchPlugin& torch_plugin();

}  // namespace seraug
