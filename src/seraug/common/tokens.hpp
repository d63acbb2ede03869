// Whole-token parsing of numbers typed by people or set by schedulers.
//
// std::stoi and strtol stop at the first character that is not part of a number, so
// "4x" reads as 4 and "1e3" as 1 (issue 32, class 7: `--shard 1/1e3` extracted
// everything). These parse the whole token or nothing: digits only for integers (no
// sign, blanks, exponent or suffix), and they report overflow instead of wrapping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seraug {

// "42" -> 42; nullopt for "", "+4", " 4", "4x", "1e3", "-1" and anything above `maximum`.
std::optional<long long> parse_unsigned_token(std::string_view text, long long maximum);

// A decimal number as strtod reads it, the whole token and finite; nullopt otherwise
// ("1.1x", "nan", "inf", "", " 1").
std::optional<double> parse_finite_number_token(std::string_view text);

// The first control character (bytes 0x00-0x1F and 0x7F: newline, tab, escape...) in
// `text`, as its position; nullopt when there is none.
std::optional<std::size_t> control_character_at(std::string_view text);

// "\n" -> "\\n", "\x1b" -> "\\x1b": a value made printable for an error message.
std::string printable(std::string_view text);

// Library messages name a parameter in backticks, as the API spells it: `enroll_clips`,
// `gan.source`. Each front end shows its own spelling: the CLI its flag (--enroll-clips,
// --gan-source), Python the keyword (enroll_clips, gan.source). Only a letter, then letters,
// digits, '_' and '.', between backticks is a name; any other backtick stays as it is.
std::string in_cli_terms(std::string_view message);
std::string in_python_terms(std::string_view message);

}  // namespace seraug
