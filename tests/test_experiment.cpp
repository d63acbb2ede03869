// The experiment runner end to end on a tiny grid (4 speakers, 3 methods, svm, 2 seeds),
// with the EMO-DB copy; skipped without it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "seraug/common/error.hpp"

#include "seraug/common/cpus.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/experiment/cell_timing.hpp"
#include "seraug/experiment/experiment.hpp"
#include "seraug/report/experiment_report.hpp"
#include "seraug/stats/permutation.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tiny_config(const testing::ScratchDir& dir, const std::string& corpus) {
  const std::string path = dir.file("tiny.toml");
  std::ofstream(path) << "[experiment]\ncorpus = \"" << corpus << "\"\nspeakers = [\"03\", \"08\", \"09\", \"10\"]\n"
                      << "methods = [\"none\", \"smote\", \"noise\"]\nclassifiers = [\"svm\"]\namounts = [0, 20]\n"
                      << "table_amount = 20\nrepeats = 2\n";
  return path;
}

ExperimentOptions quiet() {
  ExperimentOptions o;
  o.quiet = true;
  return o;
}

class Experiment : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = testing::emodb_dir();
    if (corpus_.empty()) GTEST_SKIP() << "EMO-DB copy not found";
    config_ = tiny_config(dir_, corpus_);
  }
  testing::ScratchDir dir_;
  std::string corpus_, config_;
};

TEST_F(Experiment, WritesEveryOutputAndTheTableAgreesWithResults) {
  const std::string run = dir_.file("run");
  ASSERT_TRUE(run_experiment_and_report(config_, run, quiet()));
  for (const char* f : {"results.csv", "table.md", "report.html", "config.toml", "figures/curve_svm_uar.png", "figures/curve_svm_wa.svg",
                        "figures/confusion_smote_svm.png", "figures/pca_noise.png", "figures/tsne_smote.svg"})
    EXPECT_TRUE(fs::exists(run + "/" + f)) << f;
  // The three methods add their rows after the inner search, so they share its choices:
  // one search per fold (4 speakers) and seed (2), not per cell.
  std::size_t searches = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(run + "/cache/inner_search")) ++searches;
  EXPECT_EQ(searches, 4u * 2u);

  // Recompute each row of the table from results.csv: pooled WA per seed, then the mean.
  std::ifstream results(run + "/results.csv");
  std::string line;
  std::getline(results, line);
  std::map<std::string, std::map<std::string, std::pair<long, long>>> pooled;  // method@amount -> seed -> (correct, n)
  while (std::getline(results, line)) {
    const auto f = split_csv_line(line, ',');
    auto& p = pooled[f[0] + "@" + f[3]][f[2]];
    p.second += std::stol(f[6]);
    p.first += std::stol(f[7]);
  }
  const std::string table = text_of(run + "/table.md");
  for (const auto& [method, key] : std::vector<std::pair<std::string, std::string>>{{"No augmentation", "none@0"}, {"SMOTE", "smote@20"}, {"Add noise", "noise@20"}}) {
    double mean = 0;
    for (const auto& [seed, p] : pooled.at(key)) mean += 100.0 * static_cast<double>(p.first) / static_cast<double>(p.second) / 2.0;
    char expected[32];
    std::snprintf(expected, sizeof expected, "| %s | SVM | %.2f ±", method.c_str(), mean);
    EXPECT_NE(table.find(expected), std::string::npos) << expected << "\n" << table;
  }

  // The curves' accuracy axis spans at least 5 points and holds every point with its
  // error bar (autoscaling would blow a 0.1-point difference up to the full height).
  const std::string gp = text_of(run + "/figures/curve_svm_uar.gp");
  std::smatch range;
  ASSERT_TRUE(std::regex_search(gp, range, std::regex(R"(set yrange \[([-0-9.e]+):([-0-9.e]+)\])"))) << gp;
  const double y_low = std::stod(range[1].str()), y_high = std::stod(range[2].str());
  EXPECT_GE(y_high - y_low, 5.0);
  std::ifstream dat(run + "/figures/curve_svm_uar.dat");
  int points = 0;
  for (std::string row; std::getline(dat, row);) {
    if (row.empty() || row[0] == '#') continue;
    std::istringstream fields(row);
    double amount = 0, mean = 0, std_dev = 0;
    fields >> amount >> mean >> std_dev;
    EXPECT_LE(y_low, mean - std_dev) << row;
    EXPECT_GE(y_high, mean + std_dev) << row;
    ++points;
  }
  EXPECT_GT(points, 3);

  // The HTML report references only files that exist.
  const std::string html = text_of(run + "/report.html");
  const std::regex ref("(?:src|href)='([^']+)'");
  int refs = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), ref); it != std::sregex_iterator(); ++it, ++refs)
    EXPECT_TRUE(fs::exists(run + "/" + (*it)[1].str())) << (*it)[1].str();
  EXPECT_GT(refs, 10);

  // timings.csv: a row per cell whose phases add up to no more than its total, an SVM
  // cell's inner search is timed (the svm's C is chosen by inner cross-validation), and
  // each cell names the OpenBLAS kernel of the process that ran it (this one).
  std::ifstream timings(run + "/timings.csv");
  std::getline(timings, line);
  EXPECT_EQ(line, "cell,total,normalise,inner_search,selection,augmentation,fit,predict,other,blas_kernel");
  int cells = 0;
  while (std::getline(timings, line)) {
    const auto f = split_csv_line(line, ',');
    ASSERT_EQ(f.size(), 10u) << line;
    EXPECT_EQ(f[9], blas_kernel()) << line;
    double phases = 0;
    for (std::size_t i = 2; i < 8; ++i) phases += std::stod(f[i]);
    EXPECT_LE(phases, std::stod(f[1]) + 0.01) << line;
    EXPECT_GE(std::stod(f[8]), -0.01) << line;
    if (f[0].find("__svm__") != std::string::npos) EXPECT_GT(std::stod(f[3]), 0.0) << line;
    ++cells;
  }
  EXPECT_GT(cells, 2);
}

