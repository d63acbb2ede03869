// Which configuration a run folder's cells belong to (config.toml, config.hash).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <toml++/toml.h>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/stats/hash.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

void append_canonical(const toml::node& node, std::string& out);

// Length-prefixed, so no string can imitate the structure around it.
void append_string(const std::string& s, std::string& out) { out += "s" + std::to_string(s.size()) + ":" + s; }

void append_canonical_table(const toml::table& table, std::string& out) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : table) keys.emplace_back(key.str());
  std::sort(keys.begin(), keys.end());
  out += "{";
  for (const auto& key : keys) {
    append_string(key, out);
    out += "=";
    append_canonical(*table.get(key), out);
    out += ";";
  }
  out += "}";
}

// One value in a form that depends on what it means only: strings by their bytes,
// integers in decimal, floats by their exact bits (%a), tables by sorted key; 1 and 1.0
// stay different (a value's type is part of the configuration).
void append_canonical(const toml::node& node, std::string& out) {
  if (const auto* table = node.as_table()) return append_canonical_table(*table, out);
  if (const auto* array = node.as_array()) {
    out += "[";
    for (const auto& item : *array) {
      append_canonical(item, out);
      out += ",";
    }
    out += "]";
    return;
  }
  if (const auto* s = node.as_string()) return append_string(s->get(), out);
  if (const auto* i = node.as_integer()) {
    out += "i" + std::to_string(i->get());
    return;
  }
  if (const auto* f = node.as_floating_point()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "f%a", f->get());
    out += buf;
    return;
  }
  if (const auto* b = node.as_boolean()) {
    out += b->get() ? "b1" : "b0";
    return;
  }
  std::ostringstream when;  // dates and times: TOML's own form of them
  node.visit([&](const auto& v) { when << v; });
  out += "d" + when.str();
}

// "toml:" + a hash of the parsed configuration; "" for text that is not TOML.
std::string content_identity(const std::string& text) {
  try {
    std::string canonical;
    append_canonical_table(toml::parse(text), canonical);
    return "toml:" + hex64(fnv1a(canonical));
  } catch (const toml::parse_error&) {
    return "";
  }
}

// What folders written before content identities recorded: a hash of the text.
std::string text_identity(const std::string& text) { return hex64(fnv1a(text)); }

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool has_cells(const std::string& run_dir) {
  if (!fs::exists(run_dir + "/cells")) return false;
  for (const auto& entry : fs::directory_iterator(run_dir + "/cells"))
    if (entry.path().extension() == ".csv") return true;
  return false;
}

bool run_folder_matches(const std::string& run_dir, const std::string& config_text) {
  const std::string copy_file = run_dir + "/config.toml", hash_file = run_dir + "/config.hash";
  const std::string wanted = content_identity(config_text);
  if (wanted.empty()) return false;
  if (!fs::exists(hash_file)) return !fs::exists(copy_file) || content_identity(read_file_text(copy_file)) == wanted;
  const std::string recorded = trimmed(read_file_text(hash_file));
  if (recorded == wanted || recorded == text_identity(config_text)) return true;
  // A folder that recorded its text: its copy, while still that text, may differ from
  // config_text in comments and layout only.
  if (!fs::exists(copy_file)) return false;
  const std::string copy = read_file_text(copy_file);
  return recorded == text_identity(copy) && content_identity(copy) == wanted;
}

void adopt_config(const std::string& run_dir, const std::string& config_text) {
  if (has_cells(run_dir) && !run_folder_matches(run_dir, config_text))
    throw file_error(run_dir, "holds a run of another configuration (config.toml differs in content from the one its cells were computed with); use a new folder");
  const std::string copy_file = run_dir + "/config.toml", hash_file = run_dir + "/config.hash";
  if (!fs::exists(copy_file) || read_file_text(copy_file) != config_text) write_file_atomically(copy_file, config_text);
  const std::string identity = content_identity(config_text) + "\n";
  if (!fs::exists(hash_file) || read_file_text(hash_file) != identity) write_file_atomically(hash_file, identity);
}

}  // namespace seraug
