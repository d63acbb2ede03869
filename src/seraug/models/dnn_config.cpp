#include "seraug/models/dnn_config.hpp"

#include <cmath>

#include "seraug/common/error.hpp"
#include "seraug/common/toml_reader.hpp"

namespace seraug {

void read_config_section(TableReader& r, DnnConfig& d) {
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
  require(batch_size >= 1 && batch_size <= kMaxSettingCount, "batch_size must be in 1..1000000");
  require(max_epochs >= 1 && max_epochs <= kMaxSettingCount, "max_epochs must be in 1..1000000");
  require(patience >= 1 && patience <= kMaxSettingCount, "patience must be in 1..1000000");
  require(validation_fraction > 0 && validation_fraction < 1, "validation_fraction must be in (0, 1)");
}

}  // namespace seraug
