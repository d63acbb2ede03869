// One error type for the whole library: every failure a user can cause
// (bad audio, malformed CSV, wrong configuration) is reported as a seraug::Error
// whose message names the file and, where it applies, the row and column.
#pragma once

#include <stdexcept>
#include <string>

namespace seraug {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// An input that does not exist: a file, folder or manifest the user named is missing.
// A seraug::Error like any other (the CLI prints it, exit 1); the Python binding raises
// it as seraug.MissingFileError, which is also a FileNotFoundError.
class MissingFile : public Error {
 public:
  MissingFile(const std::string& path, const std::string& message) : Error(path + ": " + message), path_(path) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// "path: message" — the conventional compiler-style prefix users can grep for.
inline Error file_error(const std::string& path, const std::string& message) {
  return Error(path + ": " + message);
}

// "path:row:column: message" with 1-based row (line) and column numbers.
inline Error table_error(const std::string& path, long row, long column,
                         const std::string& message) {
  std::string where = path;
  where += ':';
  where += std::to_string(row);
  if (column > 0) {
    where += ':';
    where += std::to_string(column);
  }
  where += ": ";
  where += message;
  return Error(where);
}

}  // namespace seraug
