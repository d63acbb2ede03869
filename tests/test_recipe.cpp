// Recipes (issue 33): each parameter declared once; the [recipe] reader, the flags that
// override it and docs/parameters.md all come from that declaration.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "seraug/experiment/experiment.hpp"
#include "seraug/service/serve_settings.hpp"
#include "seraug/experiment/experiment_parameters.hpp"
#include "seraug/options/recipe.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

using testing::error_of;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A value the declaration accepts, and one it refuses, as TOML text.
std::pair<std::string, std::string> good_and_bad(const Parameter& p) {
  char lo[40], hi[40];
  std::snprintf(lo, sizeof lo, "%.17g", p.minimum);
  std::snprintf(hi, sizeof hi, "%.17g", p.maximum * 2 + 1);
  switch (p.type) {
    case ParameterType::Boolean: return {"true", "\"yes\""};
    case ParameterType::Integer: return {std::to_string(static_cast<long long>(p.minimum)), std::to_string(static_cast<long long>(p.maximum) + 1)};
    case ParameterType::Number: return {lo, hi};
    case ParameterType::Text: return {"\"500,all\"", "5"};
    case ParameterType::Choice: return {"\"" + p.choices.front() + "\"", "\"bogus\""};
  }
  return {};
}

TEST(Recipe, EveryDeclaredParameterRoundTripsThroughToml) {
  for (const auto& p : recipe_parameters()) {
    SCOPED_TRACE(p.name);
    const auto [good, bad] = good_and_bad(p);
    const Recipe r = parse_recipe("[recipe]\n" + p.name + " = " + good + "\n", "r.toml");
    ASSERT_TRUE(r.has(p.name));
    const std::string message = error_of([&, bad = bad] { parse_recipe("[recipe]\n" + p.name + " = " + bad + "\n", "r.toml"); });
    EXPECT_TRUE(contains(message, "r.toml: recipe." + p.name)) << message;
    EXPECT_EQ(flag_of(p.name).substr(0, 2), "--");
    EXPECT_FALSE(p.help.empty());
  }
  EXPECT_TRUE(contains(error_of([] { parse_recipe("[recipe]\nnorms = \"speaker\"\n", "r.toml"); }), "recipe.norms is not a recipe parameter"));
  EXPECT_TRUE(contains(error_of([] { parse_recipe("[recipe]\n[recipes]\n", "r.toml"); }), "unknown section [recipes]"));
  EXPECT_TRUE(contains(error_of([] { parse_recipe("[dnn]\n", "r.toml"); }), "has no [recipe] section"));
  EXPECT_EQ(flag_of("select_keep"), "--select-keep");
}

TEST(Recipe, FlagsGivenOverrideTheFileAndUnusedKeysAreRefused) {
  const Recipe r = parse_recipe("[recipe]\nnorm = \"speaker\"\nclassifier = \"svm-rbf\"\nC = 2.0\ngamma = 0.5\nbalanced = true\n"
                                "[dnn]\ndropout = 0.25\n",
                                "best.toml");
  EvaluateSettings s;
  s.classifier = "svm-ovo";  // as if --classifier svm-ovo was given
  apply_recipe(r, s, {"classifier"});
  EXPECT_EQ(s.classifier, "svm-ovo");
  EXPECT_EQ(s.norm, "speaker");
  EXPECT_TRUE(s.balanced);
  EXPECT_DOUBLE_EQ(*s.c, 2.0);
  EXPECT_DOUBLE_EQ(*s.gamma, 0.5);
  ASSERT_TRUE(s.models.base);
  EXPECT_DOUBLE_EQ(s.models.base->dnn.dropout, 0.25);

  TrainSettings t;
  apply_recipe(r, t);
  EXPECT_EQ(t.classifier, "svm-rbf");
  const Recipe grid_only = parse_recipe("[recipe]\naugment = \"smote\"\n", "aug.toml");
  EXPECT_TRUE(contains(error_of([&] { apply_recipe(grid_only, t); }), "aug.toml: recipe.augment is not used by train"));
}

TEST(Recipe, AnExperimentGridVariesItsBaseRecipe) {
  testing::ScratchDir dir;
  const std::string grid = "[recipe]\nnorm = \"speaker\"\nclassifier = \"svm-rbf\"\nbalanced = true\n[experiment]\ncorpus = \"" +
                           dir.path().string() + "\"\nmethods = [\"none\"]\namounts = [0]\ntable_amount = 0\n";
  const ExperimentConfig c = parse_experiment_config(grid, "g.toml");
  EXPECT_EQ(c.norm, "speaker");
  EXPECT_EQ(c.classifiers, std::vector<std::string>{"svm-rbf"});
  EXPECT_TRUE(c.balanced);
  EXPECT_TRUE(contains(error_of([&] { parse_experiment_config(grid + "norm = \"global\"\n", "g.toml"); }),
                       "experiment.norm repeats recipe.norm"));
  EXPECT_TRUE(contains(error_of([&] { parse_experiment_config("[recipe]\nC = 1.0\n" + grid.substr(grid.find("[experiment]")), "g.toml"); }),
                       "recipe.C is not used by seraug experiment"));
}

TEST(Recipe, TheParametersPageIsCurrent) {
  std::ifstream in(std::string(SERAUG_SOURCE_DIR) + "/docs/parameters.md");
  const std::string page((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(page, parameters_page_markdown()) << "docs/parameters.md is stale: build/seraug parameters > docs/parameters.md";
}

}  // namespace
}  // namespace seraug
