// evaluate.hpp's select_model_cached: the inner search's choice kept in a folder, named by
// a hash of everything that decides it.
#include <fstream>
#include <limits>
#include <optional>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/cpus.hpp"
#include "seraug/common/parameter.hpp"
#include "seraug/common/tokens.hpp"
#include "seraug/eval/evaluate.hpp"
#include "seraug/stats/hash.hpp"

namespace seraug {
namespace {

// Bump when the search, the grids' meaning or a classifier's fit changes its choice, so
// that choices made by older code are searched again.
constexpr int kInnerSearchVersion = 1;

template <typename T>
std::uint64_t hash_values(std::uint64_t h, const std::vector<T>& v) {
  const std::size_t n = v.size();
  h = fnv1a(h, &n, sizeof n);
  return fnv1a(h, v.data(), n * sizeof(T));
}

std::string choice_key(const std::string& classifier, const Matrix& x, const std::vector<int>& y,
                       const std::vector<std::string>& speakers, std::size_t classes, int inner_folds, bool balanced,
                       std::uint64_t seed, const DnnConfig& dnn, const std::vector<std::size_t>& keep_grid,
                       const std::vector<char>& training_only) {
  std::string settings = "version=" + std::to_string(kInnerSearchVersion) + "\nclassifier=" + classifier + "\ngrid=";
  for (const Hyperparameters& point : default_grid(classifier)) {
    for (const auto& [name, value] : point) settings += name + ":" + exact_text(value) + ",";
    settings += ";";
  }
  settings += "\nkeep=";
  for (std::size_t k : keep_grid) settings += std::to_string(k) + ",";
  settings += "\nclasses=" + std::to_string(classes) + "\ninner_folds=" + std::to_string(inner_folds) +
              "\nbalanced=" + (balanced ? "1" : "0") + "\nseed=" + std::to_string(seed) + "\nblas_kernel=" + blas_kernel() +
              "\n" + fields_toml(dnn_fields(), dnn);
  std::uint64_t h = fnv1a(settings);
  h = fnv1a(h, x);
  h = hash_values(h, y);
  for (const std::string& s : speakers) h = fnv1a(h, s.c_str(), s.size() + 1);  // with the terminator: names stay apart
  h = hash_values(h, training_only);
  return hex64(h);
}

std::string choice_text(const ModelChoice& c) {
  std::string text = "# seraug inner search: one fold's choice (a cache; deleting it costs a search)\nkeep=" + std::to_string(c.keep) +
                     "\ninner_uar=" + exact_text(c.inner_uar) + "\n";
  for (const auto& [name, value] : c.hyperparameters) text += "hp." + name + "=" + exact_text(value) + "\n";
  return text;
}

// The choice a file holds; nothing when it is absent or not one choice_text wrote.
std::optional<ModelChoice> read_choice(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  ModelChoice c;
  bool keep = false, uar = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) return std::nullopt;
    const std::string name = line.substr(0, eq), value = line.substr(eq + 1);
    if (name == "keep") {
      const auto k = parse_unsigned_token(value, std::numeric_limits<long long>::max());
      if (!k) return std::nullopt;
      c.keep = static_cast<std::size_t>(*k), keep = true;
      continue;
    }
    const auto v = parse_finite_number_token(value);  // a searched UAR is finite
    if (!v) return std::nullopt;
    if (name == "inner_uar") c.inner_uar = *v, uar = true;
    else if (name.rfind("hp.", 0) == 0) c.hyperparameters[name.substr(3)] = *v;
    else return std::nullopt;
  }
  if (!keep || !uar) return std::nullopt;
  return c;
}

}  // namespace

ModelChoice select_model_cached(const std::string& folder, const std::string& classifier, const Matrix& x, const std::vector<int>& y,
                                const std::vector<std::string>& speakers, std::size_t classes, int inner_folds, bool balanced,
                                std::uint64_t seed, int threads, const DnnConfig& dnn, const std::vector<std::size_t>& keep_grid,
                                const std::vector<char>& training_only) {
  // Nothing to search (one grid point, one column count): nothing to keep.
  if (folder.empty() || (default_grid(classifier).size() == 1 && keep_grid.size() <= 1))
    return select_model(classifier, x, y, speakers, classes, inner_folds, balanced, seed, threads, dnn, keep_grid, training_only);
  const std::string path =
      folder + "/" + classifier + "-" + choice_key(classifier, x, y, speakers, classes, inner_folds, balanced, seed, dnn, keep_grid, training_only) + ".txt";
  if (auto cached = read_choice(path)) return *cached;
  const ModelChoice choice = select_model(classifier, x, y, speakers, classes, inner_folds, balanced, seed, threads, dnn, keep_grid, training_only);
  write_file_atomically(path, choice_text(choice));  // creates the folder
  return choice;
}

}  // namespace seraug
