// libFuzzer target: any option values -> a batch script (seraug submit's writer). The
// writer must either refuse the values (seraug::Error) or write a script whose #SBATCH
// lines sbatch reads back as exactly the intended arguments and whose only command is
// the intended one, word for word (tests/test_batch_script.cpp checks the same with
// bash itself). Input: NUL-separated values: time, partition, mem, run folder, config
// path, program path, then any number of --sbatch-option values.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/experiment/batch_script.hpp"

namespace {

std::vector<std::string> fields_of(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) fields.emplace_back();
    else fields.back() += static_cast<char>(data[i]);
  }
  while (fields.size() < 6) fields.emplace_back("x");
  return fields;
}

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> f = fields_of(data, size);
  seraug::BatchScript s;
  s.directives = {{"--time", f[0], "--time"}, {"--partition", f[1], "--partition"}, {"--mem", f[2], "--mem"},
                  {"--output", f[3] + "/slurm/task-%A_%a.out", "the run folder"}};
  s.extra_directives.assign(f.begin() + 6, f.end());
  s.command = {f[5], "experiment", f[4], "-o", f[3]};
  s.shard_count = static_cast<int>(size % 100 + 1);
  std::string text;
  try {
    text = seraug::batch_script_text(s);
  } catch (const seraug::Error&) {
    return 0;
  }
  std::istringstream lines(text);
  std::string line;
  std::size_t directive = 0, commands = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("#!", 0) == 0) continue;
    if (line.rfind("#SBATCH ", 0) == 0) {
      const auto words = seraug::sbatch_line_words(std::string_view(line).substr(8));
      const std::string expected = directive < s.directives.size() ? s.directives[directive].option + "=" + s.directives[directive].value
                                                                   : s.extra_directives[directive - s.directives.size()];
      require(words.size() == 1 && words[0] == expected);
      ++directive;
      continue;
    }
    ++commands;
    const auto words = seraug::shell_line_words(line);
    require(words.has_value());
    std::vector<std::string> expected = {"exec"};
    expected.insert(expected.end(), s.command.begin(), s.command.end());
    expected.push_back("--shard");
    expected.push_back("<task>/" + std::to_string(s.shard_count));
    require(*words == expected);
  }
  require(commands == 1 && directive == s.directives.size() + s.extra_directives.size());
  return 0;
}
