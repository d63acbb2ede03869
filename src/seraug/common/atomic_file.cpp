#include "seraug/common/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <mutex>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

// A noted input: its device and inode (catches symlinks and hard links) and its
// canonical path (for the containment check of folder outputs).
struct InputFile {
  dev_t device;
  ino_t inode;
  fs::path canonical;
};

std::mutex inputs_mutex;
std::vector<InputFile>& noted_inputs() {
  static std::vector<InputFile> inputs;
  return inputs;
}

// Whether `path` is `root` or lies below it (both canonical).
bool lies_inside(const fs::path& root, const fs::path& path) {
  const auto [root_end, _] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

bool same_file(const struct stat& a, const InputFile& b) { return a.st_dev == b.device && a.st_ino == b.inode; }

}  // namespace

std::string unique_temporary_suffix() {
  static std::atomic<unsigned long> next{0};
  return std::to_string(::getpid()) + "." + std::to_string(next.fetch_add(1));
}

void note_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = fs::absolute(path, ec);
  std::lock_guard lock(inputs_mutex);
  for (const auto& known : noted_inputs())
    if (same_file(st, known)) return;
  noted_inputs().push_back({st.st_dev, st.st_ino, std::move(canonical)});
}

void refuse_overwriting_input(const std::string& output) {
  struct stat st {};
  if (::stat(output.c_str(), &st) != 0) return;  // nothing there yet: nothing to destroy
  std::lock_guard lock(inputs_mutex);
  for (const auto& known : noted_inputs())
    if (same_file(st, known))
      throw file_error(output, "is also an input of this command (" + known.canonical.string() +
                                   "); refusing to overwrite it: choose another output path");
}

void refuse_replacing_inputs_in(const std::string& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return;
  const fs::path root = fs::weakly_canonical(folder, ec);
  if (ec) return;
  std::lock_guard lock(inputs_mutex);
  for (const auto& known : noted_inputs()) {
    if (lies_inside(root, known.canonical))
      throw file_error(folder, "holds an input of this command (" + known.canonical.string() +
                                   "); refusing to replace the folder: choose another output path");
  }
}

namespace {

fs::path resolved(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  return p;
}

}  // namespace

void refuse_folder_holding_inputs(const std::string& folder, const std::vector<std::string>& inputs, const std::string& what) {
  const fs::path root = resolved(folder);
  for (const auto& input : inputs)
    if (lies_inside(root, resolved(input)))
      throw file_error(folder, what + ": holds the input " + input + "; files written there would be read as inputs by the next run: " +
                                   "choose a folder outside the inputs");
}

StagedFolder::StagedFolder(std::string folder) : folder_(std::move(folder)) {
  std::error_code ec;
  if (fs::exists(folder_, ec) && !fs::is_directory(folder_, ec)) throw file_error(folder_, "exists and is not a folder");
  fs::create_directories(folder_, ec);
  if (ec) throw file_error(folder_, "cannot create the output folder: " + ec.message());
  staging_ = (fs::path(folder_) / (".seraug-staging." + unique_temporary_suffix())).string();
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec) throw file_error(staging_, "cannot create a staging folder: " + ec.message());
}

StagedFolder::~StagedFolder() {
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

std::size_t StagedFolder::commit() {
  std::vector<fs::path> staged;
  for (const auto& entry : fs::directory_iterator(staging_)) staged.push_back(entry.path());
  std::sort(staged.begin(), staged.end());
  for (const auto& file : staged) refuse_overwriting_input((fs::path(folder_) / file.filename()).string());
  for (const auto& file : staged) {
    std::error_code ec;
    fs::rename(file, fs::path(folder_) / file.filename(), ec);
    if (ec) throw file_error((fs::path(folder_) / file.filename()).string(), "cannot move the finished file into place: " + ec.message());
  }
  return staged.size();
}

void forget_inputs() {
  std::lock_guard lock(inputs_mutex);
  noted_inputs().clear();
}

AtomicFile::AtomicFile(std::string target_path)
    : target_(std::move(target_path)),
      temporary_(target_ + ".tmp." + unique_temporary_suffix()) {
  refuse_overwriting_input(target_);
  std::error_code ec;
  const auto parent = fs::path(target_).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) throw file_error(parent.string(), "cannot create the output folder: " + ec.message());
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
  // Again at the last moment: an input may have been read after the output was opened.
  refuse_overwriting_input(target_);
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

std::string read_file_text(const std::string& path, std::uintmax_t max_bytes, const std::string& what) {
  require_readable_file(path, max_bytes, what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace seraug
