#include "seraug/eval/sweep_checks.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "seraug/augment/augmenter.hpp"
#include "seraug/common/error.hpp"
#include "seraug/models/classifier.hpp"

namespace seraug {

// Everything wrong with the options is found before any fold is trained.
void check_sweep_options(const Dataset& data, const EvalOptions& options) {
  if (options.repeats < 1) throw Error("`repeats` must be at least 1");
  if (options.enroll_clips == 1) throw Error("`enroll_clips` needs at least 2 clips (a standard deviation)");
  if (options.enroll_clips > 0 && options.norm != NormKind::Speaker) throw Error("`enroll_clips` applies to `norm` speaker only");
  if (!(options.enroll_prior >= 0) || !std::isfinite(options.enroll_prior)) throw Error("`enroll_prior` must be a finite number >= 0");
  if (options.enroll_prior > 0 && options.enroll_clips == 0) throw Error("`enroll_prior` applies with `enroll_clips` only");
  if (options.fixed && options.select_keep.size() > 1)
    throw Error("choosing among several `select_keep` values needs the inner search; fix one value or drop the fixed hyperparameters");
  if (!options.balance && options.amounts.empty()) throw Error("no augmentation amount given");
  if (options.copies && options.late_fusion) throw Error("perturbed copies (audio augmentation) cannot be combined with late fusion");
  if (options.copies && options.copies->x.cols != data.dims())
    throw Error("perturbed copies have " + std::to_string(options.copies->x.cols) + " columns, the data " + std::to_string(data.dims()));
  make_classifier(options.classifier, options.fixed.value_or(default_grid(options.classifier).front()), options.dnn);
  if (options.augment_config.gan.synthetic_weight != 1.0 && options.classifier != "dnn")
    throw Error("`gan.synthetic_weight` needs `classifier` dnn (LIBLINEAR and LIBSVM take no per-row weights)");
  if (options.augment == "none" && (options.balance || *std::max_element(options.amounts.begin(), options.amounts.end()) > 0))
    throw Error("synthetic amounts need an augmentation method (`augment`)");
  if (!options.balance)
    require_synthetic_rows_fit(*std::max_element(options.amounts.begin(), options.amounts.end()), data.classes.size(), data.dims(), "`per_class`");
}

}  // namespace seraug
