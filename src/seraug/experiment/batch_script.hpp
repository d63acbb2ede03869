// The Slurm batch scripts `seraug submit` writes (RUN/slurm/array.sh and report.sh).
//
// Two readers see every value pasted into such a script: sbatch reads the `#SBATCH`
// lines with a tokenizer of its own (whitespace separates, '...' and "..." group, a
// backslash escapes the next character but not a blank outside quotes, an unquoted '#'
// starts a comment, "packjob"/"hetjob" are blanked out), and bash runs the rest. A value
// is therefore never pasted as it is: each `#SBATCH` value is double-quoted with '\' and
// '"' escaped (a live sbatch 22.05 showed that a backslash before a blank does not keep
// a word together), and each word of the command line is single-quoted for bash. Control characters (a newline above all, which
// would end the line and begin a command of its own) are refused in every value, naming
// the option. The result: whatever the values, the script's only command is the intended
// one (checked by tests/test_batch_script.cpp and fuzz/fuzz_batch_script.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seraug {

struct BatchScript {
  // "#SBATCH <option>=<value>" lines: option is seraug's ("--time"), value the user's or
  // a path; `what` names the value in an error ("--time", "the run folder").
  struct Directive {
    std::string option, value, what;
  };
  std::vector<Directive> directives;
  // Whole sbatch arguments passed through (--sbatch-option): each one word, beginning
  // with '-'.
  std::vector<std::string> extra_directives;
  // The program and its arguments; each becomes one single-quoted word.
  std::vector<std::string> command;
  // When > 0, the command ends with --shard "${SLURM_ARRAY_TASK_ID}/<shard_count>".
  int shard_count = 0;
};

// The script's text; throws seraug::Error naming the option of a value that holds a
// control character, and an extra directive that is not an option.
std::string batch_script_text(const BatchScript& script);

// "it's" -> 'it'\''s': one word for a POSIX shell, whatever the bytes (no NUL).
std::string shell_quoted(std::string_view word);
// A word for an #SBATCH line: double-quoted, with a backslash before each '\' and '"'.
std::string sbatch_escaped(std::string_view word);

// How sbatch splits the rest of an #SBATCH line into arguments (its tokenizer, as
// documented in Slurm's source, with its blanking of "packjob"/"hetjob"); for tests and
// the fuzz target.
std::vector<std::string> sbatch_line_words(std::string_view rest_of_line);
// How a POSIX shell splits a line made of single-quoted words, bare words of
// [A-Za-z0-9_./=-] characters and the one double-quoted shard word; nullopt for anything
// else (an unquoted ';', '$', '`', a newline...). For tests and the fuzz target.
std::optional<std::vector<std::string>> shell_line_words(std::string_view line);

}  // namespace seraug
