// Building blocks of the cycle-GANs in LibTorch: grouped MLPs and the Wasserstein
// divergence critic loss. Include only from code compiled against torch (the plug-in and
// its tests).
#pragma once

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "seraug/common/cpus.hpp"


namespace seraug {

// Per-group matrix products out[g] = a[g] b[g] (a [G, M, K], b [G, K, N], any strides)
// spread over LibTorch's threads: the groups, and for wide outputs column blocks of
// them, are independent single-threaded BLAS calls, so five groups on two cores keep
// both busy without a second thread pool inside BLAS.
inline torch::Tensor grouped_matmul_kernel(const torch::Tensor& a, const torch::Tensor& b) {
  const long groups = a.size(0), n = b.size(2);
  torch::Tensor out = torch::empty({groups, a.size(1), n}, a.options());
  const long threads = at::get_num_threads();
  const long splits = n >= 128 * threads ? threads : 1;
  const long width = (n + splits - 1) / splits;
  at::parallel_for(0, groups * splits, 1, [&](long begin, long end) {
    torch::NoGradGuard no_grad;  // grad mode is per thread; these are raw products
    for (long task = begin; task < end; ++task) {
      const long g = task / splits, first = task % splits * width, count = std::min(width, n - first);
      torch::Tensor block = out[g].narrow(1, first, count);
      torch::mm_out(block, a[g], b[g].narrow(1, first, count));
    }
  });
  return out;
}

// grouped_matmul_kernel with gradients. Its backward is again a GroupedMatmul, so it is
// differentiable itself (the WGAN-div penalty needs double backprop).
struct GroupedMatmul : torch::autograd::Function<GroupedMatmul> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& a, const torch::Tensor& b) {
    ctx->save_for_backward({a, b});
    return grouped_matmul_kernel(a, b);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    torch::Tensor grad_a, grad_b;
    if (ctx->needs_input_grad(0)) grad_a = GroupedMatmul::apply(grads[0], saved[1].transpose(1, 2));
    if (ctx->needs_input_grad(1)) grad_b = GroupedMatmul::apply(saved[0].transpose(1, 2), grads[0]);
    return {grad_a, grad_b};
  }
};

// While alive: LibTorch runs `threads` intra-op threads and every loaded OpenBLAS runs
// single-threaded, so the GAN's products (grouped_matmul_kernel) and its element-wise
// work share one thread pool. Two pools on two cores oversubscribe: OpenBLAS's idle
// workers spin between products and keep the second core from LibTorch's element-wise
// kernels and the Adam updates (bench/bench_gan.cpp: 89 -> 105 GFLOP/s).
class TorchOnlyThreads {
 public:
  explicit TorchOnlyThreads(int threads) : torch_threads_(at::get_num_threads()) {
    for (const auto& blas : loaded_blas_threads()) {
      restore_.push_back({blas.set, blas.get()});
      blas.set(1);
    }
    at::set_num_threads(threads);
  }
  ~TorchOnlyThreads() {
    for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) it->first(it->second);
    at::set_num_threads(torch_threads_);
  }
  TorchOnlyThreads(const TorchOnlyThreads&) = delete;
  TorchOnlyThreads& operator=(const TorchOnlyThreads&) = delete;

 private:
  int torch_threads_;
  std::vector<std::pair<void (*)(int), int>> restore_;
};

// One MLP per group, evaluated for all groups at once: x [G, B, in] -> [G, B, out].
struct GroupedMlpImpl : torch::nn::Module {
  GroupedMlpImpl(long groups, long in, const std::vector<int>& hidden, long out, double slope, bool residual)
      : slope_(slope), residual_(residual) {
    std::vector<long> sizes{in};
    for (int h : hidden) sizes.push_back(h);
    sizes.push_back(out);
    torch::NoGradGuard no_grad;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
      // Xavier (Glorot) uniform per group: U(-a, a), a = sqrt(6 / (fan_in + fan_out)).
      const double a = std::sqrt(6.0 / static_cast<double>(sizes[l] + sizes[l + 1]));
      weights_.push_back(register_parameter("w" + std::to_string(l), torch::empty({groups, sizes[l], sizes[l + 1]}).uniform_(-a, a)));
      biases_.push_back(register_parameter("b" + std::to_string(l), torch::zeros({groups, 1, sizes[l + 1]})));
    }
  }

  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor h = x;
    for (std::size_t l = 0; l < weights_.size(); ++l) {
      h = GroupedMatmul::apply(h, weights_[l]) + biases_[l];
      if (l + 1 < weights_.size()) h = torch::leaky_relu(h, slope_);
    }
    // Residual: x + MLP(x); an input wider than the output carries a condition after its
    // features (a speaker code), which the residual path leaves out.
    if (!residual_) return h;
    return x.size(-1) == h.size(-1) ? x + h : x.narrow(-1, 0, h.size(-1)) + h;
  }

  void set_trainable(bool on) {
    for (auto& p : parameters()) p.set_requires_grad(on);
  }

  double slope_;
  bool residual_;
  std::vector<torch::Tensor> weights_, biases_;
};
TORCH_MODULE(GroupedMlp);

