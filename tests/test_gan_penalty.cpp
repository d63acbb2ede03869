// The Wasserstein divergence penalty differentiated by double backprop, checked against
// central finite differences on a tiny critic (double precision).
#include <gtest/gtest.h>

#include "seraug/augment/gan_networks.hpp"

namespace seraug {
namespace {

TEST(WassersteinDivergence, DoubleBackpropMatchesFiniteDifferences) {
  torch::manual_seed(3);
  torch::set_default_dtype(caffe2::TypeMeta::Make<double>());
  GroupedMlp critic(/*groups=*/2, /*in=*/3, std::vector<int>{4}, /*out=*/1, /*slope=*/0.2, /*residual=*/false);
  const torch::Tensor real = torch::randn({2, 5, 3}), fake = torch::randn({2, 5, 3});
  const double k = 2.0, p = 6.0;

  for (auto& w : critic->parameters()) w.mutable_grad() = torch::Tensor();
  wdiv_critic_loss(critic, real, fake, k, p).sum().backward();

  const double eps = 1e-6;
  double worst = 0;
  for (auto& w : critic->parameters()) {
    const torch::Tensor analytic = w.grad().clone();
    auto flat = w.data().view({-1});
    for (long i = 0; i < flat.numel(); ++i) {
      const double saved = flat[i].item<double>();
      flat[i] = saved + eps;
      const double up = wdiv_critic_loss(critic, real, fake, k, p).sum().item<double>();
      flat[i] = saved - eps;
      const double down = wdiv_critic_loss(critic, real, fake, k, p).sum().item<double>();
      flat[i] = saved;
      const double numeric = (up - down) / (2 * eps);
      const double a = analytic.view({-1})[i].item<double>();
      worst = std::max(worst, std::fabs(numeric - a) / std::max(1.0, std::fabs(a)));
    }
  }
  EXPECT_LT(worst, 1e-5);
  torch::set_default_dtype(caffe2::TypeMeta::Make<float>());
}

TEST(WassersteinDivergence, PenaltyIsZeroForAConstantCritic) {
  torch::manual_seed(4);
  GroupedMlp critic(1, 3, std::vector<int>{4}, 1, 0.2, false);
  {
    torch::NoGradGuard no_grad;
    for (auto& w : critic->parameters()) w.zero_();
  }
  const torch::Tensor loss = wdiv_critic_loss(critic, torch::randn({1, 8, 3}), torch::randn({1, 8, 3}), 2.0, 6.0);
  EXPECT_NEAR(loss.item<double>(), 0.0, 1e-12);
}

}  // namespace
}  // namespace seraug
