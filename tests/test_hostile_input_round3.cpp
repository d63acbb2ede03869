// Hostile input, round 3 (issue 32): the surfaces that landed after the first two rounds
// (perturbation, shards, enrolment, Slurm, model files). One table-driven test per class
// of docs/robustness.md's "Round 3" table; each case is an input and the answer owed to it.
// The batch-script class (4) has a file of its own, test_batch_script.cpp.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>

#include "seraug/audio/audio.hpp"
#include "seraug/audio/perturb.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/tokens.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/data/feature_parts.hpp"
#include "seraug/data/feature_table.hpp"
#include "seraug/eval/training.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/models/saved_model.hpp"
#include "seraug/options/config.hpp"
#include "seraug/options/options.hpp"
#include "seraug/report/eval_report.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

using testing::error_of;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A speaker-normalised linear SVM on IS09-named synthetic rows, and those rows.
struct SpeakerModel {
  Dataset data;
  TrainedModel model;
};
SpeakerModel speaker_model() {
  Dataset d = testing::synthetic(3, 6, 2, 4.0, 1, 384);
  d.feature_names = feature_names(feature_set("is09"));
  TrainOptions o;
  o.norm = NormKind::Speaker;
  o.fixed = Hyperparameters{{"C", 0.1}};
  TrainedModel m = train_model(d, o);
  return {std::move(d), std::move(m)};
}

// The first `rows` rows of `data` as an unlabelled feature table.
FeatureTable unlabelled_rows(const Dataset& data, std::size_t rows) {
  FeatureTable t;
  t.feature_names = data.feature_names;
  for (std::size_t r = 0; r < rows; ++r) t.names.push_back("r" + std::to_string(r)), t.speakers.push_back(""), t.labels.push_back("");
  t.values.assign(data.features.data.begin(), data.features.data.begin() + static_cast<long>(rows * data.dims()));
  return t;
}

// Class 1: every file an input brings with it is an input too: a feature table's
// sidecar (provenance, a shard's block) is never replaced by an output.
TEST(HostileInputRound3, OutputsNeverReplaceAnInputsSidecar) {
  testing::ScratchDir dir;
  const std::string table = dir.file("p1.csv");
  write_feature_table(table, testing::two_row_table(), {"provenance"});
  const std::string sidecar = provenance_sidecar_path(table);
  std::ifstream in(sidecar);
  const std::string before((std::istreambuf_iterator<char>(in)), {});
  forget_inputs();
  read_feature_table(table);
  const struct {
    const char* what;
    std::function<void()> write;
  } cases[] = {
      {"a JSON report onto the sidecar", [&] { write_file_atomically(sidecar, "{}"); }},
      {"a feature table onto the sidecar", [&] { write_feature_table(sidecar, testing::two_row_table(), {"x"}); }},
      {"a table whose own sidecar is the input's sidecar's path", [&] { write_feature_table(dir.file("p1.csv"), testing::two_row_table(), {"x"}); }},
  };
  for (const auto& c : cases) EXPECT_TRUE(contains(error_of(c.write), "is also an input")) << c.what;
  std::ifstream again(sidecar);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(again)), {}), before);
  forget_inputs();
}

