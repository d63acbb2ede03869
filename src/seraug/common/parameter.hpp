// Declared parameters: one row {name, type, default, range or choices, help} per setting,
// and the readers, checks, flags and docs derived from the rows.
//
// A component declares its settings once (recipe_parameters(), dnn_fields(),
// gan_fields()); the TOML readers, the checks of values that front ends give as text
// (a CLI word, a Python value), the CLI flags (`--` + prefix + name with '-' for '_') and
// docs/parameters.md all come from that declaration, so every front end accepts and
// refuses the same values with the same message, naming the parameter as
// "<section>.<name>" (never a front end's spelling: the CLI and Python add theirs).
#pragma once

#include <cstdint>
#include <sstream>
#include <type_traits>
#include <string>
#include <toml++/toml.h>
#include <variant>
#include <vector>

#include "seraug/common/error.hpp"

namespace seraug {

enum class ParameterType { Boolean, Integer, Number, Text, Choice, IntegerList, TextList, NumberList };

struct Parameter {
  std::string name;                  // TOML key and Python keyword
  ParameterType type;
  std::string default_text;          // as TOML writes it; "" = unset (the parameter is optional)
  double minimum = 0, maximum = 0;   // Integer, Number, IntegerList and NumberList (each element): the range
  std::vector<std::string> choices;  // Choice, TextList (each element; empty = any text)
  std::string help;
  bool minimum_open = false, maximum_open = false;  // Number: (a, b] / [a, b) instead of [a, b]
  bool nonempty = false;                            // lists: at least one element
};

Parameter boolean_parameter(std::string name, std::string default_text, std::string help);
Parameter integer_parameter(std::string name, std::string default_text, double lo, double hi, std::string help);
// Bounds as written: "[0, 1)" is number_parameter(..., 0, 1, false, true).
Parameter number_parameter(std::string name, std::string default_text, double lo, double hi, std::string help,
                           bool lo_open = false, bool hi_open = false);
Parameter choice_parameter(std::string name, std::string default_text, std::vector<std::string> choices, std::string help);
Parameter text_parameter(std::string name, std::string default_text, std::string help);
Parameter integer_list_parameter(std::string name, std::string default_text, double lo, double hi, std::string help,
                                 bool nonempty = true);
Parameter number_list_parameter(std::string name, std::string default_text, double lo, double hi, std::string help, bool nonempty);
Parameter text_list_parameter(std::string name, std::string default_text, std::vector<std::string> choices, std::string help,
                              bool nonempty);

// A TOML value checked against its declaration: wrong type, out of range or not a choice
// throws seraug::Error("<where> must be …, got …"). Returns the value's canonical TOML
// text ("0.5", "true", "[256, 128]"; a string without quotes).
std::string checked_value(const Parameter& p, const toml::node& node, const std::string& where);

// The same check for a value a front end gives as text: "0.5", "true", "256,128" (or
// "[256, 128]"), "speaker". Control characters are refused.
std::string checked_text(const Parameter& p, const std::string& text, const std::string& where);

// "boolean", "integer", "number", "string", "choice", "integers" (docs, Python).
std::string type_name(ParameterType type);

// "select_keep" -> "--select-keep"; with a prefix "dnn": "--dnn-select-keep".
std::string flag_of(const std::string& name, const std::string& prefix = "");

// "1 .. 1e+06", "[0, 1)", "`a`, `b`" or "" (for the docs).
std::string range_text(const Parameter& p);

// A markdown table of parameters: name, flag (with the prefix; "–" for the names in
// `no_flag`, which only a file sets), type, default, range, help.
std::string parameters_table_markdown(const std::vector<Parameter>& parameters, const std::string& flag_prefix,
                                      const std::vector<std::string>& no_flag = {});

// One declared setting of a settings struct S, bound to its member.
template <typename S>
struct Field {
  Parameter parameter;
  std::variant<bool S::*, int S::*, std::size_t S::*, double S::*, std::string S::*, std::vector<int> S::*,
               std::vector<std::size_t> S::*, std::vector<double> S::*, std::vector<std::string> S::*>
      member;
};

// Epochs, batch sizes and patience beyond a million are typos (or wrapped integers),
// never settings: their declarations stop there, so that a run cannot last for days or
// allocate the impossible.
inline constexpr int kMaxSettingCount = 1000000;

template <typename S>
std::vector<Parameter> parameters_of(const std::vector<Field<S>>& fields) {
  std::vector<Parameter> out;
  for (const auto& f : fields) out.push_back(f.parameter);
  return out;
}

namespace parameter_detail {
template <typename T>
T node_as(const toml::node& node) {
  if constexpr (std::is_same_v<T, bool>) return *node.value_exact<bool>();
  else if constexpr (std::is_integral_v<T>) return static_cast<T>(*node.value_exact<int64_t>());
  else if constexpr (std::is_same_v<T, double>) return *node.value<double>();
  else return *node.value_exact<std::string>();
}
template <typename T>
struct is_vector : std::false_type {};
template <typename E>
struct is_vector<std::vector<E>> : std::true_type {};

// (The node was checked against the field's declaration: its type is the member's.)
template <typename S>
void assign_node(const Field<S>& f, S& s, const toml::node& node) {
  std::visit(
      [&](auto member) {
        using T = std::remove_reference_t<decltype(s.*member)>;
        if constexpr (is_vector<T>::value) {
          T values;
          for (const auto& item : *node.as_array()) values.push_back(node_as<typename T::value_type>(item));
          s.*member = values;
        } else {
          s.*member = node_as<T>(node);
        }
      },
      f.member);
}
template <typename T>
void insert_value(toml::array& a, const T& v) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) a.push_back(static_cast<int64_t>(v));
  else a.push_back(v);
}
toml::table node_table_of(const std::string& canonical, const Parameter& p);  // {"v": value}
}  // namespace parameter_detail

