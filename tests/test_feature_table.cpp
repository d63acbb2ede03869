#include <gtest/gtest.h>

#include <fstream>

#include "seraug/common/error.hpp"
#include "seraug/data/feature_table.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

FeatureTable read_text(const std::string& text) {
  testing::ScratchDir dir;
  std::ofstream(dir.file("t.csv")) << text;
  return read_feature_table(dir.file("t.csv"));
}

TEST(FeatureTable, ReadsSerAugLayout) {
  const auto t = read_text("# comment\nname,speaker,label,f1,f2\na,s1,anger,1,2\nb,s2,fear,3.5e-1,-4\n");
  EXPECT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.dims(), 2u);
  EXPECT_EQ(t.labels[1], "fear");
  EXPECT_DOUBLE_EQ(t.row(1)[0], 0.35);
}

TEST(FeatureTable, ReadsOpenSmileCsvAndTakesLabelsFromEmodbNames) {
  const auto t = read_text("name;frameTime;f1;f2;class\n'03a01Wa.wav';0.000000e+00;1.5;2;?\n");
  EXPECT_EQ(t.dims(), 2u);
  EXPECT_EQ(t.names[0], "03a01Wa.wav");
  EXPECT_EQ(t.speakers[0], "03");
  EXPECT_EQ(t.labels[0], "anger");
}

TEST(FeatureTable, ReadsReferenceLayout) {
  const auto t = read_text("name,f1\n08a01Na.wav,1e-3\n");
  EXPECT_EQ(t.labels[0], "neutral");
  EXPECT_DOUBLE_EQ(t.row(0)[0], 1e-3);
}

struct BadCase {
  const char* name;
  const char* text;
  const char* expected_in_message;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadFeatureFiles : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadFeatureFiles, AreRejectedNamingRowAndColumn) {
  try {
    read_text(GetParam().text);
    FAIL() << "accepted " << GetParam().name;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().expected_in_message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadFeatureFiles,
    ::testing::Values(BadCase{"empty", "", "empty"}, BadCase{"no_name", "a,b\n1,2\n", "no 'name' column"},
                      BadCase{"no_rows", "name,f1\n", "no rows"},
                      BadCase{"ragged", "name,f1,f2\na,1,2\nb,1\n", "t.csv:3"},
                      BadCase{"nan", "name,f1,f2\na,1,nan\n", "t.csv:2:3"},
                      BadCase{"inf", "name,f1\na,inf\n", "not finite"},
                      BadCase{"text", "name,f1\na,abc\n", "'abc' is not a number"},
                      BadCase{"duplicate_row", "name,f1\na,1\na,2\n", "duplicate row name"},
                      BadCase{"duplicate_column", "name,f1,f1\na,1,2\n", "duplicate column"},
                      BadCase{"quote", "name,f1\n\"a,1\n", "unterminated"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(FeatureTable, WriteThenReadRoundTrips) {
  testing::ScratchDir dir;
  FeatureTable t;
  t.feature_names = {"x[1]_max", "y,odd"};
  t.names = {"a.wav", "b.wav"};
  t.speakers = {"03", "08"};
  t.labels = {"anger", "fear"};
  t.values = {1.0 / 3.0, -2e-12, 123456.789, 0.0};
  write_feature_table(dir.file("out.csv"), t, {"provenance"});
  const auto back = read_feature_table(dir.file("out.csv"));
  EXPECT_EQ(back.feature_names, t.feature_names);
  EXPECT_EQ(back.labels, t.labels);
  for (std::size_t i = 0; i < t.values.size(); ++i) EXPECT_NEAR(back.values[i], t.values[i], 1e-8 * std::fabs(t.values[i]) + 1e-300);
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("")))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST(FeatureTable, NonFiniteValuesAreNeverWritten) {
  testing::ScratchDir dir;
  FeatureTable t;
  t.feature_names = {"f"};
  t.names = {"a"};
  t.speakers = {""};
  t.labels = {""};
  t.values = {std::numeric_limits<double>::infinity()};
  EXPECT_THROW(write_feature_table(dir.file("bad.csv"), t), Error);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "no partial output may remain";
}

}  // namespace
}  // namespace seraug

namespace seraug {
namespace {

FeatureTable small_table(std::vector<std::string> names, std::vector<std::string> columns, double offset) {
  FeatureTable t;
  t.feature_names = std::move(columns);
  for (std::size_t r = 0; r < names.size(); ++r) {
    t.speakers.push_back("s" + names[r].substr(0, 1));
    t.labels.push_back(names[r].back() == 'W' ? "anger" : "neutral");
    for (std::size_t c = 0; c < t.feature_names.size(); ++c) t.values.push_back(offset + 10.0 * static_cast<double>(names[r][0] - '0') + c);
  }
  t.names = std::move(names);
  return t;
}

TEST(FeatureTable, FusionJoinsRowsByNameAndRefusesMismatches) {
  const FeatureTable a = small_table({"1W", "2N", "3W"}, {"a0", "a1"}, 0.0);
  const FeatureTable b = small_table({"3W", "1W", "2N"}, {"b0"}, 100.0);  // other row order
  const FeatureTable f = join_feature_tables({a, b}, {"a.csv", "b.csv"});
  EXPECT_EQ(f.feature_names, (std::vector<std::string>{"a:a0", "a:a1", "b:b0"}));  // tagged by file stem
  EXPECT_EQ(f.names, a.names);
  EXPECT_EQ(f.labels, a.labels);
  EXPECT_EQ(f.values, (std::vector<double>{10, 11, 110, 20, 21, 120, 30, 31, 130}));  // b's values follow the name

  auto message = [](const std::vector<FeatureTable>& tables) {
    try {
      join_feature_tables(tables, {"a.csv", "b.csv"});
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({a, small_table({"1W", "2N", "4W"}, {"b0"}, 0)}).find("b.csv: has no row '3W'"), std::string::npos);
  EXPECT_NE(message({a, small_table({"1W", "2N"}, {"b0"}, 0)}).find("has 2 rows"), std::string::npos);
  EXPECT_THROW(join_feature_tables({a, a}, {"x/a.csv", "y/a.csv"}), Error);  // one stem, two files
  EXPECT_EQ(join_feature_tables({a, a}, {"x/a.csv", "y/b.csv"}).dims(), 4u);
  FeatureTable relabelled = b;
  relabelled.labels[0] = "neutral";  // 3W is anger in a.csv
  EXPECT_NE(message({a, relabelled}).find("row '3W' has label 'neutral'"), std::string::npos);
  FeatureTable synthetic = b;
  synthetic.extras["synthetic"] = {"1", "1", "1"};
  EXPECT_NE(message({a, synthetic}).find("synthetic rows"), std::string::npos);
}

}  // namespace
}  // namespace seraug
