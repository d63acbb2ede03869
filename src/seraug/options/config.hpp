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

// Who reads a configuration: a command's --config takes [dnn] and [gan] only, and refuses
// the [experiment] and [audio_augment] sections (never silently ignored); the experiment
// runner reads those itself and passes them over here.
enum class ConfigReader { Command, Experiment };
Config load_config(const std::string& path);    // throws seraug::Error
Config parse_config(const std::string& text, const std::string& name, ConfigReader reader = ConfigReader::Command);

}  // namespace seraug
