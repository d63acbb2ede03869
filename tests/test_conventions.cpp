// Conventions shared by every front end (issue 33, first part): a config section a
// command does not read is refused, every classifier hyperparameter can be fixed, and
// one seed shows no spread.
#include <gtest/gtest.h>

#include "seraug/common/tokens.hpp"
#include "seraug/options/config.hpp"
#include "seraug/options/options.hpp"
#include "seraug/report/eval_report.hpp"
#include "seraug/stats/metrics.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

using testing::error_of;

// Library errors name parameters as the API spells them, in backticks; each front end
// shows its own spelling (issue 33, item 5).
TEST(Conventions, ErrorsNameParametersInEachFrontEndsTerms) {
  const std::string message = "`enroll_prior` applies with `enroll_clips` only; `gan.source` and `C`; a `quoted thing` stays";
  EXPECT_EQ(in_cli_terms(message), "--enroll-prior applies with --enroll-clips only; --gan-source and --C; a `quoted thing` stays");
  EXPECT_EQ(in_python_terms(message), "enroll_prior applies with enroll_clips only; gan.source and C; a `quoted thing` stays");
  EXPECT_EQ(in_cli_terms("no names, one ` backtick"), "no names, one ` backtick");
  try {
    EvalOptions o;
    o.enroll_clips = 3;  // with global norm
    evaluate(testing::synthetic(3, 2, 2, 1.0, 1), o);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "`enroll_clips` applies to `norm` speaker only");
  }
}

TEST(Conventions, ACommandRefusesConfigSectionsItDoesNotRead) {
  const std::string grid = "[experiment]\nnorm = \"speaker\"\nrepeats = 3\n\n[dnn]\ndropout = 0.2\n";
  for (const char* section : {"experiment", "audio_augment"}) {
    const std::string text = std::string("[") + section + "]\n";
    const std::string message = error_of([&] { parse_config(text, "best.toml"); });
    EXPECT_NE(message.find(std::string("best.toml: [") + section + "] configures seraug experiment"), std::string::npos) << message;
  }
  EXPECT_NE(error_of([&] { load_config(std::string(SERAUG_SOURCE_DIR) + "/configs/best.toml"); }).find("[experiment]"), std::string::npos);
  EXPECT_DOUBLE_EQ(parse_config(grid, "grid.toml", ConfigReader::Experiment).dnn.dropout, 0.2);
  EXPECT_NO_THROW(load_config(std::string(SERAUG_SOURCE_DIR) + "/configs/default.toml"));
}

TEST(Conventions, TrainFixesEveryHyperparameterOfItsClassifier) {
  TrainSettings s;
  s.classifier = "svm-rbf";
  s.c = 1;
  s.gamma = 0.001;
  const TrainOptions o = build_train_options(s);
  ASSERT_TRUE(o.fixed);
  EXPECT_DOUBLE_EQ(o.fixed->at("gamma"), 0.001);
  s.gamma.reset();
  EXPECT_DOUBLE_EQ(build_train_options(s).fixed->at("gamma"), 1.0);  // evaluate's default, in units of 1/features
  s.classifier = "svm";
  s.gamma = 0.5;
  EXPECT_NE(error_of([&] { build_train_options(s); }).find("gamma applies to svm-rbf only"), std::string::npos);
  s.classifier = "dnn";
  s.gamma.reset();
  EXPECT_NE(error_of([&] { build_train_options(s); }).find("C applies to the SVM"), std::string::npos);
}

TEST(Conventions, OneSeedShowsNoSpread) {
  const double one[] = {0.5};
  EXPECT_EQ(mean_std(one).n, 1u);
  const Dataset d = testing::synthetic(4, 5, 3, 3.0, 2);
  EvaluateSettings s;
  s.c = 0.1;
  const std::string text = format_sweep(evaluate_sweep(d, build_eval_options(s, d)));
  EXPECT_EQ(text.find("±"), text.find("± std over repeats")) << text;  // only the header names it
  s.repeats = 2;
  EXPECT_NE(format_sweep(evaluate_sweep(d, build_eval_options(s, d))).find(" ± "), std::string::npos);
}

}  // namespace
}  // namespace seraug
