// Parsing a whole TOML text with errors that name the file, line and column (internal to
// the config readers; the keys are read by their declarations, common/parameter.hpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <toml++/toml.h>
#include <type_traits>
#include <vector>

#include "seraug/common/error.hpp"
#include "seraug/common/parameter.hpp"  // kMaxSettingCount

namespace seraug {


// A whole TOML text; a syntax error becomes seraug::Error "<name>: TOML syntax error at
// line:column: <description>".
inline toml::table parse_toml(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw file_error(name, "TOML syntax error at line " + std::to_string(begin.line) + ", column " + std::to_string(begin.column) + ": " +
                               std::string(e.description()));
  }
}

}  // namespace seraug