// Class 2: a folder of derived files that holds an input is refused; staged files appear
// only on commit, and a refused or failed run leaves none.
TEST(HostileInputRound3, DerivedFilesStayOutOfInputFolders) {
  testing::ScratchDir dir;
  fs::create_directories(dir.path() / "corpus/wav");
  const std::string clip = dir.file("corpus/wav/03a01Wa.wav");
  std::ofstream(clip) << "x";
  const std::vector<std::string> inputs = {dir.file("corpus"), clip};
  const struct {
    const char* what;
    std::string folder;
    bool refused;
  } cases[] = {{"the corpus folder", dir.file("corpus"), true},
               {"the clips' folder", dir.file("corpus/wav"), true},
               {"the same folder spelled with ..", dir.file("corpus/wav/../wav"), true},
               {"a folder above the corpus", dir.path().string(), true},
               {"a new folder inside the corpus (never listed as clips)", dir.file("corpus/copies"), false},
               {"a folder beside the corpus", dir.file("copies"), false}};
  for (const auto& c : cases) {
    const std::string message = error_of([&] { refuse_folder_holding_inputs(c.folder, inputs, "--write-audio"); });
    EXPECT_EQ(contains(message, "holds the input"), c.refused) << c.what << ": " << message;
  }

  const std::string out = dir.file("copies");
  {
    StagedFolder staged(out);
    std::ofstream(staged.staging() + "/a.wav") << "half";
  }  // no commit: an error or an interrupt
  EXPECT_TRUE(fs::is_empty(out)) << "a refused run left a copy";
  {
    StagedFolder staged(out);
    std::ofstream(staged.staging() + "/a.wav") << "whole";
    std::ofstream(staged.staging() + "/b.wav") << "whole";
    EXPECT_EQ(staged.commit(), 2u);
  }
  EXPECT_TRUE(fs::exists(out + "/a.wav") && fs::exists(out + "/b.wav"));
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator{}), 2);
  // A staged file whose target is an input: nothing at all is moved.
  forget_inputs();
  note_input(out + "/b.wav");
  {
    StagedFolder staged(out);
    std::ofstream(staged.staging() + "/0.wav") << "new";
    std::ofstream(staged.staging() + "/b.wav") << "new";
    EXPECT_TRUE(contains(error_of([&] { staged.commit(); }), "is also an input"));
  }
  EXPECT_FALSE(fs::exists(out + "/0.wav"));
  forget_inputs();
}

// Class 3: the same thing given twice is refused, whatever its spelling.
TEST(HostileInputRound3, TheSameThingTwiceIsRefused) {
  const struct {
    const char* what;
    std::vector<std::string> chains;
  } chain_cases[] = {{"one number, two spellings", {"speed=1.1", "speed=1.10"}},
                     {"an exponent", {"pitch=2", "pitch=2e0"}},
                     {"a chain", {"speed=0.9,noise=20", "vtlp=1.1", "speed=0.90,noise=20.0"}}};
  for (const auto& c : chain_cases)
    EXPECT_TRUE(contains(error_of([&] { parse_perturbation_chains(c.chains, "--perturb"); }), "given twice")) << c.what;
  EXPECT_EQ(parse_perturbation_chains({"speed=0.9", "speed=1.1", "speed=0.9,noise=20"}, "--perturb").size(), 3u);

  testing::ScratchDir dir;
  fs::create_directories(dir.path() / "spk");
  for (const char* name : {"a.wav", "b.wav"}) std::ofstream(dir.file(std::string("spk/") + name)) << "x";
  fs::create_symlink(dir.file("spk/a.wav"), dir.file("alias.wav"));
  const struct {
    const char* what;
    std::vector<std::string> inputs;
  } enrol_cases[] = {{"one folder twice", {dir.file("spk"), dir.file("spk")}},
                     {"a folder and a file in it", {dir.file("spk"), dir.file("spk/b.wav")}},
                     {"a file and a symlink to it", {dir.file("spk/a.wav"), dir.file("alias.wav")}},
                     {"the same folder spelled twice", {dir.file("spk"), dir.file("spk/../spk")}}};
  for (const auto& c : enrol_cases)
    EXPECT_TRUE(contains(error_of([&] { collect_utterances(c.inputs); }), "is given twice")) << c.what;
  EXPECT_EQ(collect_utterances({dir.file("spk/a.wav"), dir.file("spk/b.wav")}).size(), 2u);

  const struct {
    const char* what;
    std::string lines;
    std::string key;
  } config_cases[] = {{"a method twice", "methods = [\"none\", \"smote\", \"smote\"]", "experiment.methods"},
                      {"audio kinds in another order", "methods = [\"none\", \"speed+pitch\", \"pitch+speed\"]", "experiment.methods"},
                      {"[gan] settings in another order",
                       "methods = [\"none\", \"cyclegan-wdiv[source=neutral,pca=64]\", \"cyclegan-wdiv[pca=64,source=neutral]\"]",
                       "experiment.methods"},
                      {"a classifier twice", "classifiers = [\"svm\", \"svm\"]", "experiment.classifiers"},
                      {"an amount twice", "amounts = [0, 100, 100]", "experiment.amounts"}};
  for (const auto& c : config_cases) {
    const std::string toml = "[experiment]\ncorpus = \"" + dir.path().string() + "\"\n" + c.lines + "\n";
    const std::string message = error_of([&] { parse_experiment_config(toml, "x.toml"); });
    EXPECT_TRUE(contains(message, c.key) && contains(message, "given twice")) << c.what << ": " << message;
  }

  CopyRows copies;
  copies.x = Matrix(1, 2);
  copies.source = {0};
  copies.chain = {"speed=1.1"};
  CopyRows all;
  append_copies(all, copies);
  EXPECT_TRUE(contains(error_of([&] { append_copies(all, copies); }), "given twice"));
}

