// libFuzzer target: arbitrary text as a feature file (seraug, openSMILE or reference
// layout) and, when it parses, as a dataset. Every parsed value must be finite.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "seraug/common/error.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/data/feature_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const seraug::FeatureTable t = seraug::parse_feature_table(in, "fuzz.csv");
    for (double v : t.values)
      if (!std::isfinite(v)) std::abort();
    if (t.values.size() != t.rows() * t.dims()) std::abort();
    seraug::make_dataset(t, "all", "fuzz.csv");
  } catch (const seraug::Error&) {
  }
  return 0;
}
