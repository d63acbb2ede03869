// Corpus readers: which audio files to process, with speaker and emotion label.
//
// EMO-DB names encode both: "03a01Fa.wav" -> speaker "03", emotion code 'F' (char 6)
// -> "happiness". Other corpora come as a CSV manifest with columns path,label,speaker
// (header required; label and speaker optional; relative paths resolve against the
// manifest's folder).
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seraug {

struct Utterance {
  std::string path;     // file to read
  std::string name;     // row name in feature files (EMO-DB: the file name)
  std::string speaker;  // empty when unknown
  std::string label;    // emotion word; empty when unknown
};

struct EmodbName {
  std::string speaker;
  std::string label;
};

// Parses an EMO-DB file name (with or without folder); nullopt if it is not one.
std::optional<EmodbName> parse_emodb_name(std::string_view filename);
// W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral.
std::optional<std::string> emodb_label(char code);
const std::vector<std::string>& emodb_labels();

// A folder of audio files (.wav .flac .ogg .oga), sorted by name; a folder holding a
// "wav" subfolder (EMO-DB's layout) is read from there. Names in EMO-DB form give
// speaker and label; a folder where no name is in that form yields unlabelled
// utterances; a mix is an error naming the first odd file.
std::vector<Utterance> read_audio_folder(const std::string& folder);
// Manifests: UTF-8 (a byte-order mark is ignored), RFC-4180 quoting (fields may hold
// newlines); a file listed twice (by any path) is an error naming both lines.
std::vector<Utterance> read_manifest(const std::string& csv_path);
// The same from a stream; relative paths resolve against `csv_path`'s folder.
std::vector<Utterance> parse_manifest(std::istream& in, const std::string& csv_path);
// Dispatches on whether `source` is a directory or a .csv manifest.
std::vector<Utterance> read_corpus(const std::string& source);
// Inputs of predict and the Python binding: folders and .csv manifests expanded with
// read_corpus, any other path taken as one audio file named by its path (no speaker or
// label), in the order given.
std::vector<Utterance> collect_utterances(const std::vector<std::string>& inputs);

// Where the EMO-DB copy lives: $SERAUG_EMODB if set, else `fallback`.
std::string emodb_location(const std::string& fallback = "../shared/data/emodb");

}  // namespace seraug
