#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <memory>
#include <optional>
#include <tuple>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/cpus.hpp"
#include "seraug/common/error.hpp"
#include "seraug/data/feature_parts.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/version.hpp"

namespace seraug::cli {
namespace {

struct ExtractOptions {
  std::string source;
  std::string output;
  std::string set = "is09";
  int jobs = 0;
  std::optional<double> sample_rate;  // unset: each file's own rate
  bool skip_bad = false;
  bool quiet = false;
  std::vector<std::string> perturb;  // one copy of every clip per chain
  std::uint64_t perturb_seed = 1;
  PerturbSettings perturb_settings;
  std::string write_audio;
  std::string shard;  // "K/N": only block K of N of the input list, as a part file
};

// Progress on stderr: a self-overwriting line on a terminal, a line every 10% otherwise.
void report_progress(std::size_t done, std::size_t total) {
  static const bool tty = ::isatty(STDERR_FILENO);
  if (tty) {
    std::fprintf(stderr, "\rextract: %zu/%zu files (%3zu%%)", done, total, 100 * done / total);
    if (done == total) std::fputc('\n', stderr);
  } else if (done == total || (10 * done / total) != (10 * (done - 1) / total)) {
    std::fprintf(stderr, "extract: %zu/%zu files (%zu%%)\n", done, total, 100 * done / total);
  }
}

// --perturb: one table of every clip's copy under each chain, chain by chain. With
// --write-audio the copies are staged and appear in the folder only once every copy and
// the table are complete.
BatchResult extract_copies(const std::vector<Utterance>& utterances, const FeatureSet& set, const ExtractOptions& o, BatchOptions batch,
                           StagedFolder* audio_out) {
  const std::vector<PerturbationChain> chains = parse_perturbation_chains(o.perturb, "--perturb");
  o.perturb_settings.validate_use(chains);
  BatchResult all;
  for (const auto& chain : chains) {
    batch.copy = CopyRecipe{chain, o.perturb_settings, o.perturb_seed, audio_out ? audio_out->staging() : ""};
    BatchResult part = extract_corpus(utterances, set, batch);
    append_feature_rows(all.table, part.table);
    all.skipped.insert(all.skipped.end(), part.skipped.begin(), part.skipped.end());
  }
  return all;
}

// The --write-audio folder, refused where copies would become clips of the corpus.
std::unique_ptr<StagedFolder> copies_folder(const ExtractOptions& o, const std::vector<Utterance>& utterances) {
  if (o.write_audio.empty()) return nullptr;
  std::vector<std::string> inputs = {o.source};
  for (const auto& u : utterances) inputs.push_back(u.path);
  refuse_folder_holding_inputs(o.write_audio, inputs, "--write-audio");
  return std::make_unique<StagedFolder>(o.write_audio);
}

std::string provenance(const ExtractOptions& o, const FeatureSet& set) {
  const std::string rate = o.sample_rate ? std::to_string(static_cast<int>(*o.sample_rate)) + " Hz" : "native";
  const unsigned threads = resolve_thread_count(o.jobs);
  std::string line = "seraug " + std::string(kVersion) + " extract --set " + set.name + " (version " + std::to_string(set.version) +
                     "), sample rate " + rate + ", source " + o.source + ", " + std::to_string(threads) + " thread(s) of " +
                     std::to_string(usable_cpus()) + " usable CPU(s)";
  if (!o.perturb.empty()) {
    line += ", perturbed copies (seed " + std::to_string(o.perturb_seed) + ", " + o.perturb_settings.text() + "):";
    for (const auto& p : o.perturb) line += " " + p;
  }
  return line;
}

// --shard K/N: the block of the input list this part holds, described in its sidecar.
FeaturePart shard_part(std::vector<Utterance>& utterances, const ExtractOptions& o, const FeatureSet& set) {
  if (!o.perturb.empty()) throw Error("--shard extracts clips, not perturbed copies: run --perturb without --shard");
  const Shard shard = parse_shard(o.shard);
  std::vector<std::string> names, paths;
  for (const auto& u : utterances) names.push_back(u.name), paths.push_back(u.path);
  FeaturePart part;
  part.index = shard.index;
  part.count = shard.count;
  part.source_clips = utterances.size();
  part.source = o.source;
  part.source_fingerprint = clip_list_fingerprint(names, paths);
  part.feature_set = set.name;
  part.feature_set_version = set.version;
  std::tie(part.first, part.size) = extraction_block(utterances.size(), shard.index, shard.count);
  utterances = std::vector<Utterance>(utterances.begin() + static_cast<long>(part.first), utterances.begin() + static_cast<long>(part.first + part.size));
  return part;
}

int run_extract(const ExtractOptions& o) {
  const FeatureSet& set = feature_set(o.set);
  if (!o.write_audio.empty() && o.perturb.empty()) throw Error("--write-audio keeps perturbed copies: give --perturb too");
  std::vector<Utterance> utterances = read_corpus(o.source);
  std::optional<FeaturePart> part;
  if (!o.shard.empty()) part = shard_part(utterances, o, set);
  BatchOptions batch;
  batch.jobs = o.jobs;
  batch.skip_bad = o.skip_bad;
  batch.audio.sample_rate_hz = o.sample_rate;
  if (!o.quiet) batch.progress = report_progress;

  const std::unique_ptr<StagedFolder> audio_out = copies_folder(o, utterances);
  const BatchResult result = o.perturb.empty() ? extract_corpus(utterances, set, batch) : extract_copies(utterances, set, o, batch, audio_out.get());
  for (const auto& s : result.skipped) std::cerr << "seraug: skipped " << s.message << '\n';
  if (part) {
    for (const auto& s : result.skipped)
      for (const auto& u : utterances)
        if (u.path == s.path) part->skipped.push_back(u.name);
    write_feature_part(o.output, result.table, {provenance(o, set) + ", shard " + o.shard}, *part);
  } else {
    write_feature_table(o.output, result.table, {provenance(o, set)});
  }
  if (audio_out) {
    const std::size_t written = audio_out->commit();
    if (!o.quiet) std::cerr << "extract: wrote " << written << " perturbed copies to " << o.write_audio << "\n";
  }
  if (!o.quiet)
    std::cerr << "extract: wrote " << result.table.rows() << " rows x " << result.table.dims() << " features to "
              << o.output << (result.skipped.empty() ? "" : " (" + std::to_string(result.skipped.size()) + " skipped)")
              << '\n';
  return 0;
}

}  // namespace

Action add_extract_command(CLI::App& app) {
  auto o = std::make_shared<ExtractOptions>();
  CLI::App* cmd = app.add_subcommand("extract", "Extract utterance-level features from audio files");
  cmd->add_option("source", o->source, "Folder of audio files (EMO-DB names give speaker and label) or a manifest CSV path,label,speaker")
      ->required();
  cmd->add_option("-o,--output", o->output, "Output feature CSV (name,speaker,label,features...)")->required();
  cmd->add_option("--set", o->set, "Feature set")->check(CLI::IsMember(feature_set_names()))->capture_default_str();
  add_jobs(cmd, o->jobs, "Parallel files");
  cmd->add_option("--sample-rate", o->sample_rate, "Resample to this rate in Hz with libsoxr, 4000..384000 (default: analyse at each file's own rate)");
  cmd->add_flag("--skip-bad", o->skip_bad, "List unreadable files on stderr and skip them instead of failing");
  add_quiet(cmd, o->quiet);
  CLI::Option* perturb = cmd->add_option("--perturb", o->perturb,
                  "Features of perturbed copies instead of the clips: a chain such as speed=1.1 or vtlp=0.9,noise=20 "
                  "(kinds: speed F, vtlp A, pitch SEMITONES, noise SNR_DB, reverb RT60_S|file); repeat for several copies")
      ->take_all();
  cmd->add_option("--perturb-seed", o->perturb_seed, "Seed of the copies' random parts (noise, impulse responses)")->capture_default_str();
  // One flag per declared setting of the copies (perturb_fields(): the [audio_augment] keys),
  // checked as the key is; --reverb-drr is the older spelling of --reverb-drr-db.
  PerturbSettings& settings = o->perturb_settings;
  cmd->add_option("--noise-color", settings.noise_color, "noise: white, pink, or files (segments of --noise-dir)")->capture_default_str();
  cmd->add_option("--noise-dir", settings.noise_dir, "noise: folder of noise recordings (with --noise-color files)");
  cmd->add_option("--impulse-dir", settings.impulse_dir, "reverb=file: folder of room impulse responses");
  cmd->add_option("--reverb-drr-db,--reverb-drr", settings.reverb_drr_db, "reverb: direct-to-reverberant ratio of synthetic rooms (dB)")
      ->capture_default_str();
  cmd->add_option("--vtlp-boundary", settings.vtlp_boundary, "vtlp: the warp is linear up to this fraction of Nyquist")->capture_default_str();
  for (const auto& f : perturb_fields()) {
    CLI::Option* option = cmd->get_option_no_throw(flag_of(f.parameter.name));
    if (!option) throw std::logic_error("seraug extract has no " + flag_of(f.parameter.name) + " for audio_augment." + f.parameter.name);
    option->check(declared_value(f.parameter, "audio_augment"))->needs(perturb);
  }
  cmd->add_option("--write-audio", o->write_audio, "Also write each perturbed copy as a float WAV into this folder (to listen)");
  // The copies' settings mean nothing without copies: refused alone, never ignored.
  for (const char* flag : {"--perturb-seed", "--write-audio"}) cmd->get_option(flag)->needs(perturb);
  cmd->add_option("--shard", o->shard,
                  "Only block K of N of the input list, as a part file (join the N parts with seraug merge-features); "
                  "in a Slurm array: --shard $((SLURM_ARRAY_TASK_ID))/N");
  return [o] { return run_extract(*o); };
}

Action add_merge_features_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> parts;
    std::string output;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("merge-features", "Join the part files of a sharded extraction (extract --shard) into one feature file");
  cmd->add_option("parts", o->parts, "Part files (any order)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o->output, "Joined feature CSV")->required();
  add_quiet(cmd, o->quiet);
  return [o] {
    std::vector<std::string> skipped;
    const FeatureTable table = merge_feature_parts(o->parts, &skipped);
    const FeaturePart first = *read_feature_part(o->parts.front());
    std::string line = "seraug " + std::string(kVersion) + " merge-features: " + std::to_string(o->parts.size()) + " parts of extract --set " +
                       first.feature_set + " (version " + std::to_string(first.feature_set_version) + "), source " + first.source;
    if (!skipped.empty()) line += ", " + std::to_string(skipped.size()) + " clip(s) skipped";
    write_feature_table(o->output, table, {line});
    if (!o->quiet) std::cerr << "merge-features: wrote " << table.rows() << " rows x " << table.dims() << " features to " << o->output << "\n";
    return 0;
  };
}

}  // namespace seraug::cli
