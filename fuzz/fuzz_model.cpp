// libFuzzer target: model folder loading. The input replaces model.json of a copy of the
// shipped model (the other files stay valid), so the fuzzer explores the description
// parser, the checksum and version checks and the classifier loading behind them.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "seraug/common/error.hpp"
#include "seraug/models/saved_model.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path folder = [] {
    const fs::path dir = fs::temp_directory_path() / ("seraug_fuzz_model_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::copy(fs::path(SERAUG_SOURCE_DIR) / "models" / "emodb-is09-svm", dir, fs::copy_options::overwrite_existing);
    return dir;
  }();
  std::ofstream(folder / "model.json", std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    seraug::load_trained_model(folder.string());
  } catch (const seraug::Error&) {
  }
  return 0;
}
