// The public header compiles on its own and names every stage's entry point.
#include "seraug/seraug.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace seraug {
namespace {

TEST(PublicHeader, OneHeaderReachesEveryStage) {
  // audio -> features: one second of a harmonic tone through every registered set.
  const std::vector<float> tone = testing::harmonic_tone(150.0, 1.0, 16000.0);
  testing::ScratchDir dir;
  write_wav16(dir.file("tone.wav"), tone, 16000);
  for (const auto& name : feature_set_names()) {
    FeatureExtractor extractor(feature_set(name));
    const std::vector<double> values = extractor.extract_file(dir.file("tone.wav"));
    EXPECT_EQ(values.size(), feature_names(feature_set(name)).size()) << name;
  }
  EXPECT_EQ(feature_set_names(), (std::vector<std::string>{"is09", "egemaps", "is10", "compare", "is10+compare"}));
  // options: the defaults are the config file's defaults.
  EXPECT_TRUE(build_config({}).dnn == DnnConfig{});
  EXPECT_EQ(paper_class_selection(), "anger,fear,happiness,sadness,neutral");
}

}  // namespace
}  // namespace seraug
