#include "seraug/experiment/report.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "seraug/augment/augmenter.hpp"
#include "seraug/common/atomic_file.hpp"
#include "seraug/common/csv.hpp"
#include "seraug/common/error.hpp"
#include "seraug/eval/metrics.hpp"
#include "seraug/eval/normalize.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/experiment/tsne.hpp"
#include "seraug/version.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

// The paper's Table 1 (WA %, UAR %) for the methods it reports.
struct PaperRow {
  const char* method;
  const char* classifier;
  double wa, uar;
};
constexpr PaperRow kPaper[] = {
    {"noise", "dnn", 82.06, 82.73},         {"noise", "svm", 81.12, 80.25},          {"smote", "dnn", 82.43, 81.51},
    {"smote", "svm", 80.93, 79.51},         {"cyclegan-ce", "dnn", 83.55, 82.50},    {"cyclegan-ce", "svm", 81.50, 80.30},
    {"cyclegan-wdiv", "dnn", 84.49, 83.33}, {"cyclegan-wdiv", "svm", 81.07, 80.08},
};

std::string display_name(const std::string& method) {
  if (method == "none") return "No augmentation";
  if (method == "replicate") return "Replication";
  if (method == "noise") return "Add noise";
  if (method == "smote") return "SMOTE";
  if (method == "cyclegan-ce") return "Cycle-GAN";
  if (method == "cyclegan-wdiv") return "Cycle-GAN + Wasserstein";
  return method;
}

// One results.csv row.
struct FoldRow {
  std::string method, classifier, amount, fold;
  std::uint64_t seed = 0;
  long n = 0, correct = 0;
  std::vector<long> support, hits, confusion;
};

std::vector<FoldRow> read_cell(const std::string& path, std::size_t classes) {
  std::ifstream in(path);
  if (!in) throw file_error(path, "cannot open cell file");
  std::string line;
  std::getline(in, line);  // header
  std::vector<FoldRow> rows;
  long number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const auto f = split_csv_line(line, ',');
    if (f.size() != 8 + 2 * classes + classes * classes) throw table_error(path, number, 0, "damaged cell row");
    FoldRow r;
    r.method = f[0];
    r.classifier = f[1];
    r.seed = std::stoull(f[2]);
    r.amount = f[3];
    r.fold = f[4];
    r.n = std::stol(f[6]);
    r.correct = std::stol(f[7]);
    for (std::size_t c = 0; c < classes; ++c) {
      r.support.push_back(std::stol(f[8 + 2 * c]));
      r.hits.push_back(std::stol(f[9 + 2 * c]));
    }
    for (std::size_t i = 0; i < classes * classes; ++i) r.confusion.push_back(std::stol(f[8 + 2 * classes + i]));
    rows.push_back(std::move(r));
  }
  return rows;
}

double fold_uar(const FoldRow& r) {
  double sum = 0;
  int present = 0;
  for (std::size_t c = 0; c < r.support.size(); ++c)
    if (r.support[c] > 0) {
      sum += static_cast<double>(r.hits[c]) / static_cast<double>(r.support[c]);
      ++present;
    }
  return present ? sum / present : 0.0;
}

// Pooled WA and UAR of one (method, classifier, amount, seed) over its folds.
struct Pooled {
  long n = 0, correct = 0;
  std::vector<long> support, hits, confusion;
  double wa() const { return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0; }
  double uar() const {
    double sum = 0;
    int present = 0;
    for (std::size_t c = 0; c < support.size(); ++c)
      if (support[c] > 0) {
        sum += static_cast<double>(hits[c]) / static_cast<double>(support[c]);
        ++present;
      }
    return present ? sum / present : 0.0;
  }
  void add(const FoldRow& r) {
    if (support.empty()) {
      support.assign(r.support.size(), 0);
      hits.assign(r.hits.size(), 0);
      confusion.assign(r.confusion.size(), 0);
    }
    n += r.n;
    correct += r.correct;
    for (std::size_t c = 0; c < support.size(); ++c) {
      support[c] += r.support[c];
      hits[c] += r.hits[c];
    }
    for (std::size_t i = 0; i < confusion.size(); ++i) confusion[i] += r.confusion[i];
  }
};

using PoolKey = std::tuple<std::string, std::string, std::string>;  // method, classifier, amount

