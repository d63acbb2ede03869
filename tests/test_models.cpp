#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

#include "seraug/options/config.hpp"
#include "seraug/options/options.hpp"
#include "seraug/common/error.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/eval/training.hpp"
#include "seraug/features/feature_set.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

// Rows with IS09's 384 column names: class c shifts features 3c..3c+2 (separable),
// 6 speakers, 3 classes.
Dataset is09_shaped(double separation, unsigned seed, std::size_t dims = 384) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  Dataset d;
  d.source = "synthetic";
  d.classes = {"anger", "neutral", "sadness"};
  d.feature_names = feature_names(feature_set("is09"));
  d.feature_names.resize(dims);
  std::vector<double> values;
  for (int s = 0; s < 6; ++s)
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 8; ++i) {
        for (std::size_t f = 0; f < d.feature_names.size(); ++f)
          values.push_back(noise(rng) + (f / 3 == static_cast<std::size_t>(c) ? separation : 0.0));
        d.labels.push_back(c);
        d.speakers.push_back("s" + std::to_string(s));
        d.names.push_back("r" + std::to_string(d.labels.size()));
      }
  d.features = Matrix(d.labels.size(), d.feature_names.size());
  d.features.data = values;
  return d;
}

FeatureTable as_table(const Dataset& d) {
  FeatureTable t;
  t.feature_names = d.feature_names;
  t.names = d.names;
  t.speakers = d.speakers;
  for (int y : d.labels) t.labels.push_back(d.classes[static_cast<std::size_t>(y)]);
  t.values = d.features.data;
  return t;
}

TrainOptions small(const std::string& classifier) {
  TrainOptions o;
  o.classifier = classifier;
  o.dnn.hidden = {32};
  o.dnn.max_epochs = 60;
  return o;
}

class SavedModels : public ::testing::TestWithParam<std::string> {};

