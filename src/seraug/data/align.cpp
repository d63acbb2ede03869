#include "seraug/data/align.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <unordered_map>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// Refuses rows that are, or derive from, rows of the evaluated corpus.
// `option` names the flag the rows came with, for the message.
void check_no_leak(const FeatureTable& extra, const std::string& source, const Dataset& data, const std::string& option) {
  const std::set<std::string> evaluated(data.names.begin(), data.names.end());
  const auto sources_it = extra.extras.find("sources");
  for (std::size_t r = 0; r < extra.rows(); ++r) {
    if (evaluated.count(extra.names[r]))
      throw file_error(source, "row '" + extra.names[r] + "' is a row of the evaluated corpus; " + option + " takes other corpora only");
    if (sources_it == extra.extras.end()) continue;
    std::stringstream list(sources_it->second[r]);
    std::string name;
    while (std::getline(list, name, ';'))
      if (evaluated.count(name))
        throw file_error(source, "row '" + extra.names[r] + "' derives from '" + name +
                                     "' of the evaluated corpus; adding it would leak test speakers into training");
  }
}

std::vector<double> aligned_row(const FeatureTable& t, std::size_t r, const std::unordered_map<std::string, std::size_t>& column,
                                const Dataset& data, const std::string& source) {
  std::vector<double> row;
  for (const auto& f : data.feature_names) {
    const auto it = column.find(f);
    if (it == column.end()) throw file_error(source, "lacks feature column '" + f + "' of " + data.source);
    row.push_back(t.row(r)[it->second]);
  }
  return row;
}

std::unordered_map<std::string, std::size_t> column_index(const FeatureTable& t) {
  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < t.dims(); ++c) column[t.feature_names[c]] = c;
  return column;
}

}  // namespace

Matrix align_source_rows(const FeatureTable& rows, const std::string& source, const Dataset& data) {
  check_no_leak(rows, source, data, "`gan.source`");
  const auto column = column_index(rows);
  Matrix x(0, data.dims());
  for (std::size_t r = 0; r < rows.rows(); ++r) {
    const auto row = aligned_row(rows, r, column, data, source);
    x.data.insert(x.data.end(), row.begin(), row.end());
    ++x.rows;
  }
  return x;
}

Dataset align_extra_rows(const FeatureTable& extra, const std::string& source, const Dataset& data) {
  check_no_leak(extra, source, data, "`extra`");
  const auto column = column_index(extra);
  FeatureTable aligned;
  aligned.feature_names = data.feature_names;
  for (std::size_t r = 0; r < extra.rows(); ++r) {
    aligned.names.push_back(extra.names[r]);
    aligned.speakers.push_back(extra.speakers[r].empty() ? "extra" : extra.speakers[r]);
    aligned.labels.push_back(extra.labels[r]);
    const auto row = aligned_row(extra, r, column, data, source);
    aligned.values.insert(aligned.values.end(), row.begin(), row.end());
  }
  // Keep only the evaluated classes, in the evaluated order.
  std::string selection;
  for (const auto& c : data.classes) selection += (selection.empty() ? "" : ",") + c;
  FeatureTable kept;
  kept.feature_names = aligned.feature_names;
  for (std::size_t r = 0; r < aligned.rows(); ++r) {
    if (std::find(data.classes.begin(), data.classes.end(), aligned.labels[r]) == data.classes.end()) continue;
    kept.names.push_back(aligned.names[r]);
    kept.speakers.push_back(aligned.speakers[r]);
    kept.labels.push_back(aligned.labels[r]);
    kept.values.insert(kept.values.end(), aligned.row(r), aligned.row(r) + aligned.dims());
  }
  if (kept.rows() == 0) throw file_error(source, "has no rows of the evaluated classes");
  Dataset d;
  d.source = source;
  d.classes = data.classes;
  d.feature_names = data.feature_names;
  d.names = kept.names;
  d.speakers = kept.speakers;
  for (const auto& l : kept.labels)
    d.labels.push_back(static_cast<int>(std::find(data.classes.begin(), data.classes.end(), l) - data.classes.begin()));
  d.features = Matrix(kept.rows(), kept.dims());
  d.features.data = kept.values;
  return d;
}


}  // namespace seraug
