// Writing outputs so that a reader never sees a half-written file, and so that an output
// never destroys an input.
//
// Content goes to a temporary sibling ("<path>.tmp.<pid>.<n>") which is renamed over the
// target only after a successful flush. If the writer is destroyed without commit()
// (an exception, a signal-triggered unwind) the temporary file is removed.
//
// Every reader of a user's file (feature tables, manifests, audio, configs, models)
// records it with note_input(); an AtomicFile whose target is the same file as one of
// them (the same path, or the same inode through a symlink or hard link) refuses to be
// created or committed. This is the one place that stops `augment X -o X` or
// `extract m.csv -o m.csv` from replacing an input, whatever the command.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "seraug/common/input_file.hpp"

namespace seraug {

// "<pid>.<n>", n counting up within the process: the suffix of a temporary file or folder
// that no other writer uses. A pid alone is not enough: threads of one process (the
// concurrent shards of one run folder, say) would rename each other's temporaries.
std::string unique_temporary_suffix();

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
// Throws seraug::Error "<what> <folder>: holds the input <path> …" if any of `inputs`
// (files or folders) is `folder` itself or lies inside it: derived files written there
// would become inputs of the next run (perturbed copies read back as clips).
void refuse_folder_holding_inputs(const std::string& folder, const std::vector<std::string>& inputs, const std::string& what);

// Files written into a folder as one output. Each is written into a staging folder inside
// it (".seraug-staging.<pid>.<n>/") and all are moved into place by commit(); without
// commit() (an error, an interrupt) the staging folder and everything in it are removed,
// so a failed run leaves no copy behind, whole or half-written.
class StagedFolder {
 public:
  explicit StagedFolder(std::string folder);
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;
  const std::string& staging() const { return staging_; }  // write the files here
  // Moves every staged file to the folder (refusing to replace an input), then removes
  // the staging folder; returns how many files were moved.
  std::size_t commit();

 private:
  std::string folder_, staging_;
};

// Forgets every noted input (tests, and long-lived processes between commands).
void forget_inputs();

// The whole file as bytes; throws seraug::Error naming it when it cannot be opened, is
// not a regular file, or is larger than max_bytes (input_file.hpp).
std::string read_file_text(const std::string& path, std::uintmax_t max_bytes = kMaxTextInputBytes, const std::string& what = "text file");

}  // namespace seraug
