// The cycle-GANs' output: generation with the optional realism filter, the Fréchet
// distance that early stopping watches, the loss log, and saving/loading trained
// generators.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "seraug/augment/cyclegan_impl.hpp"
#include "seraug/augment/quality.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/atomic_file.hpp"

namespace seraug {
namespace {

Matrix to_matrix(const torch::Tensor& rows) {  // [n, d] -> n x d
  const torch::Tensor t = rows.to(torch::kFloat64).contiguous();
  Matrix m(static_cast<std::size_t>(t.size(0)), static_cast<std::size_t>(t.size(1)));
  std::copy(t.data_ptr<double>(), t.data_ptr<double>() + t.numel(), m.data.begin());
  return m;
}

std::vector<double> to_vector(const torch::Tensor& values) {  // [n] -> n
  const torch::Tensor t = values.to(torch::kFloat64).contiguous();
  return {t.data_ptr<double>(), t.data_ptr<double>() + t.numel()};
}

}  // namespace

// Mean over classes of the Fréchet distance between generated rows and the held-out
// speaker's real rows of the class (classes where that speaker has fewer than two rows
// are left out).
double CycleGan::held_out_distance(const GanDomains& d, const torch::Tensor& fixed_sources, const torch::Tensor& fixed_codes) {
  torch::NoGradGuard no_grad;
  const torch::Tensor generated = G_->forward(with_codes(features(fixed_sources), fixed_codes));
  double sum = 0;
  int classes = 0;
  for (std::size_t i = 0; i < d.held_out.size(); ++i) {
    if (d.held_out[i].rows < 2) continue;
    sum += frechet_distance(d.held_out[i], to_matrix(generated[static_cast<long>(i)]));
    ++classes;
  }
  if (classes == 0) throw Error("cyclegan: early stopping needs the held-out speaker '" + d.held_out_speaker + "' to have two rows of some class");
  return sum / classes;
}

std::vector<std::vector<double>> CycleGan::filter_scores(const torch::Tensor& generated, const torch::Tensor& codes, const GanDomains& d) {
  const std::string& filter = config_.gan.filter;
  std::vector<std::vector<double>> scores;
  if (filter == "critic") {
    const torch::Tensor critic = DT_->forward(with_codes(generated, codes)).squeeze(-1);  // [G, B]
    for (long g = 0; g < generated.size(0); ++g) scores.push_back(to_vector(critic[g]));
  } else if (filter == "classifier") {
    for (long g = 0; g < generated.size(0); ++g) {
      const torch::Tensor p = torch::softmax(classifier_->logits(generated[g]), 1);
      scores.push_back(to_vector(p.select(1, classes_[static_cast<std::size_t>(g)])));
    }
  } else {  // knn: against the class's real rows the GAN was trained on
    for (long g = 0; g < generated.size(0); ++g) scores.push_back(manifold_scores(d.targets.group_rows(g), to_matrix(generated[g])));
  }
  return scores;
}

// counts[c] rows of class c as G_c(s), s drawn from class c's source rows. With a filter,
// counts[c] / filter_keep candidates are drawn and the best-scoring counts[c] kept, in
// the order drawn.
SyntheticRows CycleGan::sample(const std::vector<std::size_t>& counts, const GanDomains& d, const AugmentInput& in) {
  torch::NoGradGuard no_grad;
  const bool filtered = config_.gan.filter != "none";
  const auto candidates = [&](std::size_t n) {
    return filtered ? static_cast<long>(std::ceil(static_cast<double>(n) / config_.gan.filter_keep - 1e-9)) : static_cast<long>(n);
  };
  long most = 0;
  for (int c : classes_) most = std::max(most, candidates(counts[static_cast<std::size_t>(c)]));
  std::vector<std::size_t> picked;
  const torch::Tensor s = d.sources.sample(most, &picked);
  // Speaker mapping: each row goes to the speaker of a target row drawn for it.
  const torch::Tensor target_codes = codes_ > 0 ? codes(d.targets.sample(most)) : torch::Tensor();
  torch::Tensor s_x = features(s);
  if (config_.gan.input_noise > 0) s_x = s_x + config_.gan.input_noise * torch::randn_like(s_x);
  const torch::Tensor generated = G_->forward(with_codes(s_x, target_codes));
  const std::vector<std::vector<double>> scores = filtered ? filter_scores(generated, target_codes, d) : std::vector<std::vector<double>>{};
  const torch::Tensor out = generated.to(torch::kFloat64).contiguous();
  const std::size_t dims = static_cast<std::size_t>(out.size(2));
  SyntheticRows rows;
  rows.x = Matrix(0, dims);
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    const int c = classes_[i];
    const std::size_t n = counts[static_cast<std::size_t>(c)];
    std::vector<std::size_t> chosen(n);
    std::iota(chosen.begin(), chosen.end(), 0);
    if (filtered) chosen = best_scoring(std::vector<double>(scores[i].begin(), scores[i].begin() + candidates(n)), n);
    for (std::size_t b : chosen) {
      const long at = static_cast<long>(i) * most + static_cast<long>(b);
      const double* v = out.data_ptr<double>() + at * static_cast<long>(dims);
      for (std::size_t f = 0; f < dims; ++f)
        if (!std::isfinite(v[f])) throw Error("cyclegan: a generated value is not finite");
      rows.x.data.insert(rows.x.data.end(), v, v + dims);
      ++rows.x.rows;
      rows.y.push_back(c);
      // External source rows are not rows of the fold: nothing to trace back to.
      rows.sources.push_back(in.external_source ? std::vector<std::size_t>{} : std::vector<std::size_t>{picked[static_cast<std::size_t>(at)]});
      if (codes_ > 0) rows.speakers.push_back(speakers_[static_cast<std::size_t>(target_codes[static_cast<long>(i)][static_cast<long>(b)].argmax().item<long>())]);
    }
  }
  return rows;
}

