// Sharding for clusters: the job plan (groups kept together, GAN groups spread evenly),
// the shard of a Slurm array task, claims that stop two processes computing one job, and
// array tasks sharing one run folder.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/file_lock.hpp"
#include "seraug/data/feature_parts.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/report/experiment_report.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

ExperimentConfig grid(int repeats) {
  ExperimentConfig c;
  c.methods = {"none", "smote", "cyclegan-wdiv", "cyclegan-wdiv[source=neutral]", "speed"};
  c.classifiers = {"svm", "dnn"};
  c.repeats = repeats;
  return c;
}

std::string group_of(const std::string& key) {  // "method__classifier__seedN" -> "method|seedN"
  const auto first = key.find("__"), last = key.rfind("__");
  return key.substr(0, first) + "|" + key.substr(last + 2);
}

TEST(JobPlan, EveryJobHasOneShardAndAMethodsSeedStaysTogether) {
  const auto jobs = plan_jobs(grid(3), "run", 4);
  EXPECT_EQ(jobs.size(), 5u * 2 * 3 + 3);  // cells + samples of smote and the two GANs (none and speed have none)
  std::map<std::string, std::set<int>> shards_of_group;
  for (const auto& job : jobs) {
    EXPECT_GE(job.shard, 1);
    EXPECT_LE(job.shard, 4);
    if (job.key.rfind("sample__", 0) != 0) shards_of_group[group_of(job.key)].insert(job.shard);
  }
  for (const auto& [group, shards] : shards_of_group) EXPECT_EQ(shards.size(), 1u) << group;
}

TEST(JobPlan, GanGroupsSpreadEvenlyAndThePlanIsDeterministic) {
  for (int n : {2, 3, 4, 6}) {
    const auto jobs = plan_jobs(grid(3), "run", n);
    std::map<int, std::set<std::string>> gan_groups;  // shard -> GAN groups (cells only)
    for (const auto& job : jobs)
      if (job.key.rfind("cyclegan", 0) == 0) gan_groups[job.shard].insert(group_of(job.key));
    std::size_t low = 1000, high = 0;
    for (int s = 1; s <= n; ++s) {
      low = std::min(low, gan_groups[s].size());
      high = std::max(high, gan_groups[s].size());
    }
    EXPECT_LE(high - low, 1u) << n << " shards";  // 6 GAN groups (2 methods x 3 seeds)
    const auto again = plan_jobs(grid(3), "run", n);
    for (std::size_t i = 0; i < jobs.size(); ++i) EXPECT_EQ(jobs[i].shard, again[i].shard);
  }
}

class SlurmEnvironment : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* v : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX"}) ::unsetenv(v);
  }
  void set(const char* id, const char* count, const char* min, const char* max) {
    ::setenv("SLURM_ARRAY_TASK_ID", id, 1);
    if (count) ::setenv("SLURM_ARRAY_TASK_COUNT", count, 1);
    if (min) ::setenv("SLURM_ARRAY_TASK_MIN", min, 1);
    if (max) ::setenv("SLURM_ARRAY_TASK_MAX", max, 1);
  }
};

TEST_F(SlurmEnvironment, ArrayTaskGivesTheShard) {
  EXPECT_FALSE(shard_from_environment().has_value());
  set("0", "3", "0", "2");
  auto s = shard_from_environment();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 3);
  set("6", "3", "4", "6");
  s = shard_from_environment();
  EXPECT_EQ(s->index, 3);
  EXPECT_EQ(s->count, 3);
  TearDown();
  set("2", "4", nullptr, nullptr);  // only the count: indices from 0
  EXPECT_EQ(shard_from_environment()->index, 3);
}

TEST_F(SlurmEnvironment, SparseOrBrokenArraysAreErrors) {
  set("3", "2", "1", "3");  // --array=1,3
  EXPECT_THROW(shard_from_environment(), Error);
  TearDown();
  set("1", nullptr, nullptr, nullptr);
  EXPECT_THROW(shard_from_environment(), Error);
  TearDown();
  set("x", "3", "0", "2");
  EXPECT_THROW(shard_from_environment(), Error);
}

