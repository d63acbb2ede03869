// A settings struct read as one declared TOML table ([analyze], [serve], ...): from a file,
// or from the (name, text) pairs a front end was given. Both check every value with its
// row (seraug/common/parameter.hpp) and then the struct's own validate().
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/parameter.hpp"
#include "seraug/common/toml_reader.hpp"

namespace seraug {

// The [section] table of the TOML file at `path` (other tables are ignored; absent: the
// defaults). Throws seraug::Error naming the file and the key.
template <typename S>
S load_declared_section(const std::string& path, const std::string& section, const std::vector<Field<S>>& fields) {
  const toml::table file = parse_toml(read_file_text(path, kMaxTextInputBytes, "configuration"), path);
  S s;
  if (const auto* table = file.get_as<toml::table>(section)) read_fields(*table, section, path, fields, s);
  else if (file.contains(section)) throw file_error(path, section + " must be a table ([" + section + "])");
  try {
    s.validate();
  } catch (const Error& e) {
    throw file_error(path, e.what());
  }
  return s;
}

// `s` with the given settings (name, text in `syntax`) set over it, each checked by its
// row; then s.validate(). Throws "<section>.<name> …".
template <typename S>
S with_declared_settings(S s, const std::string& section, const std::vector<Field<S>>& fields,
                         const std::vector<std::pair<std::string, std::string>>& given, ValueSyntax syntax) {
  for (const auto& setting : given) {
    const std::string& name = setting.first;
    const auto f = std::find_if(fields.begin(), fields.end(), [&](const auto& x) { return x.parameter.name == name; });
    if (f == fields.end())
      throw Error(section + "." + name + " is not one of the [" + section + "] parameters (docs/parameters.md lists them)");
    set_field_text(*f, s, setting.second, section + "." + name, syntax);
  }
  s.validate();
  return s;
}

}  // namespace seraug
