#include "seraug/data/dataset.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

const std::vector<std::string>& paper_classes() {
  static const std::vector<std::string> classes = {"anger", "fear", "happiness", "sadness", "neutral"};
  return classes;
}

const std::string& paper_class_selection() {
  static const std::string selection = [] {
    std::string s;
    for (const auto& c : paper_classes()) s += (s.empty() ? "" : ",") + c;
    return s;
  }();
  return selection;
}

std::vector<std::size_t> Dataset::class_counts() const {
  std::vector<std::size_t> counts(classes.size(), 0);
  for (int y : labels) ++counts[static_cast<std::size_t>(y)];
  return counts;
}

std::vector<std::string> Dataset::speaker_list() const {
  std::set<std::string> s(speakers.begin(), speakers.end());
  return {s.begin(), s.end()};
}

int Dataset::class_index(const std::string& name) const {
  const auto it = std::find(classes.begin(), classes.end(), name);
  return it == classes.end() ? -1 : static_cast<int>(it - classes.begin());
}

Dataset make_dataset(const FeatureTable& table, const std::string& class_selection, const std::string& source) {
  Dataset d;
  d.source = source;
  d.feature_names = table.feature_names;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const long line = r < table.lines.size() ? table.lines[r] : static_cast<long>(r) + 2;
    if (table.labels[r].empty()) throw table_error(source, line, 0, "row '" + table.names[r] + "' has no label");
    if (table.speakers[r].empty()) throw table_error(source, line, 0, "row '" + table.names[r] + "' has no speaker");
  }

  if (class_selection == "all") {
    std::set<std::string> present(table.labels.begin(), table.labels.end());
    d.classes.assign(present.begin(), present.end());
  } else {
    d.classes = split_list(class_selection);
    std::set<std::string> unique(d.classes.begin(), d.classes.end());
    if (unique.size() != d.classes.size()) throw Error("`classes` lists a class twice: " + class_selection);
  }
  if (d.classes.size() < 2) throw Error(source + ": need at least two classes, selection '" + class_selection + "' gives " + std::to_string(d.classes.size()));

  std::map<std::string, int> index;
  for (std::size_t c = 0; c < d.classes.size(); ++c) index[d.classes[c]] = static_cast<int>(c);
  std::vector<std::size_t> kept;
  d.unselected.features = Matrix(0, table.dims());
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto it = index.find(table.labels[r]);
    if (it == index.end()) {
      d.unselected.features.data.insert(d.unselected.features.data.end(), table.row(r), table.row(r) + table.dims());
      ++d.unselected.features.rows;
      d.unselected.speakers.push_back(table.speakers[r]);
      d.unselected.names.push_back(table.names[r]);
      continue;
    }
    kept.push_back(r);
    d.labels.push_back(it->second);
    d.speakers.push_back(table.speakers[r]);
    d.names.push_back(table.names[r]);
  }
  d.features = Matrix(kept.size(), table.dims());
  for (std::size_t i = 0; i < kept.size(); ++i) std::copy(table.row(kept[i]), table.row(kept[i]) + table.dims(), d.features.row(i));

  const auto counts = d.class_counts();
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (counts[c] == 0) {
      std::set<std::string> present(table.labels.begin(), table.labels.end());
      std::string known;
      for (const auto& p : present) known += (known.empty() ? "" : ", ") + p;
      throw Error(source + ": class '" + d.classes[c] + "' has no rows (labels present: " + known + ")");
    }
  return d;
}

Dataset load_dataset(const std::string& path, const std::string& class_selection) {
  return make_dataset(read_feature_table(path), class_selection, path);
}

Dataset load_dataset(const std::vector<std::string>& paths, const std::string& class_selection) {
  if (paths.size() == 1) return load_dataset(paths.front(), class_selection);
  std::vector<FeatureTable> tables;
  std::string source;
  for (const auto& p : paths) {
    tables.push_back(read_feature_table(p));
    source += (source.empty() ? "" : "+") + p;
  }
  return make_dataset(join_feature_tables(tables, paths), class_selection, source);
}

std::vector<std::pair<std::string, std::string>> single_speaker_classes(const Dataset& data) {
  std::vector<std::set<std::string>> speakers(data.classes.size());
  for (std::size_t r = 0; r < data.rows(); ++r) speakers[static_cast<std::size_t>(data.labels[r])].insert(data.speakers[r]);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t c = 0; c < data.classes.size(); ++c)
    if (speakers[c].size() == 1) out.emplace_back(data.classes[c], *speakers[c].begin());
  return out;
}

}  // namespace seraug