TEST_P(SavedModels, TrainSaveLoadPredictGivesIdenticalProbabilities) {
  const Dataset d = is09_shaped(4.0, 3);
  const TrainedModel trained = train_model(d, small(GetParam()));
  testing::ScratchDir dir;
  save_trained_model(dir.file("model"), trained);
  const TrainedModel loaded = load_trained_model(dir.file("model"));
  const auto before = predict_table(trained, as_table(d)), after = predict_table(loaded, as_table(d));
  ASSERT_EQ(before.size(), d.rows());
  for (std::size_t r = 0; r < before.size(); ++r) {
    EXPECT_EQ(before[r].probabilities, after[r].probabilities) << r;
    EXPECT_EQ(before[r].label, after[r].label);
    double sum = 0;
    for (double p : after[r].probabilities) {
      EXPECT_GE(p, 0.0);
      sum += p;
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
  // Training rows of a separable problem are recognised.
  int right = 0;
  for (std::size_t r = 0; r < before.size(); ++r) right += before[r].label == d.classes[static_cast<std::size_t>(d.labels[r])];
  EXPECT_GT(right, static_cast<int>(0.95 * static_cast<double>(d.rows())));
}

INSTANTIATE_TEST_SUITE_P(Classifiers, SavedModels, ::testing::Values("svm", "svm-ovo", "svm-rbf", "dnn"));

std::string load_error(const std::string& folder) {
  try {
    load_trained_model(folder);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

void edit_json(const std::string& path, const std::string& from, const std::string& to) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(path) << text;
}

TEST(SavedModels, DamagedAndMismatchedFoldersAreRejected) {
  const Dataset d = is09_shaped(2.0, 4);
  const TrainedModel trained = train_model(d, small("svm"));
  testing::ScratchDir dir;
  auto fresh = [&](const std::string& name) {
    save_trained_model(dir.file(name), trained);
    return dir.file(name);
  };

  EXPECT_NE(load_error(dir.file("absent")).find("not found"), std::string::npos);

  const std::string damaged = fresh("damaged");
  std::ofstream(damaged + "/liblinear.model", std::ios::app) << "0.5\n";
  EXPECT_NE(load_error(damaged).find("checksum mismatch"), std::string::npos);

  const std::string missing = fresh("missing");
  std::filesystem::remove(missing + "/svm.txt");
  EXPECT_NE(load_error(missing).find("svm.txt"), std::string::npos);

  const std::string garbage = fresh("garbage");
  std::ofstream(garbage + "/model.json") << "{ not json";
  EXPECT_NE(load_error(garbage).find("model.json"), std::string::npos);

  const std::string newer = fresh("newer");
  edit_json(newer + "/model.json", "\"format_version\": 3", "\"format_version\": 7");
  EXPECT_NE(load_error(newer).find("format version 7"), std::string::npos);

  // Format 2 (before speaker-normalised and selected-column models) still loads.
  const std::string format2 = fresh("format2");
  edit_json(format2 + "/model.json", "\"format_version\": 3", "\"format_version\": 2");
  reseal_model_description(format2);
  EXPECT_EQ(load_error(format2), "");

  const std::string other_set = fresh("other_set");
  edit_json(other_set + "/model.json", "\"name\": \"is09\"", "\"name\": \"is42\"");
  reseal_model_description(other_set);  // as a model of another build would be
  EXPECT_NE(load_error(other_set).find("unknown feature set 'is42'"), std::string::npos);

  const std::string old_version = fresh("old_version");
  edit_json(old_version + "/model.json", "\"version\": 1", "\"version\": 0");
  reseal_model_description(old_version);
  EXPECT_NE(load_error(old_version).find("retrain"), std::string::npos);

  const std::string columns = fresh("columns");
  edit_json(columns + "/model.json", "\"pcm_RMSenergy_sma_max\"", "\"pcm_RMSenergy_sma_maximum\"");
  reseal_model_description(columns);
  EXPECT_NE(load_error(columns).find("feature columns are not"), std::string::npos);

  // A folder that is not a model is never overwritten.
  std::filesystem::create_directories(dir.path() / "precious");
  std::ofstream(dir.file("precious/thesis.tex")) << "x";
  EXPECT_THROW(save_trained_model(dir.file("precious"), trained), Error);
  EXPECT_TRUE(std::filesystem::exists(dir.file("precious/thesis.tex")));
}

// Hostile input class 5: every byte of model.json that affects a prediction is covered
// by its own checksum, and statistics no prediction can use are refused even when the
// description was resealed (a model written by a broken or hostile tool).
TEST(SavedModels, TamperedDescriptionsAreRefused) {
  const Dataset d = is09_shaped(2.0, 4);
  const TrainedModel trained = train_model(d, small("svm"));
  testing::ScratchDir dir;
  const nlohmann::json original = [&] {
    save_trained_model(dir.file("original"), trained);
    std::ifstream in(dir.file("original/model.json"));
    return nlohmann::json::parse(in);
  }();
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    bool reseal;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"a normaliser mean", [](nlohmann::json& j) { j["normalization"]["mean"][0] = 123.0; }, false, "checksum mismatch"},
      {"swapped classes", [](nlohmann::json& j) { std::swap(j["classes"][0], j["classes"][1]); }, false, "checksum mismatch"},
      {"a zero scale", [](nlohmann::json& j) { j["normalization"]["scale"][3] = 0.0; }, false, "checksum mismatch"},
      {"a hyperparameter", [](nlohmann::json& j) { j["classifier"]["hyperparameters"]["C"] = 7.0; }, false, "checksum mismatch"},
      {"the checksum removed", [](nlohmann::json& j) { j.erase("description_checksum"); }, false, "checksum mismatch"},
      {"a zero scale, resealed", [](nlohmann::json& j) { j["normalization"]["scale"][3] = 0.0; }, true, "scales must be finite and positive"},
      {"a negative scale, resealed", [](nlohmann::json& j) { j["normalization"]["scale"][0] = -1.0; }, true, "scales must be finite and positive"},
      {"a class twice, resealed", [](nlohmann::json& j) { j["classes"][1] = j["classes"][0]; }, true, "listed twice"},
      {"a file outside the folder, resealed", [](nlohmann::json& j) { j["files"]["../x"] = "0"; }, true, "not a file of the model folder"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string folder = dir.file("case" + std::to_string(i));
    save_trained_model(folder, trained);
    nlohmann::json j = original;
    cases[i].edit(j);
    std::ofstream(folder + "/model.json") << j.dump(2);
    if (cases[i].reseal) reseal_model_description(folder);
    EXPECT_NE(load_error(folder).find(cases[i].expected), std::string::npos) << cases[i].what << ": " << load_error(folder);
  }
  // The untouched folder still loads.
  EXPECT_NO_THROW(load_trained_model(dir.file("original")));
}

TEST(SavedModels, TrainingNeedsExtractableColumns) {
  Dataset d = is09_shaped(2.0, 5);
  d.feature_names[0] = "something_else";
  EXPECT_THROW(train_model(d, small("svm")), Error);
}

// Rows of one speaker of `d` as a feature table.
FeatureTable speaker_rows(const Dataset& d, const std::string& speaker) {
  FeatureTable t = as_table(d);
  FeatureTable out;
  out.feature_names = t.feature_names;
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.speakers[r] == speaker) {
      out.names.push_back(t.names[r]);
      out.speakers.push_back(t.speakers[r]);
      out.labels.push_back(t.labels[r]);
      out.values.insert(out.values.end(), t.row(r), t.row(r) + t.dims());
    }
  return out;
}

TEST(SavedModels, SpeakerNormalisedModelsEnrolTheNewSpeakerFromItsClipsOnly) {
  Dataset d = is09_shaped(3.0, 8);
  // Every speaker has its own offset, which speaker normalisation removes.
  for (std::size_t r = 0; r < d.rows(); ++r)
    for (std::size_t c = 0; c < d.dims(); ++c) d.features.at(r, c) += 5.0 * static_cast<double>(d.speakers[r][1] - '0');
  TrainOptions o = small("svm-ovo");
  o.norm = NormKind::Speaker;
  o.select_keep = {9, 0};
  const TrainedModel trained = train_model(d, o);
  testing::ScratchDir dir;
  save_trained_model(dir.file("model"), trained);
  const TrainedModel m = load_trained_model(dir.file("model"));
  EXPECT_EQ(m.normalization, NormKind::Speaker);
  EXPECT_EQ(m.feature_names.size(), 9u);  // the informative columns: 3 classes x 3
  const FeatureTable speaker = speaker_rows(d, "s2");
  FeatureTable enrolment = speaker, inputs = speaker;
  enrolment.values.resize(enrolment.feature_names.size() * 12);  // the first 12 clips enrol
  enrolment.names.resize(12);
  enrolment.speakers.resize(12);
  enrolment.labels.resize(12);
  const auto with_enrolment = predict_table(m, inputs, &enrolment);
  // By hand: the model's columns z-scored with the enrolment clips' own statistics.
  Matrix x(inputs.rows(), m.feature_names.size()), e(enrolment.rows(), m.feature_names.size());
  for (std::size_t f = 0; f < m.feature_names.size(); ++f) {
    const auto c = static_cast<std::size_t>(std::find(d.feature_names.begin(), d.feature_names.end(), m.feature_names[f]) - d.feature_names.begin());
    for (std::size_t r = 0; r < x.rows; ++r) x.at(r, f) = inputs.row(r)[c];
    for (std::size_t r = 0; r < e.rows; ++r) e.at(r, f) = enrolment.row(r)[c];
  }
  std::vector<std::size_t> all(e.rows);
  std::iota(all.begin(), all.end(), 0);
  ZScore::fit(e, all).apply(x);
  const Matrix by_hand = m.classifier->predict_proba(x);
  int right = 0;
  for (std::size_t r = 0; r < x.rows; ++r) {
    EXPECT_EQ(with_enrolment[r].probabilities, std::vector<double>(by_hand.row(r), by_hand.row(r) + by_hand.cols)) << r;
    right += with_enrolment[r].label == inputs.labels[r];
  }
  EXPECT_GT(right, static_cast<int>(0.8 * static_cast<double>(x.rows)));
  // The inputs themselves do not move the statistics: one clip alone, or next to a
  // wildly changed one, gets the same probabilities.
  FeatureTable one = inputs, changed = inputs;
  one.values.resize(one.feature_names.size());
  one.names.resize(1);
  for (auto& v : changed.values) v = v * 100 - 7;
  std::copy(inputs.row(0), inputs.row(0) + inputs.dims(), changed.values.begin());
  EXPECT_EQ(predict_table(m, one, &enrolment)[0].probabilities, with_enrolment[0].probabilities);
  EXPECT_EQ(predict_table(m, changed, &enrolment)[0].probabilities, with_enrolment[0].probabilities);
  // A prior shrinks the enrolment statistics, exactly as shrink_towards says.
  ASSERT_EQ(m.speaker_prior.mean.size(), m.feature_names.size());
  ZScore shrunk = shrink_towards(ZScore::fit(e, all), e.rows, m.speaker_prior, 8.0);
  Matrix xs(inputs.rows(), m.feature_names.size());
  for (std::size_t f = 0; f < m.feature_names.size(); ++f) {
    const auto c = static_cast<std::size_t>(std::find(d.feature_names.begin(), d.feature_names.end(), m.feature_names[f]) - d.feature_names.begin());
    for (std::size_t r = 0; r < xs.rows; ++r) xs.at(r, f) = inputs.row(r)[c];
  }
  shrunk.apply(xs);
  const Matrix shrunk_by_hand = m.classifier->predict_proba(xs);
  EXPECT_EQ(predict_table(m, inputs, &enrolment, 8.0)[3].probabilities,
            std::vector<double>(shrunk_by_hand.row(3), shrunk_by_hand.row(3) + shrunk_by_hand.cols));
  EXPECT_THROW(predict_table(m, inputs, nullptr, 8.0), Error);
  // Without enrolment: the pooled training statistics (the clear fallback); errors.
  EXPECT_NO_THROW(predict_table(m, inputs));
  FeatureTable lone = enrolment;
  lone.values.resize(lone.feature_names.size());
  lone.names.resize(1);
  EXPECT_THROW(predict_table(m, inputs, &lone), Error);
  const TrainedModel global = train_model(d, small("svm"));
  EXPECT_THROW(predict_table(global, inputs, &enrolment), Error);
}

EvalOptions small_dnn(std::vector<int> hidden, int max_epochs) {
  EvalOptions o;
  o.classifier = "dnn";
  o.dnn.hidden = std::move(hidden);
  o.dnn.max_epochs = max_epochs;
  return o;
}

// With more rows than dimensions (with 384 noise dimensions and 144 rows the net fits
// the noise, as any unregularised learner would; the SVM's C search copes with that).
TEST(Dnn, LearnsASeparableProblemUnderLosoAndIsDeterministic) {
  const Dataset d = is09_shaped(4.0, 6, /*dims=*/12);
  const EvalOptions o = small_dnn({32, 16}, 80);
  const EvalResult a = evaluate(d, o), b = evaluate(d, o);
  EXPECT_GE(a.uar().mean, 0.95);
  for (std::size_t f = 0; f < a.repeats[0].folds.size(); ++f)
    EXPECT_EQ(a.repeats[0].folds[f].predictions, b.repeats[0].folds[f].predictions);
}

// Folds fit side by side (one per thread, each fit drawing from its own generator) give
// the numbers of one fold at a time, in the same fold order; an odd thread count leaves
// a last group of one.
TEST(Dnn, FoldsSideBySideGiveTheNumbersOfOneAtATime) {
  const Dataset d = is09_shaped(1.0, 6, /*dims=*/40);
  EvalOptions o = small_dnn({64, 32}, 15);
  o.amounts = {0, 20};
  o.augment = "noise";
  o.threads = 1;
  const std::vector<EvalResult> one = evaluate_sweep(d, o);
  for (int threads : {2, 4}) {
    o.threads = threads;
    const std::vector<EvalResult> side_by_side = evaluate_sweep(d, o);
    ASSERT_EQ(side_by_side.size(), one.size());
    for (std::size_t a = 0; a < one.size(); ++a) {
      ASSERT_EQ(side_by_side[a].repeats[0].folds.size(), one[a].repeats[0].folds.size());
      for (std::size_t f = 0; f < one[a].repeats[0].folds.size(); ++f) {
        const FoldOutcome &x = one[a].repeats[0].folds[f], &y = side_by_side[a].repeats[0].folds[f];
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.predictions, y.predictions) << threads << " threads, amount " << a << ", fold " << x.name;
      }
    }
  }
}