// Class 5: files that never end. A FIFO, a device, a folder or a symlink to one is
// refused at once by every reader (the old behaviour: the reader blocked forever).
TEST(HostileInputRound3, FilesThatNeverEndAreRefusedAtOnce) {
  testing::ScratchDir dir;
  const std::string fifo = dir.file("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  fs::create_symlink(fifo, dir.file("link-to-pipe"));
  fs::create_symlink("/dev/zero", dir.file("link-to-zero"));
  fs::create_directories(dir.path() / "model");
  fs::create_symlink(fifo, dir.file("model/model.json"));
  const struct {
    const char* what;
    std::function<void()> read;
    const char* kind;
  } cases[] = {
      {"feature table from a FIFO", [&] { read_feature_table(fifo); }, "FIFO"},
      {"feature table through a symlink to a FIFO", [&] { read_feature_table(dir.file("link-to-pipe")); }, "FIFO"},
      {"manifest from /dev/zero", [&] { read_manifest(dir.file("link-to-zero")); }, "character device"},
      {"config from a FIFO", [&] { load_config(fifo); }, "FIFO"},
      {"experiment config from a FIFO", [&] { load_experiment_config(fifo); }, "FIFO"},
      {"audio from /dev/zero", [&] { AudioStream::open_file("/dev/zero", {}); }, "character device"},
      {"audio from a FIFO", [&] { AudioStream::open_file(fifo, {}); }, "FIFO"},
      {"model.json that is a FIFO", [&] { load_trained_model(dir.file("model")); }, "FIFO"},
      {"a folder as a feature table", [&] { read_feature_table(dir.path().string()); }, "folder"},
  };
  for (const auto& c : cases) {
    // Run where a hang fails the test instead of blocking it.
    auto result = std::async(std::launch::async, [&] { return error_of(c.read); });
    ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready) << c.what << " blocked";
    const std::string message = result.get();
    EXPECT_TRUE(contains(message, c.kind) && contains(message, "not a regular file")) << c.what << ": " << message;
  }
  const std::string big = dir.file("big.txt");
  std::ofstream(big) << std::string(100, 'x');
  EXPECT_TRUE(contains(error_of([&] { require_readable_file(big, 99, "configuration file"); }), "more than the 99 bytes"));
  EXPECT_NO_THROW(require_readable_file(big, 100, "configuration file"));
}

// Class 6: validation in the library, so every front end gets it.
TEST(HostileInputRound3, TheLibraryValidatesWhatFrontEndsPass) {
  for (double rate : {0.0, -1.0, 3999.0, 384001.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    AudioOptions o;
    o.sample_rate_hz = rate;
    EXPECT_TRUE(contains(error_of([&] { o.validate(); }), "sample_rate")) << rate;
  }
  for (double rate : {4000.0, 16000.0, 384000.0}) EXPECT_NO_THROW((AudioOptions{rate}.validate()));
  EXPECT_NO_THROW(AudioOptions{}.validate());

  const auto [d, model] = speaker_model();
  const FeatureTable t = unlabelled_rows(d, 4);
  for (double prior : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()})
    EXPECT_TRUE(contains(error_of([&] { predict_table(model, t, &t, prior); }), "enroll_prior")) << prior;
  EXPECT_NO_THROW(predict_table(model, t, &t, 5.0));
}

