#include "seraug/common/plugin.hpp"

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
  if (dladdr(reinterpret_cast<void*>(&load_torch_plugin), &info) == 0 || !info.dli_fname) return {};
  return std::filesystem::path(info.dli_fname).parent_path();
}

void load() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("SERAUG_PLUGIN_DIR"); env && *env) dir = env;
  else dir = folder_of_this_library();
  const std::string path = (dir / kPluginFile).string();
  // Never unloaded: torch does not support being unloaded. Its registrations run here.
  if (!dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL))
    throw Error(std::string("DNNs and GANs need the LibTorch plug-in, which could not be loaded: ") + dlerror());
}

}  // namespace

void load_torch_plugin() {
  static std::once_flag once;
  std::call_once(once, load);  // a throwing call leaves the flag unset: the next call retries
}

}  // namespace seraug
