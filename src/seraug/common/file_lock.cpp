#include "seraug/common/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

int open_lock_file(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw file_error(path, std::string("cannot create the lock file: ") + std::strerror(errno));
  return fd;
}

// flock, retried when a signal interrupts the wait.
int lock(int fd, int operation) {
  int rc = 0;
  do rc = ::flock(fd, operation);
  while (rc != 0 && errno == EINTR && !(operation & LOCK_NB));
  return rc;
}

}  // namespace

FileLock FileLock::acquire(const std::string& path) {
  const int fd = open_lock_file(path);
  if (lock(fd, LOCK_EX) != 0) {
    const int error = errno;
    ::close(fd);
    throw file_error(path, std::string("cannot lock: ") + std::strerror(error));
  }
  return FileLock(fd);
}

std::optional<FileLock> FileLock::try_acquire(const std::string& path) {
  const int fd = open_lock_file(path);
  if (lock(fd, LOCK_EX | LOCK_NB) == 0) return FileLock(fd);
  const int error = errno;
  ::close(fd);
  if (error == EWOULDBLOCK) return std::nullopt;
  throw file_error(path, std::string("cannot lock: ") + std::strerror(error));
}

bool FileLock::held_elsewhere(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = lock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // (releases the shared lock taken when it was free)
  return busy;
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

}  // namespace seraug