TEST_F(Experiment, ResumedAndShardedRunsEqualAnUninterruptedRun) {
  const std::string whole = dir_.file("whole"), resumed = dir_.file("resumed"), a = dir_.file("a"), b = dir_.file("b"), merged = dir_.file("merged");
  ASSERT_TRUE(run_experiment_and_report(config_, whole, quiet()));

  // An interrupted run: only some cells finished (as after a kill between cells); the rerun
  // computes the rest.
  ExperimentOptions first_half = quiet();
  first_half.shard = parse_shard("1/2");
  EXPECT_FALSE(run_experiment_and_report(config_, resumed, first_half));
  const auto cells_before = std::distance(fs::directory_iterator(resumed + "/cells"), fs::directory_iterator{});
  ASSERT_TRUE(run_experiment_and_report(config_, resumed, quiet()));
  EXPECT_GT(std::distance(fs::directory_iterator(resumed + "/cells"), fs::directory_iterator{}), cells_before);
  EXPECT_EQ(text_of(resumed + "/results.csv"), text_of(whole + "/results.csv"));
  EXPECT_EQ(text_of(resumed + "/table.md"), text_of(whole + "/table.md"));

  ExperimentOptions s1 = quiet(), s2 = quiet();
  s1.shard = parse_shard("1/2");
  s2.shard = parse_shard("2/2");
  EXPECT_FALSE(run_experiment_and_report(config_, a, s1));
  EXPECT_FALSE(run_experiment_and_report(config_, b, s2));
  merge_and_report({a, b}, merged);
  EXPECT_EQ(text_of(merged + "/results.csv"), text_of(whole + "/results.csv"));
  EXPECT_EQ(text_of(merged + "/table.md"), text_of(whole + "/table.md"));
  EXPECT_THROW(merge_and_report({a}, dir_.file("incomplete")), Error);

  // Cells computed from other features (as after a feature-set version bump: this
  // build's feature cache is not in the folder) are neither resumed nor merged, and a
  // refused merge copies nothing.
  for (const auto& entry : fs::directory_iterator(b + "/cache"))
    fs::rename(entry.path(), entry.path().parent_path() / ("old-" + entry.path().filename().string()));
  EXPECT_THROW(run_experiment_and_report(config_, b, s2), Error);
  EXPECT_THROW(merge_and_report({a, b}, dir_.file("mixed")), Error);
  EXPECT_FALSE(fs::exists(dir_.file("mixed") + "/cells"));
}

