// Writing outputs so that a reader never sees a half-written file, and so that an output
// never destroys an input.
//
// Content goes to a temporary sibling ("<path>.tmp.<pid>") which is renamed over the
// target only after a successful flush. If the writer is destroyed without commit()
// (an exception, a signal-triggered unwind) the temporary file is removed.
//
// Every reader of a user's file (feature tables, manifests, audio, configs, models)
// records it with note_input(); an AtomicFile whose target is the same file as one of
// them (the same path, or the same inode through a symlink or hard link) refuses to be
// created or committed. This is the one place that stops `augment X -o X` or
// `extract m.csv -o m.csv` from replacing an input, whatever the command.
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

// Records a file this process reads as input (thread-safe; a path that does not exist
// is ignored). Outputs are checked against these.
void note_input(const std::string& path);
// Throws seraug::Error naming `output` if it is the same file as a noted input.
void refuse_overwriting_input(const std::string& output);
// Throws seraug::Error naming `folder` if a noted input lies inside it (a folder output
// that is about to be replaced as a whole, such as a model folder).
void refuse_replacing_inputs_in(const std::string& folder);
// Forgets every noted input (tests, and long-lived processes between commands).
void forget_inputs();

// The whole file as bytes; throws seraug::Error naming it when it cannot be opened.
std::string read_file_text(const std::string& path);

}  // namespace seraug
