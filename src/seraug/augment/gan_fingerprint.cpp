#include "seraug/augment/gan_fingerprint.hpp"

#include "seraug/stats/hash.hpp"

namespace seraug {
namespace {

// Bump when GAN training changes, so that generators trained by older code are not reused.
constexpr int kGanTrainingVersion = 5;

std::string layers(const std::vector<int>& sizes) {
  std::string s;
  for (int h : sizes) s += (s.empty() ? "" : ",") + std::to_string(h);
  return s;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> gan_training_fields(const GanTrainingInputs& in) {
  const GanConfig& g = in.gan;
  const DnnConfig& d = in.classifier;
  std::string rows;
  for (const auto& name : in.training_rows) rows += name + "\n";
  std::vector<std::pair<std::string, std::string>> fields = {
      {"version", std::to_string(kGanTrainingVersion)},
      {"method", in.method},
      {"seed", std::to_string(in.seed)},
      {"normalisation", in.normalisation},
      {"gan.hidden", layers(g.hidden)},
      {"gan.leaky_slope", exact_text(g.leaky_slope)},
      {"gan.epochs", std::to_string(g.epochs)},
      {"gan.batch_size", std::to_string(g.batch_size)},
      {"gan.pretrain_epochs", std::to_string(g.pretrain_epochs)},
      {"gan.learning_rate", exact_text(g.learning_rate)},
      {"gan.beta1", exact_text(g.beta1)},
      {"gan.beta2", exact_text(g.beta2)},
      {"gan.halve_lr_every", std::to_string(g.halve_lr_every)},
      {"gan.generator_steps_per_critic", std::to_string(g.generator_steps_per_critic)},
      {"gan.lambda_cycle", exact_text(g.lambda_cycle)},
      {"gan.lambda_class", exact_text(g.lambda_class)},
      {"gan.wdiv_k", exact_text(g.wdiv_k)},
      {"gan.wdiv_p", exact_text(g.wdiv_p)},
      {"gan.real_label", exact_text(g.real_label)},
      {"gan.input_noise", exact_text(g.input_noise)},
      {"gan.source", g.source},
      {"classifier.hidden", layers(d.hidden)},
      {"classifier.dropout", exact_text(d.dropout)},
      {"classifier.leaky_slope", exact_text(d.leaky_slope)},
      {"classifier.learning_rate", exact_text(d.learning_rate)},
      {"classifier.weight_decay", exact_text(d.weight_decay)},
      {"classifier.batch_size", std::to_string(d.batch_size)},
      {"classifier.max_epochs", std::to_string(d.max_epochs)},
      {"classifier.patience", std::to_string(d.patience)},
      {"classifier.validation_fraction", exact_text(d.validation_fraction)},
      {"classifier.balanced_loss", d.balanced_loss ? "1" : "0"},
      {"training_rows", hex64(fnv1a(rows))},
      {"external_source", in.external_source ? hex64(fnv1a(kFnv1aOffset, *in.external_source)) : "none"},
  };
  // The study's variants (gan_config.hpp), listed only when set, so that caches of the
  // paper's GAN trained before they existed stay valid. synthetic_weight is the
  // classifier's business: the same generators serve every weight.
  const GanConfig paper;
  auto variant = [&](const char* name, bool differs, const std::string& value) {
    if (differs) fields.emplace_back(name, value);
  };
  variant("gan.mapping", g.mapping != paper.mapping, g.mapping);
  variant("gan.filter", g.filter != paper.filter, g.filter);
  variant("gan.filter_keep", g.filter != paper.filter, exact_text(g.filter_keep));
  variant("gan.fd_every", g.fd_every != paper.fd_every, std::to_string(g.fd_every));
  variant("gan.fd_patience", g.fd_every != paper.fd_every, std::to_string(g.fd_patience));
  variant("gan.pca", g.pca != paper.pca, std::to_string(g.pca));
  return fields;
}

std::string gan_fingerprint(const GanTrainingInputs& in) {
  std::string key;
  for (const auto& [name, value] : gan_training_fields(in)) key += name + "=" + value + "\n";
  return hex64(fnv1a(key));
}

}  // namespace seraug
