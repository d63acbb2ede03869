// CSV reading and writing shared by every table reader and writer: RFC-4180 double
// quotes (fields may hold the delimiter, quotes and newlines), plus openSMILE's habit of
// wrapping names in single quotes ('03a01Fa.wav').
//
// Text fields that people name (file names, speakers, labels) are written so that a
// spreadsheet never runs them and every reader of ours gets them back unchanged:
//  - a field beginning with '=', '+', '-', '@', a tab or a carriage return (a formula in
//    Excel, LibreOffice and Google Sheets) is written with a leading single quote, the
//    spreadsheets' own "this is text" mark; so is a field that already begins with one;
//  - a field beginning with '#' is quoted, so that no reader takes its row for a comment.
// read_text_field() undoes the first; quotes are undone by split_csv_line().
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace seraug {

// Splits one record (without its final newline; a trailing '\r' is dropped) on
// `delimiter`. Throws seraug::Error on an unterminated quote.
std::vector<std::string> split_csv_line(std::string_view line, char delimiter);

// Reads the next record: one line, or several when a quoted field holds newlines.
// `line_number` is advanced by the lines consumed; the first line of a stream loses a
// UTF-8 byte-order mark. Returns false at the end of the stream.
bool read_csv_record(std::istream& in, std::string& record, long& line_number, char delimiter = ',');

// Quotes a field if it contains the delimiter, a quote, a newline or begins with '#'.
std::string csv_field(std::string_view text, char delimiter = ',');
// A field people name, neutralised against spreadsheet formulas, then quoted as needed.
std::string csv_text_field(std::string_view text, char delimiter = ',');
// The name written by csv_text_field, back as it was (after split_csv_line).
std::string read_text_field(std::string_view field);

// Removes one pair of surrounding single quotes, if present.
std::string strip_single_quotes(std::string_view text);

// Drops a UTF-8 byte-order mark at the start of `text`, if there is one.
void strip_byte_order_mark(std::string& text);

}  // namespace seraug
