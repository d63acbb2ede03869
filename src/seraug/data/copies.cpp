#include "seraug/data/copies.hpp"

#include <set>
#include <unordered_map>

#include "seraug/common/distinct.hpp"
#include "seraug/common/error.hpp"

namespace seraug {

std::string copy_row_name(const std::string& clip_name, const std::string& chain) { return clip_name + "@" + chain; }

std::optional<std::pair<std::string, std::string>> split_copy_row_name(const std::string& row_name) {
  const auto at = row_name.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == row_name.size()) return std::nullopt;
  return std::make_pair(row_name.substr(0, at), row_name.substr(at + 1));
}

CopyRows copies_of(const Dataset& data, const FeatureTable& table, const std::string& what) {
  std::unordered_map<std::string, std::size_t> column_of, row_of;
  for (std::size_t c = 0; c < table.feature_names.size(); ++c) column_of.emplace(table.feature_names[c], c);
  std::vector<std::size_t> columns;
  for (const auto& name : data.feature_names) {
    const auto it = column_of.find(name);
    if (it == column_of.end()) throw file_error(what, "has no column '" + name + "' of the features it should copy");
    columns.push_back(it->second);
  }
  for (std::size_t r = 0; r < data.rows(); ++r) row_of.emplace(data.names[r], r);
  CopyRows out;
  out.x.cols = data.dims();
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto parts = split_copy_row_name(table.names[r]);
    const std::string where = "row " + std::to_string(r + 1) + " ('" + table.names[r] + "')";
    if (!parts) throw file_error(what, where + " is not a perturbed copy (names read <clip>@<perturbation>, as extract --perturb writes)");
    const auto it = row_of.find(parts->first);
    if (it == row_of.end()) continue;  // a clip outside the selection
    const std::size_t s = it->second;
    if (table.speakers[r] != data.speakers[s]) throw file_error(what, where + ": speaker '" + table.speakers[r] + "' differs from its clip's '" + data.speakers[s] + "'");
    if (table.labels[r] != data.classes[static_cast<std::size_t>(data.labels[s])])
      throw file_error(what, where + ": label '" + table.labels[r] + "' differs from its clip's");
    for (auto c : columns) out.x.data.push_back(table.row(r)[c]);
    ++out.x.rows;
    out.source.push_back(s);
    out.chain.push_back(parts->second);
  }
  if (out.size() == 0) throw file_error(what, "holds no copy of any clip of " + data.source);
  return out;
}

void append_copies(CopyRows& to, const CopyRows& more) {
  if (to.x.cols == 0 && to.size() == 0) to.x.cols = more.x.cols;
  if (more.x.cols != to.x.cols) throw Error("copies with different feature dimensions cannot be joined");
  // One clip's copy under one chain, twice, would count twice in every training fold.
  std::set<std::pair<std::size_t, std::string>> held;
  for (std::size_t i = 0; i < to.size(); ++i) held.emplace(to.source[i], to.chain[i]);
  for (std::size_t i = 0; i < more.size(); ++i)
    if (held.count({more.source[i], more.chain[i]}))
      throw Error("the copy '" + more.chain[i] + "' of dataset row " + std::to_string(more.source[i] + 1) +
                  " is given twice (two copy files hold the same chain); give each chain's copies once");
  to.x.data.insert(to.x.data.end(), more.x.data.begin(), more.x.data.end());
  to.x.rows += more.x.rows;
  to.source.insert(to.source.end(), more.source.begin(), more.source.end());
  to.chain.insert(to.chain.end(), more.chain.begin(), more.chain.end());
}

void append_copies_of_rows(Dataset& train, const Dataset& data, const std::vector<std::size_t>& rows, const CopyRows& copies) {
  std::vector<char> training(data.rows(), 0);
  for (auto r : rows) training[r] = 1;
  std::vector<double> values = std::move(train.features.data);
  for (std::size_t c = 0; c < copies.size(); ++c) {
    const std::size_t clip = copies.source[c];
    if (!training[clip]) continue;
    values.insert(values.end(), copies.x.row(c), copies.x.row(c) + copies.x.cols);
    train.labels.push_back(data.labels[clip]);
    train.speakers.push_back(data.speakers[clip]);
    train.names.push_back(copy_row_name(data.names[clip], copies.chain[c]));
  }
  train.features.rows = train.labels.size();
  train.features.cols = data.dims();
  train.features.data = std::move(values);
}

}  // namespace seraug