// One Adam update of n elements. Compiled for AVX-512, AVX2 and baseline x86-64, chosen
// at load time: the division and square root dominate once memory traffic is one pass.
__attribute__((target_clones("avx512f", "avx2", "default"))) inline void adam_update(
    float* __restrict p, float* __restrict m, float* __restrict v, const float* __restrict g, long n, float b1, float b2, float step_size,
    float inv_sqrt_c2, float eps) {
  for (long j = 0; j < n; ++j) {
    m[j] = b1 * m[j] + (1.0f - b1) * g[j];
    v[j] = b2 * v[j] + (1.0f - b2) * g[j] * g[j];
    p[j] -= step_size * m[j] / (std::sqrt(v[j]) * inv_sqrt_c2 + eps);
  }
}

// Adam (Kingma & Ba; the update of torch::optim::Adam without weight decay) as one
// pass over each parameter, split across LibTorch's threads. LibTorch 1.13's Adam runs
// about six whole-tensor operations per parameter, each streaming the GANs' 10-20 M
// weights through memory, and allocates a temporary of every parameter's size; the
// update is memory-bound, so one pass instead of six is what counts. Element updates
// are independent: results do not depend on the thread count.
class FusedAdam {
 public:
  FusedAdam(std::vector<torch::Tensor> params, double beta1, double beta2, double eps = 1e-8)
      : params_(std::move(params)), beta1_(beta1), beta2_(beta2), eps_(eps) {
    for (const auto& p : params_) {
      TORCH_CHECK(p.is_contiguous() && p.scalar_type() == torch::kFloat32 && p.device().is_cpu(), "FusedAdam: contiguous float CPU parameters only");
      exp_avg_.push_back(torch::zeros_like(p));
      exp_avg_sq_.push_back(torch::zeros_like(p));
    }
  }

  void zero_grad() {
    for (auto& p : params_)
      if (p.grad().defined()) p.mutable_grad() = torch::Tensor();  // the next backward writes fresh gradients
  }

  void step(double lr) {
    ++steps_;
    const double correction1 = 1.0 - std::pow(beta1_, steps_), correction2 = 1.0 - std::pow(beta2_, steps_);
    const float step_size = static_cast<float>(lr / correction1), inv_sqrt_c2 = static_cast<float>(1.0 / std::sqrt(correction2));
    const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_), eps = static_cast<float>(eps_);
    struct Chunk { float *p, *m, *v; const float* g; long n; };
    std::vector<Chunk> chunks;
    constexpr long kChunk = 1 << 16;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const torch::Tensor& grad = params_[i].grad();
      if (!grad.defined()) continue;
      TORCH_CHECK(grad.is_contiguous() && grad.sizes() == params_[i].sizes(), "FusedAdam: unexpected gradient layout");
      const long n = params_[i].numel();
      for (long at = 0; at < n; at += kChunk)
        chunks.push_back({params_[i].data_ptr<float>() + at, exp_avg_[i].data_ptr<float>() + at, exp_avg_sq_[i].data_ptr<float>() + at,
                          grad.data_ptr<float>() + at, std::min(kChunk, n - at)});
    }
    at::parallel_for(0, static_cast<long>(chunks.size()), 1, [&](long begin, long end) {
      for (long c = begin; c < end; ++c) {
        const Chunk& k = chunks[static_cast<std::size_t>(c)];
        adam_update(k.p, k.m, k.v, k.g, k.n, b1, b2, step_size, inv_sqrt_c2, eps);
      }
    });
  }

 private:
  std::vector<torch::Tensor> params_, exp_avg_, exp_avg_sq_;
  double beta1_, beta2_, eps_;
  long steps_ = 0;
};

inline torch::Tensor per_group_mean(const torch::Tensor& x) { return x.flatten(1).mean(1); }  // [G, ...] -> [G]

// Wasserstein divergence critic loss per group (Wu et al. 2018, as specified for seraug):
//   E[D(fake)] - E[D(real)] + k/2 E[|grad_x D(real)|^p + |grad_x D(fake)|^p]
// The input gradients stay in the graph (create_graph), so backward() differentiates the
// penalty too (double backprop). real, fake: [G, B, d]; returns [G].
inline torch::Tensor wdiv_critic_loss(GroupedMlp& critic, const torch::Tensor& real, const torch::Tensor& fake, double k, double p) {
  // Real and fake rows go through the critic as one batch (larger matrix products run
  // faster); the per-row gradient norms are split again for the two expectations.
  const long b = real.size(1);
  const torch::Tensor both = torch::cat({real.detach(), fake.detach()}, 1).requires_grad_(true);
  const torch::Tensor d = critic->forward(both);
  const torch::Tensor grad = torch::autograd::grad({d.sum()}, {both}, {}, true, true)[0];
  const torch::Tensor norms = grad.pow(2).sum(-1).pow(p / 2.0);  // [G, 2B]
  const torch::Tensor penalty = norms.slice(1, 0, b).mean(1) + norms.slice(1, b, 2 * b).mean(1);
  return per_group_mean(d.slice(1, b, 2 * b)) - per_group_mean(d.slice(1, 0, b)) + k / 2.0 * penalty;
}

}  // namespace seraug
