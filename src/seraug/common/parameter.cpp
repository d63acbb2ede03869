#include "seraug/common/parameter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "seraug/common/tokens.hpp"

namespace seraug {
namespace {

// The shortest text that reads back as exactly v (0.3, not 0.29999999999999999): what a
// message or a canonical value shows.
std::string number_text(double v) {
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string short_number(double v) {  // for the docs: 1e-12, 50, 1e+07
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool in_range(const Parameter& p, double v) {
  const bool above = p.minimum_open ? v > p.minimum : v >= p.minimum;
  const bool below = p.maximum_open ? v < p.maximum : v <= p.maximum;
  return above && below;
}

// The range as a message shows it: integers "1..50", numbers "[0, 1)".
std::string range_in_message(const Parameter& p) {
  if (p.type == ParameterType::Number || p.type == ParameterType::NumberList)
    return std::string(p.minimum_open ? "(" : "[") + number_text(p.minimum) + ", " + number_text(p.maximum) + (p.maximum_open ? ")" : "]");
  return number_text(p.minimum) + ".." + number_text(p.maximum);
}

std::string checked_integer(const Parameter& p, const toml::node& node, const std::string& where, const char* what) {
  const auto v = node.value_exact<int64_t>();
  if (!v) throw Error(where + " must be " + what + ", got " + toml_value_text(node));
  if (!in_range(p, static_cast<double>(*v)))
    throw Error(where + " must be in " + range_in_message(p) + ", got " + std::to_string(*v));
  return std::to_string(*v);
}

std::string choices_text(const Parameter& p) {
  std::string known;
  for (const auto& c : p.choices) known += (known.empty() ? "" : ", ") + c;
  return known;
}

std::string checked_number(const Parameter& p, const toml::node& node, const std::string& where) {
  const auto v = node.is_number() ? node.value<double>() : std::nullopt;
  if (!v || !std::isfinite(*v)) throw Error(where + " must be a finite number, got " + toml_value_text(node));
  if (!in_range(p, *v)) throw Error(where + " must be in " + range_in_message(p) + ", got " + number_text(*v));
  return number_text(*v);
}

std::string checked_string(const Parameter& p, const toml::node& node, const std::string& where) {
  const auto v = node.value_exact<std::string>();
  if (!v) throw Error(where + " must be a string, got " + toml_value_text(node));
  if (control_character_at(*v)) throw Error(where + " contains a control character: \"" + printable(*v) + "\"");
  if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), *v) == p.choices.end())
    throw Error(where + " is '" + *v + "', not one of: " + choices_text(p));
  return *v;
}

const char* element_kind(const Parameter& p) {
  return p.type == ParameterType::IntegerList ? "integers, e.g. [256, 128]" : p.type == ParameterType::NumberList ? "numbers" : "strings";
}

// One element of a list parameter, as TOML writes it.
std::string checked_element(const Parameter& p, const toml::node& item, const std::string& where) {
  if (p.type == ParameterType::IntegerList) return checked_integer(p, item, where, "an integer");
  if (p.type == ParameterType::NumberList) return checked_number(p, item, where);
  return "\"" + checked_string(p, item, where) + "\"";
}

}  // namespace

Parameter boolean_parameter(std::string name, std::string default_text, std::string help) {
  return {std::move(name), ParameterType::Boolean, std::move(default_text), 0, 0, {}, std::move(help)};
}
Parameter integer_parameter(std::string name, std::string default_text, double lo, double hi, std::string help) {
  return {std::move(name), ParameterType::Integer, std::move(default_text), lo, hi, {}, std::move(help)};
}
Parameter number_parameter(std::string name, std::string default_text, double lo, double hi, std::string help, bool lo_open,
                           bool hi_open) {
  return {std::move(name), ParameterType::Number, std::move(default_text), lo, hi, {}, std::move(help), lo_open, hi_open};
}
Parameter choice_parameter(std::string name, std::string default_text, std::vector<std::string> choices, std::string help) {
  return {std::move(name), ParameterType::Choice, std::move(default_text), 0, 0, std::move(choices), std::move(help)};
}
Parameter text_parameter(std::string name, std::string default_text, std::string help) {
  return {std::move(name), ParameterType::Text, std::move(default_text), 0, 0, {}, std::move(help)};
}
Parameter integer_list_parameter(std::string name, std::string default_text, double lo, double hi, std::string help, bool nonempty) {
  Parameter p{std::move(name), ParameterType::IntegerList, std::move(default_text), lo, hi, {}, std::move(help)};
  p.nonempty = nonempty;
  return p;
}
Parameter number_list_parameter(std::string name, std::string default_text, double lo, double hi, std::string help, bool nonempty) {
  Parameter p{std::move(name), ParameterType::NumberList, std::move(default_text), lo, hi, {}, std::move(help)};
  p.nonempty = nonempty;
  return p;
}
Parameter text_list_parameter(std::string name, std::string default_text, std::vector<std::string> choices, std::string help,
                              bool nonempty) {
  Parameter p{std::move(name), ParameterType::TextList, std::move(default_text), 0, 0, std::move(choices), std::move(help)};
  p.nonempty = nonempty;
  return p;
}

