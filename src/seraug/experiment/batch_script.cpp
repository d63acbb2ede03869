#include "seraug/experiment/batch_script.hpp"

#include <cctype>

#include "seraug/common/error.hpp"
#include "seraug/common/tokens.hpp"

namespace seraug {
namespace {

constexpr std::string_view kShardWordPrefix = "\"${SLURM_ARRAY_TASK_ID}/";

void refuse_control_characters(std::string_view value, const std::string& what) {
  if (const auto at = control_character_at(value))
    throw Error(what + ": '" + printable(value) + "' holds a control character (at byte " + std::to_string(*at + 1) +
                "); a batch script value must be one line of printable text");
}

// sbatch blanks the heterogeneous-job separators out of an #SBATCH line before reading
// it ("packjob", else "hetjob", any case), which would cut a value in two.
std::optional<std::size_t> job_separator_at(std::string_view text, std::size_t* length = nullptr) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"packjob", "hetjob"})
    if (const auto at = lower.find(word); at != std::string::npos) {
      if (length) *length = std::string_view(word).size();
      return at;
    }
  return std::nullopt;
}

void refuse_in_directive(std::string_view value, const std::string& what) {
  refuse_control_characters(value, what);
  if (job_separator_at(value))
    throw Error(what + ": '" + std::string(value) +
                "' holds 'hetjob' or 'packjob', which sbatch blanks out of #SBATCH lines (its heterogeneous-job separator); "
                "choose a name without it");
}

bool bare_shell_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' || c == '=' || c == '-';
}

}  // namespace

std::string shell_quoted(std::string_view word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string sbatch_escaped(std::string_view word) {
  // sbatch ends a word at an unquoted blank even right after a backslash (its loop tests
  // for blanks before the escape), so the word is double-quoted; inside the quotes a
  // backslash still escapes '"' and itself, and '#', "'" and blanks are plain characters.
  std::string out = "\"";
  for (char c : word) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string batch_script_text(const BatchScript& s) {
  std::string text = "#!/bin/bash\n";
  for (const auto& d : s.directives) {
    refuse_in_directive(d.value, d.what);
    text += "#SBATCH " + d.option + "=" + sbatch_escaped(d.value) + "\n";
  }
  for (const auto& extra : s.extra_directives) {
    refuse_in_directive(extra, "--sbatch-option");
    if (extra.size() < 2 || extra.front() != '-')
      throw Error("--sbatch-option: '" + extra + "' is not an sbatch option (one argument such as --account=X or --qos=high)");
    text += "#SBATCH " + sbatch_escaped(extra) + "\n";
  }
  if (s.command.empty()) throw Error("batch script: no command");
  std::string line = "exec";
  for (const auto& word : s.command) {
    refuse_control_characters(word, "batch script command");
    line += " " + shell_quoted(word);
  }
  if (s.shard_count > 0) line += " --shard " + std::string(kShardWordPrefix) + std::to_string(s.shard_count) + "\"";
  return text + line + "\n";
}

std::vector<std::string> sbatch_line_words(std::string_view line) {
  std::string blanked(line);
  std::size_t length = 0;
  if (const auto at = job_separator_at(blanked, &length)) blanked.replace(*at, length, length, ' ');
  const std::string_view rest = blanked;
  const auto blank = [&](std::size_t i) { return std::isspace(static_cast<unsigned char>(rest[i])) != 0; };
  std::vector<std::string> words;
  std::size_t i = 0;
  while (true) {
    while (i < rest.size() && blank(i)) ++i;
    if (i >= rest.size()) return words;
    // One word, step for step as sbatch reads it: the blank test comes first, so an
    // escape protects no blank outside quotes; an unquoted, unescaped '#' ends the line.
    std::string word;
    bool escape = false, quoted = false, comment = false;
    char quote = 0;
    for (; i < rest.size() && (quoted || !blank(i)); ++i) {
      const char c = rest[i];
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
        continue;
      } else if (quoted) {
        if (c == quote) {
          quoted = false;
          continue;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        quote = c;
        continue;
      } else if (c == '#') {
        comment = true;
        break;
      }
      word += c;
    }
    if (!word.empty() || !comment) words.push_back(word);
    if (comment) return words;
  }
}

std::optional<std::vector<std::string>> shell_line_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    std::string word;
    while (i < line.size() && line[i] != ' ') {
      if (line[i] == '\'') {  // a single-quoted run: everything up to the next quote
        const auto close = line.find('\'', i + 1);
        if (close == std::string_view::npos) return std::nullopt;
        word += line.substr(i + 1, close - i - 1);
        i = close + 1;
      } else if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
        word += '\'';
        i += 2;
      } else if (line.substr(i, kShardWordPrefix.size()) == kShardWordPrefix) {
        const auto close = line.find('"', i + kShardWordPrefix.size());
        if (close == std::string_view::npos) return std::nullopt;
        const auto count = line.substr(i + kShardWordPrefix.size(), close - i - kShardWordPrefix.size());
        if (!parse_unsigned_token(count, 1'000'000'000)) return std::nullopt;
        word += "<task>/" + std::string(count);
        i = close + 1;
      } else if (bare_shell_character(line[i])) {
        word += line[i++];
      } else {
        return std::nullopt;  // anything else could be shell syntax
      }
    }
    words.push_back(word);
  }
  return words;
}

}  // namespace seraug
