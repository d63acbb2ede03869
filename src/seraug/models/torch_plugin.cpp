#include "seraug/models/torch_plugin.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

constexpr const char* kPluginFile = "libseraug_torch.so";

std::filesystem::path folder_of_this_library() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&torch_plugin), &info) == 0 || !info.dli_fname) return {};
  return std::filesystem::path(info.dli_fname).parent_path();
}

TorchPlugin load() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("SERAUG_PLUGIN_DIR"); env && *env) dir = env;
  else dir = folder_of_this_library();
  const std::string path = (dir / kPluginFile).string();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw Error(std::string("DNNs and GANs need the LibTorch plug-in, which could not be loaded: ") + dlerror());
  TorchPlugin p;
  p.make_dnn = reinterpret_cast<decltype(p.make_dnn)>(dlsym(handle, "seraug_make_dnn"));
  p.make_cyclegan = reinterpret_cast<decltype(p.make_cyclegan)>(dlsym(handle, "seraug_make_cyclegan"));
  if (!p.make_dnn || !p.make_cyclegan) throw file_error(path, "is not this seraug's LibTorch plug-in (entry points missing)");
  return p;  // never unloaded: torch does not support being unloaded
}

}  // namespace

const TorchPlugin& torch_plugin() {
  static std::once_flag once;
  static TorchPlugin plugin;
  std::call_once(once, [] { plugin = load(); });
  return plugin;
}

}  // namespace seraug
