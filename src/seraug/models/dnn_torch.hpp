// The DNN classifier's LibTorch implementation, shared by the plug-in's translation
// units (the cycle-GAN uses a trained Dnn as its frozen auxiliary classifier). Include
// only from code compiled into libseraug_torch.so.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <malloc.h>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <set>
#include <thread>

#include "seraug/common/cpus.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/input_file.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/stats/metrics.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {

// Runtime setup before any LibTorch work. Intra-op threads: 1 unless
// $SERAUG_TORCH_THREADS says otherwise (the GANs set up their own, see gan_threads()).
// OpenBLAS single-threaded: its products on the DNN's small batches take other code
// paths, and other last bits, with more threads, so sizing it by the machine's CPUs
// made a DNN's numbers depend on the machine; the evaluation fits folds side by side
// instead (trains_in_parallel), one thread each.
// Allocator: LibTorch allocates and frees tensors of several MB at every training step.
// glibc serves blocks that large with fresh mmap()s and trims freed heap memory back
// to the system, so every step paid page faults on zeroed pages (about 10 % of GAN
// training time). Keeping such blocks on the heap lets the freed memory be reused.
inline int threads_from_environment() {
  const char* env = std::getenv("SERAUG_TORCH_THREADS");
  return env && std::atoi(env) > 0 ? std::atoi(env) : 0;
}

inline void setup_torch_runtime() {
  static const int threads = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed value; larger blocks are rare
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    limit_blas_threads(1);
    return std::max(1, threads_from_environment());
  }();
  torch::set_num_threads(threads);
}

// Threads for training the cycle-GANs, which run everything on LibTorch's pool
// (TorchOnlyThreads in gan_networks.hpp): every CPU this process may use (cpus.hpp)
// unless $SERAUG_TORCH_THREADS is set.
inline int gan_threads() {
  const int env = threads_from_environment();
  return env > 0 ? env : static_cast<int>(usable_cpus());
}

inline torch::Tensor to_tensor(const Matrix& x) {
  auto t = torch::empty({static_cast<long>(x.rows), static_cast<long>(x.cols)}, torch::kFloat32);
  float* out = t.data_ptr<float>();
  for (std::size_t i = 0; i < x.data.size(); ++i) out[i] = static_cast<float>(x.data[i]);
  return t;
}

inline torch::Tensor to_tensor(std::span<const int> y) {
  auto t = torch::empty({static_cast<long>(y.size())}, torch::kLong);
  std::copy(y.begin(), y.end(), t.data_ptr<long>());
  return t;
}

// Rows held out for early stopping: whole speakers when there are at least two
// (so stopping is judged on unseen voices, as the test fold will be), else every k-th
// row of a seeded permutation.
inline std::vector<bool> validation_mask(const FitOptions& options, std::size_t rows, double fraction) {
  std::vector<bool> held_out(rows, false);
  std::mt19937_64 rng(options.seed);
  std::set<std::string> unique(options.speakers.begin(), options.speakers.end());
  if (options.speakers.size() == rows && unique.size() >= 2) {
    std::vector<std::string> speakers(unique.begin(), unique.end());
    std::shuffle(speakers.begin(), speakers.end(), rng);
    const auto n = std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(fraction * static_cast<double>(speakers.size()))), 1, speakers.size() - 1);
    const std::set<std::string> chosen(speakers.begin(), speakers.begin() + static_cast<long>(n));
    for (std::size_t r = 0; r < rows; ++r) held_out[r] = chosen.count(options.speakers[r]) > 0;
  } else {
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(fraction * static_cast<double>(rows)));
    for (std::size_t i = 0; i < n && i + 1 < rows; ++i) held_out[order[i]] = true;
  }
  return held_out;
}

// Dropout whose masks come from a given generator. torch::nn::Dropout draws from
// LibTorch's global generator, which DNN fits running side by side would share (and so
// interleave their draws); this is the same computation as ATen's CPU dropout (mask ~
// Bernoulli(1 - p) divided by 1 - p, times the input), so a fit drawing from its own
// generator seeded as before gives the same numbers.
struct SeededDropoutImpl : torch::nn::Module {
  SeededDropoutImpl(double p, at::Generator generator) : p_(p), generator_(std::move(generator)) {}
  torch::Tensor forward(const torch::Tensor& x) {
    if (!is_training() || p_ == 0) return x;  // dnn.dropout is in [0, 1)
    torch::Tensor mask = torch::empty_like(x, torch::MemoryFormat::Contiguous);
    mask.bernoulli_(1 - p_, generator_);
    mask.div_(1 - p_);
    return x * mask;
  }
  double p_;
  at::Generator generator_;  // shared with the fit that owns the network
};
TORCH_MODULE(SeededDropout);

class Dnn final : public Classifier {
 public:
  explicit Dnn(const DnnConfig& config) : config_(config) { config_.validate(); }

