// Per-emotion cycle-GANs (Bao et al.'s cycle adversarial augmentation with the
// Wasserstein divergence of Wu et al. 2018), built into the LibTorch plug-in.
//
// For each class i with rows to generate: source rows S_i (the fold's rows of the other
// classes, or all rows, or an external unlabelled set) and target rows T_i (the class's
// rows); generators G_i: S -> T, F_i: T -> S (residual MLPs, x + MLP(x)); critics D_T_i,
// D_S_i (MLPs). The networks of all classes are trained together as *grouped* networks:
// each layer holds a [groups, in, out] weight and runs as one batched matrix product, so
// the five GANs cost five times the arithmetic but not five times the overhead. Training
// runs all of it, products included, on LibTorch's threads (TorchOnlyThreads).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "seraug/augment/augmenter.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/augment/gan_networks.hpp"
#include "seraug/models/dnn_torch.hpp"

namespace seraug {
namespace {

// Rows of several groups, concatenated, with random batches drawn per group.
class GroupedRows {
 public:
  void add_group(const Matrix& x, const std::vector<std::size_t>& rows) {
    offsets_.push_back(static_cast<long>(rows_.size()));
    counts_.push_back(static_cast<long>(rows.size()));
    rows_.insert(rows_.end(), rows.begin(), rows.end());
    source_ = &x;
  }
  void finish() {
    data_ = to_tensor(select_rows(*source_, rows_));
    offsets_t_ = torch::tensor(offsets_, torch::kLong).unsqueeze(1);
    counts_t_ = torch::tensor(counts_, torch::kLong).unsqueeze(1);
  }
  // [G, B, d] rows drawn uniformly with replacement within each group; `picked` gets the
  // input-row index of each drawn row.
  torch::Tensor sample(long batch, std::vector<std::size_t>* picked = nullptr) const {
    const long groups = static_cast<long>(counts_.size());
    const torch::Tensor u = torch::rand({groups, batch}, torch::kFloat64);
    const torch::Tensor index = (u * counts_t_.to(torch::kFloat64)).floor().to(torch::kLong).clamp_max(counts_t_ - 1) + offsets_t_;
    if (picked) {
      const torch::Tensor flat = index.flatten().contiguous();
      picked->clear();
      for (long i = 0; i < flat.numel(); ++i) picked->push_back(rows_[static_cast<std::size_t>(flat.data_ptr<long>()[i])]);
    }
    return data_.index_select(0, index.flatten()).view({groups, batch, data_.size(1)});
  }
  long largest() const { return *std::max_element(counts_.begin(), counts_.end()); }

 private:
  const Matrix* source_ = nullptr;
  std::vector<std::size_t> rows_;
  std::vector<long> offsets_, counts_;
  torch::Tensor data_, offsets_t_, counts_t_;
};

struct EpochLosses {
  torch::Tensor critic_t, critic_s, adversarial, cycle, classification;  // [G] each, summed over steps
  int critic_steps = 0, generator_steps = 0;
};


class CycleGan final : public Augmenter {
 public:
  CycleGan(bool wasserstein, AugmentConfig config) : wasserstein_(wasserstein), config_(std::move(config)) { config_.validate(); }

  SyntheticRows generate(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) override {
    setup_torch_runtime();
    torch::manual_seed(seed);
    const Matrix& source_matrix = in.external_source ? *in.external_source : in.x;
    if (source_matrix.cols != in.x.cols) throw Error("cyclegan: the source rows have " + std::to_string(source_matrix.cols) + " features, the data " + std::to_string(in.x.cols));

    classes_.clear();
    for (std::size_t c = 0; c < counts.size(); ++c)
      if (counts[c] > 0) classes_.push_back(static_cast<int>(c));
    if (classes_.empty()) return empty(in.x.cols);

    GroupedRows targets, sources;
    for (int c : classes_) {
      std::vector<std::size_t> t_rows, s_rows;
      for (std::size_t r = 0; r < in.x.rows; ++r) if (in.y[r] == c) t_rows.push_back(r);
      for (std::size_t r = 0; r < source_matrix.rows; ++r)
        if (in.external_source || config_.gan.source == "all" || in.y[r] != c) s_rows.push_back(r);
      if (t_rows.empty()) throw Error("cyclegan: class " + std::to_string(c) + " has no training rows");
      if (s_rows.empty()) throw Error("cyclegan: the source domain for class " + std::to_string(c) + " is empty");
      targets.add_group(in.x, t_rows);
      sources.add_group(source_matrix, s_rows);
    }
    targets.finish();
    sources.finish();

    if (!config_.load_from.empty()) {
      load(config_.load_from, in.x.cols);
    } else {
      build(static_cast<long>(in.x.cols));
      train(in, targets, sources, seed);
      if (!config_.save_to.empty()) save(config_.save_to);
    }
    // A fixed draw for generation, so trained and reloaded generators see the same sources.
    torch::manual_seed(seed + 0x5eed);
    return sample(counts, sources, in.external_source != nullptr, in.x.cols);
  }

