// The GANs' LibTorch building blocks: the Wasserstein divergence penalty differentiated
// by double backprop, checked against central finite differences on a tiny critic
// (double precision); the threaded grouped product and the fused Adam against
// LibTorch's own bmm and Adam; the reuse of large tensor blocks.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include "seraug/augment/gan_networks.hpp"
#include "seraug/augment/torch_block_reuse.hpp"

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

// Values, gradients and gradients of gradients of the threaded grouped product equal
// those of torch::bmm, with the output wide enough to be split into column blocks.
TEST(GroupedMatmul, MatchesBmmToTheSecondDerivative) {
  const TorchOnlyThreads threads(2);
  torch::manual_seed(5);
  const auto options = torch::TensorOptions().dtype(torch::kFloat64);
  const torch::Tensor a0 = torch::randn({3, 7, 5}, options), b0 = torch::randn({3, 5, 300}, options), w = torch::randn({3, 7, 300}, options);
  const auto derivatives = [&](bool grouped) {
    const torch::Tensor a = a0.clone().requires_grad_(true), b = b0.clone().requires_grad_(true);
    const torch::Tensor out = grouped ? GroupedMatmul::apply(a, b) : torch::bmm(a, b);
    const auto first = torch::autograd::grad({(out * w).pow(2).sum()}, {a, b}, {}, true, true);
    const auto second = torch::autograd::grad({first[0].pow(2).sum() + first[1].pow(2).sum()}, {a, b});
    return std::vector<torch::Tensor>{out.detach(), first[0].detach(), first[1].detach(), second[0], second[1]};
  };
  const auto ours = derivatives(true), reference = derivatives(false);
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_TRUE(torch::allclose(ours[i], reference[i], 1e-10, 1e-10)) << "quantity " << i;
}

TEST(FusedAdam, FollowsLibTorchsAdam) {
  torch::manual_seed(6);
  const torch::Tensor start = torch::randn({4, 33});
  torch::Tensor ours = start.clone().requires_grad_(true), reference = start.clone().requires_grad_(true);
  FusedAdam fused({ours}, 0.5, 0.999);
  torch::optim::Adam adam({reference}, torch::optim::AdamOptions(1e-2).betas({0.5, 0.999}));
  for (int step = 0; step < 20; ++step) {
    const torch::Tensor target = torch::randn({4, 33});
    fused.zero_grad();
    (ours - target).pow(2).sum().backward();
    fused.step(1e-2);
    adam.zero_grad();
    (reference - target).pow(2).sum().backward();
    adam.step();
  }
  EXPECT_GT((ours - start).abs().max().item<double>(), 0.05);  // it moved
  EXPECT_TRUE(torch::allclose(ours, reference, 1e-5, 1e-6));
}

// Large tensors freed inside the scope come back for the next request of their size (or
// up to a quarter smaller); small ones and everything after the scope use LibTorch's
// allocator; a tensor that outlives the scope keeps its values and is freed normally.
TEST(TorchBlockReuse, HandsLargeBlocksOutAgainAndRestoresTheAllocator) {
  c10::Allocator* const before = c10::GetCPUAllocator();
  constexpr long kFloats = 1 << 20;  // 4 MB
  torch::Tensor kept;
  {
    const TorchBlockReuse reuse;
    EXPECT_NE(c10::GetCPUAllocator(), before);
    void* first = nullptr;
    {
      const torch::Tensor t = torch::empty({kFloats});
      first = t.data_ptr();
    }
    const torch::Tensor same = torch::empty({kFloats});
    EXPECT_EQ(same.data_ptr(), first);
    void* second = nullptr;
    {
      const torch::Tensor t = torch::empty({kFloats});
      second = t.data_ptr();
      EXPECT_NE(second, first);  // the first is in use
    }
    EXPECT_EQ(torch::empty({kFloats * 4 / 5}).data_ptr(), second);  // a smaller request
    EXPECT_NE(torch::empty({kFloats / 2}).data_ptr(), second);      // too small for it
    {
      const TorchBlockReuse nested;
    }
    EXPECT_NE(c10::GetCPUAllocator(), before);  // the outer scope still holds it
    kept = torch::full({kFloats}, 2.0f);
  }
  EXPECT_EQ(c10::GetCPUAllocator(), before);
  EXPECT_EQ(kept.sum().item<float>(), 2.0f * kFloats);
  kept = torch::Tensor();  // freed after the scope: no reuse, no crash (ASan checks)
}

TEST(TorchOnlyThreads, RestoresLibTorchsThreadCount) {
  at::set_num_threads(1);
  {
    const TorchOnlyThreads threads(2);
    EXPECT_EQ(at::get_num_threads(), 2);
  }
  EXPECT_EQ(at::get_num_threads(), 1);
}

// OpenBLAS gets its thread count back too: a DNN trained after a GAN in the same process
// must run as in a fresh one (libblas.so.3 resolves to libopenblas's setter as well, and
// saving it twice once left OpenBLAS single-threaded for the rest of the process).
TEST(TorchOnlyThreads, RestoresOpenBlasThreadCount) {
  void* handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_NOLOAD);
  if (!handle) GTEST_SKIP() << "OpenBLAS not loaded";
  auto set = reinterpret_cast<void (*)(int)>(dlsym(handle, "openblas_set_num_threads"));
  auto get = reinterpret_cast<int (*)()>(dlsym(handle, "openblas_get_num_threads"));
  ASSERT_TRUE(set && get);
  set(2);
  const int before = get();
  {
    const TorchOnlyThreads threads(2);
    EXPECT_EQ(get(), 1);
  }
  EXPECT_EQ(get(), before);
  dlclose(handle);
}

}  // namespace
}  // namespace seraug
