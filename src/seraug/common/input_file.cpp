#include "seraug/common/input_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// The kind of a file-system object in words, for messages.
std::string file_kind_name(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a folder";
    case S_IFIFO: return "a FIFO (named pipe)";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFSOCK: return "a socket";
    default: return "not a regular file";
  }
}

}  // namespace

void require_readable_file(const std::string& path, std::uintmax_t max_bytes, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) throw MissingFile(path, "file not found or not readable");
    throw file_error(path, std::string("cannot be read (") + std::strerror(err) + ")");
  }
  if (!S_ISREG(st.st_mode))
    throw file_error(path, "is " + file_kind_name(st.st_mode) + ", not a regular file; a " + what +
                               " must be a file (a pipe or device could block or never end)");
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    throw file_error(path, "is " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_bytes) + " bytes a " +
                               what + " may have");
}

}  // namespace seraug

#include <filesystem>

#include "seraug/common/distinct.hpp"

namespace seraug {

std::string file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  std::error_code ec;
  return std::filesystem::absolute(path, ec).lexically_normal().string();
}

}  // namespace seraug