TEST(FileLockTest, OneHolderAtATimeAndReleasedWhenDropped) {
  testing::ScratchDir dir;
  const std::string path = dir.file("a.claim");
  EXPECT_FALSE(FileLock::held_elsewhere(path));
  {
    auto first = FileLock::try_acquire(path);
    ASSERT_TRUE(first);
    EXPECT_FALSE(FileLock::try_acquire(path).has_value());
    EXPECT_TRUE(FileLock::held_elsewhere(path));
  }
  EXPECT_FALSE(FileLock::held_elsewhere(path));
  EXPECT_TRUE(FileLock::try_acquire(path).has_value());
}

std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class SharedRunFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string corpus = testing::emodb_dir();
    if (corpus.empty()) GTEST_SKIP() << "EMO-DB copy not found";
    config_ = dir_.file("tiny.toml");
    std::ofstream(config_) << "[experiment]\ncorpus = \"" << corpus << "\"\nspeakers = [\"03\", \"08\", \"09\", \"10\"]\n"
                           << "methods = [\"none\", \"smote\", \"noise\"]\nclassifiers = [\"svm\"]\namounts = [0, 20]\n"
                           << "table_amount = 20\nrepeats = 2\n";
    quiet_.quiet = true;
  }
  testing::ScratchDir dir_;
  std::string config_;
  ExperimentOptions quiet_;
};

TEST_F(SharedRunFolder, ConcurrentShardsInOneFolderEqualOneRun) {
  const std::string whole = dir_.file("whole"), shared = dir_.file("shared");
  ASSERT_TRUE(run_experiment_and_report(config_, whole, quiet_));
  std::vector<std::thread> tasks;
  for (int k = 1; k <= 3; ++k)
    tasks.emplace_back([&, k] {
      ExperimentOptions o = quiet_;
      o.shard = {k, 3};
      run_experiment(config_, shared, o);
    });
  for (auto& t : tasks) t.join();
  const ShardStatus status = shard_status(load_experiment_config(config_), shared, 3);
  EXPECT_EQ(status.missing, 0u);
  merge_and_report({shared}, shared);  // the report job of seraug submit
  EXPECT_EQ(text_of(shared + "/results.csv"), text_of(whole + "/results.csv"));
  EXPECT_EQ(text_of(shared + "/table.md"), text_of(whole + "/table.md"));
}