TEST(ExperimentConfig, BadConfigurationsAreErrors) {
  testing::ScratchDir dir;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[experiment]\nmethods = [\"smote\"]\n", "must include \"none\""},
      {"[experiment]\nmethods = [\"none\", \"magic\"]\n", "unknown method 'magic'"},
      {"[experiment]\nmethods = [\"none\", \"speed+speed\"]\n", "names 'speed' twice"},
      {"[experiment]\nmethods = [\"none\", \"smote+noise\"]\n", "two feature-space augmenters"},
      {"[experiment]\nmethods = [\"none\", \"speed\"]\n[audio_augment]\nspeed = [3.0]\n", "audio_augment.speed (each) must be in [0.5, 2], got 3"},
      {"[experiment]\nmethods = [\"none\", \"speed\"]\n[audio_augment]\nspeed = []\n", "audio_augment.speed must be a non-empty list of numbers"},
      {"[experiment]\nmethods = [\"none\"]\n[audio_augment]\nnoise_color = \"blue\"\n", "noise_color"},
      {"[experiment]\nmethods = [\"none\"]\n[audio_augment]\necho = 1\n", "audio_augment.echo is not a [audio_augment] parameter"},
      {"[experiment]\nclassifiers = [\"knn\"]\n", "experiment.classifiers (each) is 'knn', not one of"},
      {"[experiment]\namounts = [0, 100]\ntable_amount = 50\n", "table_amount"},
      {"[experiment]\nrepeat = 3\n", "experiment.repeat is not a [experiment] parameter"},
      {"[dnn]\n", "needs an [experiment] section"},
  };
  for (const auto& [text, message] : bad) {
    std::ofstream(dir.file("c.toml")) << text;
    try {
      load_experiment_config(dir.file("c.toml"));
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_shard("3/2"), Error);
  EXPECT_THROW(parse_shard("x"), Error);
}

// The shipped experiment configurations are what users run first: each must load and
// validate (a typo in a key would otherwise surface only after a run has started).
TEST(ExperimentConfig, MethodsJoinAudioKindsAndOneAugmenter) {
  const MethodParts a = parse_method("speed+audio-noise+smote");
  EXPECT_EQ(a.audio, (std::vector<std::string>{"speed", "noise"}));
  EXPECT_EQ(a.augmenter, "smote");
  EXPECT_EQ(parse_method("noise").augmenter, "noise");  // the feature-space augmenter
  EXPECT_TRUE(parse_method("noise").audio.empty());
  ExperimentConfig c;
  c.audio_values["pitch"] = {-2, 2};
  const auto chains = method_chains(c, "pitch+vtlp");
  ASSERT_EQ(chains.size(), 4u);
  EXPECT_EQ(chain_text(chains[0]), "pitch=-2");
  EXPECT_EQ(chain_text(chains[3]), "vtlp=1.1");
}

TEST_F(Experiment, AudioMethodsTrainOnCachedCopiesOfTrainingClipsOnly) {
  const std::string config = dir_.file("audio.toml");
  std::ofstream(config) << "[experiment]\ncorpus = \"" << corpus_ << "\"\nspeakers = [\"03\", \"08\", \"09\"]\n"
                        << "methods = [\"none\", \"pitch\", \"speed+smote\"]\nclassifiers = [\"svm\"]\namounts = [0, 10]\n"
                        << "table_amount = 10\nrepeats = 1\n[audio_augment]\npitch = [2]\nspeed = [1.1]\n";
  const std::string run = dir_.file("audio-run");
  ASSERT_TRUE(run_experiment_and_report(config, run, quiet()));
  std::size_t copy_caches = 0;
  for (const auto& e : std::filesystem::directory_iterator(run + "/cache"))
    copy_caches += e.path().filename().string().rfind("copies-", 0) == 0 && e.path().extension() == ".csv";
  EXPECT_EQ(copy_caches, 2u);  // pitch=2 and speed=1.1, each once for every cell
  const std::string results = text_of(run + "/results.csv");
  EXPECT_NE(results.find("\npitch,svm,1,0,"), std::string::npos);
  EXPECT_NE(results.find("\nspeed+smote,svm,1,10,"), std::string::npos);
  // A second run in a new folder with the same copies gives the same cells.
  const std::string again = dir_.file("audio-again");
  ASSERT_TRUE(run_experiment_and_report(config, again, quiet()));
  EXPECT_EQ(text_of(again + "/results.csv"), results);
}