// A TOML value as TOML writes it: 0.5, true, "speaker", [256, 128].
std::string toml_value_text(const toml::node& node);

// The member's value as a TOML value (for the checks and for provenance).
template <typename S>
toml::table field_as_table(const Field<S>& f, const S& s) {
  toml::table t;
  std::visit(
      [&](auto member) {
        using T = std::remove_cvref_t<decltype(s.*member)>;
        if constexpr (parameter_detail::is_vector<T>::value) {
          toml::array a;
          for (const auto& v : s.*member) parameter_detail::insert_value(a, v);
          t.insert("v", std::move(a));
        } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          t.insert("v", static_cast<int64_t>(s.*member));
        } else {
          t.insert("v", s.*member);
        }
      },
      f.member);
  return t;
}

// The fields with each default_text taken from a default-constructed S (the defaults
// are the struct's, stated once).
template <typename S>
std::vector<Field<S>> with_defaults(std::vector<Field<S>> fields) {
  const S defaults{};
  for (auto& f : fields) f.parameter.default_text = toml_value_text(*field_as_table(f, defaults).get("v"));
  return fields;
}

// A TOML value's text ("0.5", "\"speaker\"", "[1, 2]") checked as the TOML reader
// checks its key: what Python's typed values become, so that dnn={"mapping": 3} gets the
// file's message. A text that is no TOML value is refused.
std::string checked_toml_text(const Parameter& p, const std::string& text, const std::string& where);

// How a front end spells values: as words typed on a command line (checked_text) or as
// TOML values (checked_toml_text).
enum class ValueSyntax { Word, Toml };

// Sets the field from a value a front end gave as text, with the checks of its syntax.
template <typename S>
void set_field_text(const Field<S>& f, S& s, const std::string& text, const std::string& where, ValueSyntax syntax = ValueSyntax::Word) {
  const std::string canonical =
      syntax == ValueSyntax::Word ? checked_text(f.parameter, text, where) : checked_toml_text(f.parameter, text, where);
  const toml::table t = parameter_detail::node_table_of(canonical, f.parameter);
  parameter_detail::assign_node(f, s, *t.get("v"));
}

// The fields' keys of one TOML table into s; an unknown key, a wrong type or a value out
// of range throws "<file>: <section>.<key> …".
template <typename S>
void read_fields(const toml::table& table, const std::string& section, const std::string& file, const std::vector<Field<S>>& fields,
                 S& s) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const Field<S>* field = nullptr;
    for (const auto& f : fields)
      if (f.parameter.name == name) field = &f;
    if (!field) throw file_error(file, section + "." + name + " is not a [" + section + "] parameter (docs/parameters.md lists them)");
    try {
      checked_value(field->parameter, node, section + "." + name);
    } catch (const Error& e) {
      throw file_error(file, e.what());
    }
    parameter_detail::assign_node(*field, s, node);
  }
}

// Every field's current value checked against its declaration (values set in code or by
// an older reader); throws "<section>.<name> must be …".
template <typename S>
void validate_fields(const std::vector<Field<S>>& fields, const S& s, const std::string& section) {
  for (const auto& f : fields) {
    const toml::table t = field_as_table(f, s);
    checked_value(f.parameter, *t.get("v"), section + "." + f.parameter.name);
  }
}

// The fields as a TOML section body ("name = value" lines, declaration order).
template <typename S>
std::string fields_toml(const std::vector<Field<S>>& fields, const S& s) {
  std::string out;
  for (const auto& f : fields) out += f.parameter.name + " = " + toml_value_text(*field_as_table(f, s).get("v")) + "\n";
  return out;
}

}  // namespace seraug
