// libFuzzer target: arbitrary bytes as a corpus manifest (path,label,speaker).
#include <cstdint>
#include <sstream>
#include <string>

#include "seraug/common/error.hpp"
#include "seraug/data/corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    seraug::parse_manifest(in, "/nonexistent/fuzz/manifest.csv");
  } catch (const seraug::Error&) {
  }
  return 0;
}
