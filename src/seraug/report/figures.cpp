#include "seraug/report/figures.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "seraug/common/eigen_view.hpp"
#include "seraug/common/error.hpp"
#include "seraug/common/parallel.hpp"
#include "seraug/experiment/batch_script.hpp"
#include "seraug/stats/normalize.hpp"
#include "seraug/stats/tsne.hpp"

namespace fs = std::filesystem;

namespace seraug {

void run_gnuplot(const std::string& script_path) {
  const fs::path script(script_path);
  // Quoted word by word: a run folder may be named with a quote or a blank.
  const std::string command = "cd " + shell_quoted(script.parent_path().string()) + " && gnuplot " +
                              shell_quoted(script.filename().string()) + " 2>" + shell_quoted(script.filename().string() + ".log");
  if (std::system(command.c_str()) != 0)
    throw file_error(script_path, "gnuplot failed (is gnuplot installed? see " + script_path + ".log)");
}

namespace {

// Ends a figure's script: `body` (the plot commands) under a PNG and then an SVG terminal
// of `size` ("900,540"), then runs gnuplot; the two files' names.
std::vector<std::string> render(std::ofstream& gp, const std::string& dir, const std::string& stem, const std::string& size,
                                const std::string& body) {
  std::vector<std::string> files;
  for (const std::string ext : {"png", "svg"}) {
    gp << "set terminal " << (ext == "png" ? "pngcairo" : "svg") << " size " << size << "\nset output '" << stem << "." << ext << "'\n" << body;
    files.push_back(stem + "." + ext);
  }
  gp.close();
  run_gnuplot(dir + "/" + stem + ".gp");
  return files;
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
  std::ofstream gp(dir + "/" + stem + ".gp");
  const int cols = 3, rows = static_cast<int>((classes.size() + 2) / 3);
  std::ostringstream body;
  body << "set multiplot layout " << rows << "," << cols << " title '" << title << "'\n";
  for (std::size_t cls = 0; cls < classes.size(); ++cls)
    body << "set title '" << classes[cls] << "'\nplot '" << stem << ".dat' index " << 2 * cls
         << " with points pt 7 ps 0.5 lc rgb '#1f4e9c' title 'real', '' index " << 2 * cls + 1
         << " with points pt 2 ps 0.5 lc rgb '#d95f02' title 'synthetic'\n";
  body << "unset multiplot\n";
  return render(gp, dir, stem, "1200,760", body.str());
}

}  // namespace

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
          const auto it = a.pooled.find({method, clf, table_amount_of(c, method) == "0" ? "0" : std::to_string(amount)});
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
      for (auto& f : render(gp, dir, stem, "900,540", "plot " + plot + "\n")) files.push_back(f);
    }
  }
  return files;
}

namespace {

// A clustered bar chart: one group per category (row of `values`), one bar per series.
std::vector<std::string> bar_figure(const std::string& dir, const std::string& stem, const std::string& title, const std::string& ylabel,
                                    const std::vector<std::string>& categories, const std::vector<std::string>& series,
                                    const std::vector<std::vector<double>>& values) {
  std::ofstream dat(dir + "/" + stem + ".dat");
  dat << "category";
  for (const auto& s : series) dat << " \"" << s << "\"";
  dat << "\n";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    dat << "\"" << categories[i] << "\"";
    for (double v : values[i]) dat << " " << v;
    dat << "\n";
  }
  dat.close();
  std::ofstream gp(dir + "/" + stem + ".gp");
  gp << "set title '" << title << "'\nset ylabel '" << ylabel << "'\nset yrange [0:100]\nset grid ytics\nset key outside right\n"
     << "set style data histogram\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\nset xtics rotate by -45\n";
  std::string plot = "plot";
  for (std::size_t s = 0; s < series.size(); ++s)
    plot += (s ? ", '" : " '") + stem + ".dat' using " + std::to_string(s + 2) + ":xtic(1) title columnheader";
  return render(gp, dir, stem, "900,480", plot + "\n");
}

}  // namespace

