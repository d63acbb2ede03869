#include "seraug/data/corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/common/distinct.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

bool is_audio_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".wav" || ext == ".flac" || ext == ".ogg" || ext == ".oga";
}

// Audio files by name. An entry whose type cannot be read (a symlink loop, a dangling
// link) is listed too: the audio reader then names it and its problem, and --skip-bad
// lists and skips it like any other unreadable file.
std::vector<fs::path> audio_files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!is_audio_file(entry.path())) continue;
    const bool regular = entry.is_regular_file(ec);
    if (regular || ec) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The same file listed twice would be extracted twice and leak between folds.
void refuse_duplicate_files(const std::vector<Utterance>& utterances, const std::vector<long>& lines, const std::string& manifest) {
  std::map<std::string, long> first_line_of_file, first_line_of_name;
  for (std::size_t i = 0; i < utterances.size(); ++i) {
    std::error_code ec;
    fs::path file = fs::weakly_canonical(utterances[i].path, ec);
    if (ec) file = fs::path(utterances[i].path).lexically_normal();
    if (const auto [it, fresh] = first_line_of_file.emplace(file.string(), lines[i]); !fresh)
      throw table_error(manifest, lines[i], 0, "lists " + file.string() + " again (first on line " + std::to_string(it->second) + ")");
    if (const auto [it, fresh] = first_line_of_name.emplace(utterances[i].name, lines[i]); !fresh)
      throw table_error(manifest, lines[i], 0, "repeats the path '" + utterances[i].name + "' of line " + std::to_string(it->second));
  }
}

}  // namespace

const std::vector<std::string>& emodb_labels() {
  static const std::vector<std::string> labels = {"anger", "boredom", "disgust", "fear", "happiness", "sadness", "neutral"};
  return labels;
}

std::optional<std::string> emodb_label(char code) {
  switch (code) {
    case 'W': return "anger";
    case 'L': return "boredom";
    case 'E': return "disgust";
    case 'A': return "fear";
    case 'F': return "happiness";
    case 'T': return "sadness";
    case 'N': return "neutral";
    default: return std::nullopt;
  }
}

std::optional<EmodbName> parse_emodb_name(std::string_view filename) {
  const std::string stem = fs::path(std::string(filename)).stem().string();
  // SS a NN E v : speaker digits, text code (letter + 2 digits), emotion, version letter
  if (stem.size() != 7) return std::nullopt;
  if (!std::isdigit(static_cast<unsigned char>(stem[0])) || !std::isdigit(static_cast<unsigned char>(stem[1]))) return std::nullopt;
  if (!std::isalpha(static_cast<unsigned char>(stem[2])) || !std::isdigit(static_cast<unsigned char>(stem[3])) ||
      !std::isdigit(static_cast<unsigned char>(stem[4])))
    return std::nullopt;
  auto label = emodb_label(stem[5]);
  if (!label) return std::nullopt;
  return EmodbName{stem.substr(0, 2), *label};
}

std::vector<Utterance> read_audio_folder(const std::string& folder) {
  fs::path root(folder);
  if (!fs::is_directory(root)) throw file_error(folder, "not a folder");
  std::vector<fs::path> files = audio_files_in(root);
  if (files.empty() && fs::is_directory(root / "wav")) files = audio_files_in(root / "wav");
  if (files.empty()) throw file_error(folder, "no audio files (.wav .flac .ogg) found");

  std::vector<Utterance> out;
  std::size_t labelled = 0;
  for (const auto& f : files) {
    Utterance u{f.string(), f.filename().string(), "", ""};
    if (auto parsed = parse_emodb_name(u.name)) {
      u.speaker = parsed->speaker;
      u.label = parsed->label;
      ++labelled;
    }
    out.push_back(std::move(u));
  }
  if (labelled != 0 && labelled != out.size()) {
    const auto odd = std::find_if(out.begin(), out.end(), [](const Utterance& u) { return u.label.empty(); });
    throw file_error(odd->path, "not an EMO-DB file name (SSxxxxEv.wav) although other files in " + folder +
                                    " are; use a manifest CSV (path,label,speaker) for other corpora");
  }
  return out;
}

