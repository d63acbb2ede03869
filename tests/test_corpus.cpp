#include <gtest/gtest.h>

#include <fstream>

#include "seraug/audio/audio.hpp"
#include "seraug/common/error.hpp"
#include "seraug/data/corpus.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

struct NameCase {
  const char* file;
  const char* speaker;
  const char* label;  // nullptr: not an EMO-DB name
};

void PrintTo(const NameCase& c, std::ostream* os) { *os << c.file; }

class EmodbNames : public ::testing::TestWithParam<NameCase> {};

TEST_P(EmodbNames, Parse) {
  const auto& c = GetParam();
  const auto parsed = parse_emodb_name(c.file);
  if (!c.label) {
    EXPECT_FALSE(parsed.has_value()) << c.file;
    return;
  }
  ASSERT_TRUE(parsed.has_value()) << c.file;
  EXPECT_EQ(parsed->speaker, c.speaker);
  EXPECT_EQ(parsed->label, c.label);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EmodbNames,
    ::testing::Values(NameCase{"03a01Wa.wav", "03", "anger"}, NameCase{"08b10Lc.wav", "08", "boredom"},
                      NameCase{"/x/y/16a05Eb.wav", "16", "disgust"}, NameCase{"09a01Ab.flac", "09", "fear"},
                      NameCase{"03a01Fa.wav", "03", "happiness"}, NameCase{"11b03Tb.wav", "11", "sadness"},
                      NameCase{"10a07Na.wav", "10", "neutral"}, NameCase{"03a01Xa.wav", "", nullptr},
                      NameCase{"recording.wav", "", nullptr}, NameCase{"3a01Wa.wav", "", nullptr},
                      NameCase{"03a01Waa.wav", "", nullptr}));

TEST(Corpus, FolderOfEmodbNames) {
  testing::ScratchDir dir;
  for (const char* n : {"03a01Wa.wav", "08b10Tc.wav"}) write_wav16(dir.file(n), testing::sine(200, 0.1, 16000), 16000);
  std::ofstream(dir.file("notes.txt")) << "ignored";
  const auto u = read_corpus(dir.path().string());
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].name, "03a01Wa.wav");
  EXPECT_EQ(u[0].label, "anger");
  EXPECT_EQ(u[1].speaker, "08");
}

TEST(Corpus, FolderWithWavSubfolderAndUnlabelledFolder) {
  testing::ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "wav");
  write_wav16(dir.file("wav/03a01Wa.wav"), testing::sine(200, 0.1, 16000), 16000);
  EXPECT_EQ(read_corpus(dir.path().string()).size(), 1u);

  testing::ScratchDir plain;
  write_wav16(plain.file("a.wav"), testing::sine(200, 0.1, 16000), 16000);
  const auto u = read_corpus(plain.path().string());
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].label, "");
}

TEST(Corpus, MixedFolderNamesTheOddFile) {
  testing::ScratchDir dir;
  write_wav16(dir.file("03a01Wa.wav"), testing::sine(200, 0.1, 16000), 16000);
  write_wav16(dir.file("zz_take2.wav"), testing::sine(200, 0.1, 16000), 16000);
  try {
    read_corpus(dir.path().string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("zz_take2.wav"), std::string::npos);
  }
}

TEST(Corpus, ManifestResolvesRelativePaths) {
  testing::ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "clips");
  write_wav16(dir.file("clips/a.wav"), testing::sine(200, 0.1, 16000), 16000);
  std::ofstream(dir.file("m.csv")) << "path,label,speaker\nclips/a.wav,anger,spk1\n";
  const auto u = read_corpus(dir.file("m.csv"));
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].path, dir.file("clips/a.wav"));
  EXPECT_EQ(u[0].label, "anger");
  EXPECT_EQ(u[0].speaker, "spk1");
}

TEST(Corpus, BadManifestsAreErrors) {
  testing::ScratchDir dir;
  std::ofstream(dir.file("nopath.csv")) << "file,label\na.wav,anger\n";
  std::ofstream(dir.file("ragged.csv")) << "path,label,speaker\na.wav,anger\n";
  std::ofstream(dir.file("empty.csv")) << "";
  EXPECT_THROW(read_corpus(dir.file("nopath.csv")), Error);
  try {
    read_corpus(dir.file("ragged.csv"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ragged.csv:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_corpus(dir.file("empty.csv")), Error);
  EXPECT_THROW(read_corpus(dir.file("absent.csv")), Error);
}

}  // namespace
}  // namespace seraug
