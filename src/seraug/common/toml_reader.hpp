// Strict reading of one TOML table into typed fields (internal to the config readers):
// unknown keys and wrong types are errors naming the file and "section.key".
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
      if (auto v = node->value_exact<int64_t>()) { out = checked_integer<T>(key, *v); return; }
    } else if constexpr (std::is_floating_point_v<T>) {
      if (auto v = node->value<double>()) {
        if (!std::isfinite(*v)) throw wrong_type(key, "a finite number");
        out = *v;
        return;
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = node->value_exact<std::string>()) { out = *v; return; }
    } else if constexpr (is_vector<T>::value) {
      if (const auto* array = node->as_array()) {
        out = read_array<typename T::value_type>(key, *array);
        return;
      }
    }
    throw wrong_type(key, type_name<T>());
  }

  template <typename V>
  struct is_vector : std::false_type {};
  template <typename E>
  struct is_vector<std::vector<E>> : std::true_type {};

  // The elements of a TOML array as E (string, non-negative size, int or finite double).
  template <typename E>
  std::vector<E> read_array(const char* key, const toml::array& array) const {
    std::vector<E> values;
    for (const auto& item : array) {
      if constexpr (std::is_same_v<E, std::string>) {
        auto v = item.value_exact<std::string>();
        if (!v) throw wrong_type(key, "an array of strings");
        values.push_back(*v);
      } else if constexpr (std::is_same_v<E, std::size_t>) {
        auto v = item.value_exact<int64_t>();
        if (!v || *v < 0) throw wrong_type(key, "an array of non-negative integers");
        values.push_back(static_cast<std::size_t>(*v));
      } else if constexpr (std::is_same_v<E, double>) {
        auto v = item.value<double>();
        if (!v || !std::isfinite(*v)) throw wrong_type(key, "an array of finite numbers");
        values.push_back(*v);
      } else {
        static_assert(std::is_same_v<E, int>, "unsupported array element type");
        auto v = item.value_exact<int64_t>();
        if (!v) throw wrong_type(key, "an array of integers");
        values.push_back(checked_integer<int>(key, *v));
      }
    }
    return values;
  }

  // Call after reading every known key.
  void reject_unknown() const {
    for (const auto& [key, _] : table_)
      if (!known_.count(std::string(key.str()))) throw file_error(file_, "unknown key '" + name_ + "." + std::string(key.str()) + "'");
  }

 private:
  // A TOML integer (64-bit) that must fit T: 4294967297 never wraps into an int as 1.
  template <typename T>
  T checked_integer(const char* key, int64_t v) const {
    const bool fits = std::is_signed_v<T> ? (v >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
                                             v <= static_cast<int64_t>(std::numeric_limits<T>::max()))
                                          : (v >= 0 && static_cast<uint64_t>(v) <= static_cast<uint64_t>(std::numeric_limits<T>::max()));
    if (!fits)
      throw file_error(file_, "'" + name_ + "." + key + "' is " + std::to_string(v) + ", outside " +
                                  std::to_string(static_cast<long long>(std::is_signed_v<T> ? static_cast<long long>(std::numeric_limits<T>::min()) : 0)) +
                                  ".." + std::to_string(std::numeric_limits<T>::max()));
    return static_cast<T>(v);
  }

  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a finite number";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, std::vector<std::string>>) return "an array of strings";
    else if constexpr (std::is_same_v<T, std::vector<std::size_t>>) return "an array of non-negative integers";
    else if constexpr (std::is_same_v<T, std::vector<double>>) return "an array of finite numbers";
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
