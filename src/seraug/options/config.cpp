#include "seraug/options/config.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "seraug/common/toml_reader.hpp"

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"

namespace seraug {

Config parse_config(const std::string& text, const std::string& name, ConfigReader reader) {
  const toml::table root = parse_toml(text, name);
  Config c;
  for (const auto& [key, node] : root) {
    const std::string section(key.str());
    const toml::table* table = node.as_table();
    if (!table) throw file_error(name, "'" + section + "' must be a [section]");
    if (section == "dnn") read_fields(*table, "dnn", name, dnn_fields(), c.dnn);
    else if (section == "gan") read_fields(*table, "gan", name, gan_fields(), c.gan);
    else if (section == "recipe") {
      if (reader == ConfigReader::Experiment) continue;  // read by the recipe reader
      throw file_error(name, "[recipe] is a recipe: give the file as `recipe` (its [dnn]/[gan] sections come with it)");
    } else if (section == "experiment" || section == "audio_augment") {
      // A section this command does not read would be silently ignored: a user passing
      // configs/best.toml to evaluate would believe they ran the best recipe.
      if (reader == ConfigReader::Experiment) continue;
      throw file_error(name, "[" + section + "] configures seraug experiment; this command reads only [dnn] and [gan], so its " +
                                 "settings would be ignored: run seraug experiment " + name + " -o RUN_FOLDER, or give the " +
                                 "settings as options");
    }
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
  require_readable_file(path, kMaxTextInputBytes, "configuration file");
  note_input(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open configuration file");
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace seraug