void CycleGan::save(const std::string& folder) const {
  std::filesystem::create_directories(folder);
  const nlohmann::json meta = {{"method", wasserstein_ ? "cyclegan-wdiv" : "cyclegan-ce"}, {"classes", classes_},
                               {"hidden", config_.gan.hidden}, {"leaky_slope", config_.gan.leaky_slope},
                               {"dims", G_->weights_.back().size(2)}, {"speakers", speakers_},
                               {"epochs_run", epochs_run_}, {"best_epoch", best_epoch_}};
  torch::save(G_, folder + "/G.pt");
  torch::save(F_, folder + "/F.pt");
  // What the realism filter scores with, when it is not the data itself.
  if (config_.gan.filter == "critic") torch::save(DT_, folder + "/DT.pt");
  if (config_.gan.filter == "classifier") {
    std::filesystem::create_directories(folder + "/classifier");
    classifier_->save(folder + "/classifier");
  }
  // Written last: its presence marks a complete folder (caches test for it).
  std::ofstream(folder + "/generators.json") << meta.dump(2) << "\n";
}

void CycleGan::load(const std::string& folder, std::size_t dims) {
  nlohmann::json meta;
  try {
    require_readable_file(folder + "/generators.json", kMaxTextInputBytes, "GAN description");
    std::ifstream in(folder + "/generators.json");
    meta = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw file_error(folder + "/generators.json", std::string("missing or damaged: ") + e.what());
  }
  const auto saved_speakers = meta.contains("speakers") ? meta.at("speakers").get<std::vector<std::string>>() : std::vector<std::string>{};
  if (meta.at("classes").get<std::vector<int>>() != classes_ || meta.at("dims").get<std::size_t>() != dims || saved_speakers != speakers_)
    throw file_error(folder, "saved generators are for other classes, speakers or another feature dimension");
  config_.gan.hidden = meta.at("hidden").get<std::vector<int>>();
  config_.gan.leaky_slope = meta.at("leaky_slope").get<double>();
  epochs_run_ = meta.value("epochs_run", 0);
  best_epoch_ = meta.value("best_epoch", 0);
  build(static_cast<long>(dims));
  try {
    for (const char* file : {"/G.pt", "/F.pt"}) require_readable_file(folder + file, kMaxModelFileBytes, "saved generator");
    if (config_.gan.filter == "critic") require_readable_file(folder + "/DT.pt", kMaxModelFileBytes, "saved critic");
    torch::load(G_, folder + "/G.pt");
    torch::load(F_, folder + "/F.pt");
    if (config_.gan.filter == "critic") torch::load(DT_, folder + "/DT.pt");
    if (config_.gan.filter == "classifier") {
      classifier_ = std::make_unique<Dnn>(config_.classifier);
      classifier_->load(folder + "/classifier");
      classifier_->freeze();
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw file_error(folder, "damaged generator weights (" + std::string(e.what()).substr(0, 200) + ")");
  }
}

void CycleGan::check_finite(const EpochLosses& sums, int epoch) const {
  for (const auto* t : {&sums.critic_t, &sums.critic_s, &sums.adversarial, &sums.cycle}) {
    const double worst = t->abs().max().item<double>();
    if (!std::isfinite(worst) || worst > 1e8 * std::max(1, sums.generator_steps))
      throw Error(std::string(wasserstein_ ? "cyclegan-wdiv" : "cyclegan-ce") + ": training diverged at epoch " + std::to_string(epoch) +
                  " (a loss reached " + std::to_string(worst) + "); lower [gan] learning_rate or raise wdiv_k");
  }
}

void CycleGan::open_log(std::ofstream& log) const {
  refuse_overwriting_input(config_.loss_log);  // the log is appended to: never an input file
  const bool fresh = !std::filesystem::exists(config_.loss_log) || std::filesystem::file_size(config_.loss_log) == 0;
  log.open(config_.loss_log, std::ios::app);
  if (!log) throw file_error(config_.loss_log, "cannot write the loss log");
  if (fresh) log << "method,seed,epoch,class,critic_target,critic_source,generator_adversarial,cycle,classification\n";
}

void CycleGan::write_log(std::ofstream& log, const EpochLosses& sums, int epoch, std::uint64_t seed) const {
  const double cs = std::max(1, sums.critic_steps), gs = std::max(1, sums.generator_steps);
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    const long g = static_cast<long>(i);
    char critic[64] = ",";  // empty fields in an epoch without a critic update
    if (sums.critic_steps > 0)
      std::snprintf(critic, sizeof critic, "%.6g,%.6g", sums.critic_t[g].item<double>() / cs, sums.critic_s[g].item<double>() / cs);
    char line[256];
    std::snprintf(line, sizeof line, "%s,%llu,%d,%d,%s,%.6g,%.6g,%.6g\n", wasserstein_ ? "cyclegan-wdiv" : "cyclegan-ce",
                  static_cast<unsigned long long>(seed), epoch, classes_[i], critic, sums.adversarial[g].item<double>() / gs,
                  sums.cycle[g].item<double>() / gs, sums.classification[g].item<double>() / gs);
    log << line;
  }
}

}  // namespace seraug