// Per classifier: UAR of each test fold (each speaker under LOSO: what a
// speaker-independent number is made of) and recall of each class, for every method at
// its table amount, mean over seeds.
std::vector<std::string> breakdown_figures(const ExperimentConfig& c, const Aggregate& a, const std::vector<std::string>& classes,
                                           const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& clf : c.classifiers) {
    std::vector<std::string> series, folds;
    std::map<std::string, std::map<std::string, std::vector<double>>> fold_uar;  // fold -> method -> over seeds
    for (const auto& [key, uar] : a.fold_uars) {
      const auto& [method, classifier, amount, seed, fold] = key;
      if (classifier != clf || amount != table_amount_of(c, method)) continue;
      fold_uar[fold][method].push_back(100 * uar);
    }
    for (const auto& m : c.methods) series.push_back(display_name(m));
    std::vector<std::vector<double>> by_fold, by_class(classes.size());
    for (const auto& [fold, by_method] : fold_uar) {
      folds.push_back(fold);
      by_fold.emplace_back();
      for (const auto& m : c.methods) {
        const auto it = by_method.find(m);
        by_fold.back().push_back(it == by_method.end() ? 0.0 : mean_std(it->second).mean);
      }
    }
    for (const auto& m : c.methods) {
      const auto it = a.pooled.find({m, clf, table_amount_of(c, m)});
      for (std::size_t k = 0; k < classes.size(); ++k) {
        std::vector<double> recalls;
        if (it != a.pooled.end())
          for (const auto& [seed, p] : it->second)
            if (p.support[k] > 0) recalls.push_back(100.0 * static_cast<double>(p.hits[k]) / static_cast<double>(p.support[k]));
        by_class[k].push_back(recalls.empty() ? 0.0 : mean_std(recalls).mean);
      }
    }
    if (folds.empty()) continue;
    for (auto& f : bar_figure(dir, "folds_" + clf, "UAR of each test fold, " + clf + " (mean over seeds)", "UAR (%)", folds, series, by_fold))
      files.push_back(f);
    for (auto& f : bar_figure(dir, "recall_" + clf, "Recall of each class, " + clf + " (pooled over folds, mean over seeds)", "recall (%)",
                              classes, series, by_class))
      files.push_back(f);
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
      for (auto& f : render(gp, dir, stem, "640,560",
                            "plot '" + stem + ".dat' using 2:1:3 with image notitle, '' using 2:1:(sprintf('%.0f',$3)) with labels notitle\n"))
        files.push_back(f);
    }
  return files;
}

// A method's synthetic sample, the rows of it the t-SNE figure shows, and their
// embedding together with the real rows.
struct SampleProjection {
  std::string method;
  SyntheticRows sample, shown;
  Matrix embedded;  // real rows first, then the shown ones
};

// Each method's t-SNE on its own thread (the report's slowest step: seconds each; every
// embedding depends only on its rows, so the figures are the same on any thread count).
std::vector<SampleProjection> project_samples(const ExperimentConfig& c, const Dataset& data, const Matrix& x, const std::string& run_dir) {
  const std::vector<SyntheticSample> samples = synthetic_samples(c);
  const std::size_t k = data.classes.size();
  std::vector<SampleProjection> out(samples.size());
  parallel_for(samples.size(), 0, [&](std::size_t i) {
    SampleProjection& p = out[i];
    p.method = samples[i].method;
    p.sample = read_synthetic_sample(synthetic_sample_path(run_dir, {samples[i].method, c.seed}), data);
    p.shown = take_per_class(p.sample, std::vector<std::size_t>(k, std::min<std::size_t>(100, std::max<std::size_t>(c.table_amount, 50))));
    Matrix both = x;
    both.data.insert(both.data.end(), p.shown.x.data.begin(), p.shown.x.data.end());
    both.rows += p.shown.x.rows;
    p.embedded = tsne(both);
  });
  return out;
}

// Real vs synthetic rows of each class (Fig. 10), from the run's synthetic samples (the
// augmenter fitted on the whole normalised corpus): on the real rows' first two principal
// components, and by t-SNE of real and (at most 100 per class) synthetic rows together.
std::vector<std::string> projection_figures(const ExperimentConfig& c, const Dataset& data, const std::string& run_dir, const std::string& dir) {
  std::vector<std::string> files;
  std::vector<std::size_t> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  Matrix x = data.features;
  ZScore::fit(x, all).apply(x);
  const Eigen::VectorXd mean = eigen_view(x).colwise().mean();
  const EigenRowMatrix centred = eigen_view(x).rowwise() - mean.transpose();
  const Matrix top_two = principal_axes(x, 2);
  const auto axes = eigen_view(top_two);
  auto to_matrix = [](const EigenRowMatrix& m) {
    Matrix out(static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols()));
    std::copy(m.data(), m.data() + m.size(), out.data.begin());
    return out;
  };
  for (const SampleProjection& p : project_samples(c, data, x, run_dir)) {
    const std::string& method = p.method;
    const SyntheticRows& s = p.sample;
    const auto fake = eigen_view(s.x);
    for (auto& f : scatter_figure(dir, "pca_" + method, "Real vs synthetic rows (" + display_name(method) + "), PCA of the real rows",
                                  to_matrix(centred * axes), data.labels, to_matrix((fake.rowwise() - mean.transpose()) * axes), s.y, data.classes))
      files.push_back(f);
    const Matrix& embedded = p.embedded;
    std::vector<std::size_t> real_rows(x.rows), fake_rows(p.shown.x.rows);
    std::iota(real_rows.begin(), real_rows.end(), 0);
    std::iota(fake_rows.begin(), fake_rows.end(), x.rows);
    for (auto& f : scatter_figure(dir, "tsne_" + method, "Real vs synthetic rows (" + display_name(method) + "), t-SNE",
                                  select_rows(embedded, real_rows), data.labels, select_rows(embedded, fake_rows), p.shown.y, data.classes))
      files.push_back(f);
  }
  return files;
}

}  // namespace seraug