// A GAN variant whose settings hold a comma: its cells (CSV) quote the method, the
// report reads them back, and the table names the variant.
TEST_F(Experiment, GanVariantsWithSeveralSettingsRoundTripThroughTheCells) {
  const std::string config = dir_.file("variant.toml");
  std::ofstream(config) << "[experiment]\ncorpus = \"" << corpus_ << "\"\nspeakers = [\"03\", \"08\", \"09\"]\nnorm = \"speaker\"\n"
                        << "methods = [\"none\", \"cyclegan-wdiv[source=neutral,filter=knn,filter_keep=0.5]\"]\nclassifiers = [\"svm\"]\n"
                        << "amounts = [10]\ntable_amount = 10\nrepeats = 1\n[gan]\nhidden = [8]\nepochs = 1\npretrain_epochs = 0\n";
  const std::string run = dir_.file("variant-run");
  ASSERT_TRUE(run_experiment_and_report(config, run, quiet()));
  const std::string results = text_of(run + "/results.csv");
  EXPECT_NE(results.find("\n\"cyclegan-wdiv[source=neutral,filter=knn,filter_keep=0.5]\",svm,1,10,"), std::string::npos) << results;
  EXPECT_NE(text_of(run + "/table.md").find("cyclegan-wdiv[source=neutral,filter=knn,filter_keep=0.5]"), std::string::npos);
}

TEST(ExperimentConfig, ShippedConfigurationsLoad) {
  // What users run (configs/) and every study's config and kept run copy (studies/).
  const fs::path source(SERAUG_SOURCE_DIR);
  std::map<std::string, int> experiments;
  for (const char* folder : {"configs", "studies"})
    for (const auto& entry : fs::recursive_directory_iterator(source / folder)) {
      if (entry.path().extension() != ".toml" || text_of(entry.path().string()).find("[experiment]") == std::string::npos)
        continue;
      SCOPED_TRACE(entry.path().string());
      EXPECT_NO_THROW(load_experiment_config(entry.path().string()).validate());
      ++experiments[folder];
    }
  EXPECT_EQ(experiments["configs"], 3);   // quick, paper, best (default.toml has no [experiment])
  EXPECT_GE(experiments["studies"], 10);  // eight study configs and the kept runs' copies
}

TEST(Significance, SignFlipTestKnownCases) {
  EXPECT_DOUBLE_EQ(sign_flip_p_value({1, 1, 1, 1}), 2.0 / 16.0);  // all same sign: only the two extreme flips
  EXPECT_DOUBLE_EQ(sign_flip_p_value({1, -1}), 1.0);
  EXPECT_LT(sign_flip_p_value(std::vector<double>(30, 0.5)), 0.001);  // random flips beyond 20 pairs
}

TEST(Significance, HolmAdjustsInStepsAndKeepsTheOrder) {
  // Sorted 0.01, 0.03, 0.04: x3 = 0.03, x2 = 0.06, x1 = 0.04 -> raised to 0.06 (monotone).
  const std::vector<double> adjusted = holm_adjusted({0.01, 0.04, 0.03});
  EXPECT_NEAR(adjusted[0], 0.03, 1e-15);
  EXPECT_NEAR(adjusted[1], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-15);
  EXPECT_DOUBLE_EQ(holm_adjusted({0.5, 0.9})[1], 1.0);  // capped at 1
  EXPECT_TRUE(holm_adjusted({}).empty());
}

}  // namespace
}  // namespace seraug

#include <random>

#include "seraug/stats/tsne.hpp"
#include "seraug/stats/permutation.hpp"

