#include "seraug/stats/normalize.hpp"

#include <cmath>
#include <map>

#include "seraug/common/error.hpp"

namespace seraug {

NormKind parse_norm(const std::string& text) {
  if (text == "global") return NormKind::Global;
  if (text == "speaker") return NormKind::Speaker;
  if (text == "none") return NormKind::None;
  throw Error("unknown normalisation '" + text + "' (global, speaker, none)");
}

std::string norm_name(NormKind kind) {
  switch (kind) {
    case NormKind::Global: return "global";
    case NormKind::Speaker: return "speaker";
    case NormKind::None: return "none";
  }
  return "?";
}

ZScore ZScore::fit(const Matrix& x, const std::vector<std::size_t>& rows) {
  if (rows.empty()) throw Error("cannot fit a normalisation on zero rows");
  ZScore z;
  z.mean.assign(x.cols, 0.0);
  z.scale.assign(x.cols, 0.0);
  for (auto r : rows)
    for (std::size_t c = 0; c < x.cols; ++c) z.mean[c] += x.at(r, c);
  for (auto& m : z.mean) m /= static_cast<double>(rows.size());
  for (auto r : rows)
    for (std::size_t c = 0; c < x.cols; ++c) {
      const double d = x.at(r, c) - z.mean[c];
      z.scale[c] += d * d;
    }
  for (auto& s : z.scale) {
    s = std::sqrt(s / static_cast<double>(rows.size()));
    if (!(s > 1e-12)) s = 1.0;  // constant column: centre only
  }
  return z;
}

void ZScore::apply_row(double* row) const {
  for (std::size_t c = 0; c < mean.size(); ++c) row[c] = (row[c] - mean[c]) / scale[c];
}

void ZScore::apply(Matrix& x) const {
  for (std::size_t r = 0; r < x.rows; ++r) apply_row(x.row(r));
}

void ZScore::invert(Matrix& x) const {
  for (std::size_t r = 0; r < x.rows; ++r)
    for (std::size_t c = 0; c < x.cols; ++c) x.at(r, c) = x.at(r, c) * scale[c] + mean[c];
}

namespace {

std::map<std::string, ZScore> speaker_statistics(const Matrix& x, const std::vector<std::string>& speakers,
                                                 const std::vector<std::size_t>& rows) {
  std::map<std::string, std::vector<std::size_t>> by_speaker;
  for (auto r : rows) by_speaker[speakers[r]].push_back(r);
  std::map<std::string, ZScore> stats;
  for (const auto& [s, rs] : by_speaker) stats.emplace(s, ZScore::fit(x, rs));
  return stats;
}

// The listed rows, each normalised with its speaker's statistics in `stats`.
Matrix apply_per_speaker(const Matrix& x, const std::vector<std::string>& speakers, const std::vector<std::size_t>& rows,
                         const std::map<std::string, ZScore>& stats) {
  Matrix out = select_rows(x, rows);
  for (std::size_t i = 0; i < rows.size(); ++i) stats.at(speakers[rows[i]]).apply_row(out.row(i));
  return out;
}

}  // namespace

std::pair<Matrix, Matrix> normalize_fold(const Matrix& x, const std::vector<std::string>& speakers,
                                         const std::vector<std::size_t>& train_rows,
                                         const std::vector<std::size_t>& test_rows, NormKind kind) {
  if (kind == NormKind::Speaker) {
    // A test speaker who also has training rows (speaker-dependent protocols) keeps the
    // statistics of those; only a speaker new to the fold is normalised by its own test
    // rows (the transductive case).
    std::map<std::string, ZScore> stats = speaker_statistics(x, speakers, train_rows);
    std::vector<std::size_t> unseen;
    for (auto r : test_rows)
      if (!stats.count(speakers[r])) unseen.push_back(r);
    stats.merge(speaker_statistics(x, speakers, unseen));
    return {apply_per_speaker(x, speakers, train_rows, stats), apply_per_speaker(x, speakers, test_rows, stats)};
  }
  Matrix train = select_rows(x, train_rows), test = select_rows(x, test_rows);
  if (kind == NormKind::Global) {
    const ZScore z = ZScore::fit(x, train_rows);
    z.apply(train);
    z.apply(test);
  }
  return {std::move(train), std::move(test)};
}

Matrix normalize_like_training(const Matrix& rows, const std::vector<std::string>& row_speakers, const Matrix& x,
                               const std::vector<std::string>& speakers, const std::vector<std::size_t>& train_rows, NormKind kind,
                               std::vector<std::size_t>& kept) {
  const std::map<std::string, ZScore> stats = speaker_statistics(x, speakers, train_rows);
  kept.clear();
  for (std::size_t i = 0; i < rows.rows; ++i)
    if (stats.count(row_speakers[i])) kept.push_back(i);
  Matrix out = select_rows(rows, kept);
  if (kind == NormKind::Global) ZScore::fit(x, train_rows).apply(out);
  if (kind == NormKind::Speaker)
    for (std::size_t i = 0; i < out.rows; ++i) stats.at(row_speakers[kept[i]]).apply_row(out.row(i));
  return out;
}

ZScore pooled_speaker_prior(const Matrix& x, const std::vector<std::string>& speakers, const std::vector<std::size_t>& rows) {
  const auto stats = speaker_statistics(x, speakers, rows);
  if (stats.empty()) throw Error("cannot fit a speaker prior on zero rows");
  ZScore prior;
  prior.mean.assign(x.cols, 0.0);
  prior.scale.assign(x.cols, 0.0);
  for (const auto& [speaker, z] : stats)
    for (std::size_t c = 0; c < x.cols; ++c) {
      prior.mean[c] += z.mean[c] / static_cast<double>(stats.size());
      prior.scale[c] += z.scale[c] * z.scale[c] / static_cast<double>(stats.size());
    }
  for (auto& s : prior.scale) s = std::sqrt(s);
  return prior;
}

ZScore shrink_towards(const ZScore& enrolment, std::size_t n, const ZScore& prior, double pseudo_rows) {
  const double w = static_cast<double>(n) / (static_cast<double>(n) + pseudo_rows);
  ZScore out = enrolment;
  for (std::size_t c = 0; c < out.mean.size(); ++c) {
    out.mean[c] = w * enrolment.mean[c] + (1 - w) * prior.mean[c];
    out.scale[c] = std::sqrt(w * enrolment.scale[c] * enrolment.scale[c] + (1 - w) * prior.scale[c] * prior.scale[c]);
  }
  return out;
}

}  // namespace seraug
