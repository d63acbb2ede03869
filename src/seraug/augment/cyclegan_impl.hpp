// The per-emotion cycle-GANs' implementation, shared by the plug-in's two translation
// units: cyclegan.cpp (domains and training) and cyclegan_output.cpp (generation, the
// realism filter, saving and loading). Include only from code compiled against torch.
#pragma once

#include <torch/torch.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "seraug/augment/augmenter.hpp"
#include "seraug/augment/gan_networks.hpp"
#include "seraug/models/dnn_torch.hpp"

namespace seraug {

// Rows of several groups (one per class), concatenated, with random batches drawn per
// group. With speaker codes, each row carries its speaker's one-hot code after its
// features (width features + codes).
class GroupedRows {
 public:
  // `speaker_of` (empty = no codes): per row of x, its speaker's index, -1 = none.
  void add_group(const Matrix& x, const std::vector<std::size_t>& rows, const std::vector<int>& speaker_of = {});
  void finish(long codes);
  // [G, B, width] rows drawn uniformly with replacement within each group; `picked` gets
  // the input-row index of each drawn row.
  torch::Tensor sample(long batch, std::vector<std::size_t>* picked = nullptr) const;
  long largest() const;
  long groups() const { return static_cast<long>(counts_.size()); }
  // The rows of group g as a matrix (features only).
  Matrix group_rows(long g) const;

 private:
  const Matrix* source_ = nullptr;
  std::vector<std::size_t> rows_;
  std::vector<int> speakers_;  // per entry of rows_
  std::vector<long> offsets_, counts_;
  torch::Tensor data_, offsets_t_, counts_t_;
};

struct EpochLosses {
  torch::Tensor critic_t, critic_s, adversarial, cycle, classification;  // [G] each, summed over steps
  int critic_steps = 0, generator_steps = 0;
};

// The rows one training run learns from, after the early-stopping speaker is set aside.
struct GanDomains {
  GroupedRows targets, sources;
  std::vector<Matrix> held_out;  // per group: the held-out speaker's rows of its class (fd_every > 0)
  std::string held_out_speaker;
};

class CycleGan;

// Early stopping by Fréchet distance ([gan] fd_every): every `every` epochs the
// generators are judged on one fixed draw of sources (and target codes) against the
// held-out speaker's rows; the best check's generator weights are kept.
class EarlyStopping {
 public:
  EarlyStopping(CycleGan& gan, const GanDomains& d, int every, int patience, const std::vector<torch::Tensor>& weights);
  // After `epoch`: whether to stop; `best_epoch` follows the best check (every epoch
  // without early stopping).
  bool should_stop(int epoch, int& best_epoch);
  void restore_best();  // the best check's weights back into the generators

 private:
  CycleGan& gan_;
  const GanDomains& d_;
  int every_, patience_, checks_since_best_ = 0;
  double best_distance_ = std::numeric_limits<double>::infinity();
  std::vector<torch::Tensor> weights_, best_;
  torch::Tensor fixed_sources_, fixed_codes_;
};

class CycleGan final : public Augmenter {
  friend class EarlyStopping;

 public:
  CycleGan(bool wasserstein, AugmentConfig config);
  SyntheticRows generate(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) override;

 private:
  // cyclegan.cpp
  SyntheticRows generate_in_pca_space(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed);
  SyntheticRows generate_here(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed);
  std::vector<std::size_t> source_rows(const AugmentInput& in, int c, const std::string& excluded_speaker) const;
  GanDomains domains(const AugmentInput& in, std::uint64_t seed) const;
  void build(long dims);
  void train_classifier(const AugmentInput& in, const std::string& excluded_speaker, std::uint64_t seed);
  torch::Tensor critic_loss(GroupedMlp& critic, const torch::Tensor& real, const torch::Tensor& fake);
  torch::Tensor generator_adversarial(GroupedMlp& critic, const torch::Tensor& fake);
  torch::Tensor cycle_loss(const torch::Tensor& s, const torch::Tensor& t, torch::Tensor* fake_t = nullptr, torch::Tensor* fake_s = nullptr);
  void train(const GanDomains& d, std::uint64_t seed);
  void critic_step(FusedAdam& opt, double lr, const GanDomains& d, long batch, EpochLosses& sums);
  void generator_step_once(FusedAdam& opt, double lr, const GanDomains& d, long batch, const torch::Tensor& class_targets, EpochLosses& sums);

  // cyclegan_output.cpp
  void check_finite(const EpochLosses& sums, int epoch) const;
  void open_log(std::ofstream& log) const;
  void write_log(std::ofstream& log, const EpochLosses& sums, int epoch, std::uint64_t seed) const;
  double held_out_distance(const GanDomains& d, const torch::Tensor& fixed_sources, const torch::Tensor& fixed_codes);
  SyntheticRows sample(const std::vector<std::size_t>& counts, const GanDomains& d, const AugmentInput& in);
  // Realism scores of every group's generated rows ([G, B, d]; codes [G, B, S] or none):
  // per group, one score per row, higher = more real.
  std::vector<std::vector<double>> filter_scores(const torch::Tensor& generated, const torch::Tensor& codes, const GanDomains& d);
  void save(const std::string& folder) const;
  void load(const std::string& folder, std::size_t dims);

  // Rows with codes: their features, their codes, and features joined with codes.
  torch::Tensor features(const torch::Tensor& rows) const { return codes_ > 0 ? rows.narrow(-1, 0, rows.size(-1) - codes_) : rows; }
  torch::Tensor codes(const torch::Tensor& rows) const { return codes_ > 0 ? rows.narrow(-1, rows.size(-1) - codes_, codes_) : torch::Tensor(); }
  torch::Tensor with_codes(const torch::Tensor& f, const torch::Tensor& c) const { return codes_ > 0 ? torch::cat({f, c}, -1) : f; }

  bool wasserstein_;
  AugmentConfig config_;
  std::vector<int> classes_;
  std::vector<std::string> speakers_;  // speaker mapping: the coded speakers, in code order
  long codes_ = 0;                     // speakers_.size() with speaker mapping, else 0
  int epochs_run_ = 0, best_epoch_ = 0;
  GroupedMlp G_{nullptr}, F_{nullptr}, DT_{nullptr}, DS_{nullptr};
  std::unique_ptr<Dnn> classifier_;
};

}  // namespace seraug
