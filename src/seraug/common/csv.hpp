// Minimal CSV field splitting shared by every table reader: RFC-4180 double quotes,
// plus openSMILE's habit of wrapping names in single quotes ('03a01Fa.wav').
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seraug {

// Splits one line (without its newline; a trailing '\r' is dropped) on `delimiter`.
// Throws seraug::Error on an unterminated quote.
std::vector<std::string> split_csv_line(std::string_view line, char delimiter);

// Quotes a field if it contains the delimiter, a quote or a newline.
std::string csv_field(std::string_view text, char delimiter = ',');

// Removes one pair of surrounding single quotes, if present.
std::string strip_single_quotes(std::string_view text);

}  // namespace seraug
