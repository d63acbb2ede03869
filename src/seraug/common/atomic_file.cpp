#include "seraug/common/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "seraug/common/error.hpp"

namespace seraug {

AtomicFile::AtomicFile(std::string target_path)
    : target_(std::move(target_path)),
      temporary_(target_ + ".tmp." + std::to_string(::getpid())) {
  std::error_code ignored;
  const auto parent = std::filesystem::path(target_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) throw file_error(target_, std::string("cannot create output file: ") + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::remove(temporary_.c_str());
}

void AtomicFile::commit() {
  out_.flush();
  const bool write_ok = static_cast<bool>(out_);
  out_.close();
  if (!write_ok || out_.fail()) {
    std::remove(temporary_.c_str());
    throw file_error(target_, "writing the output failed (disk full?)");
  }
  if (std::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary_.c_str());
    throw file_error(target_, "cannot move the finished output into place: " + reason);
  }
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicFile file(path);
  file.stream() << content;
  file.commit();
}

}  // namespace seraug
