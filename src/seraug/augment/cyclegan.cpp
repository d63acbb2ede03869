// Per-emotion cycle-GANs (Bao et al.'s cycle adversarial augmentation with the
// Wasserstein divergence of Wu et al. 2018), built into the LibTorch plug-in: their
// domains and training. Generation, the realism filter and saving: cyclegan_output.cpp.
//
// For each class i with rows to generate: source rows S_i ([gan] source: the fold's rows
// of the other classes, all rows, its neutral rows, or an external unlabelled set) and
// target rows T_i (the class's rows); generators G_i: S -> T, F_i: T -> S (residual MLPs,
// x + MLP(x)); critics D_T_i, D_S_i (MLPs). The networks of all classes are trained
// together as *grouped* networks: each layer holds a [groups, in, out] weight and runs as
// one batched matrix product, so the five GANs cost five times the arithmetic but not
// five times the overhead. Training runs all of it, products included, on LibTorch's
// threads (TorchOnlyThreads).
//
// Speaker mapping ([gan] mapping = "speaker") appends a one-hot code of a training
// speaker to every network's input: G_i(s, b) carries source row s onto speaker b's
// class i, F_i(t, a) back onto speaker a, and the critics judge (row, speaker) pairs. In
// a batch the fake rows take the codes of the real target rows drawn with them, so the
// critic compares like with like.
#include "seraug/augment/cyclegan_impl.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "seraug/augment/pca_space.hpp"
#include "seraug/augment/torch_block_reuse.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/interrupt.hpp"

