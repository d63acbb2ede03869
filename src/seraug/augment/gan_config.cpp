#include "seraug/augment/gan_config.hpp"

#include <cctype>
#include <cmath>
#include <toml++/toml.h>

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
  r.read("mapping", g.mapping);
  r.read("filter", g.filter);
  r.read("filter_keep", g.filter_keep);
  r.read("synthetic_weight", g.synthetic_weight);
  r.read("fd_every", g.fd_every);
  r.read("fd_patience", g.fd_patience);
  r.read("pca", g.pca);
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
  TableReader r(table, "gan", "method '" + method + "'");
  read_config_section(r, g);
  r.reject_unknown();
  try {
    g.validate();
  } catch (const Error& e) {
    throw Error("method '" + method + "': " + e.what());
  }
  return g;
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
  require(source == "others" || source == "all" || source == "neutral" || source == "unused" || source == "copies",
          "source must be \"others\", \"all\", \"neutral\", \"unused\" or \"copies\" (a file is given with --gan-source)");
  require(mapping == "class" || mapping == "speaker", "mapping must be \"class\" or \"speaker\"");
  require(filter == "none" || filter == "critic" || filter == "knn" || filter == "classifier",
          "filter must be \"none\", \"critic\", \"knn\" or \"classifier\"");
  require(filter_keep > 0.01 && filter_keep <= 1, "filter_keep must be in (0.01, 1]");
  require(synthetic_weight > 0 && synthetic_weight <= 1, "synthetic_weight must be in (0, 1]");
  require(fd_every >= 0 && fd_every <= kMaxSettingCount, "fd_every must be in 0..1000000 (0 = no early stopping)");
  require(fd_patience >= 1 && fd_patience <= kMaxSettingCount, "fd_patience must be in 1..1000000");
  require(pca >= 0 && pca <= 65536, "pca must be in 0..65536 (0 = no PCA)");
}

}  // namespace seraug
