// Up-front checks that an amount a user asked for can be held in memory at all, so that
// `--per-class 100000000000` is refused naming the option instead of ending in
// std::bad_alloc half-way through a run.
#pragma once

#include <string>

namespace seraug {

// Bytes of physical memory on this machine (0 if unknown).
double physical_memory_bytes();

// Throws seraug::Error "<what>: <count> x <bytes_each> bytes = N GB, more than this
// machine's M GB of memory" when count * bytes_each exceeds the physical memory.
void require_fits_in_memory(double count, double bytes_each, const std::string& what);

}  // namespace seraug
