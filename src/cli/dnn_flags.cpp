#include "cli/commands.hpp"

namespace seraug::cli {

void DnnFlags::add_to(CLI::App* cmd) {
  cmd->add_option("--config", config_path, "TOML configuration (defaults: configs/default.toml)")->check(CLI::ExistingFile);
  cmd->add_option("--dnn-hidden", hidden, "DNN hidden layer sizes, e.g. 256,128");
  cmd->add_option("--dnn-dropout", dropout, "DNN dropout");
  cmd->add_option("--dnn-lr", learning_rate, "DNN Adam learning rate");
  cmd->add_option("--dnn-weight-decay", weight_decay, "DNN L2 weight decay");
  cmd->add_option("--dnn-batch", batch_size, "DNN mini-batch size");
  cmd->add_option("--dnn-epochs", max_epochs, "DNN maximum epochs");
  cmd->add_option("--dnn-patience", patience, "DNN early-stopping patience (epochs)");
  cmd->add_flag("--dnn-balanced-loss", balanced_loss, "DNN class-weighted cross-entropy");
}

DnnConfig DnnFlags::resolve() const {
  DnnConfig c = config_path.empty() ? DnnConfig{} : load_config(config_path).dnn;
  if (!hidden.empty()) c.hidden = parse_layer_list(hidden);
  if (dropout >= 0) c.dropout = dropout;
  if (learning_rate >= 0) c.learning_rate = learning_rate;
  if (weight_decay >= 0) c.weight_decay = weight_decay;
  if (batch_size > 0) c.batch_size = batch_size;
  if (max_epochs > 0) c.max_epochs = max_epochs;
  if (patience > 0) c.patience = patience;
  if (balanced_loss) c.balanced_loss = true;
  c.validate();
  return c;
}

}  // namespace seraug::cli

namespace seraug::cli {

void DnnFlags::add_gan_to(CLI::App* cmd) {
  cmd->add_option("--gan-epochs", gan_epochs, "cyclegan-*: training epochs")->check(CLI::PositiveNumber);
  cmd->add_option("--gan-source", gan_source, "cyclegan-*: source domain: others | all | a feature file of unlabelled rows");
  cmd->add_option("--gan-losses", gan_losses, "cyclegan-*: append per-epoch losses to this CSV");
}

GanConfig DnnFlags::resolve_gan() const {
  GanConfig g = config_path.empty() ? GanConfig{} : load_config(config_path).gan;
  if (gan_epochs > 0) g.epochs = gan_epochs;
  if (gan_source == "others" || gan_source == "all") g.source = gan_source;
  g.validate();
  return g;
}

}  // namespace seraug::cli