// Class 7: whole tokens only; Slurm's variables named with their values.
TEST(HostileInputRound3, NumbersAreWholeTokens) {
  for (const char* text : {"1/4x", "1/1e3", " 1/4", "1/+4", "1/-4", "1/", "/4", "1/4/5", "0x1/4", "1.0/4", "99999999999/1", "1\n/4"})
    EXPECT_TRUE(contains(error_of([&] { parse_shard(text); }), "`shard`")) << text;
  EXPECT_EQ(parse_shard("2/4").index, 2);
  EXPECT_TRUE(contains(error_of([&] { parse_shard("5/4"); }), "1 <= K <= N"));

  const char* vars[] = {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX"};
  const struct {
    const char* what;
    std::vector<const char*> values;  // ID, COUNT, MIN, MAX (nullptr: unset)
    const char* expected;
  } cases[] = {{"a count of 0", {"0", "0", nullptr, nullptr}, "$SLURM_ARRAY_TASK_COUNT is '0'"},
               {"a huge count", {"0", "99999999999", nullptr, nullptr}, "$SLURM_ARRAY_TASK_COUNT is '99999999999'"},
               {"a count beyond the shards seraug plans", {"0", "200000", nullptr, nullptr}, "$SLURM_ARRAY_TASK_COUNT is '200000'"},
               {"an id with a suffix", {"3x", "4", "0", "3"}, "$SLURM_ARRAY_TASK_ID is '3x'"},
               {"a negative minimum", {"1", "2", "-1", "0"}, "$SLURM_ARRAY_TASK_MIN is '-1'"},
               {"MAX below MIN", {"5", nullptr, "5", "2"}, "$SLURM_ARRAY_TASK_MAX is '2'"},
               {"MIN without MAX", {"5", nullptr, "5", nullptr}, "$SLURM_ARRAY_TASK_MIN is set but"}};
  for (const auto& c : cases) {
    for (int i = 0; i < 4; ++i) c.values[i] ? ::setenv(vars[i], c.values[i], 1) : ::unsetenv(vars[i]);
    const std::string message = error_of([] { shard_from_environment(); });
    EXPECT_TRUE(contains(message, c.expected)) << c.what << ": " << message;
  }
  for (const char* v : vars) ::unsetenv(v);

  EXPECT_TRUE(contains(error_of([] { extraction_block(5, 1, 8); }), "8 shards for 5 input clip(s)"));
  EXPECT_EQ(extraction_block(5, 5, 5).second, 1u);
}

// Class 8: a setting nothing uses is refused naming it, never silently ignored.
TEST(HostileInputRound3, SettingsNothingUsesAreRefused) {
  const struct {
    const char* what;
    std::vector<std::string> chains;
    std::function<void(PerturbSettings&)> set;
    const char* expected;
  } perturb_cases[] = {
      {"noise_dir with white noise", {"noise=20"}, [](PerturbSettings& s) { s.noise_dir = "/tmp"; }, "noise_dir is used only with"},
      {"noise colour without noise", {"speed=1.1"}, [](PerturbSettings& s) { s.noise_color = "pink"; }, "no perturbation adds noise"},
      {"impulse_dir without reverb=file", {"reverb=0.5"}, [](PerturbSettings& s) { s.impulse_dir = "/tmp"; }, "impulse_dir is used only"},
      {"reverb=file without impulse_dir", {"reverb=file"}, [](PerturbSettings&) {}, "`impulse_dir`"},
  };
  for (const auto& c : perturb_cases) {
    PerturbSettings s;
    c.set(s);
    const auto chains = parse_perturbation_chains(c.chains, "--perturb");
    EXPECT_TRUE(contains(error_of([&] { s.validate_use(chains); }), c.expected)) << c.what;
  }

  const Dataset d = testing::synthetic(4, 5, 3, 3.0, 2);
  const struct {
    const char* what;
    std::function<void(EvaluateSettings&)> set;
    const char* expected;
  } eval_cases[] = {
      {"gamma with the linear SVM", [](EvaluateSettings& s) { s.c = 1, s.gamma = 0.5; }, "gamma applies to svm-rbf only"},
      {"gamma without C", [](EvaluateSettings& s) { s.classifier = "svm-rbf", s.gamma = 0.5; }, "give C too"},
      {"C with the DNN", [](EvaluateSettings& s) { s.classifier = "dnn", s.c = 1; }, "C applies to the SVM"},
      {"noise_sigma with smote", [](EvaluateSettings& s) { s.augment = "smote", s.augmentation.noise_sigma = 0.2; }, "noise_sigma"},
      {"smote_k without smote", [](EvaluateSettings& s) { s.augmentation.smote_k = 3; }, "smote_k"},
      {"GAN epochs without a GAN", [](EvaluateSettings& s) { s.models.gan = {{"epochs", "5"}}; }, "gan.epochs"},
      {"DNN settings with the SVM", [](EvaluateSettings& s) { s.models.dnn = {{"max_epochs", "5"}}; }, "dnn.* settings"},
      {"a GAN cache without a GAN", [](EvaluateSettings& s) { s.gan_cache = "/tmp/x"; }, "gan_cache"},
  };
  for (const auto& c : eval_cases) {
    EvaluateSettings s;
    c.set(s);
    EXPECT_TRUE(contains(error_of([&] { build_eval_options(s, d); }), c.expected)) << c.what;
  }
  EvaluateSettings used;
  used.classifier = "svm-rbf", used.c = 1, used.gamma = 0.5;
  EXPECT_NO_THROW(build_eval_options(used, d));
}

// Class 9: messages that help. A class of one speaker is named as unlearnable under
// LOSO; a class never predicted prints "–" and why; a degenerate enrolment is named.
TEST(HostileInputRound3, MessagesSayWhatIsWrongAndWhy) {
  Dataset d = testing::synthetic(4, 6, 3, 3.0, 4);
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (d.labels[r] == 2) d.speakers[r] = "s0";  // class2: one speaker
  EvaluateSettings s;
  s.c = 0.1;
  const auto results = evaluate_sweep(d, build_eval_options(s, d));
  ASSERT_EQ(results.front().warnings.size(), 1u);
  EXPECT_TRUE(contains(results.front().warnings[0], "class 'class2' has clips of one speaker only (s0)"));
  EXPECT_TRUE(contains(format_sweep(results), "note: class 'class2'"));

  EvalResult r = results.front();
  Confusion never(3);
  never.add(0, 0, 5), never.add(1, 0, 2), never.add(1, 1, 3), never.add(2, 1, 4);  // class2 never predicted
  r.repeats.front().pooled = never;
  const std::string text = format_evaluation(r);
  EXPECT_FALSE(contains(text, "nan")) << text;
  EXPECT_TRUE(contains(text, "\u2013: the class was never predicted")) << text;

  const auto [is09, model] = speaker_model();
  FeatureTable same = unlabelled_rows(is09, 5);
  for (std::size_t r = 1; r < 5; ++r) std::copy(is09.features.row(0), is09.features.row(0) + 384, same.values.begin() + static_cast<long>(r * 384));
  const auto warnings = enrolment_warnings(model, same);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_TRUE(contains(warnings[0], "4 of the 5 enrolment clips have exactly the features of another"));
  EXPECT_TRUE(contains(warnings[1], "384 of 384 feature columns do not vary"));
  EXPECT_TRUE(enrolment_warnings(model, unlabelled_rows(is09, 5)).empty());
}

}  // namespace
}  // namespace seraug
