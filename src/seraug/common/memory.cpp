#include "seraug/common/memory.hpp"

#include <unistd.h>

#include <cstdio>

#include "seraug/common/error.hpp"

namespace seraug {

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) : 0.0;
}

void require_fits_in_memory(double count, double bytes_each, const std::string& what) {
  const double needed = count * bytes_each, available = physical_memory_bytes();
  if (available <= 0 || needed <= available) return;
  char text[160];
  std::snprintf(text, sizeof text, "needs %.3g GB (%.3g values of %.0f bytes), more than this machine's %.1f GB of memory",
                needed / 1e9, count, bytes_each, available / 1e9);
  throw Error(what + ": " + text);
}

}  // namespace seraug
