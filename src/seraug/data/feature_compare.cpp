#include "seraug/data/feature_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <unordered_map>

#include "seraug/common/error.hpp"

namespace seraug {
namespace {

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa <= 0 || sbb <= 0) return std::numeric_limits<double>::quiet_NaN();
  return sab / std::sqrt(saa * sbb);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

double or_zero(double r) { return std::isnan(r) ? 0.0 : r; }

}  // namespace

double AgreementReport::median_correlation() const {
  std::vector<double> r;
  for (const auto& f : features) r.push_back(or_zero(f.correlation));
  return median(r);
}

double AgreementReport::fraction_at_least(double threshold) const {
  if (features.empty()) return 0;
  const auto n = std::count_if(features.begin(), features.end(), [&](const FeatureAgreement& f) { return or_zero(f.correlation) >= threshold; });
  return static_cast<double>(n) / static_cast<double>(features.size());
}

AgreementReport compare_features(const FeatureTable& ours, const FeatureTable& reference) {
  std::unordered_map<std::string, std::size_t> our_rows, our_cols;
  for (std::size_t r = 0; r < ours.rows(); ++r) our_rows[ours.names[r]] = r;
  for (std::size_t c = 0; c < ours.dims(); ++c) our_cols[ours.feature_names[c]] = c;

  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (our row, reference row)
  for (std::size_t r = 0; r < reference.rows(); ++r)
    if (auto it = our_rows.find(reference.names[r]); it != our_rows.end()) pairs.emplace_back(it->second, r);
  if (pairs.empty()) throw Error("the two feature files share no row names");

  AgreementReport report;
  report.shared_rows = pairs.size();
  std::vector<double> a(pairs.size()), b(pairs.size());
  for (std::size_t c = 0; c < reference.dims(); ++c) {
    const auto it = our_cols.find(reference.feature_names[c]);
    if (it == our_cols.end()) { report.missing_features.push_back(reference.feature_names[c]); continue; }
    double abs_diff = 0, abs_ref = 0;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      a[i] = ours.row(pairs[i].first)[it->second];
      b[i] = reference.row(pairs[i].second)[c];
      abs_diff += std::fabs(a[i] - b[i]);
      abs_ref += std::fabs(b[i]);
    }
    double r = pearson(a, b);
    // A feature constant on both sides (e.g. the minimum of F0, 0 in every clip) has no
    // correlation; it agrees perfectly when the constants match.
    if (std::isnan(r) && abs_diff <= 1e-6 * (abs_ref + 1e-30) + 1e-12 * static_cast<double>(a.size())) r = 1.0;
    report.features.push_back({reference.feature_names[c], r, abs_diff / (abs_ref + 1e-30)});
  }
  return report;
}

std::pair<std::string, std::string> split_feature_name(const std::string& name) {
  const std::size_t cut = name.rfind('_');
  std::string contour = name.substr(0, cut == std::string::npos ? 0 : cut);
  const std::string functional = cut == std::string::npos ? name : name.substr(cut + 1);
  if (const std::size_t bracket = contour.find('['); bracket != std::string::npos)
    contour = contour.substr(0, bracket) + contour.substr(contour.find(']', bracket) + 1);
  return {contour, functional};
}

std::string agreement_table_markdown(const AgreementReport& report) {
  std::vector<std::string> contours, functionals;
  std::map<std::pair<std::string, std::string>, std::vector<double>> cells;
  for (const auto& f : report.features) {
    auto [contour, functional] = split_feature_name(f.feature);
    if (std::find(contours.begin(), contours.end(), contour) == contours.end()) contours.push_back(contour);
    if (std::find(functionals.begin(), functionals.end(), functional) == functionals.end()) functionals.push_back(functional);
    cells[{contour, functional}].push_back(or_zero(f.correlation));
  }
  std::string out = "| contour |";
  for (const auto& f : functionals) out += " " + f + " |";
  out += "\n|---|";
  for (std::size_t i = 0; i < functionals.size(); ++i) out += "---|";
  out += "\n";
  char buf[32];
  for (const auto& c : contours) {
    out += "| " + c + " |";
    for (const auto& f : functionals) {
      const auto it = cells.find({c, f});
      if (it == cells.end()) { out += " |"; continue; }
      std::snprintf(buf, sizeof buf, " %.2f |", median(it->second));
      out += buf;
    }
    out += "\n";
  }
  return out;
}

}  // namespace seraug