TEST(Config, DefaultsFileMatchesBuiltInDefaultsAndTyposAreErrors) {
  const Config file = load_config(std::string(SERAUG_SOURCE_DIR) + "/configs/default.toml");
  // Every field, by the structs' defaulted ==: a new setting without its line in
  // default.toml (or with another value there) fails here.
  EXPECT_TRUE(file.dnn == DnnConfig{});
  EXPECT_TRUE(file.gan == GanConfig{});
  DnnConfig changed;
  changed.validation_fraction = 0.3;
  EXPECT_FALSE(changed == DnnConfig{});
  EXPECT_THROW(parse_config("[gan]\nsource = \"everything\"\n", "t.toml"), Error);

  EXPECT_EQ(parse_config("[dnn]\nhidden = [64]\ndropout = 0.5\n", "t.toml").dnn.hidden, std::vector<int>{64});
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[dnn]\nhiden = [64]\n", "dnn.hiden is not a [dnn] parameter"},
      {"[dnn]\ndropout = \"high\"\n", "dnn.dropout must be a finite number"},
      {"[dnn]\nhidden = [64, \"x\"]\n", "dnn.hidden (each) must be an integer"},
      {"[dnn]\ndropout = 1.5\n", "dropout must be in"},
      {"[gann]\n", "unknown section [gann]"},
      {"[dnn\n", "TOML syntax error"},
  };
  for (const auto& [text, message] : bad) {
    try {
      parse_config(text, "t.toml");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace seraug

#include <libsvm/svm.h>

#include "seraug/models/classifier.hpp"

namespace seraug {
namespace {

void quiet_libsvm(const char*) {}

// svm-ovo is LIBSVM's C-SVC with the linear kernel, one-vs-one: on a small 3-class problem
// its predictions equal those of LIBSVM called directly with the same settings, and they
// differ from one-vs-rest LIBLINEAR's somewhere (else the test would not tell them apart).
TEST(SvmOvo, MatchesLibsvmCalledDirectly) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  const std::size_t per_class = 30, dims = 4, classes = 3;
  Matrix x(per_class * classes, dims);
  std::vector<int> y;
  for (std::size_t r = 0; r < x.rows; ++r) {
    y.push_back(static_cast<int>(r % classes));
    for (std::size_t f = 0; f < dims; ++f) x.at(r, f) = noise(rng) + (f == static_cast<std::size_t>(y.back()) ? 1.5 : 0.0);
  }
  Matrix test(200, dims);
  for (auto& v : test.data) v = 2.0 * noise(rng);

  auto ours = make_classifier("svm-ovo", {{"C", 0.5}});
  FitOptions options;
  ours->fit(x, y, classes, options);
  const std::vector<int> predicted = ours->predict(test);

  // LIBSVM directly: dense rows as index:value nodes, -1 terminated.
  svm_set_print_string_function(quiet_libsvm);
  auto nodes = [](const Matrix& m) {
    std::vector<std::vector<svm_node>> rows(m.rows);
    for (std::size_t r = 0; r < m.rows; ++r) {
      for (std::size_t f = 0; f < m.cols; ++f) rows[r].push_back({static_cast<int>(f + 1), m.at(r, f)});
      rows[r].push_back({-1, 0.0});
    }
    return rows;
  };
  auto train_rows = nodes(x), test_rows = nodes(test);
  std::vector<svm_node*> pointers;
  for (auto& row : train_rows) pointers.push_back(row.data());
  std::vector<double> labels(y.begin(), y.end());
  svm_problem problem{static_cast<int>(x.rows), labels.data(), pointers.data()};
  svm_parameter param{};
  param.svm_type = C_SVC;
  param.kernel_type = LINEAR;
  param.C = 0.5;
  param.eps = 1e-3;
  param.cache_size = 100;
  param.shrinking = 1;
  ASSERT_EQ(svm_check_parameter(&problem, &param), nullptr);
  svm_model* direct = svm_train(&problem, &param);
  ASSERT_EQ(svm_get_nr_class(direct), 3);
  int differs_from_ovr = 0;
  auto ovr = make_classifier("svm", {{"C", 0.5}});
  ovr->fit(x, y, classes, options);
  const std::vector<int> ovr_predicted = ovr->predict(test);
  for (std::size_t r = 0; r < test.rows; ++r) {
    EXPECT_EQ(predicted[r], static_cast<int>(svm_predict(direct, test_rows[r].data()))) << "row " << r;
    differs_from_ovr += predicted[r] != ovr_predicted[r];
  }
  svm_free_and_destroy_model(&direct);
  EXPECT_GT(differs_from_ovr, 0);
  EXPECT_THROW(make_classifier("svm-ovo", {}), Error);  // C is required
}

// The inner search hands the kernel SVMs one Gram matrix per training part: the fitted
// model must be the same as when the SVM computes it itself (same probabilities, bit for
// bit), and a Gram matrix of other rows is refused.
TEST(KernelSvms, SharedGramMatrixGivesTheSameModel) {
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 1.0);
  const std::size_t classes = 3;
  Matrix x(90, 12), test(40, 12);
  std::vector<int> y;
  for (std::size_t r = 0; r < x.rows; ++r) {
    y.push_back(static_cast<int>(r % classes));
    for (std::size_t f = 0; f < x.cols; ++f) x.at(r, f) = noise(rng) + (f % classes == static_cast<std::size_t>(y.back()) ? 1.0 : 0.0);
  }
  for (auto& v : test.data) v = 1.5 * noise(rng);
  const Matrix gram = linear_gram(x);
  for (const std::string name : {"svm-rbf", "svm-ovo"}) {
    const Hyperparameters hp = name == "svm-rbf" ? Hyperparameters{{"C", 3.0}, {"gamma", 0.5}} : Hyperparameters{{"C", 0.3}};
    FitOptions own;
    own.calibrate = true;
    FitOptions shared = own;
    shared.gram = &gram;
    auto a = make_classifier(name, hp), b = make_classifier(name, hp);
    a->fit(x, y, classes, own);
    b->fit(x, y, classes, shared);
    EXPECT_EQ(a->predict(test), b->predict(test)) << name;
    EXPECT_EQ(a->predict_proba(test).data, b->predict_proba(test).data) << name;
    const Matrix wrong = linear_gram(select_rows(x, std::vector<std::size_t>{0, 1, 2}));
    shared.gram = &wrong;
    EXPECT_THROW(make_classifier(name, hp)->fit(x, y, classes, shared), Error) << name;
  }
}

}  // namespace
}  // namespace seraug
