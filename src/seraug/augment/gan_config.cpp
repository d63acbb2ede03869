#include "seraug/augment/gan_config.hpp"

#include <cctype>
#include <cmath>
#include <toml++/toml.h>

#include "seraug/common/error.hpp"

namespace seraug {

const std::vector<Field<GanConfig>>& gan_fields() {
  using G = GanConfig;
  constexpr int kMax = kMaxSettingCount;
  static const std::vector<Field<GanConfig>> fields = with_defaults<GanConfig>({
      {integer_list_parameter("hidden", "", 1, 65536, "units per hidden layer of the generators and critics"), &G::hidden},
      {number_parameter("leaky_slope", "", 0, 1, "negative slope of the leaky ReLUs", false, true), &G::leaky_slope},
      {integer_parameter("epochs", "", 1, kMax, "training epochs (an epoch = one pass over the largest target class)"), &G::epochs},
      {integer_parameter("batch_size", "", 1, kMax, "mini-batch size"), &G::batch_size},
      {integer_parameter("pretrain_epochs", "", 0, kMax, "epochs of cycle-reconstruction-only pretraining of the generators"),
       &G::pretrain_epochs},
      {number_parameter("learning_rate", "", 0, 1, "Adam's learning rate", true, true), &G::learning_rate},
      {number_parameter("beta1", "", 0, 1, "Adam's beta1", false, true), &G::beta1},
      {number_parameter("beta2", "", 0, 1, "Adam's beta2", false, true), &G::beta2},
      {integer_parameter("halve_lr_every", "", 1, kMax, "epochs between halvings of the learning rate"), &G::halve_lr_every},
      {integer_parameter("generator_steps_per_critic", "", 1, 1000, "generator updates per critic update"),
       &G::generator_steps_per_critic},
      {number_parameter("lambda_cycle", "", 0, 1e6, "weight of the cycle-consistency loss"), &G::lambda_cycle},
      {number_parameter("lambda_class", "", 0, 1e6, "weight of the auxiliary classifier's loss"), &G::lambda_class},
      {number_parameter("wdiv_k", "", 0, 1e6, "Wasserstein-divergence penalty: k", true), &G::wdiv_k},
      {number_parameter("wdiv_p", "", 1, 1e6, "Wasserstein-divergence penalty: p", true), &G::wdiv_p},
      {number_parameter("real_label", "", 0, 1, "cyclegan-ce: one-sided label smoothing of real rows", true), &G::real_label},
      {number_parameter("input_noise", "", 0, 1e6, "std of noise added to source rows at generation"), &G::input_noise},
      {choice_parameter("source", "", {"others", "all", "neutral", "unused", "copies"},
                        "source domain of each emotion's GAN (docs/augmentation.md); a feature file of unlabelled rows is "
                        "given with --gan-source FILE"),
       &G::source},
      {choice_parameter("mapping", "", {"class", "speaker"},
                        "class: G_c maps any source row to class c; speaker: also onto a target training speaker"),
       &G::mapping},
      {choice_parameter("filter", "", {"none", "critic", "knn", "classifier"}, "realism filter of the synthetic rows"), &G::filter},
      {number_parameter("filter_keep", "", 0.01, 1, "share of the filter's candidates kept", true), &G::filter_keep},
      {number_parameter("synthetic_weight", "", 0, 1, "loss weight of a synthetic row in the dnn (real rows 1)", true),
       &G::synthetic_weight},
      {integer_parameter("fd_every", "", 0, kMax, "early stopping: epochs between Frechet-distance checks (0 = none)"), &G::fd_every},
      {integer_parameter("fd_patience", "", 1, kMax, "early stopping: checks without improvement before stopping"), &G::fd_patience},
      {integer_parameter("pca", "", 0, 65536, "train in an in-fold PCA space of this many whitened components (0 = feature space)"),
       &G::pca},
  });
  return fields;
}

AugmenterVariant split_augmenter_variant(const std::string& method) {
  const std::size_t open = method.find('[');
  if (open == std::string::npos) {
    if (method.find(']') != std::string::npos) throw Error("method '" + method + "' has ']' without '['");
    return {method, ""};
  }
  if (method.back() != ']' || method.find('[', open + 1) != std::string::npos || method.find(']') != method.size() - 1)
    throw Error("method '" + method + "': write one [key=value,...] list at its end, e.g. cyclegan-wdiv[source=neutral]");
  return {method.substr(0, open), method.substr(open + 1, method.size() - open - 2)};
}

namespace {

// "key=value" as a TOML line; a value TOML does not read (a bare word) becomes a string.
std::string toml_line(const std::string& pair, const std::string& method) {
  const std::size_t eq = pair.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
    throw Error("method '" + method + "': '" + pair + "' is not key=value");
  const std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
  for (char ch : key)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') throw Error("method '" + method + "': '" + key + "' is not a [gan] key");
  const std::string line = key + " = " + value + "\n";
  try {
    (void)toml::parse(line);
    return line;
  } catch (const toml::parse_error&) {
    for (char ch : value)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.')
        throw Error("method '" + method + "': the value of '" + key + "' is neither a TOML value nor a plain word");
    return key + " = \"" + value + "\"\n";
  }
}

}  // namespace

GanConfig apply_gan_overrides(GanConfig g, const std::string& overrides, const std::string& method) {
  if (overrides.empty()) return g;
  std::string text;
  std::size_t start = 0;
  while (start <= overrides.size()) {
    const std::size_t comma = std::min(overrides.find(',', start), overrides.size());
    text += toml_line(overrides.substr(start, comma - start), method);
    start = comma + 1;
  }
  // Each pair parses alone, but together they can still clash (a key given twice).
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw Error("method '" + method + "': " + std::string(e.description()));
  }
  read_fields(table, "gan", "method '" + method + "'", gan_fields(), g);
  try {
    g.validate();
  } catch (const Error& e) {
    throw Error("method '" + method + "': " + e.what());
  }
  return g;
}

void GanConfig::validate() const { validate_fields(gan_fields(), *this, "gan"); }

}  // namespace seraug