struct Aggregate {
  std::map<PoolKey, std::map<std::uint64_t, Pooled>> pooled;  // -> seed -> pooled
  std::map<std::tuple<std::string, std::string, std::string, std::uint64_t, std::string>, double> fold_uars;  // +seed, fold
};

Aggregate aggregate(const std::vector<FoldRow>& rows) {
  Aggregate a;
  for (const auto& r : rows) {
    a.pooled[{r.method, r.classifier, r.amount}][r.seed].add(r);
    a.fold_uars[{r.method, r.classifier, r.amount, r.seed, r.fold}] = fold_uar(r);
  }
  return a;
}

MeanStd over_seeds(const std::map<std::uint64_t, Pooled>& by_seed, bool uar) {
  std::vector<double> v;
  for (const auto& [seed, p] : by_seed) v.push_back(uar ? p.uar() : p.wa());
  return mean_std(v);
}

std::string pm(const MeanStd& m) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f ± %.2f", 100 * m.mean, 100 * m.std);
  return buf;
}

std::string table_amount_of(const ExperimentConfig& c, const std::string& method) {
  return method == "none" ? "0" : std::to_string(c.table_amount);
}

std::string make_table(const ExperimentConfig& c, const Aggregate& a) {
  std::string out = "# Table 1: data augmentation and SER (seraug, " + c.protocol + ", " + std::to_string(c.repeats) +
                    " seed(s) from " + std::to_string(c.seed) + ", " + std::to_string(c.table_amount) +
                    " synthetic rows per class)\n\n"
                    "WA and UAR pooled over folds, mean ± std over seeds. p: two-sided paired sign-flip permutation test of "
                    "per-fold UAR against no augmentation (same classifier, seeds and folds). Paper: Table 1 of the paper "
                    "(its own protocol).\n\n"
                    "| Method | Classifier | WA % | UAR % | p vs none | Paper WA % | Paper UAR % |\n|---|---|---|---|---|---|---|\n";
  for (const auto& method : c.methods)
    for (const auto& clf : c.classifiers) {
      const auto it = a.pooled.find({method, clf, table_amount_of(c, method)});
      if (it == a.pooled.end()) continue;
      std::string p = "–";
      if (method != "none") {
        std::vector<double> diffs;
        for (const auto& [key, uar] : a.fold_uars) {
          if (std::get<0>(key) != method || std::get<1>(key) != clf || std::get<2>(key) != table_amount_of(c, method)) continue;
          const auto base = a.fold_uars.find({"none", clf, "0", std::get<3>(key), std::get<4>(key)});
          if (base != a.fold_uars.end()) diffs.push_back(uar - base->second);
        }
        if (!diffs.empty()) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.3f", sign_flip_p_value(diffs));
          p = buf;
        }
      }
      std::string paper_wa = "–", paper_uar = "–";
      for (const auto& row : kPaper)
        if (method == row.method && clf == row.classifier) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.2f", row.wa);
          paper_wa = buf;
          std::snprintf(buf, sizeof buf, "%.2f", row.uar);
          paper_uar = buf;
        }
      out += "| " + display_name(method) + " | " + (clf == "svm" ? "SVM" : clf == "dnn" ? "DNN" : clf) + " | " + pm(over_seeds(it->second, false)) +
             " | " + pm(over_seeds(it->second, true)) + " | " + p + " | " + paper_wa + " | " + paper_uar + " |\n";
    }
  return out;
}

void run_gnuplot(const std::string& script_path) {
  const fs::path script(script_path);
  const std::string command = "cd '" + script.parent_path().string() + "' && gnuplot '" + script.filename().string() + "' 2>'" +
                              script.filename().string() + ".log'";
  if (std::system(command.c_str()) != 0)
    throw file_error(script_path, "gnuplot failed (is gnuplot installed? see " + script_path + ".log)");
}

