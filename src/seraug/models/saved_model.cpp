#include "seraug/models/saved_model.hpp"


#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/parameter_json.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/stats/hash.hpp"
#include "seraug/features/feature_set.hpp"
#include "seraug/version.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

std::string file_checksum(const fs::path& path) {
  require_readable_file(path.string(), kMaxModelFileBytes, "model file");
  note_input(path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path.string(), "missing");
  std::uint64_t h = kFnv1aOffset;
  char buf[1 << 15];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) h = fnv1a(h, buf, static_cast<std::size_t>(in.gcount()));
  return hex64(h);
}

// The checksum of model.json itself: FNV-1a of its canonical text (keys sorted, as
// nlohmann::json keeps them) without the "description_checksum" key, so that every byte
// that affects a prediction (normaliser statistics, classes, columns, settings) is
// covered, not only the classifier's files.
std::string description_checksum(nlohmann::json j) {
  j.erase("description_checksum");
  return hex64(fnv1a(j.dump()));
}

// Statistics a prediction divides by and subtracts: finite, scales positive.
void check_normaliser(const ZScore& z) {
  if (z.mean.size() != z.scale.size()) throw Error("normalization.mean and normalization.scale differ in length");
  for (std::size_t c = 0; c < z.mean.size(); ++c) {
    if (!std::isfinite(z.mean[c])) throw Error("normalization.mean[" + std::to_string(c) + "] is not finite");
    if (!(z.scale[c] > 0) || !std::isfinite(z.scale[c]))
      throw Error("normalization.scale[" + std::to_string(c) + "] is " + std::to_string(z.scale[c]) + "; scales must be finite and positive");
  }
}

void check_classes(const std::vector<std::string>& classes) {
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (classes[i].empty()) throw Error("classes[" + std::to_string(i) + "] is empty");
    for (std::size_t k = 0; k < i; ++k)
      if (classes[k] == classes[i]) throw Error("class '" + classes[i] + "' is listed twice");
  }
}

nlohmann::json dnn_json(const DnnConfig& d) { return fields_json(dnn_fields(), d); }

void replace_folder(const fs::path& staging, const fs::path& target) {
  std::error_code ec;
  const fs::path old = target.string() + ".old." + unique_temporary_suffix();
  const bool had_target = fs::exists(target);
  if (had_target) fs::rename(target, old, ec);
  if (ec) throw file_error(target.string(), "cannot move the previous model aside: " + ec.message());
  fs::rename(staging, target, ec);
  if (ec) {
    if (had_target) fs::rename(old, target);
    throw file_error(target.string(), "cannot move the new model into place: " + ec.message());
  }
  if (had_target) fs::remove_all(old, ec);
}

void check_replaceable(const fs::path& target) {
  if (!fs::exists(target)) return;
  if (!fs::is_directory(target)) throw file_error(target.string(), "exists and is not a folder");
  if (!fs::is_empty(target) && !fs::exists(target / "model.json"))
    throw file_error(target.string(), "exists and is not a seraug model folder; refusing to replace it");
}

// model.json's "normalization" object into m (format 2 has no kind: global).
void read_normalization(const nlohmann::json& j, int format_version, TrainedModel& m) {
  m.normalizer.mean = j.at("mean").get<std::vector<double>>();
  m.normalizer.scale = j.at("scale").get<std::vector<double>>();
  if (j.contains("speaker_prior")) {
    m.speaker_prior.mean = j.at("speaker_prior").at("mean").get<std::vector<double>>();
    m.speaker_prior.scale = j.at("speaker_prior").at("scale").get<std::vector<double>>();
    check_normaliser(m.speaker_prior);
    if (m.speaker_prior.mean.size() != m.normalizer.mean.size()) throw Error("normalization.speaker_prior has the wrong length");
  }
  const std::string kind = format_version == 2 ? "global" : j.at("kind").get<std::string>();
  if (kind != "global" && kind != "speaker") throw Error("normalization.kind '" + kind + "' is neither global nor speaker");
  m.normalization = parse_norm(kind);
}

nlohmann::json normalization_json(const TrainedModel& m) {
  nlohmann::json j = {{"kind", norm_name(m.normalization)}, {"mean", m.normalizer.mean}, {"scale", m.normalizer.scale}};
  if (!m.speaker_prior.mean.empty()) j["speaker_prior"] = {{"mean", m.speaker_prior.mean}, {"scale", m.speaker_prior.scale}};
  return j;
}

// Whether `columns` are some of the set's names, each once, in the set's order (a model
// trained on selected columns keeps a subset).
bool columns_of_set(const std::vector<std::string>& set_names, const std::vector<std::string>& columns) {
  std::size_t next = 0;
  for (const auto& c : columns) {
    while (next < set_names.size() && set_names[next] != c) ++next;
    if (next == set_names.size()) return false;
    ++next;
  }
  return !columns.empty();
}

