// Class 4 of hostile input (issue 32): the batch scripts seraug submit writes. For each
// hostile value the script is either refused naming the option, or read back exactly as
// intended: by a model of sbatch's #SBATCH tokenizer and of the shell (the same checks the
// fuzz target makes), by `bash -n`, and by running it with a stand-in program that
// records the arguments it receives.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "seraug/experiment/batch_script.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

using testing::error_of;

const char* const kHostileValues[] = {
    "plain",
    "it's",                        // a run folder named with a quote broke every task
    "a b\tc",                      // whitespace (a tab is a control character: refused)
    "$(touch /tmp/pwned)",         // command substitution
    "`id`",                        // old-style substitution
    "x; rm -rf ~",                 // a second command
    "#not a comment",              // '#' ends an #SBATCH line for sbatch
    "back\\slash \"double\"",      // sbatch's escape and quote characters
    "new\nline",                   // a second line: refused
    "carriage\rreturn",            // refused
    "'\\''",                       // our own quoting, given as a value
    "--account=evil\n#SBATCH --x", // an injected directive
    "\xc3\xa9t\xc3\xa9 \xf0\x9f\x8e\xb5",  // UTF-8
};

// Values sbatch itself would cut (it blanks its heterogeneous-job separator).
const char* const kSeparatorValues[] = {"/data/hetjob_runs", "PackJob", "x-HETJOB-y"};

bool has_control(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

BatchScript script_with(const std::string& value) {
  BatchScript s;
  s.directives = {{"--job-name", "seraug-" + value, "the config's file name"}, {"--output", "/runs/" + value + "/task-%A_%a.out", "the run folder"},
                  {"--time", value, "--time"}};
  s.extra_directives = {"--comment=" + value};
  s.command = {"/opt/seraug " + value, "experiment", "/cfg/" + value + ".toml", "-o", "/runs/" + value};
  s.shard_count = 4;
  return s;
}

// The words of each #SBATCH line and of the exec line, as sbatch and the shell read them.
void expect_reads_back(const BatchScript& s, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::vector<std::vector<std::string>> directives;
  std::vector<std::string> commands;
  while (std::getline(lines, line)) {
    if (line.rfind("#SBATCH ", 0) == 0) directives.push_back(sbatch_line_words(std::string_view(line).substr(8)));
    else if (line.rfind("#!", 0) != 0) commands.push_back(line);
  }
  ASSERT_EQ(directives.size(), s.directives.size() + s.extra_directives.size());
  for (std::size_t i = 0; i < s.directives.size(); ++i)
    EXPECT_EQ(directives[i], std::vector<std::string>{s.directives[i].option + "=" + s.directives[i].value});
  for (std::size_t i = 0; i < s.extra_directives.size(); ++i)
    EXPECT_EQ(directives[s.directives.size() + i], std::vector<std::string>{s.extra_directives[i]});
  ASSERT_EQ(commands.size(), 1u) << text;  // exactly one command: the intended one
  const auto words = shell_line_words(commands[0]);
  ASSERT_TRUE(words) << commands[0];
  std::vector<std::string> expected = {"exec"};
  expected.insert(expected.end(), s.command.begin(), s.command.end());
  expected.insert(expected.end(), {"--shard", "<task>/4"});
  EXPECT_EQ(*words, expected);
}

TEST(BatchScript, HostileValuesAreRefusedOrReadBackExactly) {
  for (const char* value : kHostileValues) {
    const BatchScript s = script_with(value);
    if (has_control(value)) {
      const std::string message = error_of([&] { batch_script_text(s); });
      EXPECT_NE(message.find("control character"), std::string::npos) << value;
      EXPECT_NE(message.find("the config's file name"), std::string::npos) << message;  // the first value that holds it
      continue;
    }
    expect_reads_back(s, batch_script_text(s));
  }
  for (const char* value : kSeparatorValues) {
    const std::string message = error_of([&] { batch_script_text(script_with(value)); });
    EXPECT_NE(message.find("which sbatch blanks out of #SBATCH lines"), std::string::npos) << value << ": " << message;
  }
  BatchScript not_an_option;
  not_an_option.command = {"x"};
  not_an_option.extra_directives = {"account=X"};
  EXPECT_NE(error_of([&] { batch_script_text(not_an_option); }).find("--sbatch-option: 'account=X' is not an sbatch option"),
            std::string::npos);
}

// The real shell: bash -n accepts each script, and running it hands the stand-in program
// exactly the intended arguments (and runs nothing else).
TEST(BatchScript, BashRunsExactlyTheIntendedCommand) {
  if (std::system("bash -c true") != 0) GTEST_SKIP() << "no bash";
  testing::ScratchDir dir;
  for (const char* value : kHostileValues) {
    if (has_control(value)) continue;
    std::string name = std::string("prog ") + value;
    for (char& c : name) c = c == '/' ? '_' : c;  // a file name holds no '/'
    const std::string program = dir.file(name);
    {
      std::ofstream p(program);
      p << "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"" << dir.file("args") << "\"\n";
    }
    fs::permissions(program, fs::perms::owner_all);
    BatchScript s = script_with(value);
    s.command[0] = program;
    const std::string script = dir.file("job.sh");
    std::ofstream(script) << batch_script_text(s);
    EXPECT_EQ(std::system(("bash -n '" + script + "'").c_str()), 0) << value;
    fs::remove(dir.file("args"));
    ASSERT_EQ(std::system(("cd '" + dir.path().string() + "' && SLURM_ARRAY_TASK_ID=3 bash '" + script + "'").c_str()), 0) << value;
    std::ifstream in(dir.file("args"), std::ios::binary);
    std::vector<std::string> got;
    for (std::string arg; std::getline(in, arg, '\0');) got.push_back(arg);
    std::vector<std::string> expected(s.command.begin() + 1, s.command.end());
    expected.insert(expected.end(), {"--shard", "3/4"});
    EXPECT_EQ(got, expected) << value;
    EXPECT_FALSE(fs::exists("/tmp/pwned"));
    fs::remove(program);
  }
}

TEST(BatchScript, QuotingHelpers) {
  EXPECT_EQ(shell_quoted("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quoted(""), "''");
  EXPECT_EQ(sbatch_escaped("a b#'\"\\"), "\"a b#'\\\"\\\\\"");
  // sbatch's own reading: a backslash does not keep a blank inside a word.
  EXPECT_EQ(sbatch_line_words("--comment=a\\ b"), (std::vector<std::string>{"--comment=a", "b"}));
  EXPECT_EQ(sbatch_line_words("--a=1 --b='x y' # comment"), (std::vector<std::string>{"--a=1", "--b=x y"}));
  EXPECT_EQ(sbatch_line_words("--output=/a/hetjob/b"), (std::vector<std::string>{"--output=/a/", "/b"}));
  EXPECT_FALSE(shell_line_words("exec 'a'; rm x"));
  EXPECT_FALSE(shell_line_words("exec $(id)"));
}

}  // namespace
}  // namespace seraug