 private:
  void build(long dims) {
    const long groups = static_cast<long>(classes_.size());
    const auto& g = config_.gan;
    G_ = GroupedMlp(groups, dims, g.hidden, dims, g.leaky_slope, true);
    F_ = GroupedMlp(groups, dims, g.hidden, dims, g.leaky_slope, true);
    DT_ = GroupedMlp(groups, dims, g.hidden, 1, g.leaky_slope, false);
    DS_ = GroupedMlp(groups, dims, g.hidden, 1, g.leaky_slope, false);
  }

  // The frozen auxiliary emotion classifier C, trained on the fold's real rows.
  void train_classifier(const AugmentInput& in, std::uint64_t seed) {
    classifier_ = std::make_unique<Dnn>(config_.classifier);
    FitOptions options;
    options.speakers = in.speakers;
    options.seed = seed;
    classifier_->fit(in.x, in.y, in.classes, options);
    classifier_->freeze();
  }

  torch::Tensor critic_loss(GroupedMlp& critic, const torch::Tensor& real, const torch::Tensor& fake) {
    if (!wasserstein_) {
      // Cross-entropy GAN with one-sided label smoothing: real -> real_label, fake -> 0.
      const torch::Tensor r = critic->forward(real), f = critic->forward(fake);
      const auto bce = [](const torch::Tensor& logits, double target) {
        return per_group_mean(torch::binary_cross_entropy_with_logits(logits, torch::full_like(logits, target), {}, {}, at::Reduction::None));
      };
      return bce(r, config_.gan.real_label) + bce(f, 0.0);
    }
    return wdiv_critic_loss(critic, real, fake, config_.gan.wdiv_k, config_.gan.wdiv_p);
  }

  torch::Tensor generator_adversarial(GroupedMlp& critic, const torch::Tensor& fake) {
    const torch::Tensor d = critic->forward(fake);
    if (wasserstein_) return -per_group_mean(d);
    return per_group_mean(torch::binary_cross_entropy_with_logits(d, torch::ones_like(d), {}, {}, at::Reduction::None));
  }

  // Cycle reconstruction loss; hands back G(s) and F(t) so the adversarial terms reuse them.
  torch::Tensor cycle_loss(const torch::Tensor& s, const torch::Tensor& t, torch::Tensor* fake_t = nullptr, torch::Tensor* fake_s = nullptr) {
    // G runs once on [s; F(t)] (one larger product instead of two small ones).
    const long b = s.size(1);
    const torch::Tensor ft = F_->forward(t);
    const torch::Tensor g_both = G_->forward(torch::cat({s, ft}, 1));
    const torch::Tensor gs = g_both.slice(1, 0, b), gft = g_both.slice(1, b, 2 * b);
    if (fake_t) *fake_t = gs;
    if (fake_s) *fake_s = ft;
    return per_group_mean((F_->forward(gs) - s).pow(2)) + per_group_mean((gft - t).pow(2));
  }

