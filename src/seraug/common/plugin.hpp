// LibTorch lives in a plug-in (libseraug_torch.so) loaded on first use: linking torch
// into every program costs about half a second of static initialisation per start, which
// `seraug extract`, the SVM paths and most tests never need.
//
// Loading is all this layer does. The plug-in's static initialisers register its
// factories with the layers that own them (models: register_dnn_factory; augment:
// register_cyclegan_factory), so no layer ever calls one above it.
//
// The plug-in is looked up in $SERAUG_PLUGIN_DIR, else next to libseraug_common.so.
#pragma once

#include <atomic>
#include <string>

#include "seraug/common/error.hpp"

namespace seraug {

// Loads the plug-in once (thread-safe; later calls return at once). Throws seraug::Error
// saying where it looked when it is missing or cannot be loaded.
void load_torch_plugin();

// A factory the plug-in fills when it is loaded: the layer that owns the product keeps
// one (models: the DNN; augment: the cycle-GANs) and asks it for the factory.
template <typename Factory>
class PluginFactorySlot {
 public:
  void set(Factory factory) { factory_.store(factory); }

  // The registered factory, loading the plug-in first if nothing is registered yet.
  // Throws seraug::Error when the loaded plug-in registers none (`what`: "a DNN").
  Factory get(const std::string& what) {
    if (!factory_.load()) load_torch_plugin();
    const Factory factory = factory_.load();
    if (!factory) throw Error("the LibTorch plug-in did not register " + what + ": it is not this seraug's plug-in");
    return factory;
  }

 private:
  std::atomic<Factory> factory_{nullptr};
};

}  // namespace seraug