// The accuracy axis of a curve figure: the points with their error bars, widened to
// at least kMinSpan percentage points around their middle (within 0..100). Autoscaling
// alone stretches a 0.1-point difference over the whole height and makes it look large.
std::pair<double, double> accuracy_axis(double lowest, double highest) {
  constexpr double kMinSpan = 5.0;
  if (!(lowest <= highest)) return {0.0, 100.0};  // no points
  double lo = lowest, hi = highest;
  if (hi - lo < kMinSpan) {
    const double middle = 0.5 * (lo + hi);
    lo = middle - kMinSpan / 2;
    hi = middle + kMinSpan / 2;
  }
  const double pad = 0.05 * (hi - lo);
  lo = std::max(0.0, lo - pad);
  hi = std::min(100.0, hi + pad);
  return {lo, hi};
}

// Curves of WA and UAR against synthetic rows per class, one line per method.
std::vector<std::string> curve_figures(const ExperimentConfig& c, const Aggregate& a, const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& clf : c.classifiers) {
    for (const char* metric : {"uar", "wa"}) {
      const std::string stem = "curve_" + clf + "_" + metric;
      std::ofstream dat(dir + "/" + stem + ".dat");
      std::string plot;
      int index = 0;
      double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
      for (const auto& method : c.methods) {
        dat << "# " << method << "\n";
        for (const auto amount : c.amounts) {
          const auto it = a.pooled.find({method, clf, method == "none" ? "0" : std::to_string(amount)});
          if (it == a.pooled.end()) continue;
          const MeanStd m = over_seeds(it->second, std::string(metric) == "uar");
          dat << amount << " " << 100 * m.mean << " " << 100 * m.std << "\n";
          lowest = std::min(lowest, 100 * (m.mean - m.std));
          highest = std::max(highest, 100 * (m.mean + m.std));
        }
        dat << "\n\n";
        plot += (plot.empty() ? "" : ", ") + std::string("'") + stem + ".dat' index " + std::to_string(index++) +
                " with yerrorlines title '" + display_name(method) + "'";
      }
      dat.close();
      const std::string title = std::string(metric) == "uar" ? "UAR" : "WA";
      std::ofstream gp(dir + "/" + stem + ".gp");
      gp << "set xlabel 'synthetic rows added per class'\nset ylabel '" << title << " (%)'\nset key outside right\nset grid\n"
         << "set title '" << title << " vs added samples, " << clf << "'\n";
      const auto [y_low, y_high] = accuracy_axis(lowest, highest);
      gp << "set yrange [" << y_low << ":" << y_high << "]\n";
      for (const char* term : {"pngcairo size 900,540", "svg size 900,540"}) {
        const std::string ext = std::string(term).rfind("png", 0) == 0 ? "png" : "svg";
        gp << "set terminal " << term << "\nset output '" << stem << "." << ext << "'\nplot " << plot << "\n";
        files.push_back(stem + "." + ext);
      }
      gp.close();
      run_gnuplot(dir + "/" + stem + ".gp");
    }
  }
  return files;
}

std::vector<std::string> confusion_figures(const ExperimentConfig& c, const Aggregate& a, const std::vector<std::string>& classes,
                                           const std::string& dir) {
  std::vector<std::string> files;
  const std::size_t k = classes.size();
  for (const auto& method : c.methods)
    for (const auto& clf : c.classifiers) {
      const auto it = a.pooled.find({method, clf, table_amount_of(c, method)});
      if (it == a.pooled.end()) continue;
      std::vector<long> total(k * k, 0);
      for (const auto& [seed, p] : it->second)
        for (std::size_t i = 0; i < total.size(); ++i) total[i] += p.confusion[i];
      const std::string stem = "confusion_" + method + "_" + clf;
      std::ofstream dat(dir + "/" + stem + ".dat");
      for (std::size_t t = 0; t < k; ++t) {
        long row = 0;
        for (std::size_t p = 0; p < k; ++p) row += total[t * k + p];
        for (std::size_t p = 0; p < k; ++p)
          dat << t << " " << p << " " << (row ? 100.0 * static_cast<double>(total[t * k + p]) / static_cast<double>(row) : 0.0) << "\n";
        dat << "\n";
      }
      dat.close();
      std::string tics;
      for (std::size_t i = 0; i < k; ++i) tics += (i ? ", " : "") + std::string("'") + classes[i] + "' " + std::to_string(i);
      std::ofstream gp(dir + "/" + stem + ".gp");
      gp << "set title 'Confusion (% of true class), " << display_name(method) << ", " << clf << "'\n"
         << "set xlabel 'predicted'\nset ylabel 'true'\nset xtics (" << tics << ")\nset ytics (" << tics << ")\n"
         << "set yrange [" << k << "-0.5:-0.5]\nset xrange [-0.5:" << k << "-0.5]\nset cbrange [0:100]\nset palette defined (0 'white', 100 '#1f4e9c')\n";
      for (const char* term : {"pngcairo size 640,560", "svg size 640,560"}) {
        const std::string ext = std::string(term).rfind("png", 0) == 0 ? "png" : "svg";
        gp << "set terminal " << term << "\nset output '" << stem << "." << ext << "'\n"
           << "plot '" << stem << ".dat' using 2:1:3 with image notitle, '' using 2:1:(sprintf('%.0f',$3)) with labels notitle\n";
        files.push_back(stem + "." + ext);
      }
      gp.close();
      run_gnuplot(dir + "/" + stem + ".gp");
    }
  return files;
}

