// Building blocks of the cycle-GANs in LibTorch: grouped MLPs and the Wasserstein
// divergence critic loss. Include only from code compiled against torch (the plug-in and
// its tests).
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

namespace seraug {

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
      h = torch::baddbmm(biases_[l], h, weights_[l]);
      if (l + 1 < weights_.size()) h = torch::leaky_relu(h, slope_);
    }
    return residual_ ? x + h : h;
  }

  void set_trainable(bool on) {
    for (auto& p : parameters()) p.set_requires_grad(on);
  }

  double slope_;
  bool residual_;
  std::vector<torch::Tensor> weights_, biases_;
};
TORCH_MODULE(GroupedMlp);


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
