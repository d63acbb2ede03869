// The classical baselines: replication, Gaussian noise, SMOTE.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "seraug/augment/augmenter.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/memory.hpp"
#include "seraug/common/plugin.hpp"

namespace seraug {
namespace {

std::vector<std::size_t> rows_of_class(const std::vector<int>& y, int c) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < y.size(); ++r)
    if (y[r] == c) rows.push_back(r);
  return rows;
}

// Walks the class rows in shuffled order, reshuffling after each pass, so every real row
// is used about equally often.
class RowCycle {
 public:
  RowCycle(std::vector<std::size_t> rows, std::mt19937_64& rng) : rows_(std::move(rows)), rng_(rng) {}
  std::size_t next() {
    if (at_ == 0) std::shuffle(rows_.begin(), rows_.end(), rng_);
    const std::size_t r = rows_[at_];
    at_ = (at_ + 1) % rows_.size();
    return r;
  }

 private:
  std::vector<std::size_t> rows_;
  std::mt19937_64& rng_;
  std::size_t at_ = 0;
};

// Shared loop: for each class with a positive count, make that many rows with `make`.
template <typename MakeRow>
SyntheticRows generate_by_class(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed, MakeRow make) {
  SyntheticRows out;
  out.x = Matrix(0, in.x.cols);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] == 0) continue;
    const auto rows = rows_of_class(in.y, static_cast<int>(c));
    if (rows.empty()) throw Error("augmentation: class " + std::to_string(c) + " has no training rows to derive from");
    std::mt19937_64 rng(seed * 1000003u + c);  // per class, so classes do not shift each other
    RowCycle cycle(rows, rng);
    for (std::size_t i = 0; i < counts[c]; ++i) {
      std::vector<double> row(in.x.cols);
      std::vector<std::size_t> sources;
      make(rows, cycle, rng, row, sources);
      out.x.data.insert(out.x.data.end(), row.begin(), row.end());
      ++out.x.rows;
      out.y.push_back(static_cast<int>(c));
      out.sources.push_back(std::move(sources));
    }
  }
  return out;
}

class Replicate final : public Augmenter {
 public:
  SyntheticRows generate(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) override {
    return generate_by_class(in, counts, seed, [&](const auto&, RowCycle& cycle, std::mt19937_64&, std::vector<double>& row, auto& sources) {
      const std::size_t r = cycle.next();
      std::copy(in.x.row(r), in.x.row(r) + in.x.cols, row.begin());
      sources = {r};
    });
  }
};

class GaussianNoise final : public Augmenter {
 public:
  explicit GaussianNoise(double sigma) : sigma_(sigma) {}
  SyntheticRows generate(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) override {
    const std::vector<double> scale = feature_std(in.x);
    return generate_by_class(in, counts, seed, [&](const auto&, RowCycle& cycle, std::mt19937_64& rng, std::vector<double>& row, auto& sources) {
      std::normal_distribution<double> noise(0.0, 1.0);
      const std::size_t r = cycle.next();
      for (std::size_t f = 0; f < in.x.cols; ++f) row[f] = in.x.at(r, f) + sigma_ * scale[f] * noise(rng);
      sources = {r};
    });
  }

 private:
  static std::vector<double> feature_std(const Matrix& x) {
    std::vector<double> mean(x.cols, 0.0), sd(x.cols, 0.0);
    for (std::size_t r = 0; r < x.rows; ++r)
      for (std::size_t f = 0; f < x.cols; ++f) mean[f] += x.at(r, f) / static_cast<double>(x.rows);
    for (std::size_t r = 0; r < x.rows; ++r)
      for (std::size_t f = 0; f < x.cols; ++f) sd[f] += (x.at(r, f) - mean[f]) * (x.at(r, f) - mean[f]) / static_cast<double>(x.rows);
    for (auto& s : sd) s = std::sqrt(s);
    return sd;
  }
  double sigma_;
};

class Smote final : public Augmenter {
 public:
  explicit Smote(int k) : k_(k) {}
  SyntheticRows generate(const AugmentInput& in, const std::vector<std::size_t>& counts, std::uint64_t seed) override {
    cache_.clear();  // neighbour lists belong to one input
    return generate_by_class(in, counts, seed, [&](const std::vector<std::size_t>& rows, RowCycle& cycle, std::mt19937_64& rng,
                                                   std::vector<double>& row, auto& sources) {
      const std::size_t base = cycle.next();
      const auto& near = nearest(in.x, rows, base);
      if (near.empty()) {  // a class of one row can only be copied
        std::copy(in.x.row(base), in.x.row(base) + in.x.cols, row.begin());
        sources = {base};
        return;
      }
      const std::size_t other = near[std::uniform_int_distribution<std::size_t>(0, near.size() - 1)(rng)];
      const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      for (std::size_t f = 0; f < in.x.cols; ++f) row[f] = in.x.at(base, f) + u * (in.x.at(other, f) - in.x.at(base, f));
      sources = {base, other};
    });
  }

