// Writing outputs so that a reader never sees a half-written file: content goes
// to a temporary sibling ("<path>.tmp.<pid>") which is renamed over the target
// only after a successful flush. If the writer is destroyed without commit()
// (an exception, a signal-triggered unwind) the temporary file is removed.
#pragma once

#include <fstream>
#include <string>

namespace seraug {

class AtomicFile {
 public:
  explicit AtomicFile(std::string target_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, closes and renames into place; throws seraug::Error on failure.
  void commit();

 private:
  std::string target_;
  std::string temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

// Convenience for small outputs: the whole content at once, atomically.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace seraug
