// Which shard computes which job of a run, the shard of a Slurm array task, and what is
// left to compute (seraug submit resubmits only those shards).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "seraug/common/error.hpp"
#include "seraug/common/tokens.hpp"
#include "seraug/common/file_lock.hpp"
#include "seraug/experiment/experiment.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

// Relative cost of a job group: a cycle-GAN trains five networks per fold; audio methods
// train on K copies of every clip; the rest are cheap.
int group_weight(const std::string& method) {
  const MethodParts parts = parse_method(method);
  if (is_cyclegan(parts.augmenter)) return 8;
  return parts.audio.empty() ? 1 : 2;
}

// A Slurm array variable: unset -> nullopt; set, it must be a whole number within
// Slurm's own bounds, and a message about it names the variable and its value.
std::optional<long> env_number(const char* name) {
  const char* text = std::getenv(name);
  if (!text) return std::nullopt;
  const auto value = parse_unsigned_token(text, kMaxSlurmArrayIndex);
  if (!value)
    throw Error(std::string("$") + name + " is '" + printable(text) + "': not a whole number from 0 to " +
                std::to_string(kMaxSlurmArrayIndex) + " (Slurm's largest array index); give `shard` K/N");
  return static_cast<long>(*value);
}

[[noreturn]] void bad_environment(const char* name, long value, const std::string& problem) {
  throw Error(std::string("$") + name + " is '" + std::to_string(value) + "': " + problem + "; give `shard` K/N");
}

}  // namespace

std::vector<PlannedJob> plan_jobs(const ExperimentConfig& c, const std::string& run_dir, int shard_count) {
  std::vector<PlannedJob> jobs;
  std::vector<std::string> groups;  // in order of first appearance
  std::vector<int> weights;
  auto group_of = [&](const std::string& group, int weight) {
    const auto it = std::find(groups.begin(), groups.end(), group);
    if (it != groups.end()) return static_cast<std::size_t>(it - groups.begin());
    groups.push_back(group);
    weights.push_back(weight);
    return groups.size() - 1;
  };
  // A method's cells of one seed share their GANs (the fold cache) whatever the
  // classifier: one group, so that one task trains them and the other cells load them.
  for (const ExperimentCell& cell : experiment_cells(c))
    jobs.push_back({cell.key(), run_dir + "/cells/" + cell.key() + ".csv",
                    group_of(cell.method + "__seed" + std::to_string(cell.seed), group_weight(cell.method)), 0, group_weight(cell.method)});
  for (const SyntheticSample& sample : synthetic_samples(c))
    jobs.push_back({sample.key(), synthetic_sample_path(run_dir, sample), group_of(sample.key(), group_weight(sample.method)), 0,
                    group_weight(sample.method)});

  // Heaviest groups first, each to the least-loaded shard (ties: the lower index): the
  // GAN groups spread evenly, the cheap ones fill the gaps. Deterministic, so every task
  // of an array computes the same plan.
  std::vector<std::size_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
  std::vector<long> load(static_cast<std::size_t>(shard_count), 0);
  std::vector<int> shard_of_group(groups.size(), 1);
  for (std::size_t g : order) {
    const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += weights[g];
    shard_of_group[g] = static_cast<int>(lightest) + 1;
  }
  for (auto& job : jobs) job.shard = shard_of_group[job.group];
  return jobs;
}

std::optional<Shard> shard_from_environment() {
  const auto id = env_number("SLURM_ARRAY_TASK_ID");
  if (!id) return std::nullopt;
  const auto count = env_number("SLURM_ARRAY_TASK_COUNT");
  const auto min = env_number("SLURM_ARRAY_TASK_MIN"), max = env_number("SLURM_ARRAY_TASK_MAX");
  if (count && *count < 1) bad_environment("SLURM_ARRAY_TASK_COUNT", *count, "an array has at least one task");
  if (count && *count > kMaxShards) bad_environment("SLURM_ARRAY_TASK_COUNT", *count, "more than the " + std::to_string(kMaxShards) + " shards seraug plans");
  if (min.has_value() != max.has_value())
    throw Error(std::string("$SLURM_ARRAY_TASK_") + (min ? "MIN" : "MAX") + " is set but $SLURM_ARRAY_TASK_" + (min ? "MAX" : "MIN") +
                " is not; give `shard` K/N");
  if (min && *max < *min)
    bad_environment("SLURM_ARRAY_TASK_MAX", *max, "below $SLURM_ARRAY_TASK_MIN = " + std::to_string(*min));
  if (min && *max - *min + 1 > kMaxShards)
    bad_environment("SLURM_ARRAY_TASK_MAX", *max, "with $SLURM_ARRAY_TASK_MIN = " + std::to_string(*min) + " that is more than the " +
                                                      std::to_string(kMaxShards) + " shards seraug plans");
  const long first = min.value_or(0);
  const long span = (min && max) ? *max - *min + 1 : count.value_or(0);
  if (span < 1)
    throw Error("Slurm array task " + std::to_string(*id) + ": neither $SLURM_ARRAY_TASK_COUNT nor $SLURM_ARRAY_TASK_MIN/MAX is set; give `shard` K/N");
  if (count && *count != span)
    throw Error("Slurm array " + std::to_string(first) + "-" + std::to_string(first + span - 1) + " has " + std::to_string(*count) +
                " tasks, not one per index (a sparse or stepped array); give `shard` K/N explicitly, as seraug submit does");
  Shard s{static_cast<int>(*id - first + 1), static_cast<int>(span)};
  if (s.index < 1 || s.index > s.count)
    throw Error("Slurm array task " + std::to_string(*id) + " lies outside the array " + std::to_string(first) + "-" + std::to_string(first + span - 1));
  return s;
}

std::string claim_path(const PlannedJob& job) { return job.done_file + ".claim"; }

ShardStatus shard_status(const ExperimentConfig& c, const std::string& run_dir, int shard_count) {
  ShardStatus status;
  for (const PlannedJob& job : plan_jobs(c, run_dir, shard_count)) {
    if (fs::exists(job.done_file)) {
      ++status.done;
      continue;
    }
    if (FileLock::held_elsewhere(claim_path(job))) status.running.push_back(job.key);
    if (std::find(status.missing_shards.begin(), status.missing_shards.end(), job.shard) == status.missing_shards.end())
      status.missing_shards.push_back(job.shard);
    ++status.missing;
  }
  std::sort(status.missing_shards.begin(), status.missing_shards.end());
  return status;
}

}  // namespace seraug