std::vector<Utterance> read_manifest(const std::string& csv_path) {
  require_readable_file(csv_path, kMaxTableInputBytes, "manifest");
  note_input(csv_path);
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) throw file_error(csv_path, "cannot open manifest");
  return parse_manifest(in, csv_path);
}

std::vector<Utterance> parse_manifest(std::istream& in, const std::string& csv_path) {
  std::string line;
  long row = 0;
  if (!read_csv_record(in, line, row)) throw file_error(csv_path, "manifest is empty");
  std::vector<std::string> header;
  try {
    header = split_csv_line(line, ',');
  } catch (const Error& e) {
    throw table_error(csv_path, 1, 0, e.what());
  }
  auto column = [&](const std::string& name) -> int {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int path_col = column("path"), label_col = column("label"), speaker_col = column("speaker");
  if (path_col < 0) throw table_error(csv_path, 1, 0, "manifest header needs a 'path' column (path,label,speaker)");

  const fs::path base = fs::path(csv_path).parent_path();
  std::vector<Utterance> out;
  std::vector<long> lines;
  long lines_read = row;
  while (true) {
    row = lines_read + 1;
    if (!read_csv_record(in, line, lines_read)) break;
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> fields;
    try {
      fields = split_csv_line(line, ',');
    } catch (const Error& e) {
      throw table_error(csv_path, row, 0, e.what());
    }
    if (fields.size() != header.size())
      throw table_error(csv_path, row, 0, "has " + std::to_string(fields.size()) + " fields, header has " + std::to_string(header.size()));
    const std::string& rel = fields[static_cast<std::size_t>(path_col)];
    if (rel.empty()) throw table_error(csv_path, row, path_col + 1, "empty path");
    const fs::path p = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
    Utterance u{p.string(), rel, speaker_col >= 0 ? fields[static_cast<std::size_t>(speaker_col)] : "",
                label_col >= 0 ? fields[static_cast<std::size_t>(label_col)] : ""};
    out.push_back(std::move(u));
    lines.push_back(row);
  }
  if (out.empty()) throw file_error(csv_path, "manifest lists no files");
  refuse_duplicate_files(out, lines, csv_path);
  return out;
}

std::vector<Utterance> read_corpus(const std::string& source) {
  if (fs::is_directory(source)) return read_audio_folder(source);
  if (fs::path(source).extension() == ".csv") return read_manifest(source);
  if (!fs::exists(source)) throw MissingFile(source, "no such folder or manifest");
  throw file_error(source, "expected a folder of audio files or a .csv manifest (path,label,speaker)");
}

std::vector<Utterance> collect_utterances(const std::vector<std::string>& inputs) {
  std::vector<Utterance> out;
  std::vector<std::string> given_by;  // the input each clip came from, for messages
  for (const auto& input : inputs) {
    if (fs::is_directory(input) || fs::path(input).extension() == ".csv") {
      for (auto& u : read_corpus(input)) out.push_back(std::move(u)), given_by.push_back(input);
    } else {
      out.push_back({input, input, "", ""});
      given_by.push_back(input);
    }
  }
  // The same clip reached twice (one folder given twice, a file and its folder) would
  // count twice: an enrolment's statistics weighted towards it, a prediction repeated.
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto [it, fresh] = first.emplace(file_identity(out[i].path), i);
    if (fresh) continue;
    const std::size_t k = it->second;
    throw file_error(out[i].path, "is given twice (through " + given_by[k] + (given_by[k] == given_by[i] ? "" : " and " + given_by[i]) +
                                      "); each clip may be given once");
  }
  return out;
}

std::string emodb_location(const std::string& fallback) {
  if (const char* env = std::getenv("SERAUG_EMODB"); env && *env) return env;
  return fallback;
}

}  // namespace seraug