namespace seraug {

void GroupedRows::add_group(const Matrix& x, const std::vector<std::size_t>& rows, const std::vector<int>& speaker_of) {
  offsets_.push_back(static_cast<long>(rows_.size()));
  counts_.push_back(static_cast<long>(rows.size()));
  rows_.insert(rows_.end(), rows.begin(), rows.end());
  for (auto r : rows) speakers_.push_back(speaker_of.empty() ? -1 : speaker_of[r]);
  source_ = &x;
}

void GroupedRows::finish(long codes) {
  torch::Tensor features = to_tensor(select_rows(*source_, rows_));
  if (codes > 0) {
    torch::Tensor code = torch::zeros({features.size(0), codes});
    for (std::size_t i = 0; i < speakers_.size(); ++i)
      if (speakers_[i] >= 0) code[static_cast<long>(i)][speakers_[i]] = 1.0f;
    features = torch::cat({features, code}, 1);
  }
  data_ = features;
  offsets_t_ = torch::tensor(offsets_, torch::kLong).unsqueeze(1);
  counts_t_ = torch::tensor(counts_, torch::kLong).unsqueeze(1);
}

torch::Tensor GroupedRows::sample(long batch, std::vector<std::size_t>* picked) const {
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

long GroupedRows::largest() const { return *std::max_element(counts_.begin(), counts_.end()); }

Matrix GroupedRows::group_rows(long g) const {
  const auto first = rows_.begin() + offsets_[static_cast<std::size_t>(g)];
  return select_rows(*source_, std::vector<std::size_t>(first, first + counts_[static_cast<std::size_t>(g)]));
}

CycleGan::CycleGan(bool wasserstein, AugmentConfig config) : wasserstein_(wasserstein), config_(std::move(config)) { config_.validate(); }

SyntheticRows CycleGan::generate(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) {
  setup_torch_runtime();
  const Matrix& source_matrix = in.external_source ? *in.external_source : in.x;
  if (source_matrix.cols != in.x.cols)
    throw Error("cyclegan: the source rows have " + std::to_string(source_matrix.cols) + " features, the data " + std::to_string(in.x.cols));
  const std::string& source = config_.gan.source;
  if ((source == "unused" || source == "copies") && !in.external_source)
    throw Error("cyclegan: gan.source = \"" + source + "\" takes its rows from an evaluation fold (seraug evaluate or experiment)");
  if (config_.gan.pca > 0) return generate_in_pca_space(in, counts, seed);
  return generate_here(in, counts, seed);
}

// The GANs trained and run in a whitened PCA space of the fold's training rows (targets
// and sources), their rows mapped back to the feature space.
SyntheticRows CycleGan::generate_in_pca_space(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) {
  Matrix fit_rows = in.x;
  if (in.external_source) {
    fit_rows.data.insert(fit_rows.data.end(), in.external_source->data.begin(), in.external_source->data.end());
    fit_rows.rows += in.external_source->rows;
  }
  const PcaSpace space = PcaSpace::fit(fit_rows, static_cast<std::size_t>(config_.gan.pca));
  const Matrix x = space.to_space(in.x);
  const Matrix external = in.external_source ? space.to_space(*in.external_source) : Matrix{};
  AugmentInput projected{x, in.y, in.speakers, in.classes, in.external_source ? &external : nullptr, in.source_speakers, in.neutral_class};
  SyntheticRows rows = generate_here(projected, counts, seed);
  rows.x = space.from_space(rows.x);
  return rows;
}

SyntheticRows CycleGan::generate_here(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) {
  torch::manual_seed(seed);
  classes_.clear();
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (counts[c] > 0) classes_.push_back(static_cast<int>(c));
  if (classes_.empty()) {
    SyntheticRows none;
    none.x = Matrix(0, in.x.cols);
    return none;
  }
  speakers_.clear();
  if (config_.gan.mapping == "speaker") {
    const std::set<std::string> unique(in.speakers.begin(), in.speakers.end());
    speakers_.assign(unique.begin(), unique.end());
  }
  codes_ = static_cast<long>(speakers_.size());
  // The same domains whether trained here or loaded, so both generate the same rows.
  const GanDomains d = domains(in, seed);
  if (!config_.load_from.empty()) {
    load(config_.load_from, in.x.cols);
  } else {
    build(static_cast<long>(in.x.cols));
    if (config_.gan.lambda_class > 0 || config_.gan.filter == "classifier") train_classifier(in, d.held_out_speaker, seed);
    train(d, seed);
    if (!config_.save_to.empty()) save(config_.save_to);
  }
  // A fixed draw for generation, so trained and reloaded generators see the same sources.
  torch::manual_seed(seed + 0x5eed);
  return sample(counts, d, in);
}

// The source rows of class c's GAN, without the early-stopping speaker's.
std::vector<std::size_t> CycleGan::source_rows(const AugmentInput& in, int c, const std::string& excluded) const {
  const std::string& source = config_.gan.source;
  if (source == "neutral" && in.neutral_class < 0) throw Error("cyclegan: gan.source = \"neutral\" needs a class named neutral");
  std::vector<std::size_t> rows;
  if (in.external_source) {
    for (std::size_t r = 0; r < in.external_source->rows; ++r)
      if (excluded.empty() || !in.source_speakers || (*in.source_speakers)[r] != excluded) rows.push_back(r);
    return rows;
  }
  for (std::size_t r = 0; r < in.x.rows; ++r) {
    if (!excluded.empty() && in.speakers[r] == excluded) continue;
    const bool take = source == "all" || (source == "neutral" && c != in.neutral_class ? in.y[r] == in.neutral_class : in.y[r] != c);
    if (take) rows.push_back(r);
  }
  return rows;
}

GanDomains CycleGan::domains(const AugmentInput& in, std::uint64_t seed) const {
  GanDomains d;
  if (config_.gan.fd_every > 0) {
    // The speaker whose rows judge the generators; chosen by the seed, trained on by none.
    const std::set<std::string> unique(in.speakers.begin(), in.speakers.end());
    if (unique.size() < 3) throw Error("cyclegan: early stopping by Fréchet distance needs at least three training speakers");
    d.held_out_speaker = *std::next(unique.begin(), static_cast<long>(seed % unique.size()));
  }
  std::map<std::string, int> code_of;
  for (std::size_t i = 0; i < speakers_.size(); ++i) code_of[speakers_[i]] = static_cast<int>(i);
  const auto speaker_indices = [&](const std::vector<std::string>& names) {
    std::vector<int> out;
    if (codes_ == 0) return out;
    for (const auto& s : names) out.push_back(code_of.count(s) ? code_of.at(s) : -1);
    return out;
  };
  const std::vector<int> target_speakers = speaker_indices(in.speakers);
  const std::vector<int> source_speakers =
      in.external_source ? (in.source_speakers ? speaker_indices(*in.source_speakers) : std::vector<int>(codes_ > 0 ? in.external_source->rows : 0, -1))
                         : target_speakers;
  const Matrix& source_matrix = in.external_source ? *in.external_source : in.x;
  for (int c : classes_) {
    std::vector<std::size_t> t_rows, held;
    for (std::size_t r = 0; r < in.x.rows; ++r)
      if (in.y[r] == c) (in.speakers[r] == d.held_out_speaker ? held : t_rows).push_back(r);
    const std::vector<std::size_t> s_rows = source_rows(in, c, d.held_out_speaker);
    if (t_rows.empty()) throw Error("cyclegan: class " + std::to_string(c) + " has no training rows");
    if (s_rows.empty()) throw Error("cyclegan: the source domain for class " + std::to_string(c) + " is empty");
    d.targets.add_group(in.x, t_rows, target_speakers);
    d.sources.add_group(source_matrix, s_rows, source_speakers);
    d.held_out.push_back(select_rows(in.x, held));
  }
  d.targets.finish(codes_);
  d.sources.finish(codes_);
  return d;
}

void CycleGan::build(long dims) {
  const long groups = static_cast<long>(classes_.size());
  const auto& g = config_.gan;
  G_ = GroupedMlp(groups, dims + codes_, g.hidden, dims, g.leaky_slope, true);
  F_ = GroupedMlp(groups, dims + codes_, g.hidden, dims, g.leaky_slope, true);
  DT_ = GroupedMlp(groups, dims + codes_, g.hidden, 1, g.leaky_slope, false);
  DS_ = GroupedMlp(groups, dims + codes_, g.hidden, 1, g.leaky_slope, false);
}

// The frozen auxiliary emotion classifier C, trained on the fold's real rows (but the
// early-stopping speaker's).
void CycleGan::train_classifier(const AugmentInput& in, const std::string& excluded, std::uint64_t seed) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < in.x.rows; ++r)
    if (in.speakers[r] != excluded) rows.push_back(r);
  classifier_ = std::make_unique<Dnn>(config_.classifier);
  FitOptions options;
  options.speakers = select(in.speakers, rows);
  options.seed = seed;
  classifier_->fit(select_rows(in.x, rows), select(in.y, rows), in.classes, options);
  classifier_->freeze();
}

