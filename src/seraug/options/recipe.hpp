// A recipe: everything that turns a feature table into a classifier, declared once.
//
// The table below (recipe_parameters) is the one declaration of each recipe parameter:
// {name, type, default, range or choices, help}. From it come the `[recipe]` section's
// reader and its validation (errors as `<file>: recipe.<key> …`), the CLI flags of
// `evaluate --recipe`/`train --recipe` that override a recipe's value (spelled `--` and
// the name with '-' for '_': select_keep <-> --select-keep), and docs/parameters.md
// (`seraug parameters`, checked current by a test). A recipe file may also hold [dnn] and
// [gan] sections (the models' settings) and, for `seraug experiment`, an [experiment]
// grid that varies the recipe (methods, classifiers, seeds).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "seraug/common/parameter.hpp"
#include "seraug/eval/nested.hpp"
#include "seraug/options/options.hpp"

namespace seraug {

// The recipe's parameters, in the order docs/parameters.md lists them.
const std::vector<Parameter>& recipe_parameters();

// A recipe as read: only the parameters the file (or a front end) gave.
struct Recipe {
  std::string source;                        // file it came from, for messages
  std::map<std::string, std::string> values; // name -> value as TOML text ("0.5", "speaker", "true")
  std::optional<Config> models;              // the file's [dnn]/[gan] (and their defaults) when it has either
  bool has_grid = false;                     // the file also holds an [experiment] grid (seraug experiment's)
  bool has(const std::string& name) const { return values.count(name) > 0; }
};

// The [recipe] section of a TOML file, validated against the declaration (unknown key,
// wrong type, out of range or not a choice: `<file>: recipe.<key> …`). `text` is the
// file's content; a file without [recipe] is an error naming the section.
Recipe parse_recipe(const std::string& text, const std::string& path);
Recipe load_recipe(const std::string& path);

// Settings from a recipe; a setting a front end gave explicitly (its name in
// `given`) keeps the front end's value. The file's [dnn]/[gan] become the models' base.
void apply_recipe(const Recipe& recipe, EvaluateSettings& s, const std::vector<std::string>& given = {});
void apply_recipe(const Recipe& recipe, TrainSettings& s, const std::vector<std::string>& given = {});

// Nested selection's candidates (eval/nested.hpp): each recipe applied over `base` (the
// command's own settings), named by its file. A recipe's feature_set chooses the fused
// features' blocks of that set ("is10+compare": the columns of the files is10.* and
// compare.*), so candidates of different feature sets compete on one fused table.
std::vector<NestedCandidate> recipe_candidates(const std::vector<Recipe>& recipes, const EvaluateSettings& base, const Dataset& data);

// docs/parameters.md: every declared parameter with its type, default, range and help.
std::string parameters_markdown();

}  // namespace seraug
