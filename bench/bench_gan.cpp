// Training the five per-emotion cycle-GANs of one LOSO fold on EMO-DB IS09 (d = 384,
// generators and critics 384-800-800-*, batch 64), as the evaluation does. Prints
// seconds per fold (200 epochs unless $SERAUG_BENCH_GAN_EPOCHS; the auxiliary
// classifier and the pre-training included), optimiser steps/s, the achieved GFLOP/s
// over that whole time, and peak RSS.
//
// GFLOP counts come from the layer shapes (2*B*in*out per grouped linear layer and
// group): a generator step runs G and F twice each forward (x3 with backward) and each
// critic once (x2: forward and input gradient); a critic step runs G and F forward once
// and each critic twice (x5 for WGAN-div: forward, input gradient and its double
// backward; x3 for cross-entropy: forward and backward).
// The machine's SGEMM, measured in the same run after the GANs: the loaded BLAS (the
// OpenBLAS LibTorch multiplies with, under the core type $OPENBLAS_CORETYPE pins) on one
// thread, 1024 x 1024 products. The GANs run one single-threaded product per LibTorch
// thread, so their yardstick is that figure times the threads (usable CPUs): counters
// sgemm_1thread_GFLOPs and share_of_sgemm.
// The ceiling of that share (products_only_GFLOPs, products_only_share): the fold's own
// product mix -- every grouped layer's forward, input-gradient and weight-gradient
// products at the GANs' batch sizes, as many as the GFLOP count above assumes -- run
// alone on one thread of the same BLAS, operands cycled through more memory than the
// caches hold (in the fold each weight is read once per pass, from memory). It is what
// the fold would reach if it did nothing but multiply: no LibTorch element-wise work,
// no Adam, no waiting between products. The two yardsticks are measured in three
// alternating rounds and the best of each kept. products_share_of_fold: the fold's
// GFLOP/s over that mix's (times the threads), the share of the fold's time that the
// products alone would take; the rest is everything else.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include "bench_data.hpp"
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <tuple>
#include <fstream>
#include <unistd.h>
#include <string>

#include "seraug/augment/augmenter.hpp"
#include "seraug/common/cpus.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/eval/protocol.hpp"
#include "seraug/features/batch.hpp"

namespace {

using seraug::bench::emodb_features;

double mlp_flops(long batch, long in, const std::vector<int>& hidden, long out) {
  double f = 0;
  long prev = in;
  for (int h : hidden) { f += 2.0 * batch * prev * h; prev = h; }
  return f + 2.0 * batch * prev * out;
}

using Sgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*, const int*, const float*,
                      const int*, const float*, float*, const int*);

Sgemm loaded_sgemm() {
  void* blas = dlopen("libblas.so.3", RTLD_NOW | RTLD_NOLOAD);  // loaded with LIBLINEAR and LibTorch
  if (!blas) return nullptr;
  const auto sgemm = reinterpret_cast<Sgemm>(dlsym(blas, "sgemm_"));
  dlclose(blas);
  return sgemm;
}

// While alive: every loaded BLAS runs single-threaded (as under the GANs' products).
class OneBlasThread {
 public:
  OneBlasThread() {
    for (const auto& b : seraug::loaded_blas_threads()) {
      restore_.push_back({b.set, b.get()});
      b.set(1);
    }
  }
  ~OneBlasThread() {
    for (const auto& [set, threads] : restore_) set(threads);
  }
  OneBlasThread(const OneBlasThread&) = delete;
  OneBlasThread& operator=(const OneBlasThread&) = delete;

 private:
  std::vector<std::pair<void (*)(int), int>> restore_;
};

// The kinds of product of one grouped linear layer (rows x in -> out) in training: the
// forward product, the input gradient (rows x out times the weights transposed) and the
// weight gradient (the inputs transposed times rows x out).
enum class Product { Forward, InputGradient, WeightGradient };

