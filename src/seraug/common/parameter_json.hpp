// Declared settings as JSON (provenance in model.json and the evaluation JSON): each
// field under its declared name, so the sidecars name settings as TOML and Python do.
#pragma once

#include <nlohmann/json.hpp>

#include "seraug/common/parameter.hpp"

namespace seraug {

template <typename S>
nlohmann::json fields_json(const std::vector<Field<S>>& fields, const S& s) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : fields) std::visit([&](auto member) { j[f.parameter.name] = s.*member; }, f.member);
  return j;
}

}  // namespace seraug