namespace seraug {
namespace {

TEST(Tsne, KeepsSeparatedClustersApartAndIsDeterministic) {
  std::mt19937 rng(5);
  std::normal_distribution<double> z(0, 1);
  Matrix x(60, 10);
  for (std::size_t r = 0; r < 60; ++r)
    for (std::size_t f = 0; f < 10; ++f) x.at(r, f) = z(rng) + (r < 30 && f == 0 ? 20.0 : 0.0);
  TsneOptions o;
  o.perplexity = 10;
  const Matrix y = tsne(x, o);
  auto centre = [&](std::size_t from) {
    double cx = 0, cy = 0;
    for (std::size_t r = from; r < from + 30; ++r) { cx += y.at(r, 0) / 30; cy += y.at(r, 1) / 30; }
    return std::pair{cx, cy};
  };
  const auto [ax, ay] = centre(0);
  const auto [bx, by] = centre(30);
  double spread = 0;
  for (std::size_t r = 0; r < 30; ++r) spread += std::hypot(y.at(r, 0) - ax, y.at(r, 1) - ay) / 30;
  EXPECT_GT(std::hypot(ax - bx, ay - by), 2 * spread) << "clusters " << std::hypot(ax - bx, ay - by) << " apart, spread " << spread;
  EXPECT_EQ(tsne(x, o).data, y.data);
  EXPECT_THROW(tsne(Matrix(2, 3)), Error);
}

TEST(PrincipalAxes, RecoverKnownAxesOfWideAndTallDataWithFixedSigns) {
  // Rows a_r u1 + b_r u2 + 5: u1 and u2 orthogonal unit vectors (even and odd entries),
  // a and b zero-mean and orthogonal with var(a) > var(b), so the axes are exactly u1, u2;
  // u1's largest entry is negative, so its axis must come back as -u1.
  for (const auto& [rows, cols] : {std::pair<std::size_t, std::size_t>{20, 300}, std::pair<std::size_t, std::size_t>{200, 6}}) {
    std::vector<double> u1(cols, 0.0), u2(cols, 0.0);
    double n1 = 0, n2 = 0;
    for (std::size_t f = 0; f < cols; ++f) {
      if (f % 2 == 0) n1 += std::pow(u1[f] = -(1.0 + static_cast<double>(f % 5)), 2);
      else n2 += std::pow(u2[f] = 1.0 + static_cast<double>(f % 3), 2);
    }
    for (auto& v : u1) v /= std::sqrt(n1);
    for (auto& v : u2) v /= std::sqrt(n2);
    Matrix x(rows, cols);
    for (std::size_t r = 0; r < rows; ++r) {
      const double a = r % 2 ? -3.0 : 3.0, b = (r / 2) % 2 ? -1.0 : 1.0;
      for (std::size_t f = 0; f < cols; ++f) x.at(r, f) = a * u1[f] + b * u2[f] + 5.0;
    }
    const Matrix axes = principal_axes(x, 2);
    ASSERT_EQ(axes.rows, cols);
    ASSERT_EQ(axes.cols, 2u);
    for (std::size_t f = 0; f < cols; ++f) {
      EXPECT_NEAR(axes.at(f, 0), -u1[f], 1e-9) << rows << "x" << cols << " entry " << f;
      EXPECT_NEAR(axes.at(f, 1), u2[f], 1e-9) << rows << "x" << cols << " entry " << f;
    }
    EXPECT_EQ(principal_axes(x, 2).data, axes.data);  // deterministic
    EXPECT_EQ(principal_axes(x, 1000).cols, std::min(rows, cols));
  }
}

// A cell's .seconds sidecar: phases and the OpenBLAS kernel read back as written; a file
// written before the kernel was recorded still reads, with no kernel.
TEST(CellTiming, SidecarReadsBackWithAndWithoutTheKernel) {
  const std::string path = ::testing::TempDir() + "/cell_timing.seconds";
  CellTiming t;
  t.total = 12.5;
  t.phases.inner_search = 4.25;
  t.phases.fit = 2.0;
  t.blas_kernel = "Haswell";
  std::ofstream(path) << cell_timing_text(t);
  CellTiming back = read_cell_timing(path);
  EXPECT_DOUBLE_EQ(back.total, 12.5);
  EXPECT_DOUBLE_EQ(back.phases.inner_search, 4.25);
  EXPECT_DOUBLE_EQ(back.phases.fit, 2.0);
  EXPECT_EQ(back.blas_kernel, "Haswell");
  EXPECT_EQ(cell_timing_csv_row("c", back), "c,12.500,0.000,4.250,0.000,0.000,2.000,0.000,6.250,Haswell\n");

  std::ofstream(path) << "3.000\nnormalise 0.500\nfit 1.000\n";
  back = read_cell_timing(path);
  EXPECT_DOUBLE_EQ(back.total, 3.0);
  EXPECT_DOUBLE_EQ(back.phases.fit, 1.0);
  EXPECT_EQ(back.blas_kernel, "");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace seraug