std::string toml_value_text(const toml::node& node) {
  if (const auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  if (const auto i = node.value_exact<int64_t>()) return std::to_string(*i);
  if (const auto d = node.value_exact<double>()) return number_text(*d);
  if (const auto s = node.value_exact<std::string>()) return "\"" + printable(*s) + "\"";
  if (const auto* a = node.as_array()) {
    std::string out = "[";
    for (const auto& item : *a) out += (out.size() > 1 ? ", " : "") + toml_value_text(item);
    return out + "]";
  }
  return "a table";
}

std::string checked_value(const Parameter& p, const toml::node& node, const std::string& where) {
  switch (p.type) {
    case ParameterType::Boolean:
      if (const auto v = node.value_exact<bool>()) return *v ? "true" : "false";
      throw Error(where + " must be true or false, got " + toml_value_text(node));
    case ParameterType::Integer:
      return checked_integer(p, node, where, "an integer");
    case ParameterType::Number:
      return checked_number(p, node, where);
    case ParameterType::IntegerList:
    case ParameterType::NumberList:
    case ParameterType::TextList: {
      const toml::array* a = node.as_array();
      if (!a || (p.nonempty && a->empty()))
        throw Error(where + " must be a" + std::string(p.nonempty ? " non-empty" : "") + " list of " + element_kind(p) + ", got " +
                    toml_value_text(node));
      std::string out = "[";
      for (const auto& item : *a) out += (out.size() > 1 ? ", " : "") + checked_element(p, item, where + " (each)");
      return out + "]";
    }
    case ParameterType::Text:
    case ParameterType::Choice:
      return checked_string(p, node, where);
  }
  return "";
}

namespace parameter_detail {

toml::table node_table_of(const std::string& canonical, const Parameter& p) {
  if (p.type == ParameterType::Text || p.type == ParameterType::Choice) {
    toml::table t;
    t.insert("v", canonical);
    return t;
  }
  return toml::parse("v = " + canonical);
}

}  // namespace parameter_detail

namespace {

// One word a front end typed as the TOML value it stands for: 12, 0.5, true, [1, 2]; a
// word that is no TOML value stays a string (the checks then say what was expected).
toml::table word_as_toml(const std::string& word) {
  try {
    toml::table t = toml::parse("v = " + word);
    if (t.size() == 1) return t;
  } catch (const toml::parse_error&) {
  }
  toml::table t;
  t.insert("v", word);
  return t;
}

}  // namespace

std::string checked_text(const Parameter& p, const std::string& text, const std::string& where) {
  if (control_character_at(text)) throw Error(where + " contains a control character: \"" + printable(text) + "\"");
  if (p.type == ParameterType::Text || p.type == ParameterType::Choice) return checked_value(p, toml::value<std::string>(text), where);
  if (p.type == ParameterType::Number) {
    // strtod's reading, not TOML's: a CLI user writes "1e-3" or ".5" as well.
    if (const auto v = parse_finite_number_token(text)) return checked_value(p, toml::value<double>(*v), where);
  }
  const bool list = p.type == ParameterType::IntegerList || p.type == ParameterType::NumberList || p.type == ParameterType::TextList;
  if (list && (text.empty() || text.front() != '[')) {
    toml::array items;  // "256,128": each word a value
    std::size_t start = 0;
    while (!text.empty() && start <= text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      items.push_back(*word_as_toml(text.substr(start, comma - start)).get("v"));
      start = comma + 1;
    }
    return checked_value(p, items, where);
  }
  const toml::table t = word_as_toml(text);
  return checked_value(p, *t.get("v"), where);
}

std::string checked_toml_text(const Parameter& p, const std::string& text, const std::string& where) {
  toml::table t;
  try {
    t = toml::parse("v = " + text);
  } catch (const toml::parse_error&) {
    throw Error(where + ": " + printable(text) + " is not a TOML value");
  }
  if (t.size() != 1) throw Error(where + ": " + printable(text) + " is not one TOML value");
  return checked_value(p, *t.get("v"), where);
}

std::string type_name(ParameterType type) {
  static const char* const kNames[] = {"boolean", "integer", "number", "string", "choice", "integers", "strings", "numbers"};
  return kNames[static_cast<int>(type)];
}

std::string flag_of(const std::string& name, const std::string& prefix) {
  std::string flag = "--" + (prefix.empty() ? name : prefix + "_" + name);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::string range_text(const Parameter& p) {
  switch (p.type) {
    case ParameterType::Integer:
    case ParameterType::IntegerList:
      return short_number(p.minimum) + " .. " + short_number(p.maximum);
    case ParameterType::NumberList:
    case ParameterType::Number:
      return std::string(p.minimum_open ? "(" : "[") + short_number(p.minimum) + ", " + short_number(p.maximum) + (p.maximum_open ? ")" : "]");
    case ParameterType::TextList:
    case ParameterType::Choice: {
      std::string range;
      for (const auto& c : p.choices) range += (range.empty() ? "" : ", ") + ("`" + c + "`");
      return range;
    }
    default:
      return "";
  }
}

std::string parameters_table_markdown(const std::vector<Parameter>& parameters, const std::string& flag_prefix,
                                      const std::vector<std::string>& no_flag) {
  std::string out = "| name | flag | type | default | range or choices | meaning |\n|---|---|---|---|---|---|\n";
  for (const auto& p : parameters) {
    const std::string range = range_text(p);
    const bool flag = std::find(no_flag.begin(), no_flag.end(), p.name) == no_flag.end();
    std::string help;
    for (char c : p.help) help += c == '|' ? std::string("\\|") : std::string(1, c);  // (a '|' would end the cell)
    out += "| `" + p.name + "` | " + (flag ? "`" + flag_of(p.name, flag_prefix) + "`" : std::string("–")) + " | " + type_name(p.type) +
           " | " + (p.default_text.empty() ? "–" : "`" + p.default_text + "`") + " | " + (range.empty() ? "–" : range) + " | " + help +
           " |\n";
  }
  return out;
}

}  // namespace seraug
