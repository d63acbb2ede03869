// seraug's TOML configuration. Every key is optional and has the default documented in
// configs/default.toml; an unknown key or a value of the wrong type is an error naming
// the file and key, so typos never pass silently. Command-line flags override it.
#pragma once

#include <string>

#include "seraug/augment/gan_config.hpp"
#include "seraug/models/dnn_config.hpp"

namespace seraug {

struct Config {
  DnnConfig dnn;
  GanConfig gan;
};

Config load_config(const std::string& path);    // throws seraug::Error
Config parse_config(const std::string& text, const std::string& name);

}  // namespace seraug