// The model's columns of `table` (rows x model columns), in the model's order.
Matrix model_columns(const TrainedModel& m, const FeatureTable& table) {
  const std::vector<std::size_t> positions = model_column_positions(m, table.feature_names);
  Matrix x(table.rows(), positions.size());
  for (std::size_t f = 0; f < positions.size(); ++f)
    for (std::size_t r = 0; r < table.rows(); ++r) x.at(r, f) = table.row(r)[positions[f]];
  return x;
}

}  // namespace

void save_trained_model(const std::string& folder, const TrainedModel& m) {
  const fs::path target(folder);
  check_replaceable(target);
  refuse_replacing_inputs_in(folder);
  const fs::path staging = target.string() + ".tmp." + unique_temporary_suffix();
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  try {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& name : m.classifier->save(staging.string())) files[name] = file_checksum(staging / name);
    nlohmann::json j = {
        {"format", "seraug-model"},
        {"format_version", kModelFormatVersion},
        {"seraug_version", kVersion},
        {"feature_set", {{"name", m.feature_set}, {"version", m.feature_set_version}}},
        {"feature_names", m.feature_names},
        {"classes", m.classes},
        {"normalization", normalization_json(m)},
        {"classifier", {{"name", m.classifier_name}, {"hyperparameters", m.hyperparameters}, {"dnn", dnn_json(m.dnn)}}},
        {"training", nlohmann::json::parse(m.provenance_json)},
        {"files", files},
    };
    j["description_checksum"] = description_checksum(j);
    std::ofstream out(staging / "model.json");
    out << j.dump(2) << "\n";
    if (!out.flush()) throw file_error((staging / "model.json").string(), "cannot write");
    out.close();
    replace_folder(staging, target);
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
}

void reseal_model_description(const std::string& folder) {
  const std::string path = (fs::path(folder) / "model.json").string();
  std::ifstream in(path);
  if (!in) throw file_error(path, "missing");
  nlohmann::json j = nlohmann::json::parse(in);
  j["description_checksum"] = description_checksum(j);
  std::ofstream(path) << j.dump(2) << "\n";
}

TrainedModel load_trained_model(const std::string& folder) {
  const fs::path dir(folder);
  const std::string meta_path = (dir / "model.json").string();
  if (!fs::is_directory(dir)) {
    if (!fs::exists(dir)) throw MissingFile(folder, "model folder not found");
    throw file_error(folder, "is not a model folder (a model is the folder seraug train writes)");
  }
  nlohmann::json j;
  try {
    require_readable_file(meta_path, kMaxTextInputBytes, "model description");
    note_input(meta_path);
    std::ifstream in(meta_path);
    if (!in) throw Error("missing");
    j = nlohmann::json::parse(in);
    if (!j.is_object()) throw Error("not a JSON object");
  } catch (const std::exception& e) {
    throw file_error(meta_path, std::string("missing or damaged model description (") + e.what() + ")");
  }
  TrainedModel m;
  try {
    if (j.at("format").get<std::string>() != "seraug-model") throw Error("not a seraug model");
    const int version = j.at("format_version").get<int>();
    if (version != kModelFormatVersion && version != 2)
      throw Error("model format version " + std::to_string(version) + " (written by seraug " + j.value("seraug_version", "?") +
                  "); this seraug reads formats 2 and " + std::to_string(kModelFormatVersion));
    const auto stored = j.find("description_checksum");
    if (stored == j.end() || !stored->is_string() || stored->get<std::string>() != description_checksum(j))
      throw file_error(meta_path, "checksum mismatch: the model description is damaged or was changed after training");
    m.feature_set = j.at("feature_set").at("name").get<std::string>();
    m.feature_set_version = j.at("feature_set").at("version").get<int>();
    m.feature_names = j.at("feature_names").get<std::vector<std::string>>();
    m.classes = j.at("classes").get<std::vector<std::string>>();
    read_normalization(j.at("normalization"), version, m);
    m.classifier_name = j.at("classifier").at("name").get<std::string>();
    m.hyperparameters = j.at("classifier").at("hyperparameters").get<Hyperparameters>();
    m.provenance_json = j.at("training").dump();
    check_normaliser(m.normalizer);
    check_classes(m.classes);
    for (const auto& [name, sum] : j.at("files").items())
      if (fs::path(name).filename() != fs::path(name)) throw Error("files: '" + name + "' is not a file of the model folder");
      else if (file_checksum(dir / name) != sum.get<std::string>())
        throw file_error((dir / name).string(), "checksum mismatch: the file is damaged or was changed after training");
  } catch (const Error& e) {
    throw file_error(folder, e.what());
  } catch (const std::exception& e) {
    throw file_error(meta_path, std::string("damaged model description: ") + e.what());
  }

  const FeatureSet& set = feature_set(m.feature_set);  // throws for a set this seraug lacks
  if (set.version != m.feature_set_version)
    throw file_error(folder, "trained on " + m.feature_set + " version " + std::to_string(m.feature_set_version) +
                                 ", this seraug extracts version " + std::to_string(set.version) + "; retrain the model");
  if (!columns_of_set(feature_names(set), m.feature_names))
    throw file_error(folder, "its feature columns are not seraug's " + m.feature_set + " columns in the set's order; retrain the model");
  if (m.classes.size() < 2 || m.normalizer.mean.size() != m.feature_names.size() || m.normalizer.scale.size() != m.feature_names.size())
    throw file_error(meta_path, "inconsistent model description (classes or normaliser size)");
  m.classifier = make_classifier(m.classifier_name, m.hyperparameters);
  m.classifier->load(folder);
  return m;
}

