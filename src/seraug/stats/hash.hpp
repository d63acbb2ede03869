// FNV-1a, 64 bit: the one content hash of seraug (feature-cache names, GAN-cache keys,
// model checksums, run-folder config hashes). It detects changed or damaged content; it
// is no defence against a deliberate forgery.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "seraug/common/matrix.hpp"

namespace seraug {

inline constexpr std::uint64_t kFnv1aOffset = 1469598103934665603ull;

// Continues hash `h` over `n` bytes at `data` (start with kFnv1aOffset).
inline std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

inline std::uint64_t fnv1a(std::string_view text) { return fnv1a(kFnv1aOffset, text.data(), text.size()); }

// Continues `h` over a matrix: its shape, then its values' bytes (cache keys of rows).
inline std::uint64_t fnv1a(std::uint64_t h, const Matrix& m) {
  h = fnv1a(h, &m.rows, sizeof m.rows);
  h = fnv1a(h, &m.cols, sizeof m.cols);
  return fnv1a(h, m.data.data(), m.data.size() * sizeof(double));
}

// A setting's value in a hashed key: text that reads back as the same double.
inline std::string exact_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// 16 lower-case hex digits.
inline std::string hex64(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace seraug