// Seconds per product of `kind` for a layer in -> out on `rows` rows, on the loaded BLAS
// (`sgemm`, column-major: row-major C = A B is C^T = B^T A^T): `rounds` rounds of `reps`
// products, operands cycled through `copies` distinct sets; the best round's mean.
double product_seconds(Sgemm sgemm, Product kind, int rows, int in, int out, std::size_t copies, int rounds, int reps) {
  int m = rows, n = out, k = in;  // row-major C [m, n] = A [m, k] B [k, n]
  bool a_transposed = false, b_transposed = false;
  if (kind == Product::InputGradient) { n = in; k = out; b_transposed = true; }        // dY W^T
  if (kind == Product::WeightGradient) { m = in; k = rows; a_transposed = true; }       // X^T dY
  const std::size_t floats = static_cast<std::size_t>(m) * k + static_cast<std::size_t>(k) * n + static_cast<std::size_t>(m) * n;
  std::vector<float> memory(copies * floats, 0.25f);
  const int lda = a_transposed ? m : k, ldb = b_transposed ? k : n, ldc = n;
  const float one = 1.0f, zero = 0.0f;
  double best = 1e300;
  for (int round = 0; round < rounds; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < reps; ++r) {
      float* a = memory.data() + static_cast<std::size_t>(r) % copies * floats;
      float* b = a + static_cast<std::size_t>(m) * k;
      float* c = b + static_cast<std::size_t>(k) * n;
      sgemm(b_transposed ? "T" : "N", a_transposed ? "T" : "N", &n, &m, &k, &one, b, &ldb, a, &lda, &zero, c, &ldc);
    }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps);
  }
  return best;
}

// product_seconds with the operands read from memory, as in the fold: cycled through
// ~96 MB of distinct copies, three rounds of at least 20 products.
double cold_product_seconds(Sgemm sgemm, Product kind, int rows, int in, int out) {
  const std::size_t floats = static_cast<std::size_t>(rows) * in + static_cast<std::size_t>(in) * out + static_cast<std::size_t>(rows) * out;
  const std::size_t copies = std::max<std::size_t>(2, (std::size_t{96} << 20) / (floats * sizeof(float)));
  return product_seconds(sgemm, kind, rows, in, out, copies, 3, static_cast<int>(std::max<std::size_t>(copies * 2, 20)));
}

// GFLOP/s of one thread of the loaded BLAS on n x n single-precision products (the best
// of 5 single products on one set of operands); 0 when no BLAS with sgemm_ is loaded.
double sgemm_gflops_one_thread(int n) {
  const Sgemm sgemm = loaded_sgemm();
  if (!sgemm) return 0;
  const OneBlasThread one_thread;
  return 2.0 * n * n * static_cast<double>(n) / product_seconds(sgemm, Product::Forward, n, n, n, 1, 5, 1) / 1e9;
}

// The fold's product mix, timed product by product on one thread (see the header).
// Passes of a network (`hidden` layers, in -> out) over `rows` rows each cost, per
// layer, the given numbers of forward, input-gradient and weight-gradient products: a
// training pass 1, 1, 1; a pass through a frozen critic 1, 1, 0; the WGAN-div critic's
// pass with its double backward 2, 2, 1 (5 products: the count the GFLOP figure uses).
class ProductMix {
 public:
  explicit ProductMix(Sgemm sgemm) : sgemm_(sgemm) {}
  struct Products { int forward, input_gradient, weight_gradient; };
  void add(double passes, long rows, long in, const std::vector<int>& hidden, long out, Products per_layer) {
    std::vector<long> sizes{in};
    for (int h : hidden) sizes.push_back(h);
    sizes.push_back(out);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
      const int r = static_cast<int>(rows), i = static_cast<int>(sizes[l]), o = static_cast<int>(sizes[l + 1]);
      const int products = per_layer.forward + per_layer.input_gradient + per_layer.weight_gradient;
      flops_ += passes * products * 2.0 * r * i * o;
      seconds_ += passes * (per_layer.forward * seconds(Product::Forward, r, i, o) + per_layer.input_gradient * seconds(Product::InputGradient, r, i, o) +
                            per_layer.weight_gradient * seconds(Product::WeightGradient, r, i, o));
    }
  }
  double gflops() const { return seconds_ > 0 ? flops_ / seconds_ / 1e9 : 0; }

 private:
  double seconds(Product kind, int rows, int in, int out) {  // each shape timed once
    const auto key = std::tuple(kind, rows, in, out);
    auto it = measured_.find(key);
    if (it == measured_.end()) it = measured_.emplace(key, cold_product_seconds(sgemm_, kind, rows, in, out)).first;
    return it->second;
  }
  Sgemm sgemm_;
  std::map<std::tuple<Product, int, int, int>, double> measured_;
  double flops_ = 0, seconds_ = 0;
};

