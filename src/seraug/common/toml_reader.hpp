// Strict reading of one TOML table into typed fields (internal to the config readers):
// unknown keys and wrong types are errors naming the file and "section.key".
#pragma once

#include <set>
#include <string>
#include <toml++/toml.h>
#include <type_traits>
#include <vector>

#include "seraug/common/error.hpp"

namespace seraug {

class TableReader {
 public:
  TableReader(const toml::table& table, std::string name, std::string file)
      : table_(table), name_(std::move(name)), file_(std::move(file)) {}

  template <typename T>
  void read(const char* key, T& out) {
    known_.insert(key);
    const toml::node* node = table_.get(key);
    if (!node) return;
    if constexpr (std::is_same_v<T, bool>) {
      if (auto v = node->value_exact<bool>()) { out = *v; return; }
    } else if constexpr (std::is_integral_v<T>) {
      if (auto v = node->value_exact<int64_t>()) { out = static_cast<T>(*v); return; }
    } else if constexpr (std::is_floating_point_v<T>) {
      if (auto v = node->value<double>()) { out = *v; return; }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = node->value_exact<std::string>()) { out = *v; return; }
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      if (const auto* array = node->as_array()) {
        std::vector<std::string> values;
        for (const auto& item : *array) {
          auto v = item.value_exact<std::string>();
          if (!v) throw wrong_type(key, "an array of strings");
          values.push_back(*v);
        }
        out = values;
        return;
      }
    } else if constexpr (std::is_same_v<T, std::vector<std::size_t>>) {
      if (const auto* array = node->as_array()) {
        std::vector<std::size_t> values;
        for (const auto& item : *array) {
          auto v = item.value_exact<int64_t>();
          if (!v || *v < 0) throw wrong_type(key, "an array of non-negative integers");
          values.push_back(static_cast<std::size_t>(*v));
        }
        out = values;
        return;
      }
    } else if constexpr (std::is_same_v<T, std::vector<int>>) {
      if (const auto* array = node->as_array()) {
        std::vector<int> values;
        for (const auto& item : *array) {
          auto v = item.value_exact<int64_t>();
          if (!v) throw wrong_type(key, "an array of integers");
          values.push_back(static_cast<int>(*v));
        }
        out = values;
        return;
      }
    }
    throw wrong_type(key, type_name<T>());
  }

  // Call after reading every known key.
  void reject_unknown() const {
    for (const auto& [key, _] : table_)
      if (!known_.count(std::string(key.str()))) throw file_error(file_, "unknown key '" + name_ + "." + std::string(key.str()) + "'");
  }

 private:
  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, std::vector<std::string>>) return "an array of strings";
    else if constexpr (std::is_same_v<T, std::vector<std::size_t>>) return "an array of non-negative integers";
    else return "an array of integers";
  }
  Error wrong_type(const char* key, const char* expected) const {
    return file_error(file_, "'" + name_ + "." + key + "' must be " + expected);
  }

  const toml::table& table_;
  std::string name_, file_;
  std::set<std::string> known_;
};

}  // namespace seraug