  void fit(const Matrix& x, std::span<const int> y, std::size_t classes, const FitOptions& options) override {
    if (x.rows < 2 || x.rows != y.size()) throw Error("dnn: training needs at least two rows with one label each");
    for (int label : y)
      if (label < 0 || static_cast<std::size_t>(label) >= classes) throw Error("dnn: class index out of range");
    setup_torch_runtime();
    // Every draw of the fit (initial weights, shuffles, dropout) comes from its own
    // generator, so fits can run side by side (trains_in_parallel).
    generator_ = at::detail::createCPUGenerator(options.seed);
    dims_ = x.cols;
    classes_ = classes;
    net_ = build();

    const auto held_out = validation_mask(options, x.rows, config_.validation_fraction);
    std::vector<std::size_t> train_rows, val_rows;
    for (std::size_t r = 0; r < x.rows; ++r) (held_out[r] ? val_rows : train_rows).push_back(r);
    const std::vector<int> all_y(y.begin(), y.end());
    const torch::Tensor train_x = to_tensor(select_rows(x, train_rows)), train_y = to_tensor(select(all_y, train_rows));
    const torch::Tensor val_x = to_tensor(select_rows(x, val_rows));
    const std::vector<int> val_y = select(all_y, val_rows);
    row_weight_ = torch::Tensor();
    if (!options.row_weights.empty()) {
      if (options.row_weights.size() != x.rows) throw Error("dnn: one row weight per training row needed");
      const std::vector<double> w = select(options.row_weights, train_rows);
      row_weight_ = torch::tensor(std::vector<float>(w.begin(), w.end()));
    }

    torch::Tensor class_weight;
    if (config_.balanced_loss || !options.class_weights.empty()) {
      const auto w = options.class_weights.empty() ? balanced_class_weights(select(all_y, train_rows), classes) : options.class_weights;
      class_weight = torch::tensor(std::vector<float>(w.begin(), w.end()));
    }
    train_with_early_stopping(train_x, train_y, val_x, val_y, class_weight);
    leave_global_generator_as_before();
  }

  std::vector<int> predict(const Matrix& x) const override {
    const Matrix p = predict_proba(x);
    std::vector<int> out(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r) out[r] = static_cast<int>(std::max_element(p.row(r), p.row(r) + p.cols) - p.row(r));
    return out;
  }

  Matrix predict_proba(const Matrix& x) const override {
    if (!net_) throw Error("dnn: model is not trained");
    if (x.cols != dims_) throw Error("dnn: model has " + std::to_string(dims_) + " features, input has " + std::to_string(x.cols));
    setup_torch_runtime();
    torch::NoGradGuard no_grad;
    net_->eval();
    const torch::Tensor p = torch::softmax(net_->forward(to_tensor(x)), 1).to(torch::kFloat64).contiguous();
    Matrix out(x.rows, classes_);
    std::copy(p.data_ptr<double>(), p.data_ptr<double>() + out.data.size(), out.data.begin());
    return out;
  }

  // Logits of the trained network for rows x (n x dims), differentiable w.r.t. x; the
  // network is in inference mode (no dropout) and its own weights stay fixed.
  torch::Tensor logits(const torch::Tensor& x) const {
    net_->eval();
    return net_->forward(x);
  }
  void freeze() {
    for (auto& p : net_->parameters()) p.set_requires_grad(false);
  }
  std::size_t classes() const { return classes_; }

  std::vector<std::string> save(const std::string& folder) const override {
    if (!net_) throw Error("dnn: model is not trained");
    const nlohmann::json meta = {{"dims", dims_}, {"classes", classes_}, {"hidden", config_.hidden}, {"dropout", config_.dropout},
                                 {"leaky_slope", config_.leaky_slope}, {"epochs_trained", epochs_trained_}, {"best_epoch", best_epoch_}};
    std::ofstream(folder + "/dnn.json") << meta.dump(2) << "\n";
    torch::save(net_, folder + "/dnn.pt");
    return {"dnn.json", "dnn.pt"};
  }

  void load(const std::string& folder) override {
    const std::string meta_path = folder + "/dnn.json", weights = folder + "/dnn.pt";
    require_readable_file(meta_path, kMaxTextInputBytes, "DNN description");
    require_readable_file(weights, kMaxModelFileBytes, "DNN weights file");
    try {
      std::ifstream in(meta_path);
      const nlohmann::json meta = nlohmann::json::parse(in);
      dims_ = meta.at("dims").get<std::size_t>();
      classes_ = meta.at("classes").get<std::size_t>();
      config_.hidden = meta.at("hidden").get<std::vector<int>>();
      config_.dropout = meta.at("dropout").get<double>();
      config_.leaky_slope = meta.at("leaky_slope").get<double>();
      config_.validate();
    } catch (const std::exception& e) {
      throw file_error(meta_path, std::string("damaged or missing DNN description: ") + e.what());
    }
    net_ = build();
    try {
      torch::load(net_, weights);
    } catch (const std::exception& e) {
      throw file_error(weights, "damaged or missing DNN weights (" + std::string(e.what()).substr(0, 200) + ")");
    }
  }