torch::Tensor CycleGan::critic_loss(GroupedMlp& critic, const torch::Tensor& real, const torch::Tensor& fake) {
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

torch::Tensor CycleGan::generator_adversarial(GroupedMlp& critic, const torch::Tensor& fake) {
  const torch::Tensor d = critic->forward(fake);
  if (wasserstein_) return -per_group_mean(d);
  return per_group_mean(torch::binary_cross_entropy_with_logits(d, torch::ones_like(d), {}, {}, at::Reduction::None));
}

// Cycle reconstruction loss of rows s (source) and t (target), with codes when mapping
// speakers; hands back G(s) and F(t) (features) so the adversarial terms reuse them.
torch::Tensor CycleGan::cycle_loss(const torch::Tensor& s, const torch::Tensor& t, torch::Tensor* fake_t, torch::Tensor* fake_s) {
  // G runs once on [s; F(t)] (one larger product instead of two small ones).
  const long b = s.size(1);
  const torch::Tensor s_code = codes(s), t_code = codes(t), s_x = features(s), t_x = features(t);
  const torch::Tensor ft = F_->forward(with_codes(t_x, s_code));
  const torch::Tensor g_both = G_->forward(torch::cat({with_codes(s_x, t_code), with_codes(ft, t_code)}, 1));
  const torch::Tensor gs = g_both.slice(1, 0, b), gft = g_both.slice(1, b, 2 * b);
  if (fake_t) *fake_t = gs;
  if (fake_s) *fake_s = ft;
  return per_group_mean((F_->forward(with_codes(gs, s_code)) - s_x).pow(2)) + per_group_mean((gft - t_x).pow(2));
}

EarlyStopping::EarlyStopping(CycleGan& gan, const GanDomains& d, int every, int patience, const std::vector<torch::Tensor>& weights)
    : gan_(gan), d_(d), every_(every), patience_(patience), weights_(weights) {
  if (every_ == 0) return;
  fixed_sources_ = d.sources.sample(100);
  fixed_codes_ = gan.codes(d.targets.sample(100));
}

bool EarlyStopping::should_stop(int epoch, int& best_epoch) {
  if (every_ == 0) {
    best_epoch = epoch;
    return false;
  }
  if (epoch % every_ != 0) return false;
  const double distance = gan_.held_out_distance(d_, fixed_sources_, fixed_codes_);
  if (distance < best_distance_) {
    best_distance_ = distance;
    best_epoch = epoch;
    checks_since_best_ = 0;
    best_.clear();
    for (const auto& p : weights_) best_.push_back(p.detach().clone());
    return false;
  }
  return ++checks_since_best_ >= patience_;
}

void EarlyStopping::restore_best() {
  // The generators of the best check (G and F; the critics do not generate).
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < best_.size(); ++i) weights_[i].copy_(best_[i]);
}