  void train(const AugmentInput& in, const GroupedRows& targets, const GroupedRows& sources, std::uint64_t seed) {
    const auto& g = config_.gan;
    if (g.lambda_class > 0) train_classifier(in, seed);
    const TorchOnlyThreads threads(gan_threads());
    std::vector<torch::Tensor> gen_params = G_->parameters(), critic_params = DT_->parameters();
    for (auto& p : F_->parameters()) gen_params.push_back(p);
    for (auto& p : DS_->parameters()) critic_params.push_back(p);
    FusedAdam gen_opt(gen_params, g.beta1, g.beta2), critic_opt(critic_params, g.beta1, g.beta2);
    const long batch = g.batch_size;
    const long steps_per_epoch = std::max<long>(1, (targets.largest() + batch - 1) / batch);
    const long groups = static_cast<long>(classes_.size());
    const torch::Tensor class_targets =
        torch::tensor(std::vector<long>(classes_.begin(), classes_.end()), torch::kLong).unsqueeze(1).expand({groups, batch}).flatten();

    // Pre-training: the generators learn to invert each other (cycle reconstruction).
    for (int epoch = 0; epoch < g.pretrain_epochs; ++epoch)
      for (long step = 0; step < steps_per_epoch; ++step) {
        gen_opt.zero_grad();
        cycle_loss(sources.sample(batch), targets.sample(batch)).sum().backward();
        gen_opt.step(g.learning_rate);
      }

    std::ofstream log;
    if (!config_.loss_log.empty()) open_log(log);
    long generator_step = 0;
    for (int epoch = 1; epoch <= g.epochs; ++epoch) {
      check_interrupt();
      const double lr = g.learning_rate * std::pow(0.5, (epoch - 1) / g.halve_lr_every);
      EpochLosses sums{torch::zeros({groups}), torch::zeros({groups}), torch::zeros({groups}), torch::zeros({groups}), torch::zeros({groups})};
      for (long step = 0; step < steps_per_epoch; ++step, ++generator_step) {
        if (generator_step % g.generator_steps_per_critic == 0) critic_step(critic_opt, lr, targets, sources, batch, sums);
        generator_step_once(gen_opt, lr, targets, sources, batch, class_targets, sums);
      }
      check_finite(sums, epoch);
      if (log.is_open()) write_log(log, sums, epoch, seed);
    }
  }

  void critic_step(FusedAdam& opt, double lr, const GroupedRows& targets, const GroupedRows& sources, long batch, EpochLosses& sums) {
    const torch::Tensor s = sources.sample(batch), t = targets.sample(batch);
    torch::Tensor fake_t, fake_s;
    {
      torch::NoGradGuard no_grad;
      fake_t = G_->forward(s);
      fake_s = F_->forward(t);
    }
    opt.zero_grad();
    const torch::Tensor lt = critic_loss(DT_, t, fake_t), ls = critic_loss(DS_, s, fake_s);
    (lt.sum() + ls.sum()).backward();
    opt.step(lr);
    sums.critic_t += lt.detach();
    sums.critic_s += ls.detach();
    ++sums.critic_steps;
  }

  void generator_step_once(FusedAdam& opt, double lr, const GroupedRows& targets, const GroupedRows& sources, long batch,
                           const torch::Tensor& class_targets, EpochLosses& sums) {
    const torch::Tensor s = sources.sample(batch), t = targets.sample(batch);
    DT_->set_trainable(false);  // the critics only pass gradients through here
    DS_->set_trainable(false);
    opt.zero_grad();
    torch::Tensor fake_t, fake_s;
    const torch::Tensor cycle = cycle_loss(s, t, &fake_t, &fake_s);
    const torch::Tensor adversarial = generator_adversarial(DT_, fake_t) + generator_adversarial(DS_, fake_s);
    torch::Tensor loss = adversarial + config_.gan.lambda_cycle * cycle;
    torch::Tensor classification = torch::zeros_like(cycle);
    if (classifier_) {
      const torch::Tensor logits = classifier_->logits(fake_t.flatten(0, 1));
      classification = torch::nn::functional::cross_entropy(logits, class_targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone))
                           .view({fake_t.size(0), fake_t.size(1)})
                           .mean(1);
      loss = loss + config_.gan.lambda_class * classification;
    }
    loss.sum().backward();
    opt.step(lr);
    DT_->set_trainable(true);
    DS_->set_trainable(true);
    sums.adversarial += adversarial.detach();
    sums.cycle += cycle.detach();
    sums.classification += classification.detach();
    ++sums.generator_steps;
  }

  void check_finite(const EpochLosses& sums, int epoch) const {
    for (const auto* t : {&sums.critic_t, &sums.critic_s, &sums.adversarial, &sums.cycle}) {
      const double worst = t->abs().max().item<double>();
      if (!std::isfinite(worst) || worst > 1e8 * std::max(1, sums.generator_steps))
        throw Error(std::string(wasserstein_ ? "cyclegan-wdiv" : "cyclegan-ce") + ": training diverged at epoch " + std::to_string(epoch) +
                    " (a loss reached " + std::to_string(worst) + "); lower [gan] learning_rate or raise wdiv_k");
    }
  }

  void open_log(std::ofstream& log) const {
    refuse_overwriting_input(config_.loss_log);  // the log is appended to: never an input file
    const bool fresh = !std::filesystem::exists(config_.loss_log) || std::filesystem::file_size(config_.loss_log) == 0;
    log.open(config_.loss_log, std::ios::app);
    if (!log) throw file_error(config_.loss_log, "cannot write the loss log");
    if (fresh) log << "method,seed,epoch,class,critic_target,critic_source,generator_adversarial,cycle,classification\n";
  }

