// A run folder's cells belong to one configuration: its content, not its text, so that
// a comment or a reordered key does not throw away hours of cells, while any change of a
// value is still refused (and refused without touching the folder).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/stats/hash.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

using testing::error_of;
using testing::ScratchDir;

const std::string kConfig =
    "# the study\n[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.1\n\n[gan]\nepochs = 100\n";

// Files other tests read are noted as inputs, and a temp file's inode may come back as
// one of ours: start from none.
class RunFolder : public ::testing::Test {
 protected:
  void SetUp() override { forget_inputs(); }
};

// A folder with one finished cell, as a run leaves it.
std::string folder_with_cells(const ScratchDir& dir, const std::string& name, const std::string& config) {
  const std::string run = dir.file(name);
  fs::create_directories(run + "/cells");
  adopt_config(run, config);
  std::ofstream(run + "/cells/none__svm__seed1.csv") << "method\n";
  return run;
}

TEST_F(RunFolder, ANewFolderTakesAnyConfigurationAndRecordsIt) {
  ScratchDir dir;
  const std::string run = dir.file("new");
  fs::create_directories(run);
  EXPECT_TRUE(run_folder_matches(run, kConfig));
  EXPECT_FALSE(has_cells(run));
  adopt_config(run, kConfig);
  EXPECT_EQ(read_file_text(run + "/config.toml"), kConfig);
  EXPECT_EQ(read_file_text(run + "/config.hash").rfind("toml:", 0), 0u);
  // Without cells a corrected configuration replaces the first.
  const std::string corrected = "[experiment]\nrepeats = 5\n";
  adopt_config(run, corrected);
  EXPECT_EQ(read_file_text(run + "/config.toml"), corrected);
}

TEST_F(RunFolder, CommentsLayoutQuotingAndKeyOrderDoNotCount) {
  ScratchDir dir;
  const std::string run = folder_with_cells(dir, "run", kConfig);
  const std::string same_content =
      "[gan]\n  epochs=100   # as the paper\n\n# seeds 1-3\n[experiment]\nnoise_sigma = 1e-1\nrepeats = 3\n"
      "methods = [ 'none',\n  \"smote\" ]\n";
  EXPECT_TRUE(run_folder_matches(run, same_content));
  adopt_config(run, same_content);  // the folder now holds the text it was given
  EXPECT_EQ(read_file_text(run + "/config.toml"), same_content);
  EXPECT_TRUE(run_folder_matches(run, kConfig));
}

TEST_F(RunFolder, AnyChangeOfAValueOrItsTypeIsRefusedAndTheFolderKept) {
  ScratchDir dir;
  const std::string run = folder_with_cells(dir, "run", kConfig);
  const std::string hash = read_file_text(run + "/config.hash");
  const std::vector<std::string> others = {
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 5\nnoise_sigma = 0.1\n[gan]\nepochs = 100\n",        // value
      "[experiment]\nmethods = [\"smote\", \"none\"]\nrepeats = 3\nnoise_sigma = 0.1\n[gan]\nepochs = 100\n",        // array order
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.1\n[gan]\nepochs = 100.0\n",      // 100 -> 100.0
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.10000000000000002\n[gan]\nepochs = 100\n",  // last bit
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.1\n[gan]\nepochs = 100\nlr = 0.001\n",  // key added
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.1\n",                              // table removed
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.1\n[gan]\nepochs = 100\n[dnn]\n",   // empty table added
      "[experiment]\nmethods = [\"none\", \"smote\"]\nrepeats = 3\nnoise_sigma = 0.1\n[gan]\nepochs = 100\n[[x]]\n",  // array of tables
      "[experiment\n",                                                                                                 // not TOML
  };
  for (const auto& other : others) {
    EXPECT_FALSE(run_folder_matches(run, other)) << other;
    const std::string message = error_of([&] { adopt_config(run, other); });
    EXPECT_NE(message.find("another configuration"), std::string::npos) << other << " -> " << message;
    EXPECT_EQ(read_file_text(run + "/config.toml"), kConfig);
    EXPECT_EQ(read_file_text(run + "/config.hash"), hash);
  }
}

TEST_F(RunFolder, AStringCannotImitateTheStructureAroundIt) {
  ScratchDir dir;
  const std::string run = folder_with_cells(dir, "run", "a = \"x\"\nb = 1\n");
  EXPECT_FALSE(run_folder_matches(run, "a = \"x;s1:b=i1\"\n"));
  EXPECT_FALSE(run_folder_matches(run, "a = \"x\"\nb = \"1\"\n"));
  EXPECT_TRUE(run_folder_matches(run, "b = 1\na = \"x\"\n"));
}

TEST_F(RunFolder, AnEditedCopyPassedBackInIsRefused) {
  ScratchDir dir;
  const std::string run = folder_with_cells(dir, "run", kConfig);
  std::string edited = kConfig;
  edited.replace(edited.find("repeats = 3"), 11, "repeats = 4");
  std::ofstream(run + "/config.toml") << edited;
  EXPECT_FALSE(run_folder_matches(run, read_file_text(run + "/config.toml")));
  EXPECT_TRUE(run_folder_matches(run, kConfig));
}

// Folders written before content hashes recorded a hash of the text: one with a cell,
// its copy holding `copy` and its hash naming `recorded`.
std::string folder_that_recorded_text(const ScratchDir& dir, const std::string& name, const std::string& copy, const std::string& recorded) {
  const std::string run = dir.file(name);
  fs::create_directories(run + "/cells");
  std::ofstream(run + "/config.toml") << copy;
  std::ofstream(run + "/config.hash") << hex64(fnv1a(recorded)) << "\n";
  std::ofstream(run + "/cells/none__svm__seed1.csv") << "method\n";
  return run;
}

TEST_F(RunFolder, FoldersThatRecordedTheirTextStillResume) {
  ScratchDir dir;
  const std::string run = folder_that_recorded_text(dir, "old", kConfig, kConfig);
  EXPECT_TRUE(run_folder_matches(run, kConfig));
  const std::string commented = "# seeds 1-3 took two hours\n" + kConfig;
  EXPECT_TRUE(run_folder_matches(run, commented));  // its copy is still the recorded text
  EXPECT_FALSE(run_folder_matches(run, "[experiment]\nrepeats = 3\n"));
  adopt_config(run, commented);
  EXPECT_EQ(read_file_text(run + "/config.toml"), commented);
  EXPECT_EQ(read_file_text(run + "/config.hash").rfind("toml:", 0), 0u);
  EXPECT_TRUE(run_folder_matches(run, kConfig));
  // An old folder whose copy was edited in place cannot show what its cells came from:
  // only the recorded text itself is taken.
  const std::string old = folder_that_recorded_text(dir, "old_edited", commented, kConfig);
  EXPECT_FALSE(run_folder_matches(old, commented));
  EXPECT_TRUE(run_folder_matches(old, kConfig));
}

}  // namespace
}  // namespace seraug
