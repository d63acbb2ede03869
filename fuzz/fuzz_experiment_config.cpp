// libFuzzer target: arbitrary text as an experiment configuration ([experiment] plus
// [dnn] and [gan]), validated as `seraug experiment` does before it runs anything.
#include <cstdint>
#include <string>

#include "seraug/common/error.hpp"
#include "seraug/experiment/experiment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    seraug::parse_experiment_config(std::string(reinterpret_cast<const char*>(data), size), "/nonexistent/fuzz/experiment.toml");
  } catch (const seraug::Error&) {
  }
  return 0;
}
