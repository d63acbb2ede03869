#include "seraug/common/config.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

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
    else return "an array of integers";
  }
  Error wrong_type(const char* key, const char* expected) const {
    return file_error(file_, "'" + name_ + "." + key + "' must be " + expected);
  }

  const toml::table& table_;
  std::string name_, file_;
  std::set<std::string> known_;
};

void read_dnn(const toml::table& t, const std::string& file, DnnConfig& d) {
  TableReader r(t, "dnn", file);
  r.read("hidden", d.hidden);
  r.read("dropout", d.dropout);
  r.read("leaky_slope", d.leaky_slope);
  r.read("learning_rate", d.learning_rate);
  r.read("weight_decay", d.weight_decay);
  r.read("batch_size", d.batch_size);
  r.read("max_epochs", d.max_epochs);
  r.read("patience", d.patience);
  r.read("validation_fraction", d.validation_fraction);
  r.read("balanced_loss", d.balanced_loss);
  r.reject_unknown();
}

}  // namespace

Config parse_config(const std::string& text, const std::string& name) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    throw file_error(name, "TOML syntax error at " + where.str() + ": " + std::string(e.description()));
  }
  Config c;
  for (const auto& [key, node] : root) {
    const std::string section(key.str());
    const toml::table* table = node.as_table();
    if (!table) throw file_error(name, "'" + section + "' must be a [section]");
    if (section == "dnn") read_dnn(*table, name, c.dnn);
    else throw file_error(name, "unknown section [" + section + "]");
  }
  try {
    c.dnn.validate();
  } catch (const Error& e) {
    throw file_error(name, e.what());
  }
  return c;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open configuration file");
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

std::vector<int> parse_layer_list(const std::string& text) {
  std::vector<int> layers;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      const int v = std::stoi(item, &used);
      if (used != item.size() || v < 1) throw Error("");
      layers.push_back(v);
    } catch (const std::exception&) {
      throw Error("layer sizes must be positive integers separated by commas, got '" + text + "'");
    }
  }
  if (layers.empty()) throw Error("no layer sizes given");
  return layers;
}

void DnnConfig::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw Error("dnn." + what);
  };
  require(!hidden.empty(), "hidden must list at least one layer");
  for (int h : hidden) require(h >= 1 && h <= 65536, "hidden sizes must be 1..65536");
  require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
  require(leaky_slope >= 0 && leaky_slope < 1, "leaky_slope must be in [0, 1)");
  require(learning_rate > 0 && learning_rate < 10, "learning_rate must be in (0, 10)");
  require(weight_decay >= 0, "weight_decay must be >= 0");
  require(batch_size >= 1, "batch_size must be >= 1");
  require(max_epochs >= 1, "max_epochs must be >= 1");
  require(patience >= 1, "patience must be >= 1");
  require(validation_fraction > 0 && validation_fraction < 1, "validation_fraction must be in (0, 1)");
}

}  // namespace seraug