void CycleGan::train(const GanDomains& d, std::uint64_t seed) {
  const auto& g = config_.gan;
  const TorchOnlyThreads threads(gan_threads());
  const TorchBlockReuse reuse;
  std::vector<torch::Tensor> gen_params = G_->parameters(), critic_params = DT_->parameters();
  for (auto& p : F_->parameters()) gen_params.push_back(p);
  for (auto& p : DS_->parameters()) critic_params.push_back(p);
  FusedAdam gen_opt(gen_params, g.beta1, g.beta2), critic_opt(critic_params, g.beta1, g.beta2);
  const long batch = g.batch_size;
  const long steps_per_epoch = std::max<long>(1, (d.targets.largest() + batch - 1) / batch);
  const long groups = static_cast<long>(classes_.size());
  const torch::Tensor class_targets =
      torch::tensor(std::vector<long>(classes_.begin(), classes_.end()), torch::kLong).unsqueeze(1).expand({groups, batch}).flatten();

  // Pre-training: the generators learn to invert each other (cycle reconstruction).
  for (int epoch = 0; epoch < g.pretrain_epochs; ++epoch)
    for (long step = 0; step < steps_per_epoch; ++step) {
      gen_opt.zero_grad();
      cycle_loss(d.sources.sample(batch), d.targets.sample(batch)).sum().backward();
      gen_opt.step(g.learning_rate);
    }

  EarlyStopping stopping(*this, d, g.fd_every, g.fd_patience, gen_params);
  std::ofstream log;
  if (!config_.loss_log.empty()) open_log(log);
  long generator_step = 0;
  epochs_run_ = best_epoch_ = 0;
  for (int epoch = 1; epoch <= g.epochs; ++epoch) {
    check_interrupt();
    const double lr = g.learning_rate * std::pow(0.5, (epoch - 1) / g.halve_lr_every);
    EpochLosses sums{torch::zeros({groups}), torch::zeros({groups}), torch::zeros({groups}), torch::zeros({groups}), torch::zeros({groups})};
    for (long step = 0; step < steps_per_epoch; ++step, ++generator_step) {
      if (generator_step % g.generator_steps_per_critic == 0) critic_step(critic_opt, lr, d, batch, sums);
      generator_step_once(gen_opt, lr, d, batch, class_targets, sums);
    }
    check_finite(sums, epoch);
    if (log.is_open()) write_log(log, sums, epoch, seed);
    epochs_run_ = epoch;
    if (stopping.should_stop(epoch, best_epoch_)) break;
  }
  stopping.restore_best();
}

void CycleGan::critic_step(FusedAdam& opt, double lr, const GanDomains& d, long batch, EpochLosses& sums) {
  const torch::Tensor s = d.sources.sample(batch), t = d.targets.sample(batch);
  torch::Tensor fake_t, fake_s;
  {
    torch::NoGradGuard no_grad;
    fake_t = G_->forward(with_codes(features(s), codes(t)));
    fake_s = F_->forward(with_codes(features(t), codes(s)));
  }
  opt.zero_grad();
  const torch::Tensor lt = critic_loss(DT_, t, with_codes(fake_t, codes(t))), ls = critic_loss(DS_, s, with_codes(fake_s, codes(s)));
  (lt.sum() + ls.sum()).backward();
  opt.step(lr);
  sums.critic_t += lt.detach();
  sums.critic_s += ls.detach();
  ++sums.critic_steps;
}

void CycleGan::generator_step_once(FusedAdam& opt, double lr, const GanDomains& d, long batch, const torch::Tensor& class_targets,
                                   EpochLosses& sums) {
  const torch::Tensor s = d.sources.sample(batch), t = d.targets.sample(batch);
  DT_->set_trainable(false);  // the critics only pass gradients through here
  DS_->set_trainable(false);
  opt.zero_grad();
  torch::Tensor fake_t, fake_s;
  const torch::Tensor cycle = cycle_loss(s, t, &fake_t, &fake_s);
  const torch::Tensor adversarial =
      generator_adversarial(DT_, with_codes(fake_t, codes(t))) + generator_adversarial(DS_, with_codes(fake_s, codes(s)));
  torch::Tensor loss = adversarial + config_.gan.lambda_cycle * cycle;
  torch::Tensor classification = torch::zeros_like(cycle);
  if (classifier_ && config_.gan.lambda_class > 0) {
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

}  // namespace seraug

namespace {

std::unique_ptr<seraug::Augmenter> make_cyclegan(const std::string& method, const seraug::AugmentConfig& config) {
  if (method == "cyclegan-wdiv") return std::make_unique<seraug::CycleGan>(true, config);
  if (method == "cyclegan-ce") return std::make_unique<seraug::CycleGan>(false, config);
  throw seraug::Error("unknown cycle-GAN method '" + method + "'");
}

// Runs when the plug-in is loaded (common/plugin.hpp): the augment layer owns the factory.
const bool cyclegan_registered = (seraug::register_cyclegan_factory(&make_cyclegan), true);

}  // namespace
