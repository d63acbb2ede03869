#include "seraug/eval/gan_domains.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "seraug/augment/gan_fingerprint.hpp"
#include "seraug/stats/hash.hpp"

#include "seraug/common/error.hpp"
#include "seraug/stats/selection.hpp"

namespace seraug {
namespace {

// --gan-source rows normalised as the fold's training rows were.
Matrix normalize_file_source(const Matrix& source, const Dataset& data, const Fold& fold, NormKind norm) {
  Matrix x = source;
  if (norm == NormKind::Global) ZScore::fit(data.features, fold.train).apply(x);
  if (norm == NormKind::Speaker) {
    std::vector<std::size_t> all(x.rows);
    std::iota(all.begin(), all.end(), 0);
    ZScore::fit(x, all).apply(x);  // an unlabelled corpus of unknown speakers: as one speaker
  }
  return x;
}

// The training speakers' rows of the unselected classes, normalised as the training rows
// (speaker norm: each speaker's statistics from its labelled training rows).
FoldGanDomains unselected_source(const Dataset& data, const Fold& fold, NormKind norm) {
  std::vector<std::size_t> kept;
  FoldGanDomains d;
  d.external = true;
  d.source = normalize_like_training(data.unselected.features, data.unselected.speakers, data.features, data.speakers, fold.train, norm, kept);
  if (kept.empty()) throw Error("gan.source = \"unused\": the training speakers have no rows outside the selected classes");
  d.source_speakers = select(data.unselected.speakers, kept);
  return d;
}

}  // namespace

FoldGanDomains fold_gan_domains(const Dataset& data, const EvalOptions& o, const Fold& fold, const Matrix& train_x,
                                const std::vector<std::string>& train_speakers, std::size_t copy_rows,
                                const std::vector<std::size_t>& columns) {
  const std::string& source = o.augment_config.gan.source;
  FoldGanDomains d;
  d.target_rows = train_x.rows;
  if (o.gan_source) {
    d.external = true;
    d.source = keep_columns(normalize_file_source(*o.gan_source, data, fold, o.norm), columns);
    d.source_speakers.assign(d.source.rows, "");
  } else if (source == "unused") {
    d = unselected_source(data, fold, o.norm);
    d.source = keep_columns(std::move(d.source), columns);
    d.target_rows = train_x.rows;
  } else if (source == "copies") {
    if (copy_rows == 0) throw Error("gan.source = \"copies\" needs perturbed copies (a method such as speed+cyclegan-wdiv[source=copies])");
    d.external = true;
    d.target_rows = train_x.rows - copy_rows;
    std::vector<std::size_t> rows(copy_rows);
    std::iota(rows.begin(), rows.end(), d.target_rows);
    d.source = select_rows(train_x, rows);
    d.source_speakers = select(train_speakers, rows);
  }
  return d;
}

// The cache folder of one fold's GANs, named by everything that decides them.
std::string fold_gan_cache_folder(const EvalOptions& o, const Dataset& data, const Fold& fold, std::uint64_t seed,
                             const std::vector<std::size_t>& columns) {
  GanTrainingInputs in;
  in.method = o.augment;
  in.seed = seed;
  in.normalisation = norm_name(o.norm);
  // GANs trained on selected columns model another space (absent = all columns, as
  // before selection existed, so older caches stay valid).
  if (!columns.empty()) {
    in.normalisation += " columns";
    for (auto c : columns) in.normalisation += " " + std::to_string(c);
  }
  if (o.copies) {  // GANs trained with perturbed copies among their rows
    std::string chains;
    for (const auto& c : std::set<std::string>(o.copies->chain.begin(), o.copies->chain.end())) chains += c + ";";
    in.normalisation += " copies " + hex64(fnv1a(chains));
  }
  in.gan = o.augment_config.gan;
  in.classifier = o.augment_config.classifier;
  for (auto r : fold.train) in.training_rows.push_back(data.names[r]);
  in.external_source = o.gan_source.get();
  return o.gan_cache + "/" + o.augment + "-" + gan_fingerprint(in);
}

Matrix keep_columns(Matrix x, const std::vector<std::size_t>& columns) { return columns.empty() ? x : select_columns(x, columns); }

}  // namespace seraug
