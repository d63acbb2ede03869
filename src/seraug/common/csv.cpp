#include "seraug/common/csv.hpp"

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// Characters that make a spreadsheet read a cell as a formula (OWASP's list), and the
// single quote that marks our neutralised fields.
bool needs_text_mark(char first) {
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' || first == '\'';
}

// Whether a quoted field is still open at the end of `record`, by the same rules as
// split_csv_line (a quote opens a field only at its start; "" inside is a quote).
bool has_open_quote(std::string_view record, char delimiter) {
  bool quoted = false, at_field_start = true;
  for (std::size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted) {
      if (c == '"' && i + 1 < record.size() && record[i + 1] == '"') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"' && at_field_start) {
      quoted = true;
    }
    at_field_start = !quoted && c == delimiter;
  }
  return quoted;
}

}  // namespace

std::vector<std::string> split_csv_line(std::string_view line, char delimiter) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == delimiter) {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  if (quoted) throw Error("unterminated quoted field");
  fields.push_back(std::move(field));
  return fields;
}

bool read_csv_record(std::istream& in, std::string& record, long& line_number, char delimiter) {
  const bool first = line_number == 0;
  if (!std::getline(in, record)) return false;
  ++line_number;
  if (first) strip_byte_order_mark(record);
  std::string more;
  while (has_open_quote(record, delimiter) && std::getline(in, more)) {
    ++line_number;
    record += '\n';
    record += more;
  }
  return true;
}

std::string csv_field(std::string_view text, char delimiter) {
  const bool comment_like = !text.empty() && text.front() == '#';
  if (!comment_like && text.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_text_field(std::string_view text, char delimiter) {
  if (!text.empty() && needs_text_mark(text.front())) return csv_field("'" + std::string(text), delimiter);
  return csv_field(text, delimiter);
}

std::string read_text_field(std::string_view field) {
  if (field.size() >= 2 && field.front() == '\'' && needs_text_mark(field[1])) return std::string(field.substr(1));
  return std::string(field);
}

std::string strip_single_quotes(std::string_view text) {
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') text = text.substr(1, text.size() - 2);
  return std::string(text);
}

void strip_byte_order_mark(std::string& text) {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
}

}  // namespace seraug
