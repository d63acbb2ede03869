// `seraug submit`: an experiment as a Slurm array job plus a dependent report job. The
// scheduler is Slurm's; seraug only writes the batch scripts, calls sbatch, and tells
// each task its shard. Run again, it submits only the shards with missing jobs.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/experiment/batch_script.hpp"
#include "seraug/experiment/experiment.hpp"

extern char** environ;

namespace seraug::cli {
namespace {

namespace fs = std::filesystem;

struct SubmitOptions {
  std::string config, output;
  int array = 1;
  std::string partition, time, mem;
  int cpus = 0;
  std::vector<std::string> sbatch_options;  // passed through as #SBATCH lines
  bool dry_run = false, quiet = false;
};

// A program's standard output; throws naming the command when it fails.
std::string run_capture(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw Error("submit: cannot create a pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; rc == 0 && (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  if (rc != 0) throw Error("submit: cannot run " + argv[0] + " (is Slurm installed and on PATH?)");
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error("submit: " + argv[0] + " failed (its message is above)");
  return out;
}

// "1-3" for a contiguous list, else "1,3,4".
std::string array_spec(const std::vector<int>& shards) {
  if (shards.back() - shards.front() + 1 == static_cast<int>(shards.size()))
    return std::to_string(shards.front()) + (shards.size() > 1 ? "-" + std::to_string(shards.back()) : "");
  std::string spec;
  for (int s : shards) spec += (spec.empty() ? "" : ",") + std::to_string(s);
  return spec;
}

// The #SBATCH lines every script of a submission shares (batch_script.hpp quotes them).
BatchScript batch_script(const SubmitOptions& o, const std::string& name, const std::string& log) {
  BatchScript s;
  s.directives = {{"--job-name", name, "the config's file name"}, {"--output", log, "the run folder"},
                  {"--chdir", fs::current_path().string(), "the current folder"}};
  if (!o.partition.empty()) s.directives.push_back({"--partition", o.partition, "--partition"});
  if (!o.time.empty()) s.directives.push_back({"--time", o.time, "--time"});
  if (!o.mem.empty()) s.directives.push_back({"--mem", o.mem, "--mem"});
  if (o.cpus > 0) s.directives.push_back({"--cpus-per-task", std::to_string(o.cpus), "--cpus-per-task"});
  s.extra_directives = o.sbatch_options;
  return s;
}

// sbatch --parsable prints "id" or "id;cluster".
std::string job_id(const std::string& sbatch_output) {
  const std::string id = sbatch_output.substr(0, sbatch_output.find_first_of(";\n"));
  if (id.empty()) throw Error("submit: sbatch printed no job id");
  return id;
}

int run_submit(const SubmitOptions& o) {
  const ExperimentConfig config = load_experiment_config(o.config);
  const std::string run = fs::absolute(o.output).lexically_normal().string();
  const std::string config_path = fs::absolute(o.config).lexically_normal().string();
  if (has_cells(run) && !run_folder_matches(run, read_file_text(o.config)))
    throw file_error(run, "holds a run of another configuration than " + o.config + "; use a new folder");
  const ShardStatus status = shard_status(config, run, o.array);
  if (!status.running.empty())
    throw file_error(run, std::to_string(status.running.size()) + " job(s) are being computed now (e.g. " + status.running.front() +
                              "); wait for them or scancel their tasks, then submit again");
  // The task logs' --output holds Slurm's %A/%a/%j patterns: a '%' in the folder's own
  // path would be read as one too (a log under another name, or none).
  if (run.find('%') != std::string::npos)
    throw file_error(run, "the run folder's path holds '%', which sbatch reads as a file-name pattern (%j, %A...) in the task logs' "
                          "--output; choose a folder without '%'");
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const std::string stem = fs::path(o.config).stem().string();
  const std::string array_script = run + "/slurm/array.sh", report_script = run + "/slurm/report.sh";
  // Both scripts are composed (and their values checked) before either is written.
  BatchScript report_job = batch_script(o, "seraug-" + stem + "-report", run + "/slurm/report-%j.out");
  report_job.command = {self, "merge", run, "-o", run};
  const std::string report_text = batch_script_text(report_job);
  std::string array_text;
  if (status.missing > 0) {
    BatchScript array = batch_script(o, "seraug-" + stem, run + "/slurm/task-%A_%a.out");
    array.directives.push_back({"--array", array_spec(status.missing_shards), "--array"});
    array.command = {self, "experiment", config_path, "-o", run};
    array.shard_count = o.array;
    array_text = batch_script_text(array);
  }
  fs::create_directories(run + "/slurm");
  std::string array_id;
  if (status.missing > 0) write_file_atomically(array_script, array_text);
  write_file_atomically(report_script, report_text);
  std::string summary = "submit: " + std::to_string(status.done) + " job(s) done, " + std::to_string(status.missing) + " missing";
  if (status.missing > 0) summary += " in shard(s) " + array_spec(status.missing_shards) + " of " + std::to_string(o.array);
  cli::status(o.quiet, summary);
  if (o.dry_run) {
    cli::status(o.quiet, "submit: --dry-run: wrote " + (status.missing > 0 ? array_script + " and " : std::string()) + report_script +
                             "; not submitted");
    return 0;
  }
  if (status.missing > 0) {
    array_id = job_id(run_capture({"sbatch", "--parsable", array_script}));
    cli::status(o.quiet, "submit: array job " + array_id + " (" + std::to_string(status.missing_shards.size()) + " task(s))");
  }
  std::vector<std::string> report = {"sbatch", "--parsable"};
  if (!array_id.empty()) {
    report.push_back("--dependency=afterok:" + array_id);
    report.push_back("--kill-on-invalid-dep=yes");
  }
  report.push_back(report_script);
  cli::status(o.quiet, "submit: report job " + job_id(run_capture(report)) + (array_id.empty() ? "" : " (after " + array_id + " succeeds)"));
  return 0;
}

}  // namespace

Action add_submit_command(CLI::App& app) {
  auto o = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Submit an experiment to Slurm: an array job of shards and a dependent report job");
  cmd->add_option("config", o->config, "Experiment TOML")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output, "Run folder on a filesystem every node sees (rerun to submit only what is missing)")->required();
  cmd->add_option("--array", o->array, "Number of shards (array tasks)")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--partition", o->partition, "sbatch --partition");
  cmd->add_option("--time", o->time, "sbatch --time per task, e.g. 4:00:00");
  cmd->add_option("--mem", o->mem, "sbatch --mem per task, e.g. 8G");
  cmd->add_option("--cpus-per-task", o->cpus, "sbatch --cpus-per-task")->check(CLI::Range(1, 4096));
  cmd->add_option("--sbatch-option", o->sbatch_options, "Another #SBATCH line, e.g. --sbatch-option=--account=X (repeatable)");
  cmd->add_flag("--dry-run", o->dry_run, "Write the batch scripts into RUN/slurm/ and print what would be submitted");
  add_quiet(cmd, o->quiet);
  return [o] { return run_submit(*o); };
}

}  // namespace seraug::cli
