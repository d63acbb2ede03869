// Feature files: one row per utterance. Three layouts are read, detected from the header:
//  - seraug's own:      name,speaker,label,<features...>            (comma-separated)
//  - openSMILE's CSV:   name;frameTime;<features...>;class          (';', names in '...')
//  - the reference set: name,<features...>                          (comma-separated)
// Where a file has no speaker/label columns they come from EMO-DB names when possible.
//
// Values are rows x dims, row-major doubles. Every value is finite; anything else is
// rejected with the file, row and column in the message.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>
#include <map>

namespace seraug {

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

// Writes seraug's layout atomically (temporary file, then rename). `comment` lines, if
// any, are written first prefixed with "# " (provenance: set, seraug version, options).
void write_feature_table(const std::string& path, const FeatureTable& table,
                         const std::vector<std::string>& comment = {});

}  // namespace seraug