// One figure: real (dots) and synthetic (crosses) rows of each class in 2-D, a panel
// per class. real_2d / fake_2d: rows x 2.
std::vector<std::string> scatter_figure(const std::string& dir, const std::string& stem, const std::string& title, const Matrix& real_2d,
                                        const std::vector<int>& real_y, const Matrix& fake_2d, const std::vector<int>& fake_y,
                                        const std::vector<std::string>& classes) {
  std::ofstream dat(dir + "/" + stem + ".dat");
  for (std::size_t cls = 0; cls < classes.size(); ++cls) {  // blocks: real class 0, synthetic class 0, real class 1, ...
    for (const auto* side : {&real_2d, &fake_2d}) {
      const auto& y = side == &real_2d ? real_y : fake_y;
      for (std::size_t r = 0; r < side->rows; ++r)
        if (y[r] == static_cast<int>(cls)) dat << side->at(r, 0) << " " << side->at(r, 1) << "\n";
      dat << "\n\n";
    }
  }
  dat.close();
  std::vector<std::string> files;
  std::ofstream gp(dir + "/" + stem + ".gp");
  const int cols = 3, rows = static_cast<int>((classes.size() + 2) / 3);
  for (const char* term : {"pngcairo size 1200,760", "svg size 1200,760"}) {
    const std::string ext = std::string(term).rfind("png", 0) == 0 ? "png" : "svg";
    gp << "set terminal " << term << "\nset output '" << stem << "." << ext << "'\n"
       << "set multiplot layout " << rows << "," << cols << " title '" << title << "'\n";
    for (std::size_t cls = 0; cls < classes.size(); ++cls)
      gp << "set title '" << classes[cls] << "'\nplot '" << stem << ".dat' index " << 2 * cls
         << " with points pt 7 ps 0.5 lc rgb '#1f4e9c' title 'real', '' index " << 2 * cls + 1
         << " with points pt 2 ps 0.5 lc rgb '#d95f02' title 'synthetic'\n";
    gp << "unset multiplot\n";
    files.push_back(stem + "." + ext);
  }
  gp.close();
  run_gnuplot(dir + "/" + stem + ".gp");
  return files;
}