// GFLOP/s of one thread on the fold's products (ProductMix) for generator and critic
// steps as CycleGan trains them: a generator step runs F on the targets (B rows), G on
// the sources and F's output together (2B) and F again on G's output (B), all trained,
// and each frozen critic on B generated rows; a critic step runs G and F forward on B
// rows and each critic on real and generated rows together (2B). Pre-training steps are
// generator steps without the critics. 0 when no BLAS with sgemm_ is loaded.
double product_mix_gflops(long d, long b, const std::vector<int>& hidden, long gen_steps, long critic_steps, long pretrain_steps, bool wdiv) {
  const Sgemm sgemm = loaded_sgemm();
  if (!sgemm) return 0;
  const OneBlasThread one_thread;
  ProductMix mix(sgemm);
  const ProductMix::Products trained{1, 1, 1}, frozen{1, 1, 0}, forward_only{1, 0, 0};
  const ProductMix::Products critic_trained = wdiv ? ProductMix::Products{2, 2, 1} : trained;
  const double cycles = static_cast<double>(gen_steps + pretrain_steps);
  mix.add(2 * cycles, b, d, hidden, d, trained);        // F on targets, F on G's output
  mix.add(cycles, 2 * b, d, hidden, d, trained);        // G on [sources; F(targets)]
  mix.add(2.0 * static_cast<double>(gen_steps), b, d, hidden, 1, frozen);
  mix.add(2.0 * static_cast<double>(critic_steps), b, d, hidden, d, forward_only);
  mix.add(2.0 * static_cast<double>(critic_steps), 2 * b, d, hidden, 1, critic_trained);
  return mix.gflops();
}

