#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/report/experiment_report.hpp"

namespace seraug::cli {

Action add_experiment_command(CLI::App& app) {
  struct Options {
    std::string config, output, shard = "1/1";
    bool quiet = false;
    int jobs = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("experiment", "Run an experiment grid (methods x classifiers x seeds) and build its report");
  cmd->add_option("config", o->config, "Experiment TOML (configs/paper.toml, configs/quick.toml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output, "Run folder (created; rerunning resumes)")->required();
  auto* shard = cmd->add_option("--shard", o->shard,
                                "Run only shard K of N (cells grouped by method and seed, GAN groups spread evenly); "
                                "default: the Slurm array task's ($SLURM_ARRAY_TASK_ID of the array), else 1/1");
  add_jobs(cmd, o->jobs, "Feature extraction threads");
  add_quiet(cmd, o->quiet);
  return [o, shard] {
    ExperimentOptions options;
    options.shard = parse_shard(o->shard);
    if (shard->count() == 0)
      if (const auto from_slurm = shard_from_environment()) {
        options.shard = *from_slurm;
        if (!o->quiet) std::cerr << "experiment: Slurm array task, shard " << options.shard.index << "/" << options.shard.count << "\n";
      }
    options.quiet = o->quiet;
    options.jobs = o->jobs;
    if (run_experiment_and_report(o->config, o->output, options) || options.shard.count > 1) return 0;
    // A whole run (1/1) whose report could not be built: cells another process holds.
    // Not a success: the run folder has no results yet (docs/robustness.md, exit codes).
    std::cerr << "seraug: " << o->output << ": no report: cells of this run are being computed by another process; "
              << "rerun when it has finished\n";
    return 1;
  };
}

Action add_merge_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> shards;
    std::string output;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("merge", "Join the folders of a sharded experiment into one run folder");
  cmd->add_option("shards", o->shards, "Shard run folders")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("-o,--output", o->output, "Merged run folder")->required();
  add_quiet(cmd, o->quiet);
  return [o] {
    merge_and_report(o->shards, o->output);
    status(o->quiet, "merge: " + std::to_string(o->shards.size()) + " folder(s) -> " + o->output + " (report.html)");
    return 0;
  };
}

}  // namespace seraug::cli
