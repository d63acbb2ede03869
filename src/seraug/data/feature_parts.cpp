#include "seraug/data/feature_parts.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/stats/hash.hpp"

namespace seraug {

std::pair<std::size_t, std::size_t> part_block(std::size_t clips, int index, int count) {
  const auto k = static_cast<std::size_t>(index - 1), n = static_cast<std::size_t>(count);
  const std::size_t first = clips * k / n, end = clips * (k + 1) / n;
  return {first, end - first};
}

std::pair<std::size_t, std::size_t> extraction_block(std::size_t clips, int index, int count) {
  // With count <= clips every block holds at least one clip (block k starts at
  // clips * (k - 1) / count); more shards than clips would leave some with nothing to do.
  if (static_cast<std::size_t>(count) > clips)
    throw Error("`shard` " + std::to_string(index) + "/" + std::to_string(count) + ": " + std::to_string(count) + " shards for " +
                std::to_string(clips) + " input clip(s) would leave shards with an empty block; use at most " + std::to_string(clips) +
                " shards");
  return part_block(clips, index, count);
}

std::string clip_list_fingerprint(const std::vector<std::string>& names, const std::vector<std::string>& paths) {
  std::uint64_t h = kFnv1aOffset;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string entry = names[i] + "|" + paths[i] + "\n";
    h = fnv1a(h, entry.data(), entry.size());
  }
  return hex64(h);
}

void write_feature_part(const std::string& path, const FeatureTable& table, const std::vector<std::string>& provenance,
                        const FeaturePart& part) {
  const nlohmann::ordered_json sidecar = {
      {"format", "seraug-features"},
      {"provenance", provenance},
      {"part",
       {{"index", part.index}, {"count", part.count}, {"first", part.first}, {"size", part.size}, {"source_clips", part.source_clips},
        {"source", part.source}, {"source_fingerprint", part.source_fingerprint}, {"feature_set", part.feature_set},
        {"feature_set_version", part.feature_set_version}, {"skipped", part.skipped}}}};
  write_feature_table_with_sidecar(path, table, sidecar.dump(2) + "\n");
}

std::optional<FeaturePart> read_feature_part(const std::string& table_path) {
  const std::string sidecar = provenance_sidecar_path(table_path);
  if (!std::filesystem::exists(sidecar)) return std::nullopt;
  require_readable_file(sidecar, kMaxTextInputBytes, "feature file's sidecar");
  note_input(sidecar);
  std::ifstream in(sidecar);
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (!j.contains("part")) return std::nullopt;
    const auto& p = j.at("part");
    FeaturePart part;
    part.index = p.at("index").get<int>();
    part.count = p.at("count").get<int>();
    part.first = p.at("first").get<std::size_t>();
    part.size = p.at("size").get<std::size_t>();
    part.source_clips = p.at("source_clips").get<std::size_t>();
    part.source = p.at("source").get<std::string>();
    part.source_fingerprint = p.at("source_fingerprint").get<std::string>();
    part.feature_set = p.at("feature_set").get<std::string>();
    part.feature_set_version = p.at("feature_set_version").get<int>();
    part.skipped = p.at("skipped").get<std::vector<std::string>>();
    return part;
  } catch (const nlohmann::json::exception& e) {
    throw file_error(sidecar, std::string("damaged part description: ") + e.what());
  }
}

namespace {

FeaturePart required_part(const std::string& path) {
  const auto part = read_feature_part(path);
  if (!part) throw file_error(path, "is not a part of a sharded extraction (its sidecar " + provenance_sidecar_path(path) + " has no \"part\")");
  return *part;
}

void require_same_source(const FeaturePart& a, const std::string& a_path, const FeaturePart& b, const std::string& b_path) {
  auto differ = [&](const std::string& what, const std::string& x, const std::string& y) {
    throw file_error(b_path, "is a part of another extraction than " + a_path + ": " + what + " " + y + " vs " + x);
  };
  if (b.count != a.count) differ("shard count", std::to_string(a.count), std::to_string(b.count));
  if (b.feature_set != a.feature_set) differ("feature set", a.feature_set, b.feature_set);
  if (b.feature_set_version != a.feature_set_version)
    differ("feature set version", std::to_string(a.feature_set_version), std::to_string(b.feature_set_version));
  if (b.source_fingerprint != a.source_fingerprint || b.source_clips != a.source_clips)
    differ("input list", a.source + " (" + std::to_string(a.source_clips) + " clips)", b.source + " (" + std::to_string(b.source_clips) + " clips)");
}

}  // namespace

FeatureTable merge_feature_parts(const std::vector<std::string>& part_paths, std::vector<std::string>* skipped) {
  if (part_paths.empty()) throw Error("merge-features: no part files given");
  std::vector<FeaturePart> parts;
  for (const auto& path : part_paths) {
    parts.push_back(required_part(path));
    require_same_source(parts.front(), part_paths.front(), parts.back(), path);
  }
  const int count = parts.front().count;
  std::vector<int> where(static_cast<std::size_t>(count) + 1, -1);  // shard -> position in part_paths
  for (std::size_t i = 0; i < parts.size(); ++i) {
    int& slot = where[static_cast<std::size_t>(parts[i].index)];
    if (slot >= 0) throw file_error(part_paths[i], "is shard " + std::to_string(parts[i].index) + "/" + std::to_string(count) + " again (also " + part_paths[static_cast<std::size_t>(slot)] + ")");
    slot = static_cast<int>(i);
  }
  std::string missing;
  for (int k = 1; k <= count; ++k)
    if (where[static_cast<std::size_t>(k)] < 0) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(count);
  if (!missing.empty()) throw Error("merge-features: shard(s) " + missing + " missing (" + parts.front().source + ")");

  FeatureTable merged;
  std::set<std::string> names;
  for (int k = 1; k <= count; ++k) {
    const auto i = static_cast<std::size_t>(where[static_cast<std::size_t>(k)]);
    const FeaturePart& part = parts[i];
    const auto [first, size] = part_block(part.source_clips, k, count);
    if (part.first != first || part.size != size) throw file_error(part_paths[i], "does not hold the block of shard " + std::to_string(k) + " (damaged sidecar?)");
    FeatureTable table = read_feature_table(part_paths[i]);
    if (table.rows() + part.skipped.size() != part.size)
      throw file_error(part_paths[i], "holds " + std::to_string(table.rows()) + " rows and " + std::to_string(part.skipped.size()) +
                                          " skipped clips, but its block has " + std::to_string(part.size) + " clips (truncated or edited?)");
    for (const auto& name : table.names)
      if (!names.insert(name).second) throw file_error(part_paths[i], "row '" + name + "' is also in an earlier part");
    if (skipped) skipped->insert(skipped->end(), part.skipped.begin(), part.skipped.end());
    append_feature_rows(merged, table);
  }
  return merged;
}

}  // namespace seraug