std::vector<std::string> enrolment_warnings(const TrainedModel& m, const FeatureTable& enrolment) {
  std::vector<std::string> warnings;
  const Matrix e = model_columns(m, enrolment);
  std::set<std::vector<double>> seen;
  std::size_t repeated = 0;
  for (std::size_t r = 0; r < e.rows; ++r)
    if (!seen.insert(std::vector<double>(e.row(r), e.row(r) + e.cols)).second) ++repeated;
  if (repeated > 0)
    warnings.push_back(std::to_string(repeated) + " of the " + std::to_string(e.rows) +
                       " enrolment clips have exactly the features of another (the same recording given twice?); "
                       "they weigh the speaker's statistics towards it");
  std::size_t constant = 0;
  for (std::size_t c = 0; c < e.cols; ++c) {
    bool varies = false;
    for (std::size_t r = 1; r < e.rows && !varies; ++r) varies = e.at(r, c) != e.at(0, c);
    constant += varies ? 0 : 1;
  }
  // A few constant columns are normal (a feature that is always 0); a large share means
  // the clips are (nearly) identical or silent.
  if (e.rows >= kMinEnrolmentClips && constant * 20 > e.cols)
    warnings.push_back(std::to_string(constant) + " of " + std::to_string(e.cols) + " feature columns do not vary across the " +
                       std::to_string(e.rows) + " enrolment clips (identical or silent clips?): the speaker's statistics are "
                       "degenerate and the predictions may be confidently wrong; enrol with 20 or more different clips of the "
                       "speaker, or shrink towards the training speakers (enroll_prior)");
  return warnings;
}

std::vector<std::size_t> model_column_positions(const TrainedModel& m, const std::vector<std::string>& names) {
  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < names.size(); ++c) column[names[c]] = c;
  std::vector<std::size_t> positions;
  for (const auto& name : m.feature_names) {
    const auto it = column.find(name);
    if (it == column.end()) throw Error("features lack the model's column '" + name + "'");
    positions.push_back(it->second);
  }
  return positions;
}

ZScore enrolment_statistics(const TrainedModel& m, const FeatureTable& enrolment, double prior) {
  if (m.normalization != NormKind::Speaker)
    throw Error("enrolment clips were given, but this model was trained with global normalisation and does not use them");
  if (enrolment.rows() < kMinEnrolmentClips)
    throw Error("enrolment needs at least " + std::to_string(kMinEnrolmentClips) + " clips of the speaker, got " +
                std::to_string(enrolment.rows()));
  if (prior > 0 && m.speaker_prior.mean.empty())
    throw Error("an enrolment prior needs a speaker-normalised model trained with this seraug");
  const Matrix e = model_columns(m, enrolment);
  std::vector<std::size_t> all(e.rows);
  std::iota(all.begin(), all.end(), 0);
  const ZScore z = ZScore::fit(e, all);
  return prior > 0 ? shrink_towards(z, e.rows, m.speaker_prior, prior) : z;
}

std::vector<Prediction> predict_table(const TrainedModel& m, const FeatureTable& features, const FeatureTable* enrolment,
                                      double enrolment_prior) {
  if (!(enrolment_prior >= 0) || !std::isfinite(enrolment_prior))
    throw Error("enroll_prior must be a finite number >= 0 (pseudo-clips of the training speakers' statistics), got " +
                std::to_string(enrolment_prior));
  if (enrolment_prior > 0 && (!enrolment || m.speaker_prior.mean.empty()))
    throw Error("an enrolment prior needs enrolment clips and a speaker-normalised model trained with this seraug");
  Matrix x = model_columns(m, features);
  if (enrolment) {
    enrolment_statistics(m, *enrolment, enrolment_prior).apply(x);
  } else {
    m.normalizer.apply(x);
  }
  const Matrix p = m.classifier->predict_proba(x);
  std::vector<Prediction> out;
  for (std::size_t r = 0; r < x.rows; ++r) {
    Prediction pr{features.names[r], "", std::vector<double>(p.row(r), p.row(r) + p.cols)};
    pr.label = m.classes[static_cast<std::size_t>(std::max_element(pr.probabilities.begin(), pr.probabilities.end()) - pr.probabilities.begin())];
    out.push_back(std::move(pr));
  }
  return out;
}

}  // namespace seraug
