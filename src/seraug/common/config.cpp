#include "seraug/common/config.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "seraug/common/toml_reader.hpp"

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

// Epochs, batch sizes and patience beyond a million are typos (or wrapped integers),
// never settings: refused, so that they cannot run for days or allocate the impossible.
constexpr int kMaxCount = 1000000;

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

void read_gan(const toml::table& t, const std::string& file, GanConfig& g) {
  TableReader r(t, "gan", file);
  r.read("hidden", g.hidden);
  r.read("leaky_slope", g.leaky_slope);
  r.read("epochs", g.epochs);
  r.read("batch_size", g.batch_size);
  r.read("pretrain_epochs", g.pretrain_epochs);
  r.read("learning_rate", g.learning_rate);
  r.read("beta1", g.beta1);
  r.read("beta2", g.beta2);
  r.read("halve_lr_every", g.halve_lr_every);
  r.read("generator_steps_per_critic", g.generator_steps_per_critic);
  r.read("lambda_cycle", g.lambda_cycle);
  r.read("lambda_class", g.lambda_class);
  r.read("wdiv_k", g.wdiv_k);
  r.read("wdiv_p", g.wdiv_p);
  r.read("real_label", g.real_label);
  r.read("input_noise", g.input_noise);
  r.read("source", g.source);
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
    else if (section == "gan") read_gan(*table, name, c.gan);
    else if (section == "experiment") continue;  // read by seraug experiment
    else throw file_error(name, "unknown section [" + section + "]");
  }
  try {
    c.dnn.validate();
    c.gan.validate();
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
  require(weight_decay >= 0 && std::isfinite(weight_decay), "weight_decay must be a finite number >= 0");
  require(batch_size >= 1 && batch_size <= kMaxCount, "batch_size must be in 1..1000000");
  require(max_epochs >= 1 && max_epochs <= kMaxCount, "max_epochs must be in 1..1000000");
  require(patience >= 1 && patience <= kMaxCount, "patience must be in 1..1000000");
  require(validation_fraction > 0 && validation_fraction < 1, "validation_fraction must be in (0, 1)");
}

}  // namespace seraug

namespace seraug {

void GanConfig::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw Error("gan." + what);
  };
  require(!hidden.empty(), "hidden must list at least one layer");
  for (int h : hidden) require(h >= 1 && h <= 65536, "hidden sizes must be 1..65536");
  require(leaky_slope >= 0 && leaky_slope < 1, "leaky_slope must be in [0, 1)");
  require(epochs >= 1 && epochs <= kMaxCount, "epochs must be in 1..1000000");
  require(batch_size >= 1 && batch_size <= kMaxCount, "batch_size must be in 1..1000000");
  require(pretrain_epochs >= 0 && pretrain_epochs <= kMaxCount, "pretrain_epochs must be in 0..1000000");
  require(learning_rate > 0 && learning_rate < 1, "learning_rate must be in (0, 1)");
  require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "beta1 and beta2 must be in [0, 1)");
  require(halve_lr_every >= 1, "halve_lr_every must be >= 1");
  require(generator_steps_per_critic >= 1 && generator_steps_per_critic <= 1000, "generator_steps_per_critic must be in 1..1000");
  require(lambda_cycle >= 0 && lambda_class >= 0 && std::isfinite(lambda_cycle) && std::isfinite(lambda_class),
          "lambda_cycle and lambda_class must be finite numbers >= 0");
  require(wdiv_k > 0 && wdiv_p > 1 && std::isfinite(wdiv_k) && std::isfinite(wdiv_p), "wdiv_k must be > 0 and wdiv_p > 1 (finite)");
  require(real_label > 0 && real_label <= 1, "real_label must be in (0, 1]");
  require(input_noise >= 0 && std::isfinite(input_noise), "input_noise must be a finite number >= 0");
  require(source == "others" || source == "all", "source must be \"others\" or \"all\" (a file is given with --gan-source)");
}

}  // namespace seraug
