#include "seraug/models/dnn_config.hpp"

namespace seraug {

const std::vector<Field<DnnConfig>>& dnn_fields() {
  using D = DnnConfig;
  static const std::vector<Field<DnnConfig>> fields = with_defaults<DnnConfig>({
      {integer_list_parameter("hidden", "", 1, 65536, "units per hidden layer, e.g. [256, 128]"), &D::hidden},
      {number_parameter("dropout", "", 0, 1, "dropout after each hidden layer", false, true), &D::dropout},
      {number_parameter("leaky_slope", "", 0, 1, "negative slope of the leaky ReLUs", false, true), &D::leaky_slope},
      {number_parameter("learning_rate", "", 0, 10, "Adam's learning rate", true, true), &D::learning_rate},
      {number_parameter("weight_decay", "", 0, 1e6, "L2 penalty (Adam's weight_decay)"), &D::weight_decay},
      {integer_parameter("batch_size", "", 1, kMaxSettingCount, "mini-batch size"), &D::batch_size},
      {integer_parameter("max_epochs", "", 1, kMaxSettingCount, "most epochs"), &D::max_epochs},
      {integer_parameter("patience", "", 1, kMaxSettingCount, "epochs without validation improvement before stopping"), &D::patience},
      {number_parameter("validation_fraction", "", 0, 1, "share of the training speakers held out for early stopping", true, true),
       &D::validation_fraction},
      {boolean_parameter("balanced_loss", "", "class-weighted cross-entropy (n / (k n_c))"), &D::balanced_loss},
  });
  return fields;
}

void DnnConfig::validate() const { validate_fields(dnn_fields(), *this, "dnn"); }

}  // namespace seraug