// Real vs synthetic rows of each class (Fig. 10), the augmenter fitted on the whole
// normalised corpus: on the real rows' first two principal components, and by t-SNE of
// real and (at most 100 per class) synthetic rows together.
std::vector<std::string> projection_figures(const ExperimentConfig& c, const Dataset& data, const std::string& run_dir, const std::string& dir) {
  std::vector<std::string> files;
  std::vector<std::size_t> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  Matrix x = data.features;
  ZScore::fit(x, all).apply(x);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> real(x.data.data(), static_cast<long>(x.rows), static_cast<long>(x.cols));
  const Eigen::VectorXd mean = real.colwise().mean();
  const RowMajor centred = real.rowwise() - mean.transpose();
  const Matrix top_two = principal_axes(x, 2);
  const Eigen::Map<const RowMajor> axes(top_two.data.data(), static_cast<long>(top_two.rows), static_cast<long>(top_two.cols));
  auto to_matrix = [](const RowMajor& m) {
    Matrix out(static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols()));
    std::copy(m.data(), m.data() + m.size(), out.data.begin());
    return out;
  };
  const std::size_t k = data.classes.size();
  for (const auto& method : c.methods) {
    if (method == "none") continue;
    AugmentConfig config;
    config.noise_sigma = c.noise_sigma;
    config.smote_k = c.smote_k;
    config.gan = c.models.gan;
    config.classifier = c.models.dnn;
    const std::string gan_folder = run_dir + "/cache/gans/all-" + method + "-seed" + std::to_string(c.seed);
    if (method.rfind("cyclegan", 0) == 0) (fs::exists(gan_folder + "/generators.json") ? config.load_from : config.save_to) = gan_folder;
    const SyntheticRows s = make_augmenter(method, config)->generate(AugmentInput{x, data.labels, data.speakers, k},
                                                                     std::vector<std::size_t>(k, std::max<std::size_t>(c.table_amount, 50)), c.seed);
    const Eigen::Map<const RowMajor> fake(s.x.data.data(), static_cast<long>(s.x.rows), static_cast<long>(s.x.cols));
    for (auto& f : scatter_figure(dir, "pca_" + method, "Real vs synthetic rows (" + display_name(method) + "), PCA of the real rows",
                                  to_matrix(centred * axes), data.labels, to_matrix((fake.rowwise() - mean.transpose()) * axes), s.y, data.classes))
      files.push_back(f);

    const SyntheticRows shown = take_per_class(s, std::vector<std::size_t>(k, std::min<std::size_t>(100, std::max<std::size_t>(c.table_amount, 50))));
    Matrix both = x;
    both.data.insert(both.data.end(), shown.x.data.begin(), shown.x.data.end());
    both.rows += shown.x.rows;
    const Matrix embedded = tsne(both);
    std::vector<std::size_t> real_rows(x.rows), fake_rows(shown.x.rows);
    std::iota(real_rows.begin(), real_rows.end(), 0);
    std::iota(fake_rows.begin(), fake_rows.end(), x.rows);
    for (auto& f : scatter_figure(dir, "tsne_" + method, "Real vs synthetic rows (" + display_name(method) + "), t-SNE",
                                  select_rows(embedded, real_rows), data.labels, select_rows(embedded, fake_rows), shown.y, data.classes))
      files.push_back(f);
  }
  return files;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '&') out += "&amp;";
    else out += ch;
  }
  return out;
}

// The Markdown pipe table of table.md as an HTML table.
std::string markdown_table_to_html(const std::string& md) {
  std::string out = "<table>\n";
  std::stringstream lines(md);
  std::string line;
  bool header = true;
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) != 0) continue;
    if (line.find("---") != std::string::npos) continue;
    out += "<tr>";
    std::stringstream cells(line.substr(1));
    std::string cell;
    while (std::getline(cells, cell, '|')) out += std::string(header ? "<th>" : "<td>") + html_escape(cell) + (header ? "</th>" : "</td>");
    out += "</tr>\n";
    header = false;
  }
  return out + "</table>\n";
}

}  // namespace

std::string ExperimentCell::key() const { return method + "__" + classifier + "__seed" + std::to_string(seed); }

std::vector<ExperimentCell> experiment_cells(const ExperimentConfig& c) {
  std::vector<ExperimentCell> cells;
  for (const auto& m : c.methods)
    for (const auto& k : c.classifiers)
      for (int r = 0; r < c.repeats; ++r) cells.push_back({m, k, c.seed + static_cast<std::uint64_t>(r)});
  return cells;
}

std::string results_header(const std::vector<std::string>& classes) {
  std::string h = "method,classifier,seed,amount,fold,test_speakers,test_rows,correct";
  for (const auto& c : classes) h += ",support_" + c + ",hits_" + c;
  for (const auto& t : classes)
    for (const auto& p : classes) h += ",n_" + t + "_as_" + p;
  return h + "\n";
}

