#include "seraug/data/feature_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/data/corpus.hpp"

namespace seraug {
namespace {

bool is_provenance_column(const std::string& name) {
  const auto& p = provenance_columns();
  return std::find(p.begin(), p.end(), name) != p.end();
}

// Columns that describe a row rather than measure it.
bool is_metadata_column(const std::string& name) {
  return name == "name" || name == "speaker" || name == "label" || name == "frameTime" || name == "class" || is_provenance_column(name);
}

double parse_value(const std::string& text, const std::string& path, long row, long col, const std::string& column) {
  double v = 0.0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  while (begin < end && *begin == ' ') ++begin;
  if (begin < end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, v);
  if (ec == std::errc::result_out_of_range)
    throw table_error(path, row, col, "column '" + column + "': value '" + text + "' is outside the supported range (magnitude <= 1e30)");
  if (ec != std::errc() || ptr != end)
    throw table_error(path, row, col, "column '" + column + "': '" + text + "' is not a number");
  if (!std::isfinite(v)) throw table_error(path, row, col, "column '" + column + "': value '" + text + "' is not finite");
  if (std::fabs(v) > kMaxFeatureMagnitude)
    throw table_error(path, row, col, "column '" + column + "': value '" + text + "' is outside the supported range (magnitude <= 1e30)");
  return v;
}

// The shortest text that reads back as exactly the same double, so that a table written
// and read again (the experiment's feature cache) gives bit-identical values.
std::string format_value(double v) {
  char buf[32];  // the longest, "-2.2250738585072014e-308", takes 24
  return {buf, std::to_chars(buf, buf + sizeof buf, v).ptr};
}

// A name field as written by csv_text_field; openSMILE's names come in single quotes.
std::string read_name(const std::string& field, char delimiter) {
  if (delimiter == ';') return strip_single_quotes(field);
  const std::string text = read_text_field(field);
  return text.size() != field.size() ? text : strip_single_quotes(field);
}

}  // namespace

const std::vector<std::string>& provenance_columns() {
  static const std::vector<std::string> columns = {"synthetic", "method", "seed", "sources"};
  return columns;
}

FeatureTable read_feature_table(const std::string& path) {
  require_readable_file(path, kMaxTableInputBytes, "feature file");
  // The sidecar travels with the table (provenance, a shard's block): an output must
  // never replace it either (`evaluate f.csv --json f.csv.json`).
  note_input(path);
  note_input(provenance_sidecar_path(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open feature file");
  return parse_feature_table(in, path);
}

namespace {

// The header line of a feature file: its delimiter and where each kind of column is.
struct TableHeader {
  char delimiter = ',';
  std::vector<std::string> columns;
  int name_col = -1, speaker_col = -1, label_col = -1;
  std::vector<int> feature_cols;
  std::vector<std::pair<std::string, int>> provenance_cols;  // present provenance columns
};

// Reads up to and including the header. Blank lines and '#' lines before it are skipped:
// files written before provenance moved to the sidecar began with a '# ' line.
TableHeader read_header(std::istream& in, const std::string& path, long& row) {
  std::string line;
  do {
    if (!read_csv_record(in, line, row)) throw file_error(path, "feature file is empty (no header)");
  } while (line.empty() || line == "\r" || line[0] == '#');

  TableHeader h;
  h.delimiter = line.find(';') != std::string::npos ? ';' : ',';
  h.columns = split_csv_line(line, h.delimiter);
  if (h.delimiter == ';' && !h.columns.empty() && h.columns.back().empty()) h.columns.pop_back();  // openSMILE's trailing ';'
  for (auto& c : h.columns) c = strip_single_quotes(c);
  const auto find = [&](const std::string& n) {
    const auto it = std::find(h.columns.begin(), h.columns.end(), n);
    return it == h.columns.end() ? -1 : static_cast<int>(it - h.columns.begin());
  };
  h.name_col = find("name"), h.speaker_col = find("speaker"), h.label_col = find("label");
  if (h.name_col < 0) throw table_error(path, row, 0, "header has no 'name' column");
  std::set<std::string> seen;
  for (int c = 0; c < static_cast<int>(h.columns.size()); ++c) {
    const std::string& column = h.columns[static_cast<std::size_t>(c)];
    if (!seen.insert(column).second) throw table_error(path, row, c + 1, "duplicate column '" + column + "'");
    if (!is_metadata_column(column)) h.feature_cols.push_back(c);
  }
  if (h.feature_cols.empty()) throw table_error(path, row, 0, "header has no feature columns");
  for (const auto& p : provenance_columns())
    if (const int c = find(p); c >= 0) h.provenance_cols.emplace_back(p, c);
  return h;
}

// One record's fields, checked against the header's width.
std::vector<std::string> row_fields(const std::string& line, const TableHeader& h, const std::string& path, long row) {
  std::vector<std::string> fields;
  try {
    fields = split_csv_line(line, h.delimiter);
  } catch (const Error& e) {
    throw table_error(path, row, 0, e.what());
  }
  if (h.delimiter == ';' && fields.size() == h.columns.size() + 1 && fields.back().empty()) fields.pop_back();
  if (fields.size() != h.columns.size())
    throw table_error(path, row, 0, "has " + std::to_string(fields.size()) + " fields, the header has " + std::to_string(h.columns.size()));
  return fields;
}

// Appends one row; speaker and label come from their columns, else from an EMO-DB name.
void append_row(FeatureTable& t, const TableHeader& h, const std::vector<std::string>& fields, const std::string& path, long row,
                std::set<std::string>& seen_names) {
  std::string name = read_name(fields[static_cast<std::size_t>(h.name_col)], h.delimiter);
  if (name.empty()) throw table_error(path, row, h.name_col + 1, "empty name");
  if (!seen_names.insert(name).second) throw table_error(path, row, h.name_col + 1, "duplicate row name '" + name + "'");
  std::string speaker = h.speaker_col >= 0 ? read_text_field(fields[static_cast<std::size_t>(h.speaker_col)]) : "";
  std::string label = h.label_col >= 0 ? read_text_field(fields[static_cast<std::size_t>(h.label_col)]) : "";
  if (h.speaker_col < 0 || h.label_col < 0) {
    if (auto parsed = parse_emodb_name(name)) {
      if (h.speaker_col < 0) speaker = parsed->speaker;
      if (h.label_col < 0) label = parsed->label;
    }
  }
  for (std::size_t i = 0; i < h.feature_cols.size(); ++i) {
    const int c = h.feature_cols[i];
    t.values.push_back(parse_value(fields[static_cast<std::size_t>(c)], path, row, c + 1, t.feature_names[i]));
  }
  for (const auto& [column, c] : h.provenance_cols) t.extras[column].push_back(read_text_field(fields[static_cast<std::size_t>(c)]));
  t.lines.push_back(row);
  t.names.push_back(std::move(name));
  t.speakers.push_back(std::move(speaker));
  t.labels.push_back(std::move(label));
}

}  // namespace

FeatureTable parse_feature_table(std::istream& in, const std::string& path) {
  long row = 0;
  const TableHeader h = read_header(in, path, row);
  FeatureTable t;
  for (int c : h.feature_cols) t.feature_names.push_back(h.columns[static_cast<std::size_t>(c)]);
  std::set<std::string> seen_names;
  std::string line;
  long lines_read = row;
  while (true) {
    row = lines_read + 1;  // a record's first line names it in messages
    if (!read_csv_record(in, line, lines_read, h.delimiter)) break;
    if (line.empty() || line == "\r") continue;
    append_row(t, h, row_fields(line, h, path, row), path, row, seen_names);
  }
  if (t.rows() == 0) throw file_error(path, "feature file has a header but no rows");
  return t;
}

namespace {

// Provenance goes to "<path>.json" beside the table, so that the CSV itself is plain
// (pandas.read_csv, R and spreadsheets load it as it is).
std::string provenance_json(const std::vector<std::string>& comment) {
  return nlohmann::json{{"format", "seraug-features"}, {"provenance", comment}}.dump(2) + "\n";
}

}  // namespace

void check_feature_table(const FeatureTable& table, const std::string& source) {
  const std::size_t rows = table.rows();
  if (table.speakers.size() != rows || table.labels.size() != rows)
    throw file_error(source, std::to_string(rows) + " row names but " + std::to_string(table.speakers.size()) + " speakers and " +
                                 std::to_string(table.labels.size()) + " labels");
  if (table.values.size() != rows * table.dims())
    throw file_error(source, "values hold " + std::to_string(table.values.size()) + " numbers, expected rows x columns = " +
                                 std::to_string(rows) + " x " + std::to_string(table.dims()));
  for (std::size_t r = 0; r < rows; ++r) {
    const double* v = table.row(r);
    for (std::size_t d = 0; d < table.dims(); ++d) {
      if (std::isfinite(v[d]) && std::fabs(v[d]) <= kMaxFeatureMagnitude) continue;
      throw file_error(source, "row " + std::to_string(r + 1) + " ('" + table.names[r] + "'), column '" + table.feature_names[d] +
                                   "': value " + format_value(v[d]) + (std::isfinite(v[d]) ? " is outside the supported range (magnitude <= 1e30)" : " is not finite"));
    }
  }
}

std::string provenance_sidecar_path(const std::string& table_path) { return table_path + ".json"; }

void write_feature_table(const std::string& path, const FeatureTable& table, const std::vector<std::string>& comment) {
  write_feature_table_with_sidecar(path, table, provenance_json(comment));
}

void write_feature_table_with_sidecar(const std::string& path, const FeatureTable& table, const std::string& sidecar_json) {
  if (table.values.size() != table.rows() * table.dims())
    throw file_error(path, "internal error: value count does not match rows x columns");
  AtomicFile file(path);
  AtomicFile sidecar(provenance_sidecar_path(path));
  std::ostream& out = file.stream();
  out << "name,speaker,label";
  for (const auto& [column, _] : table.extras) out << ',' << column;
  for (const auto& f : table.feature_names) out << ',' << csv_field(f);
  out << '\n';
  for (std::size_t r = 0; r < table.rows(); ++r) {
    out << csv_text_field(table.names[r]) << ',' << csv_text_field(table.speakers[r]) << ',' << csv_text_field(table.labels[r]);
    for (const auto& [column, values] : table.extras) out << ',' << csv_text_field(values.at(r));
    const double* v = table.row(r);
    for (std::size_t d = 0; d < table.dims(); ++d) {
      if (!std::isfinite(v[d])) throw table_error(path, static_cast<long>(r) + 2, static_cast<long>(d) + 4, "refusing to write a non-finite value");
      if (std::fabs(v[d]) > kMaxFeatureMagnitude)
        throw table_error(path, static_cast<long>(r) + 2, static_cast<long>(d) + 4,
                          "refusing to write a value outside the supported range (magnitude <= 1e30)");
      out << ',' << format_value(v[d]);
    }
    out << '\n';
  }
  sidecar.stream() << sidecar_json;
  // The sidecar first: a table is never newer than its description.
  sidecar.commit();
  file.commit();
}

namespace {

// A non-empty value of `field` (speaker or label) must agree across the tables.
void require_same(std::string& joined, const std::string& value, const char* field, const std::string& row, const std::string& source) {
  if (value.empty()) return;
  if (joined.empty()) joined = value;
  else if (joined != value)
    throw file_error(source, "row '" + row + "' has " + field + " '" + value + "', another fused file '" + joined + "'");
}

}  // namespace

FeatureTable join_feature_tables(const std::vector<FeatureTable>& tables, const std::vector<std::string>& sources) {
  if (tables.empty() || tables.size() != sources.size()) throw Error("fusion: give one source name per table");
  std::vector<std::unordered_map<std::string, std::size_t>> row_of(tables.size());
  std::set<std::string> columns;
  FeatureTable out;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    if (!tables[t].extras.empty()) throw file_error(sources[t], "holds synthetic rows (provenance columns); fusion takes feature files of real clips");
    for (std::size_t r = 0; r < tables[t].rows(); ++r) row_of[t][tables[t].names[r]] = r;
    if (row_of[t].size() != tables[0].rows())
      throw file_error(sources[t], "has " + std::to_string(tables[t].rows()) + " rows, " + sources[0] + " has " + std::to_string(tables[0].rows()));
    // Sets share column names with other meanings (IS10's and ComParE's mfcc_sma[1]_maxPos),
    // so every column is tagged with its file's stem: "is10:mfcc_sma[1]_maxPos".
    const std::string tag = std::filesystem::path(sources[t]).stem().string() + ":";
    for (const auto& c : tables[t].feature_names) {
      if (!columns.insert(tag + c).second) throw file_error(sources[t], "column '" + tag + c + "' is also in another fused file (rename one of the files)");
      out.feature_names.push_back(tag + c);
    }
  }
  for (std::size_t r = 0; r < tables[0].rows(); ++r) {
    const std::string& name = tables[0].names[r];
    std::string speaker, label;
    for (std::size_t t = 0; t < tables.size(); ++t) {
      const auto it = row_of[t].find(name);
      if (it == row_of[t].end()) throw file_error(sources[t], "has no row '" + name + "' (it is in " + sources[0] + ")");
      require_same(speaker, tables[t].speakers[it->second], "speaker", name, sources[t]);
      require_same(label, tables[t].labels[it->second], "label", name, sources[t]);
      out.values.insert(out.values.end(), tables[t].row(it->second), tables[t].row(it->second) + tables[t].dims());
    }
    out.names.push_back(name);
    out.speakers.push_back(speaker);
    out.labels.push_back(label);
    out.lines.push_back(tables[0].lines.empty() ? 0 : tables[0].lines[r]);
  }
  return out;
}

std::vector<ColumnBlock> column_blocks(const std::vector<std::string>& feature_names) {
  std::vector<ColumnBlock> blocks;
  for (std::size_t c = 0; c < feature_names.size(); ++c) {
    const auto colon = feature_names[c].find(':');
    const std::string tag = colon == std::string::npos ? "" : feature_names[c].substr(0, colon);
    auto it = std::find_if(blocks.begin(), blocks.end(), [&](const ColumnBlock& b) { return b.tag == tag; });
    if (it == blocks.end()) it = blocks.insert(blocks.end(), ColumnBlock{tag, {}});
    it->columns.push_back(c);
  }
  return blocks;
}

void append_feature_rows(FeatureTable& to, const FeatureTable& more) {
  if (to.feature_names.empty() && to.rows() == 0) to.feature_names = more.feature_names;
  if (to.feature_names != more.feature_names) throw Error("feature tables with different columns cannot be stacked");
  to.names.insert(to.names.end(), more.names.begin(), more.names.end());
  to.speakers.insert(to.speakers.end(), more.speakers.begin(), more.speakers.end());
  to.labels.insert(to.labels.end(), more.labels.begin(), more.labels.end());
  to.values.insert(to.values.end(), more.values.begin(), more.values.end());
}

}  // namespace seraug
