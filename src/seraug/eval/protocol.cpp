#include "seraug/eval/protocol.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <unordered_map>

#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/atomic_file.hpp"

namespace seraug {
namespace {

int parse_k(const std::string& text, const std::string& whole) {
  try {
    std::size_t used = 0;
    const int k = std::stoi(text, &used);
    if (used == text.size() && k >= 2) return k;
  } catch (const std::exception&) {
  }
  throw Error("protocol '" + whole + "': K must be an integer >= 2");
}

std::vector<std::string> read_name_list(const std::string& path) {
  require_readable_file(path, kMaxTableInputBytes, "row-name list");
  note_input(path);
  std::ifstream in(path);
  if (!in) throw file_error(path, "cannot open row-name list");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != '#') names.push_back(line);
  }
  if (names.empty()) throw file_error(path, "row-name list is empty");
  return names;
}

void finish_fold(Fold& f, const Dataset& d) {
  std::sort(f.train.begin(), f.train.end());
  std::sort(f.test.begin(), f.test.end());
  std::set<std::string> train_speakers, test_speakers;
  for (auto r : f.train) train_speakers.insert(d.speakers[r]);
  for (auto r : f.test) test_speakers.insert(d.speakers[r]);
  f.test_speakers.assign(test_speakers.begin(), test_speakers.end());
  for (const auto& s : test_speakers)
    if (train_speakers.count(s)) f.speaker_overlap = true;
}

std::vector<Fold> loso(const Dataset& d) {
  std::vector<Fold> folds;
  for (const auto& speaker : d.speaker_list()) {
    Fold f;
    f.name = "speaker " + speaker;
    for (std::size_t r = 0; r < d.rows(); ++r) (d.speakers[r] == speaker ? f.test : f.train).push_back(r);
    finish_fold(f, d);
    folds.push_back(std::move(f));
  }
  if (folds.size() < 2) throw Error(d.source + ": leave-one-speaker-out needs at least two speakers");
  return folds;
}

std::vector<Fold> stratified_kfold(const Dataset& d, int k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int> fold_of(d.rows());
  for (std::size_t c = 0; c < d.classes.size(); ++c) {
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < d.rows(); ++r)
      if (d.labels[r] == static_cast<int>(c)) rows.push_back(r);
    std::shuffle(rows.begin(), rows.end(), rng);
    for (std::size_t i = 0; i < rows.size(); ++i) fold_of[rows[i]] = static_cast<int>(i % static_cast<std::size_t>(k));
  }
  std::vector<Fold> folds(static_cast<std::size_t>(k));
  for (int f = 0; f < k; ++f) {
    folds[static_cast<std::size_t>(f)].name = "fold " + std::to_string(f + 1) + "/" + std::to_string(k);
    for (std::size_t r = 0; r < d.rows(); ++r) (fold_of[r] == f ? folds[static_cast<std::size_t>(f)].test : folds[static_cast<std::size_t>(f)].train).push_back(r);
    finish_fold(folds[static_cast<std::size_t>(f)], d);
  }
  return folds;
}

std::vector<Fold> from_lists(const Dataset& d, const Protocol& p) {
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < d.rows(); ++r) row_of[d.names[r]] = r;
  Fold f;
  f.name = "lists";
  std::set<std::size_t> taken;
  for (const auto& [path, side] : {std::pair{p.train_list, &f.train}, std::pair{p.test_list, &f.test}}) {
    for (const auto& name : read_name_list(path)) {
      const auto it = row_of.find(name);
      if (it == row_of.end()) throw file_error(path, "row '" + name + "' is not in " + d.source + " (or not of a selected class)");
      if (!taken.insert(it->second).second) throw file_error(path, "row '" + name + "' is listed twice or on both sides");
      side->push_back(it->second);
    }
  }
  finish_fold(f, d);
  return {f};
}

}  // namespace

std::string Protocol::name() const {
  switch (kind) {
    case Kind::Loso: return "loso";
    case Kind::GroupKFold: return "group-kfold:" + std::to_string(k);
    case Kind::KFold: return "kfold:" + std::to_string(k);
    case Kind::Lists: return "lists:" + train_list + ":" + test_list;
  }
  return "?";
}

Protocol parse_protocol(const std::string& text) {
  Protocol p;
  if (text == "loso") return p;
  const auto colon = text.find(':');
  const std::string head = text.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (head == "group-kfold") { p.kind = Protocol::Kind::GroupKFold; p.k = parse_k(rest, text); return p; }
  if (head == "kfold") { p.kind = Protocol::Kind::KFold; p.k = parse_k(rest, text); return p; }
  if (head == "lists") {
    const auto second = rest.find(':');
    if (second == std::string::npos || second == 0 || second + 1 == rest.size())
      throw Error("protocol '" + text + "': expected lists:TRAIN_FILE:TEST_FILE");
    p.kind = Protocol::Kind::Lists;
    p.train_list = rest.substr(0, second);
    p.test_list = rest.substr(second + 1);
    return p;
  }
  throw Error("unknown protocol '" + text + "' (loso, group-kfold:K, kfold:K, lists:TRAIN:TEST)");
}

std::vector<Fold> group_kfold(const std::vector<std::string>& speakers, const std::vector<std::size_t>& rows, int k,
                              std::uint64_t seed) {
  std::map<std::string, std::vector<std::size_t>> by_speaker;
  for (auto r : rows) by_speaker[speakers[r]].push_back(r);
  std::vector<std::string> order;
  for (const auto& [s, _] : by_speaker) order.push_back(s);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  // Largest speakers first (stable, so the shuffle breaks ties), each into the lightest fold.
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) { return by_speaker[a].size() > by_speaker[b].size(); });
  k = std::min<int>(k, static_cast<int>(order.size()));
  if (k < 2) throw Error("speaker-grouped folds need at least two speakers");
  std::vector<std::size_t> load(static_cast<std::size_t>(k), 0);
  std::vector<std::vector<std::string>> members(static_cast<std::size_t>(k));
  for (const auto& s : order) {
    const auto f = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[f] += by_speaker[s].size();
    members[f].push_back(s);
  }
  std::vector<Fold> folds(static_cast<std::size_t>(k));
  for (std::size_t f = 0; f < folds.size(); ++f) {
    std::set<std::string> test(members[f].begin(), members[f].end());
    folds[f].name = "fold " + std::to_string(f + 1) + "/" + std::to_string(k);
    for (auto r : rows) (test.count(speakers[r]) ? folds[f].test : folds[f].train).push_back(r);
    folds[f].test_speakers.assign(test.begin(), test.end());
  }
  return folds;
}

std::vector<Fold> make_folds(const Dataset& d, const Protocol& p, std::uint64_t seed) {
  switch (p.kind) {
    case Protocol::Kind::Loso: return loso(d);
    case Protocol::Kind::KFold: return stratified_kfold(d, p.k, seed);
    case Protocol::Kind::Lists: return from_lists(d, p);
    case Protocol::Kind::GroupKFold: {
      std::vector<std::size_t> all(d.rows());
      std::iota(all.begin(), all.end(), 0);
      auto folds = group_kfold(d.speakers, all, p.k, seed);
      if (static_cast<int>(folds.size()) < p.k)
        throw Error(d.source + ": group-kfold:" + std::to_string(p.k) + " needs at least " + std::to_string(p.k) + " speakers");
      for (auto& f : folds) finish_fold(f, d);
      return folds;
    }
  }
  throw Error("unknown protocol");
}

}  // namespace seraug
