#include "seraug/augment/gan_config.hpp"

#include <cmath>

#include "seraug/common/error.hpp"
#include "seraug/common/toml_reader.hpp"

namespace seraug {

void read_config_section(TableReader& r, GanConfig& g) {
  r.read("hidden", g.hidden);
  r.read("leaky_slope", g.leaky_slope);
  r.read("epochs", g.epochs);
  r.read("batch_size", g.batch_size);
  r.read("pretrain_epochs", g.pretrain_epochs);
  r.read("learning_rate", g.learning_rate);
  r.read("beta1", g.beta1);
  r.read("beta2", g.beta2);
  r.read("halve_lr_every", g.halve_lr_every);
  r.read("generator_steps_per_critic", g.generator_steps_per_critic);
  r.read("lambda_cycle", g.lambda_cycle);
  r.read("lambda_class", g.lambda_class);
  r.read("wdiv_k", g.wdiv_k);
  r.read("wdiv_p", g.wdiv_p);
  r.read("real_label", g.real_label);
  r.read("input_noise", g.input_noise);
  r.read("source", g.source);
}

void GanConfig::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw Error("gan." + what);
  };
  require(!hidden.empty(), "hidden must list at least one layer");
  for (int h : hidden) require(h >= 1 && h <= 65536, "hidden sizes must be 1..65536");
  require(leaky_slope >= 0 && leaky_slope < 1, "leaky_slope must be in [0, 1)");
  require(epochs >= 1 && epochs <= kMaxSettingCount, "epochs must be in 1..1000000");
  require(batch_size >= 1 && batch_size <= kMaxSettingCount, "batch_size must be in 1..1000000");
  require(pretrain_epochs >= 0 && pretrain_epochs <= kMaxSettingCount, "pretrain_epochs must be in 0..1000000");
  require(learning_rate > 0 && learning_rate < 1, "learning_rate must be in (0, 1)");
  require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "beta1 and beta2 must be in [0, 1)");
  require(halve_lr_every >= 1, "halve_lr_every must be >= 1");
  require(generator_steps_per_critic >= 1 && generator_steps_per_critic <= 1000, "generator_steps_per_critic must be in 1..1000");
  require(lambda_cycle >= 0 && lambda_class >= 0 && std::isfinite(lambda_cycle) && std::isfinite(lambda_class),
          "lambda_cycle and lambda_class must be finite numbers >= 0");
  require(wdiv_k > 0 && wdiv_p > 1 && std::isfinite(wdiv_k) && std::isfinite(wdiv_p), "wdiv_k must be > 0 and wdiv_p > 1 (finite)");
  require(real_label > 0 && real_label <= 1, "real_label must be in (0, 1]");
  require(input_noise >= 0 && std::isfinite(input_noise), "input_noise must be a finite number >= 0");
  require(source == "others" || source == "all", "source must be \"others\" or \"all\" (a file is given with --gan-source)");
}

}  // namespace seraug