  void write_log(std::ofstream& log, const EpochLosses& sums, int epoch, std::uint64_t seed) const {
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

  // counts[c] rows of class c as G_c(s), s drawn from class c's source rows.
  SyntheticRows sample(const std::vector<std::size_t>& counts, const GroupedRows& sources, bool external, std::size_t dims) {
    torch::NoGradGuard no_grad;
    long most = 0;
    for (int c : classes_) most = std::max<long>(most, static_cast<long>(counts[static_cast<std::size_t>(c)]));
    std::vector<std::size_t> picked;
    torch::Tensor s = sources.sample(most, &picked);
    if (config_.gan.input_noise > 0) s = s + config_.gan.input_noise * torch::randn_like(s);
    const torch::Tensor out = G_->forward(s).to(torch::kFloat64).contiguous();
    SyntheticRows rows;
    rows.x = Matrix(0, dims);
    for (std::size_t i = 0; i < classes_.size(); ++i) {
      const int c = classes_[i];
      for (long b = 0; b < static_cast<long>(counts[static_cast<std::size_t>(c)]); ++b) {
        const double* v = out.data_ptr<double>() + (static_cast<long>(i) * most + b) * static_cast<long>(dims);
        for (std::size_t f = 0; f < dims; ++f)
          if (!std::isfinite(v[f])) throw Error("cyclegan: a generated value is not finite");
        rows.x.data.insert(rows.x.data.end(), v, v + dims);
        ++rows.x.rows;
        rows.y.push_back(c);
        // External source rows are not rows of the fold: nothing to trace back to.
        rows.sources.push_back(external ? std::vector<std::size_t>{} : std::vector<std::size_t>{picked[static_cast<std::size_t>(static_cast<long>(i) * most + b)]});
      }
    }
    return rows;
  }

  void save(const std::string& folder) const {
    std::filesystem::create_directories(folder);
    const nlohmann::json meta = {{"method", wasserstein_ ? "cyclegan-wdiv" : "cyclegan-ce"}, {"classes", classes_},
                                 {"hidden", config_.gan.hidden}, {"leaky_slope", config_.gan.leaky_slope},
                                 {"dims", G_->weights_.front().size(1)}};
    torch::save(G_, folder + "/G.pt");
    torch::save(F_, folder + "/F.pt");
    // Written last: its presence marks a complete folder (caches test for it).
    std::ofstream(folder + "/generators.json") << meta.dump(2) << "\n";
  }

  void load(const std::string& folder, std::size_t dims) {
    nlohmann::json meta;
    try {
      std::ifstream in(folder + "/generators.json");
      meta = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw file_error(folder + "/generators.json", std::string("missing or damaged: ") + e.what());
    }
    if (meta.at("classes").get<std::vector<int>>() != classes_ || meta.at("dims").get<std::size_t>() != dims)
      throw file_error(folder, "saved generators are for other classes or another feature dimension");
    config_.gan.hidden = meta.at("hidden").get<std::vector<int>>();
    config_.gan.leaky_slope = meta.at("leaky_slope").get<double>();
    build(static_cast<long>(dims));
    try {
      torch::load(G_, folder + "/G.pt");
      torch::load(F_, folder + "/F.pt");
    } catch (const std::exception& e) {
      throw file_error(folder, "damaged generator weights (" + std::string(e.what()).substr(0, 200) + ")");
    }
  }

  static SyntheticRows empty(std::size_t dims) {
    SyntheticRows r;
    r.x = Matrix(0, dims);
    return r;
  }

  bool wasserstein_;
  AugmentConfig config_;
  std::vector<int> classes_;
  GroupedMlp G_{nullptr}, F_{nullptr}, DT_{nullptr}, DS_{nullptr};
  std::unique_ptr<Dnn> classifier_;
};

}  // namespace

}  // namespace seraug

namespace {

std::unique_ptr<seraug::Augmenter> make_cyclegan(const std::string& method, const seraug::AugmentConfig& config) {
  if (method == "cyclegan-wdiv") return std::make_unique<seraug::CycleGan>(true, config);
  if (method == "cyclegan-ce") return std::make_unique<seraug::CycleGan>(false, config);
  throw seraug::Error("unknown cycle-GAN method '" + method + "'");
}

// Runs when the plug-in is loaded (common/plugin.hpp): the augment layer owns the factory.
const bool registered = (seraug::register_cyclegan_factory(&make_cyclegan), true);

}  // namespace
