// libFuzzer target: arbitrary text as a seraug TOML configuration.
#include <cstdint>
#include <string>

#include "seraug/options/config.hpp"
#include "seraug/common/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    seraug::parse_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  } catch (const seraug::Error&) {
  }
  return 0;
}
