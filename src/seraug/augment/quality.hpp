// How good are synthetic rows? Measured on a speaker-independent split: the augmenter
// is fitted on the training speakers' (normalised) rows; per class, its synthetic rows
// are compared with the real training rows of that class, and a classifier trained on
// synthetic rows only is tested on the held-out speakers' real rows.
//
//   frechet    Fréchet distance between Gaussians fitted to real and synthetic rows
//              |mu_r - mu_s|^2 + tr(C_r + C_s - 2 (C_r^1/2 C_s C_r^1/2)^1/2)
//   precision  share of synthetic rows inside the real manifold, recall: share of real
//              rows inside the synthetic manifold; a manifold is the union of balls
//              around its rows reaching each row's k-th nearest neighbour
//              (Kynkäänniemi et al. 2019, k = 3)
//   tstr       train on synthetic, test on real: WA and UAR on held-out speakers
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/augment/augmenter.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/stats/normalize.hpp"

namespace seraug {

struct ClassQuality {
  std::string label;
  std::size_t real_rows = 0, synthetic_rows = 0;
  double frechet = 0, precision = 0, recall = 0;
};

struct QualityReport {
  std::string method;
  std::uint64_t seed = 1;
  std::vector<std::string> held_out_speakers;
  std::vector<ClassQuality> classes;
  double tstr_wa = 0, tstr_uar = 0;
};

// Building blocks (rows x dims matrices).
double frechet_distance(const Matrix& a, const Matrix& b);
// precision = share of `candidate` rows within the k-NN balls of `reference` rows.
double manifold_coverage(const Matrix& reference, const Matrix& candidate, int k = 3);
// Per candidate row: -min_j |c - r_j| / radius_j over reference rows r_j (radius_j: r_j's
// distance to its k-th nearest reference row). A row inside the reference manifold
// scores >= -1; higher is nearer. Throws with fewer than two reference rows.
std::vector<double> manifold_scores(const Matrix& reference, const Matrix& candidate, int k = 3);
// The realism filter's choice: the indices of the `keep` highest scores, in index order
// (ties: the earlier index). Throws when keep exceeds the scores.
std::vector<std::size_t> best_scoring(const std::vector<double>& scores, std::size_t keep);

// held_out_fraction of the speakers (at least one) are held out for TSTR. `norm`: the
// space the augmenter works in (speaker: each speaker z-scored by its own rows, the
// held-out speakers included, as in a speaker-normalised evaluation).
QualityReport synthetic_quality(const Dataset& data, const std::string& method, const AugmentConfig& config, std::size_t per_class,
                                std::uint64_t seed, double held_out_fraction = 0.2, NormKind norm = NormKind::Global);

std::string format_quality(const std::vector<QualityReport>& reports);  // Markdown tables

}  // namespace seraug