double sign_flip_p_value(const std::vector<double>& d, std::uint64_t seed) {
  if (d.empty()) return 1.0;
  const double observed = std::fabs(std::accumulate(d.begin(), d.end(), 0.0));
  const double tolerance = 1e-12 * (1.0 + observed);
  long extreme = 0, total = 0;
  if (d.size() <= 20) {
    for (unsigned long mask = 0; mask < (1ul << d.size()); ++mask, ++total) {
      double s = 0;
      for (std::size_t i = 0; i < d.size(); ++i) s += (mask >> i & 1) ? -d[i] : d[i];
      if (std::fabs(s) >= observed - tolerance) ++extreme;
    }
    return static_cast<double>(extreme) / static_cast<double>(total);
  }
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution flip(0.5);
  constexpr long kDraws = 20000;
  for (long i = 0; i < kDraws; ++i) {
    double s = 0;
    for (double v : d) s += flip(rng) ? -v : v;
    if (std::fabs(s) >= observed - tolerance) ++extreme;
  }
  return static_cast<double>(extreme + 1) / static_cast<double>(kDraws + 1);
}

void build_report(const ExperimentConfig& c, const Dataset& data, const std::string& run_dir) {
  std::vector<FoldRow> rows;
  std::string results = results_header(data.classes);
  double total_seconds = 0;
  std::string timings;
  for (const auto& cell : experiment_cells(c)) {
    const std::string path = run_dir + "/cells/" + cell.key() + ".csv";
    for (auto& r : read_cell(path, data.classes.size())) rows.push_back(std::move(r));
    std::ifstream cell_text(path);
    std::string line;
    std::getline(cell_text, line);
    while (std::getline(cell_text, line)) results += line + "\n";
    double seconds = 0;
    std::ifstream(run_dir + "/cells/" + cell.key() + ".seconds") >> seconds;
    total_seconds += seconds;
    char buf[160];
    std::snprintf(buf, sizeof buf, "<tr><td>%s</td><td>%.1f</td></tr>\n", cell.key().c_str(), seconds);
    timings += buf;
  }
  write_file_atomically(run_dir + "/results.csv", results);
  const Aggregate a = aggregate(rows);
  const std::string table = make_table(c, a);
  write_file_atomically(run_dir + "/table.md", table);

  const std::string fig_dir = run_dir + "/figures";
  fs::create_directories(fig_dir);
  std::vector<std::string> figures = curve_figures(c, a, fig_dir);
  for (auto& f : confusion_figures(c, a, data.classes, fig_dir)) figures.push_back(f);
  for (auto& f : projection_figures(c, data, run_dir, fig_dir)) figures.push_back(f);

  std::ifstream config_in(run_dir + "/config.toml");
  std::stringstream config_text;
  config_text << config_in.rdbuf();
  std::string html = "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>seraug experiment</title>\n"
                     "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
                     "td,th{border:1px solid #bbb;padding:3px 8px}img{max-width:100%}pre{background:#f4f4f4;padding:1em}</style>"
                     "</head><body>\n<h1>seraug experiment</h1>\n";
  const auto versions = solver_library_versions();
  char buf[512];
  std::snprintf(buf, sizeof buf, "<p>seraug %s, LIBLINEAR %s, LIBSVM %s. Corpus: %zu rows, %zu speakers, %zu classes, %zu features. Seeds %llu to %llu. Compute time of the cells: %.1f s.</p>\n",
                kVersion, versions.at("liblinear").c_str(), versions.at("libsvm").c_str(), data.rows(), data.speaker_list().size(),
                data.classes.size(), data.dims(), static_cast<unsigned long long>(c.seed),
                static_cast<unsigned long long>(c.seed + static_cast<std::uint64_t>(c.repeats) - 1), total_seconds);
  html += buf;
  html += "<h2>Table 1</h2>\n" + markdown_table_to_html(table) +
          "<p>Files: <a href='results.csv'>results.csv</a>, <a href='table.md'>table.md</a>, <a href='config.toml'>config.toml</a>.</p>\n";
  html += "<h2>Figures</h2>\n";
  for (const auto& f : figures)
    if (f.size() > 4 && f.substr(f.size() - 4) == ".png") html += "<p><img src='figures/" + f + "' alt='" + f + "'> <a href='figures/" + f.substr(0, f.size() - 4) + ".svg'>SVG</a></p>\n";
  html += "<h2>Configuration</h2>\n<pre>" + html_escape(config_text.str()) + "</pre>\n";
  html += "<h2>Timings per cell (s)</h2>\n<table><tr><th>cell</th><th>seconds</th></tr>\n" + timings + "</table>\n</body></html>\n";
  write_file_atomically(run_dir + "/report.html", html);
}

}  // namespace seraug