void BM_CycleGanFold(benchmark::State& state, const char* method, const char* set) {
  const auto* data = emodb_features(set);
  if (!data) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  // 200 epochs, the yardstick, by default: pre-training, the auxiliary classifier
  // and warm-up make shorter runs poor predictors of the per-fold time.
  const int epochs = std::getenv("SERAUG_BENCH_GAN_EPOCHS") ? std::atoi(std::getenv("SERAUG_BENCH_GAN_EPOCHS")) : 200;
  const seraug::Fold fold = seraug::make_folds(*data, seraug::parse_protocol("loso"), 1).front();
  auto [train_x, test_x] = seraug::normalize_fold(data->features, data->speakers, fold.train, fold.test, seraug::NormKind::Global);
  const auto train_y = seraug::select(data->labels, fold.train);
  const auto speakers = seraug::select(data->speakers, fold.train);
  seraug::AugmentConfig config;
  config.gan.epochs = epochs;
  const auto& g = config.gan;
  const std::size_t classes = data->classes.size();

  double seconds = 0;
  for (auto _ : state) {
    auto gan = seraug::make_augmenter(method, config);
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(gan->generate(seraug::AugmentInput{train_x, train_y, speakers, classes}, std::vector<std::size_t>(classes, 100), 1));
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::vector<long> per_class(classes, 0);
  for (int y : train_y) ++per_class[static_cast<std::size_t>(y)];
  const long largest = *std::max_element(per_class.begin(), per_class.end());
  const long steps_per_epoch = (largest + g.batch_size - 1) / g.batch_size;
  const long gen_steps = steps_per_epoch * epochs, critic_steps = (gen_steps + g.generator_steps_per_critic - 1) / g.generator_steps_per_critic;
  const long pretrain_steps = steps_per_epoch * g.pretrain_epochs;
  const long d = static_cast<long>(train_x.cols), groups = static_cast<long>(classes), b = g.batch_size;
  const double fg = mlp_flops(b, d, g.hidden, d) * static_cast<double>(groups), fd = mlp_flops(b, d, g.hidden, 1) * static_cast<double>(groups);
  const bool wdiv = std::string(method) == "cyclegan-wdiv";
  const double critic_passes = wdiv ? 5 : 3;  // no double backward for cross-entropy
  const double flops = static_cast<double>(gen_steps) * (4 * 3 * fg + 2 * 2 * fd) + static_cast<double>(critic_steps) * (2 * fg + 4 * critic_passes * fd) +
                       static_cast<double>(pretrain_steps) * 4 * 3 * fg;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  state.counters["epochs"] = epochs;
  state.counters["dims"] = static_cast<double>(d);
  state.counters["fold_s"] = seconds;
  state.counters["steps_per_s"] = static_cast<double>(gen_steps + critic_steps + pretrain_steps) / seconds;
  state.counters["GFLOPs"] = flops / seconds / 1e9;
  state.counters["peak_rss_MB"] = static_cast<double>(u.ru_maxrss) / 1024.0;
  // The two yardsticks in alternating rounds, the best of each kept: a shared machine's
  // speed drifts within seconds, and a ratio of figures taken apart drifts with it.
  double sgemm = 0, mix = 0;
  for (int round = 0; round < 3; ++round) {
    sgemm = std::max(sgemm, sgemm_gflops_one_thread(1024));
    mix = std::max(mix, product_mix_gflops(d, b, g.hidden, gen_steps, critic_steps, pretrain_steps, wdiv));
  }
  state.counters["sgemm_1thread_GFLOPs"] = sgemm;
  state.counters["products_only_GFLOPs"] = mix;
  // The share of the fold's time its products alone would take (both threads multiplying).
  if (mix > 0) state.counters["products_share_of_fold"] = flops / seconds / 1e9 / (mix * seraug::usable_cpus());
  if (sgemm > 0) {
    state.counters["share_of_sgemm"] = flops / seconds / 1e9 / (sgemm * seraug::usable_cpus());
    state.counters["products_only_share"] = mix / sgemm;
  }
}

// The GAN study's variants (studies/gan_study/gan_screen.toml) on the first LOSO fold of IS09 as
// the study runs them: speaker norm, 200 rows per class, [gan] defaults (100 epochs
// unless $SERAUG_BENCH_GAN_EPOCHS) plus the variant's settings. fold_s: training and
// generation; epochs_run: epochs trained (fewer when early stopping ends training).
void BM_CycleGanVariantFold(benchmark::State& state, const char* overrides) {
  const auto* data = emodb_features("is09");
  if (!data) {
    state.SkipWithError("EMO-DB not found (set SERAUG_EMODB)");
    return;
  }
  const int epochs = std::getenv("SERAUG_BENCH_GAN_EPOCHS") ? std::atoi(std::getenv("SERAUG_BENCH_GAN_EPOCHS")) : 100;
  const seraug::Fold fold = seraug::make_folds(*data, seraug::parse_protocol("loso"), 1).front();
  auto [train_x, test_x] = seraug::normalize_fold(data->features, data->speakers, fold.train, fold.test, seraug::NormKind::Speaker);
  const auto train_y = seraug::select(data->labels, fold.train);
  const auto speakers = seraug::select(data->speakers, fold.train);
  seraug::AugmentConfig config;
  config.gan.epochs = epochs;
  config.gan = seraug::apply_gan_overrides(config.gan, overrides, overrides);
  std::vector<std::size_t> kept;
  const seraug::Matrix unselected = seraug::normalize_like_training(data->unselected.features, data->unselected.speakers, data->features,
                                                                    data->speakers, fold.train, seraug::NormKind::Speaker, kept);
  const auto unselected_speakers = seraug::select(data->unselected.speakers, kept);
  seraug::AugmentInput input{train_x, train_y, speakers, data->classes.size()};
  input.neutral_class = data->class_index("neutral");
  if (config.gan.source == "unused") {
    input.external_source = &unselected;
    input.source_speakers = &unselected_speakers;
  }
  const std::filesystem::path saved = std::filesystem::temp_directory_path() / ("seraug_bench_gan_" + std::to_string(::getpid()));
  config.save_to = saved.string();  // generators.json records the epochs trained
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(seraug::make_augmenter("cyclegan-wdiv", config)->generate(input, std::vector<std::size_t>(data->classes.size(), 200), 1));
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::ifstream meta(saved / "generators.json");
  std::string text((std::istreambuf_iterator<char>(meta)), std::istreambuf_iterator<char>());
  const auto at = text.find("\"epochs_run\": ");
  state.counters["epochs_run"] = at == std::string::npos ? 0 : std::atof(text.c_str() + at + 14);
  state.counters["fold_s"] = seconds;
  std::filesystem::remove_all(saved);
}

BENCHMARK_CAPTURE(BM_CycleGanVariantFold, paper, "")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, source_neutral, "source=neutral")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, source_unused, "source=unused")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, mapping_speaker, "mapping=speaker")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, filter_knn, "filter=knn,filter_keep=0.5")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, filter_critic, "filter=critic,filter_keep=0.5")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, filter_classifier, "filter=classifier,filter_keep=0.5")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, fd_stopping, "fd_every=5,fd_patience=3")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanVariantFold, pca64, "pca=64")->Unit(benchmark::kSecond)->Iterations(1);

BENCHMARK_CAPTURE(BM_CycleGanFold, wdiv, "cyclegan-wdiv", "is09")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanFold, ce, "cyclegan-ce", "is09")->Unit(benchmark::kSecond)->Iterations(1);
// The large sets: the generators' first and last layers grow with the dimension.
BENCHMARK_CAPTURE(BM_CycleGanFold, wdiv_is10, "cyclegan-wdiv", "is10")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_CycleGanFold, wdiv_compare, "cyclegan-wdiv", "compare")->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