// Shards of one run folder running as threads of one process (as above) all write the
// folder's config.toml: their temporaries must differ, or one renames another's away
// ("cannot move the finished output into place", seen in CI with pid-only names).
TEST(AtomicOutput, ThreadsWritingOneFileNeverTakeEachOthersTemporary) {
  testing::ScratchDir dir;
  const std::string target = dir.file("config.toml");
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int k = 0; k < 4; ++k)
    writers.emplace_back([&, k] {
      for (int i = 0; i < 200; ++i) try {
          write_file_atomically(target, "writer " + std::to_string(k) + "\n");
        } catch (const Error&) {
          ++failures;
        }
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(text_of(target).rfind("writer ", 0), 0u);
  for (const auto& entry : fs::directory_iterator(dir.file("")))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST_F(SharedRunFolder, AClaimedJobIsLeftToItsHolderAndReportedRunning) {
  const std::string run = dir_.file("run");
  const ExperimentConfig c = load_experiment_config(config_);
  const auto jobs = plan_jobs(c, run, 1);
  // Another process computes the first cell: it holds the claim.
  fs::create_directories(run + "/cells");
  auto held = FileLock::try_acquire(claim_path(jobs.front()));
  ASSERT_TRUE(held);
  EXPECT_FALSE(run_experiment(config_, run, quiet_).has_value());
  EXPECT_FALSE(fs::exists(jobs.front().done_file));
  for (std::size_t i = 1; i < jobs.size(); ++i) EXPECT_TRUE(fs::exists(jobs[i].done_file)) << jobs[i].key;
  ShardStatus status = shard_status(c, run, 3);
  EXPECT_EQ(status.missing, 1u);
  ASSERT_EQ(status.running.size(), 1u);
  EXPECT_EQ(status.running.front(), jobs.front().key);
  EXPECT_EQ(status.missing_shards, std::vector<int>{plan_jobs(c, run, 3).front().shard});
  held.reset();  // the holder died: its claim is free, and a rerun computes only that job
  const auto before = fs::last_write_time(jobs[1].done_file);
  EXPECT_TRUE(run_experiment(config_, run, quiet_).has_value());
  EXPECT_TRUE(fs::exists(jobs.front().done_file));
  EXPECT_EQ(fs::last_write_time(jobs[1].done_file), before);
  EXPECT_TRUE(shard_status(c, run, 3).running.empty());
}

TEST(FeatureParts, BlocksCoverTheListInOrder) {
  for (std::size_t clips : {0u, 2u, 10u, 535u})
    for (int n : {1, 3, 4, 7}) {
      std::size_t next = 0;
      for (int k = 1; k <= n; ++k) {
        const auto [first, size] = part_block(clips, k, n);
        EXPECT_EQ(first, next);
        EXPECT_LE(size, clips / static_cast<std::size_t>(n) + 1);
        next = first + size;
      }
      EXPECT_EQ(next, clips);
    }
}

// Part k of n of a 7-clip list, written as extract --shard would (row r = clip r).
std::string write_part(const testing::ScratchDir& dir, int k, int n, const std::string& set = "is09", std::size_t drop = 0) {
  const std::vector<std::string> names = {"a", "b", "c", "d", "e", "f", "g"};
  FeaturePart part{k, n, 0, 0, names.size(), "corpus", clip_list_fingerprint(names, names), set, 1, {}};
  std::tie(part.first, part.size) = part_block(names.size(), k, n);
  FeatureTable t;
  t.feature_names = {"x", "y"};
  for (std::size_t r = part.first; r < part.first + part.size - std::min(drop, part.size); ++r) {
    t.names.push_back(names[r]);
    t.speakers.push_back("s");
    t.labels.push_back("anger");
    t.values.insert(t.values.end(), {static_cast<double>(r), 0.5 * static_cast<double>(r)});
  }
  const std::string path = dir.file("part" + std::to_string(k) + "of" + std::to_string(n) + set + std::to_string(drop) + ".csv");
  write_feature_part(path, t, {"test"}, part);
  return path;
}

void expect_error(const std::vector<std::string>& parts, const std::string& message) {
  try {
    merge_feature_parts(parts);
    ADD_FAILURE() << "accepted; expected: " << message;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(FeatureParts, JoinInShardOrderAndRefuseWhatDoesNotFit) {
  testing::ScratchDir dir;
  const std::string p1 = write_part(dir, 1, 3), p2 = write_part(dir, 2, 3), p3 = write_part(dir, 3, 3);
  const FeatureTable merged = merge_feature_parts({p3, p1, p2});
  ASSERT_EQ(merged.rows(), 7u);
  for (std::size_t r = 0; r < 7; ++r) EXPECT_EQ(merged.row(r)[0], static_cast<double>(r));
  EXPECT_EQ(merged.names.front(), "a");
  expect_error({p1, p2}, "shard(s) 3/3 missing");
  expect_error({p1, p1, p2, p3}, "is shard 1/3 again");
  expect_error({p1, write_part(dir, 2, 3, "egemaps"), p3}, "feature set egemaps vs is09");
  expect_error({p1, write_part(dir, 2, 3, "is09", 1), p3}, "truncated or edited");
  expect_error({p1, write_part(dir, 2, 4), p3}, "shard count 4 vs 3");
  FeatureTable plain;
  plain.feature_names = {"x"};
  write_feature_table(dir.file("plain.csv"), plain, {"not a part"});
  expect_error({dir.file("plain.csv")}, "is not a part of a sharded extraction");
}

}  // namespace
}  // namespace seraug
