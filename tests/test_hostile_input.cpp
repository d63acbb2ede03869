// Hostile input, one table-driven test per class of docs/robustness.md: each case is an
// input a careless or hostile user could give, and the answer the library owes it (a
// seraug::Error naming the file, row or key and the problem; or a correct result).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>

#include "seraug/augment/augmenter.hpp"
#include "seraug/audio/audio.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/options/config.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/common/parallel.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/report/experiment_report.hpp"
#include "seraug/features/batch.hpp"
#include "seraug/features/feature_set.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

using testing::error_of;
using testing::two_row_table;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}


// Class 1: an output that is an input (same path, a symlink to it, a hard link to it, a
// folder that holds it) is refused and the input keeps its bytes.
TEST(HostileInput, OutputsNeverReplaceAnInput) {
  testing::ScratchDir dir;
  const std::string input = dir.file("features.csv");
  write_feature_table(input, two_row_table());
  const std::string before = slurp(input);
  fs::create_symlink(input, dir.file("link.csv"));
  fs::create_hard_link(input, dir.file("hard.csv"));
  fs::create_directories(dir.path() / "folder");
  write_feature_table(dir.file("folder/inside.csv"), two_row_table());

  forget_inputs();
  read_feature_table(input);
  read_feature_table(dir.file("folder/inside.csv"));
  const struct {
    const char* what;
    std::string output;
  } cases[] = {{"the same path", input}, {"a symlink to it", dir.file("link.csv")}, {"a hard link to it", dir.file("hard.csv")},
               {"a path with dots", dir.file("folder/../features.csv")}};
  for (const auto& c : cases) {
    const std::string message = error_of([&] { write_feature_table(c.output, two_row_table(), {"x"}); });
    EXPECT_NE(message.find("is also an input of this command"), std::string::npos) << c.what << ": " << message;
    EXPECT_NE(message.find(c.output), std::string::npos) << c.what;
  }
  EXPECT_NE(error_of([&] { refuse_replacing_inputs_in(dir.file("folder")); }).find("holds an input"), std::string::npos);
  EXPECT_EQ(slurp(input), before);
  // Other outputs are fine, and nothing was left behind by the refusals.
  EXPECT_NO_THROW(write_feature_table(dir.file("other.csv"), two_row_table()));
  for (const auto& entry : fs::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
  forget_inputs();
}

// Class 2: compressed audio cut short is an error naming the file, never a shorter clip;
// the header's frame count never sizes a buffer.
TEST(HostileInput, TruncatedCompressedAudioIsAnError) {
  testing::ScratchDir dir;
  const auto tone = testing::harmonic_tone(180.0, 2.0, 16000.0);
  const struct {
    const char* name;
    int format;
  } formats[] = {{"clip.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16}, {"clip.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS}};
  for (const auto& f : formats) {
    const std::string whole = dir.file(f.name), half = dir.file(std::string("half_") + f.name);
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = f.format;
    if (!sf_format_check(&info)) continue;  // a libsndfile without this codec
    SNDFILE* out = sf_open(whole.c_str(), SFM_WRITE, &info);
    ASSERT_NE(out, nullptr) << f.name;
    sf_writef_float(out, tone.data(), static_cast<sf_count_t>(tone.size()));
    sf_close(out);
    const std::string bytes = slurp(whole);
    std::ofstream(half, std::ios::binary) << bytes.substr(0, bytes.size() / 2);

    auto stream = AudioStream::open_file(whole, {});
    EXPECT_EQ(read_all_samples(*stream).size(), tone.size()) << f.name;
    const std::string message = error_of([&] {
      auto cut = AudioStream::open_file(half, {});
      read_all_samples(*cut);
    });
    EXPECT_NE(message.find(half), std::string::npos) << f.name << ": " << message;
    EXPECT_TRUE(message.find("truncated") != std::string::npos || message.find("not a readable audio file") != std::string::npos ||
                message.find("decoding failed") != std::string::npos)
        << f.name << ": " << message;
  }
}

// Class 3: values beyond the documented range are refused with file, row and column;
// values inside it give finite statistics.
TEST(HostileInput, ExtremeValuesAreRefusedOrHandledExactly) {
  testing::ScratchDir dir;
  const struct {
    const char* value;
    bool accepted;
  } cases[] = {{"1e30", true}, {"-1e30", true}, {"1e31", false}, {"-1e308", false}, {"1e308", false}, {"1e309", false},
               {"4.9e-324", true}};
  for (const auto& c : cases) {
    const std::string path = dir.file("extreme.csv");
    std::ofstream(path) << "name,speaker,label,f1,f2\na,s1,anger,1," << c.value << "\nb,s2,fear,2,3\n";
    const std::string message = error_of([&] { read_feature_table(path); });
    if (c.accepted) {
      EXPECT_EQ(message, "(no error)") << c.value;
    } else {
      EXPECT_NE(message.find(path + ":2:5"), std::string::npos) << c.value << ": " << message;
      EXPECT_NE(message.find("supported range"), std::string::npos) << c.value << ": " << message;
    }
  }
  FeatureTable huge = two_row_table();
  huge.values[1] = 1e31;
  EXPECT_NE(error_of([&] { write_feature_table(dir.file("out.csv"), huge); }).find("supported range"), std::string::npos);

  // Columns at the bound in every row: mean and scale stay finite, z-scores exact.
  Matrix x(4, 2);
  const double column[] = {1e30, -1e30, 1e30, -1e30};
  for (std::size_t r = 0; r < 4; ++r) x.at(r, 0) = column[r], x.at(r, 1) = static_cast<double>(r);
  const ZScore z = ZScore::fit(x, {0, 1, 2, 3});
  EXPECT_TRUE(std::isfinite(z.mean[0]) && std::isfinite(z.scale[0]));
  z.apply(x);
  EXPECT_DOUBLE_EQ(x.at(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(x.at(1, 0), -1.0);
}

// Classes 4 and 13: integers that do not fit their type or meaning, and non-finite
// numbers, are refused naming the file and the key.
TEST(HostileInput, ConfigNumbersAreRangeCheckedByKey) {
  const struct {
    const char* toml;
    const char* key;
  } cases[] = {
      {"[dnn]\nmax_epochs = 4294967297\n", "dnn.max_epochs"},
      {"[dnn]\nmax_epochs = 0\n", "dnn.max_epochs"},
      {"[dnn]\nmax_epochs = 100000000\n", "dnn.max_epochs"},
      {"[dnn]\nhidden = [4294967297, 64]\n", "dnn.hidden"},
      {"[dnn]\nbatch_size = -3\n", "dnn.batch_size"},
      {"[dnn]\nweight_decay = inf\n", "dnn.weight_decay"},
      {"[dnn]\nweight_decay = nan\n", "dnn.weight_decay"},
      {"[dnn]\nlearning_rate = -inf\n", "dnn.learning_rate"},
      {"[gan]\nepochs = 9223372036854775807\n", "gan.epochs"},
      {"[gan]\nlambda_cycle = inf\n", "gan.lambda_cycle"},
      {"[gan]\ninput_noise = nan\n", "gan.input_noise"},
  };
  for (const auto& c : cases) {
    const std::string message = error_of([&] { parse_config(c.toml, "bad.toml"); });
    EXPECT_EQ(message.rfind("bad.toml: ", 0), 0u) << c.toml << message;
    EXPECT_NE(message.find(c.key), std::string::npos) << c.toml << " -> " << message;
  }
  EXPECT_EQ(parse_config("[dnn]\nmax_epochs = 1000000\n", "ok.toml").dnn.max_epochs, 1000000);
}

// Classes 4, 11, 12, 13 for experiment configs: every key checked before anything runs,
// the message names the file and the key, and no run folder is left behind.
TEST(HostileInput, ExperimentConfigsAreValidatedBeforeAnythingRuns) {
  testing::ScratchDir dir;
  fs::create_directories(dir.path() / "corpus");
  write_wav16(dir.file("corpus/03a01Wa.wav"), testing::harmonic_tone(150, 0.5, 16000), 16000);
  write_wav16(dir.file("corpus/08a01Na.wav"), testing::harmonic_tone(200, 0.5, 16000), 16000);
  const std::string head = "[experiment]\ncorpus = \"" + dir.file("corpus") + "\"\nclasses = [\"anger\", \"neutral\"]\n";
  const struct {
    std::string body;
    const char* key;
  } cases[] = {
      {"repeats = 4294967297\n", "experiment.repeats"},
      {"smote_k = 0\n", "experiment.smote_k"},
      {"noise_sigma = inf\n", "experiment.noise_sigma"},
      {"noise_sigma = -1.0\n", "experiment.noise_sigma"},
      {"amounts = [0, 100000000000]\ntable_amount = 0\n", "experiment.amounts"},
      {"amounts = [0, 1e11]\n", "experiment.amounts"},
      {"protocol = \"lozo\"\n", "experiment.protocol"},
      {"feature_set = \"is11\"\n", "experiment.feature_set"},
      {"seed = -1\n", "experiment.seed"},
      {"[dnn]\nweight_decay = inf\n", "dnn.weight_decay"},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const std::string config = dir.file("bad" + std::to_string(i) + ".toml");
    std::ofstream(config) << head << cases[i].body;
    const std::string run = dir.file("run" + std::to_string(i));
    const std::string message = error_of([&] { run_experiment_and_report(config, run, {.quiet = true}); });
    EXPECT_EQ(message.rfind(config + ": ", 0), 0u) << cases[i].body << " -> " << message;
    EXPECT_NE(message.find(cases[i].key), std::string::npos) << cases[i].body << " -> " << message;
    EXPECT_FALSE(fs::exists(run)) << cases[i].body;
  }
  const std::string missing_corpus = dir.file("missing.toml");
  std::ofstream(missing_corpus) << "[experiment]\ncorpus = \"" << dir.file("nowhere") << "\"\n";
  EXPECT_NE(error_of([&] { run_experiment_and_report(missing_corpus, dir.file("run_missing"), {.quiet = true}); }).find("experiment.corpus"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir.file("run_missing")));

  // A folder without finished cells takes a corrected configuration.
  fs::create_directories(dir.path() / "resume" / "cells");
  std::ofstream(dir.file("resume/config.toml")) << "[experiment]\nsmote_k = 0\n";
  std::ofstream(dir.file("fixed.toml")) << head << "methods = [\"none\"]\nclassifiers = [\"svm\"]\namounts = [0]\ntable_amount = 0\n"
                                        << "repeats = 1\nprotocol = \"kfold:2\"\n";
  const std::string message = error_of([&] { run_experiment_and_report(dir.file("fixed.toml"), dir.file("resume"), {.quiet = true}); });
  EXPECT_EQ(message.find("another configuration"), std::string::npos) << message;
  EXPECT_EQ(slurp(dir.file("resume/config.toml")), slurp(dir.file("fixed.toml")));
}

// Class 12: amounts that cannot fit in memory are refused naming the option.
TEST(HostileInput, AmountsBeyondMemoryAreRefusedUpFront) {
  const std::string message = error_of([] { require_synthetic_rows_fit(100000000000ull, 5, 384, "--per-class"); });
  EXPECT_NE(message.find("--per-class 100000000000"), std::string::npos) << message;
  EXPECT_NE(message.find("more than this machine's"), std::string::npos) << message;
  EXPECT_NO_THROW(require_synthetic_rows_fit(1000, 5, 6373, "--per-class"));
}

// Class 6: the feature cache is lossless: any double written and read back is the same.
TEST(HostileInput, FeatureTablesRoundTripEveryBit) {
  testing::ScratchDir dir;
  std::mt19937_64 rng(7);
  FeatureTable t;
  t.feature_names = {"a", "b", "c", "d"};
  for (int r = 0; r < 200; ++r) {
    t.names.push_back("r" + std::to_string(r));
    t.speakers.push_back("s");
    t.labels.push_back("anger");
    for (int c = 0; c < 4; ++c) {
      double v = std::ldexp(static_cast<double>(rng() >> 11) / static_cast<double>(1ull << 53), static_cast<int>(rng() % 120) - 60);
      if (rng() % 2) v = -v;
      if (c == 3) v = static_cast<double>(static_cast<float>(v));  // float-born values too
      t.values.push_back(v);
    }
  }
  t.values[0] = std::numeric_limits<double>::denorm_min();
  t.values[1] = 1e30;
  write_feature_table(dir.file("t.csv"), t);
  const FeatureTable back = read_feature_table(dir.file("t.csv"));
  ASSERT_EQ(back.values.size(), t.values.size());
  for (std::size_t i = 0; i < t.values.size(); ++i) ASSERT_EQ(back.values[i], t.values[i]) << i;
}

// Classes 7 and 8: names that look like comments, formulas or break lines round-trip;
// no written line begins with a formula character; provenance is in a sidecar; a
// byte-order mark is ignored; a '#' row written by another tool is a row.
TEST(HostileInput, NamesRoundTripAndNeverRunInASpreadsheet) {
  testing::ScratchDir dir;
  const std::vector<std::string> names = {"#hash.wav", "new\nline.wav", "=HYPERLINK(\"x\").wav", "+1.wav", "-2.wav", "@SUM(A1).wav",
                                          "\ttab.wav", "\rcr.wav", "'quoted'.wav", "''double.wav", "comma,name.wav", "quote\"in.wav",
                                          "plain.wav"};
  FeatureTable t;
  t.feature_names = {"f"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    t.names.push_back(names[i]);
    t.speakers.push_back(i % 2 ? "=spk" : "s1");
    t.labels.push_back("anger");
    t.values.push_back(static_cast<double>(i));
  }
  t.extras["sources"] = std::vector<std::string>(names.size(), "-src;@x");
  const std::string path = dir.file("names.csv");
  write_feature_table(path, t, {"made by a test"});
  const FeatureTable back = read_feature_table(path);
  EXPECT_EQ(back.names, t.names);
  EXPECT_EQ(back.speakers, t.speakers);
  EXPECT_EQ(back.extras.at("sources"), t.extras.at("sources"));
  EXPECT_EQ(back.values, t.values);
  std::istringstream lines(slurp(path));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("name,speaker,label", 0), 0u) << "the header comes first: " << line;
  while (std::getline(lines, line))
    if (!line.empty()) EXPECT_EQ(std::string("=+-@\t\r#").find(line.front()), std::string::npos) << line;
  EXPECT_NE(slurp(provenance_sidecar_path(path)).find("made by a test"), std::string::npos);

  const std::string bom = dir.file("bom.csv");
  std::ofstream(bom) << "\xEF\xBB\xBFname,speaker,label,f\n#pandas.wav,s1,anger,1\nb.wav,s2,fear,2\n";
  const FeatureTable read_bom = read_feature_table(bom);
  EXPECT_EQ(read_bom.names, (std::vector<std::string>{"#pandas.wav", "b.wav"}));
  const std::string old = dir.file("old.csv");
  std::ofstream(old) << "# seraug 0.1 extract --set is09\nname,speaker,label,f\na.wav,s1,anger,1\n";
  EXPECT_EQ(read_feature_table(old).rows(), 1u);
}

// Classes 8, 9 and 10: manifests with a byte-order mark, the same file twice, quoted
// newlines; folders with a symlink loop.
TEST(HostileInput, ManifestsAndFolders) {
  testing::ScratchDir dir;
  write_wav16(dir.file("a.wav"), testing::harmonic_tone(150, 0.5, 16000), 16000);
  write_wav16(dir.file("b.wav"), testing::harmonic_tone(200, 0.5, 16000), 16000);
  const struct {
    std::string text;
    std::string expected;  // "" = accepted
  } cases[] = {
      {"\xEF\xBB\xBFpath,label,speaker\na.wav,anger,s1\n", ""},
      {"path,label,speaker\na.wav,anger,s1\nb.wav,fear,s2\na.wav,fear,s3\n", ":4: lists"},
      {"path,label,speaker\na.wav,anger,s1\n./a.wav,fear,s3\n", ":3: lists"},
      {"path,label,speaker\n\"a.wav\",\"multi\nline\",s1\nb.wav,fear,s2\n", ""},
      {"path,label,speaker\n\"a.wav,anger,s1\n", ":2: unterminated"},
  };
  for (const auto& c : cases) {
    const std::string manifest = dir.file("m.csv");
    std::ofstream(manifest) << c.text;
    const std::string message = error_of([&] { read_manifest(manifest); });
    if (c.expected.empty()) EXPECT_EQ(message, "(no error)") << c.text;
    else EXPECT_NE(message.find(manifest + c.expected), std::string::npos) << c.text << " -> " << message;
  }

  fs::create_directories(dir.path() / "loop");
  write_wav16(dir.file("loop/a.wav"), testing::harmonic_tone(150, 0.5, 16000), 16000);
  fs::create_symlink("x.wav", dir.file("loop/x.wav"));
  fs::create_symlink("y.wav", dir.file("loop/y.wav"));
  fs::remove(dir.file("loop/x.wav"));
  fs::create_symlink("y.wav", dir.file("loop/x.wav"));
  fs::remove(dir.file("loop/y.wav"));
  fs::create_symlink("x.wav", dir.file("loop/y.wav"));  // x -> y -> x
  const auto utterances = read_corpus(dir.file("loop"));
  ASSERT_EQ(utterances.size(), 3u);
  const std::string message = error_of([&] { extract_corpus(utterances, feature_set("is09"), {.jobs = 1}); });
  EXPECT_NE(message.find("loop/x.wav"), std::string::npos) << message;
  EXPECT_NE(message.find("symbolic links"), std::string::npos) << message;
  const BatchResult skipped = extract_corpus(utterances, feature_set("is09"), {.jobs = 1, .skip_bad = true});
  EXPECT_EQ(skipped.table.rows(), 1u);
  EXPECT_EQ(skipped.skipped.size(), 2u);
}

// Class 15: a signal stops a parallel search before its next fit.
TEST(HostileInput, AnInterruptStopsParallelWorkBeforeTheNextJob) {
  std::atomic<int> ran{0};
  request_interrupt();
  EXPECT_THROW(parallel_for(100, 2, [&](std::size_t) { ++ran; }), Interrupted);
  clear_interrupt();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_THROW(parallel_for(100, 2,
                            [&](std::size_t i) {
                              if (i == 3) request_interrupt();
                              ++ran;
                            }),
               Interrupted);
  clear_interrupt();
  EXPECT_LT(ran.load(), 100);
}

}  // namespace
}  // namespace seraug
