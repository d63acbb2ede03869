// Advisory locks on files (flock), for processes that share a run folder: Slurm array
// tasks on one machine or on several over a shared filesystem (Linux NFS emulates flock
// with byte-range locks). A lock is released when its FileLock is destroyed or its
// process dies, however it dies (a cancelled job leaves no stale claim behind).
#pragma once

#include <optional>
#include <string>

namespace seraug {

class FileLock {
 public:
  // Waits until the lock on `path` (created if missing) is free, then holds it.
  // Throws seraug::Error naming the path when the file cannot be created or locked.
  static FileLock acquire(const std::string& path);
  // Holds the lock if it is free now; nothing if another process holds it.
  static std::optional<FileLock> try_acquire(const std::string& path);
  // Whether another process holds the lock on `path` now (false when there is no file).
  static bool held_elsewhere(const std::string& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace seraug
