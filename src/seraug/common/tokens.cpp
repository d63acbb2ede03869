#include "seraug/common/tokens.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace seraug {

std::optional<long long> parse_unsigned_token(std::string_view text, long long maximum) {
  if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits fit a long long
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > maximum) return std::nullopt;
  return value;
}

std::optional<double> parse_finite_number_token(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);
  const unsigned char first = static_cast<unsigned char>(copy.front());
  if (!(std::isdigit(first) || first == '-' || first == '+' || first == '.')) return std::nullopt;  // no blanks, no "nan"
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::size_t> control_character_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return i;
  }
  return std::nullopt;
}

std::string printable(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}

namespace {

// Every `name` in message, replaced by spell(name).
template <typename Spell>
std::string respelled(std::string_view message, Spell spell) {
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    const std::size_t open = message.find('`', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = message.find('`', open + 1);
    if (close == std::string_view::npos) break;
    const std::string_view name = message.substr(open + 1, close - open - 1);
    const bool is_name = !name.empty() && std::isalpha(static_cast<unsigned char>(name.front())) &&
                         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == std::string_view::npos;
    out.append(message.substr(i, open - i));
    if (is_name) {
      out += spell(std::string(name));
      i = close + 1;
    } else {
      out += '`';
      i = open + 1;
    }
  }
  out.append(message.substr(std::min(i, message.size())));
  return out;
}

}  // namespace

std::string in_cli_terms(std::string_view message) {
  return respelled(message, [](std::string name) {
    for (char& c : name)
      if (c == '_' || c == '.') c = '-';
    return "--" + name;
  });
}

std::string in_python_terms(std::string_view message) {
  return respelled(message, [](std::string name) { return name; });
}

}  // namespace seraug
