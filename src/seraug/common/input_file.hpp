// Checks every reader makes before it opens a user's file.
//
// A path can name something that is not a file: a FIFO, a character device (/dev/zero,
// /dev/tty), a socket. Opening a FIFO blocks until a writer appears, and a device never
// ends, so a reader hangs where neither SIGINT nor SIGTERM can reach it (the signal
// handler only sets a flag that the blocked read never looks at). Every reader of a
// user's file therefore calls require_readable_file() first: only regular files (through
// any symlinks) of a bounded size pass. stat() does not open, so the check itself never
// blocks.
#pragma once

#include <cstdint>
#include <string>

namespace seraug {

// Size bounds by kind of file; a file above its bound is refused naming both sizes.
inline constexpr std::uintmax_t kMaxTextInputBytes = 64ull << 20;     // configs, sidecars, JSON descriptions
inline constexpr std::uintmax_t kMaxTableInputBytes = 64ull << 30;    // feature tables, manifests
inline constexpr std::uintmax_t kMaxModelFileBytes = 16ull << 30;     // a model folder's files
inline constexpr std::uintmax_t kMaxAudioInputBytes = 1ull << 40;     // audio (decoded in blocks)

// Throws seraug::Error "<path>: is a FIFO (named pipe), not a regular file; …" for anything
// but a regular file, "<path>: file not found or not readable" when it is missing, and
// "<path>: is N bytes, more than the M bytes a <what> may have" above max_bytes.
void require_readable_file(const std::string& path, std::uintmax_t max_bytes, const std::string& what);

}  // namespace seraug