 private:
  torch::nn::Sequential build() const {
    torch::nn::Sequential net;
    long in = static_cast<long>(dims_);
    auto add_linear = [&](long out) {
      torch::nn::Linear layer(in, out);
      torch::NoGradGuard no_grad;
      // Linear's own initialisation (Kaiming-uniform weights, uniform bias) drew from the
      // generator before Xavier replaced it; those draws are kept so that the stream, and
      // the numbers, stay those of earlier versions.
      layer->weight.uniform_(-1, 1, generator_);
      layer->bias.uniform_(-1, 1, generator_);
      // Xavier (Glorot) uniform, its bound computed as torch::nn::init::xavier_uniform_ does.
      const double a = std::sqrt(3.0) * std::sqrt(2.0 / static_cast<double>(in + out));
      layer->weight.uniform_(-a, a, generator_);
      layer->bias.zero_();
      net->push_back(layer);
      in = out;
    };
    for (int h : config_.hidden) {
      add_linear(h);
      net->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(config_.leaky_slope)));
      net->push_back(SeededDropout(config_.dropout, generator_));
    }
    add_linear(static_cast<long>(classes_));
    return net;
  }

  double validation_uar(const torch::Tensor& x, const std::vector<int>& y) {
    torch::NoGradGuard no_grad;
    net_->eval();
    const torch::Tensor predicted = net_->forward(x).argmax(1).contiguous();
    const std::vector<int> p(predicted.data_ptr<long>(), predicted.data_ptr<long>() + predicted.numel());
    return Confusion::from(y, p, classes_).uar();
  }

  void train_with_early_stopping(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& val_x,
                                 const std::vector<int>& val_y, const torch::Tensor& class_weight) {
    torch::optim::Adam optimizer(net_->parameters(), torch::optim::AdamOptions(config_.learning_rate).weight_decay(config_.weight_decay));
    auto loss_options = torch::nn::functional::CrossEntropyFuncOptions();
    if (class_weight.defined()) loss_options.weight(class_weight);
    const long n = x.size(0);
    double best = -1;
    int since_best = 0;
    std::map<std::string, torch::Tensor> best_state;
    for (int epoch = 1; epoch <= config_.max_epochs; ++epoch) {
      check_interrupt();
      net_->train();
      const torch::Tensor order = torch::randperm(n, generator_, torch::kLong);
      for (long start = 0; start < n; start += config_.batch_size) {
        const torch::Tensor batch = order.slice(0, start, std::min<long>(start + config_.batch_size, n));
        optimizer.zero_grad();
        const torch::Tensor loss = batch_loss(x.index_select(0, batch), y.index_select(0, batch), batch, loss_options, class_weight);
        const double value = loss.item<double>();
        if (!std::isfinite(value)) throw Error("dnn: training diverged at epoch " + std::to_string(epoch) + " (loss " + std::to_string(value) + ")");
        loss.backward();
        optimizer.step();
      }
      epochs_trained_ = epoch;
      const double uar = validation_uar(val_x, val_y);
      if (uar > best + 1e-9) {
        best = uar;
        best_epoch_ = epoch;
        since_best = 0;
        best_state = snapshot();
      } else if (++since_best >= config_.patience) {
        break;
      }
    }
    restore(best_state);
  }

  // Mean cross-entropy of a batch; with row weights, the weighted mean (each row's
  // weight times its class weight, normalised by their sum, as torch weighs classes).
  torch::Tensor batch_loss(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& rows,
                           const torch::nn::functional::CrossEntropyFuncOptions& options, const torch::Tensor& class_weight) {
    if (!row_weight_.defined()) return torch::nn::functional::cross_entropy(net_->forward(x), y, options);
    const torch::Tensor each = torch::nn::functional::cross_entropy(net_->forward(x), y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    torch::Tensor w = row_weight_.index_select(0, rows);
    if (class_weight.defined()) w = w * class_weight.index_select(0, y);
    return (each * w).sum() / w.sum();
  }

  std::map<std::string, torch::Tensor> snapshot() const {
    std::map<std::string, torch::Tensor> state;
    for (const auto& p : net_->named_parameters()) state[p.key()] = p.value().detach().clone();
    return state;
  }

  void restore(const std::map<std::string, torch::Tensor>& state) {
    torch::NoGradGuard no_grad;
    for (auto& p : net_->named_parameters()) p.value().copy_(state.at(p.key()));
  }

  // Earlier versions drew from LibTorch's global generator after seeding it, and the
  // cycle-GANs train their auxiliary classifier between their own draws from it: it is
  // left where those draws would have left it. (Fits side by side leave it at one of
  // theirs; every other user seeds it first.)
  void leave_global_generator_as_before() const {
    at::Generator global = at::detail::getDefaultCPUGenerator();
    const torch::Tensor state = generator_.get_state();
    std::lock_guard<std::mutex> lock(global.mutex());
    global.set_state(state);
  }

  DnnConfig config_;
  at::Generator generator_ = at::detail::createCPUGenerator();
  // mutable: switching to eval mode for inference flips a flag inside the module.
  mutable torch::nn::Sequential net_{nullptr};
  std::size_t dims_ = 0, classes_ = 0;
  int epochs_trained_ = 0, best_epoch_ = 0;
  torch::Tensor row_weight_;  // per training row (FitOptions::row_weights); undefined = all 1
};

}  // namespace seraug