 private:
  // The k nearest rows (Euclidean) to `row` among `rows` of its class, itself excluded;
  // cached per row.
  const std::vector<std::size_t>& nearest(const Matrix& x, const std::vector<std::size_t>& rows, std::size_t row) {
    if (auto it = cache_.find(row); it != cache_.end()) return it->second;
    std::vector<std::pair<double, std::size_t>> d;
    for (std::size_t other : rows) {
      if (other == row) continue;
      double s = 0;
      for (std::size_t f = 0; f < x.cols; ++f) s += (x.at(row, f) - x.at(other, f)) * (x.at(row, f) - x.at(other, f));
      d.emplace_back(s, other);
    }
    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(k_), d.size());
    std::partial_sort(d.begin(), d.begin() + static_cast<long>(k), d.end());
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < k; ++i) out.push_back(d[i].second);
    return cache_[row] = out;
  }

  int k_;
  std::map<std::size_t, std::vector<std::size_t>> cache_;
};

class Nothing final : public Augmenter {
 public:
  SyntheticRows generate(const AugmentInput& in, const std::vector<std::size_t>&, std::uint64_t) override {
    SyntheticRows out;
    out.x = Matrix(0, in.x.cols);
    return out;
  }
};

}  // namespace

void require_synthetic_rows_fit(std::size_t per_class, std::size_t classes, std::size_t dims, const std::string& option) {
  // Each row is held as doubles, normalised and in the classifier's copy: three copies.
  require_fits_in_memory(static_cast<double>(per_class) * static_cast<double>(classes) * static_cast<double>(dims), 3.0 * sizeof(double),
                         option + " " + std::to_string(per_class) + " (synthetic rows per class, " + std::to_string(classes) + " classes x " +
                             std::to_string(dims) + " features)");
}

void AugmentConfig::validate() const {
  if (!(noise_sigma > 0) || !std::isfinite(noise_sigma)) throw Error("augment: noise sigma must be a positive number");
  if (smote_k < 1) throw Error("augment: smote k must be at least 1");
  gan.validate();
  classifier.validate();
}

void SyntheticRows::append(const SyntheticRows& other) {
  if (x.cols == 0 && x.rows == 0) x.cols = other.x.cols;
  if (other.x.cols != x.cols) throw Error("augmentation: appending rows of another dimension");
  if (x.rows > 0 && other.x.rows > 0 && speakers.empty() != other.speakers.empty())
    throw Error("augmentation: appending rows with speakers to rows without");
  x.data.insert(x.data.end(), other.x.data.begin(), other.x.data.end());
  x.rows += other.x.rows;
  y.insert(y.end(), other.y.begin(), other.y.end());
  sources.insert(sources.end(), other.sources.begin(), other.sources.end());
  speakers.insert(speakers.end(), other.speakers.begin(), other.speakers.end());
}

std::vector<std::string> augmenter_names() { return {"none", "replicate", "noise", "smote", "cyclegan-wdiv", "cyclegan-ce"}; }

std::vector<std::string> synthesising_augmenter_names() {
  std::vector<std::string> names = augmenter_names();
  names.erase(names.begin());
  return names;
}

namespace {
PluginFactorySlot<CycleGanFactory> cyclegan_factory;
}  // namespace

void register_cyclegan_factory(CycleGanFactory factory) { cyclegan_factory.set(factory); }

std::unique_ptr<Augmenter> make_augmenter(const std::string& name, const AugmentConfig& config) {
  config.validate();
  if (name == "none") return std::make_unique<Nothing>();
  if (name == "replicate") return std::make_unique<Replicate>();
  if (name == "noise") return std::make_unique<GaussianNoise>(config.noise_sigma);
  if (name == "smote") return std::make_unique<Smote>(config.smote_k);
  if (name == "cyclegan-wdiv" || name == "cyclegan-ce") return cyclegan_factory.get("the cycle-GANs")(name, config);
  throw Error("unknown augmentation method '" + name + "' (none, replicate, noise, smote, cyclegan-wdiv, cyclegan-ce)");
}

std::vector<std::size_t> synthetic_counts(const std::vector<int>& y, std::size_t classes, std::size_t per_class, bool balance) {
  std::vector<std::size_t> have(classes, 0), counts(classes, 0);
  for (int label : y) ++have[static_cast<std::size_t>(label)];
  const std::size_t largest = *std::max_element(have.begin(), have.end());
  for (std::size_t c = 0; c < classes; ++c) counts[c] = balance ? largest - have[c] : (have[c] > 0 ? per_class : 0);
  return counts;
}

SyntheticRows take_per_class(const SyntheticRows& all, const std::vector<std::size_t>& counts) {
  SyntheticRows out;
  out.x = Matrix(0, all.x.cols);
  std::vector<std::size_t> taken(counts.size(), 0);
  for (std::size_t r = 0; r < all.x.rows; ++r) {
    const auto c = static_cast<std::size_t>(all.y[r]);
    if (taken[c] >= counts[c]) continue;
    ++taken[c];
    out.x.data.insert(out.x.data.end(), all.x.row(r), all.x.row(r) + all.x.cols);
    ++out.x.rows;
    out.y.push_back(all.y[r]);
    out.sources.push_back(all.sources[r]);
    if (!all.speakers.empty()) out.speakers.push_back(all.speakers[r]);
  }
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (taken[c] < counts[c]) throw Error("augmentation: asked for more synthetic rows than were generated");
  return out;
}

}  // namespace seraug
