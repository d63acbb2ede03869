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

namespace seraug {

// Loads the plug-in once (thread-safe; later calls return at once). Throws seraug::Error
// saying where it looked when it is missing or cannot be loaded.
void load_torch_plugin();

}  // namespace seraug
