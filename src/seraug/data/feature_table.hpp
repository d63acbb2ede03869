// Feature files: one row per utterance. Three layouts are read, detected from the header:
//  - seraug's own:      name,speaker,label,<features...>            (comma-separated)
//  - openSMILE's CSV:   name;frameTime;<features...>;class          (';', names in '...')
//  - the reference set: name,<features...>                          (comma-separated)
// Where a file has no speaker/label columns they come from EMO-DB names when possible.
//
// Values are rows x dims, row-major doubles. Every value is finite and at most
// kMaxFeatureMagnitude in magnitude; anything else is rejected with the file, row and
// column in the message. (No acoustic feature comes near 1e30; the bound keeps sums of
// squares over any number of rows finite, so statistics never overflow.)
//
// Names, speakers and labels are written neutralised against spreadsheet formulas and
// quoted where needed (common/csv.hpp) and read back unchanged, newlines included.
// Provenance lives in a sidecar "<table>.json"; '#' lines before the header (files of
// earlier versions) are skipped, a UTF-8 byte-order mark is ignored.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>
#include <map>

namespace seraug {

inline constexpr double kMaxFeatureMagnitude = 1e30;

struct FeatureTable {
  std::vector<std::string> feature_names;             // dims
  std::vector<std::string> names, speakers, labels;   // rows each (speaker/label may be "")
  std::vector<double> values;                         // rows * dims
  std::vector<long> lines;                            // source line of each row (0 if built in memory)
  // Provenance columns of synthetic-row files ("synthetic", "method", "seed", "sources":
  // ';'-separated names of the real rows a row derives from), per row.
  std::map<std::string, std::vector<std::string>> extras;

  std::size_t rows() const { return names.size(); }
  std::size_t dims() const { return feature_names.size(); }
  const double* row(std::size_t r) const { return values.data() + r * dims(); }
};

FeatureTable read_feature_table(const std::string& path);
// The same from a stream; `path` names it in messages.
FeatureTable parse_feature_table(std::istream& in, const std::string& path);
// The provenance column names kept in FeatureTable::extras, in file order.
const std::vector<std::string>& provenance_columns();

// Writes seraug's layout atomically (temporary file, then rename), with the `comment`
// lines (provenance: set, seraug version, options) in the sidecar
// provenance_sidecar_path(path) as JSON {"format": "seraug-features", "provenance": [...]}.
void write_feature_table(const std::string& path, const FeatureTable& table,
                         const std::vector<std::string>& comment = {});
std::string provenance_sidecar_path(const std::string& table_path);
// The same with the sidecar's JSON text given whole (feature_parts.hpp adds a part's fields).
void write_feature_table_with_sidecar(const std::string& path, const FeatureTable& table, const std::string& sidecar_json);

// Checks a table built in memory (the Python binding's arrays) as a file's values are
// checked when read: one name, speaker and label per row, values = rows x dims, every
// value finite and within kMaxFeatureMagnitude. Throws seraug::Error naming `source`, the
// row (its name) and the column.
void check_feature_table(const FeatureTable& table, const std::string& source);

// Early fusion: the tables' feature columns side by side, each tagged with its source's
// file stem ("is10:pcm_loudness_sma_amean"), rows joined by name in the first table's
// order. Throws seraug::Error naming the file and row or column when a row is missing
// from a table, speakers or labels disagree, two sources share a stem, or a table holds
// synthetic rows (provenance columns). `sources` names the tables (their paths).
// Appends `more`'s rows below `to`'s (same columns; `to` may be empty). Throws
// seraug::Error when the columns differ.
void append_feature_rows(FeatureTable& to, const FeatureTable& more);

FeatureTable join_feature_tables(const std::vector<FeatureTable>& tables, const std::vector<std::string>& sources);

// The columns of each fused source: names tagged "<tag>:" grouped by tag, in order of
// first appearance (columns without a tag form one block named ""). Late fusion trains
// one model per block.
struct ColumnBlock {
  std::string tag;
  std::vector<std::size_t> columns;
};
std::vector<ColumnBlock> column_blocks(const std::vector<std::string>& feature_names);

}  // namespace seraug
