#include "seraug/report/experiment_report.hpp"

#include "seraug/experiment/cell_timing.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "seraug/common/atomic_file.hpp"
#include "seraug/models/classifier.hpp"
#include "seraug/report/figures.hpp"
#include "seraug/report/results.hpp"
#include "seraug/version.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

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

namespace {

// report.html: who made it, the protocol and recipe, Table 1, the figures, the
// configuration and each cell's time.
std::string report_html(const FinishedRun& run, const std::string& run_dir, const std::string& table, const std::vector<std::string>& figures,
                        const std::string& timings, double total_seconds) {
  const ExperimentConfig& c = run.config;
  const Dataset& data = run.data;
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
  const auto listed = [](const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
  };
  html += "<p><b>Protocol:</b> " + html_escape(protocol_description(c)) + ".<br><b>Recipe:</b> " + html_escape(recipe_description(c)) +
          "; classifiers " + html_escape(listed(c.classifiers)) + "; methods " + html_escape(listed(c.methods)) + "; classes " +
          html_escape(listed(c.classes)) + ".</p>\n";
  html += "<h2>Table 1</h2>\n" + markdown_table_to_html(table) +
          "<p>Files: <a href='results.csv'>results.csv</a>, <a href='table.md'>table.md</a>, <a href='config.toml'>config.toml</a>.</p>\n";
  html += "<h2>Figures</h2>\n";
  for (const auto& f : figures)
    if (f.size() > 4 && f.substr(f.size() - 4) == ".png") html += "<p><img src='figures/" + f + "' alt='" + f + "'> <a href='figures/" + f.substr(0, f.size() - 4) + ".svg'>SVG</a></p>\n";
  html += "<h2>Configuration</h2>\n<pre>" + html_escape(config_text.str()) + "</pre>\n";
  html += "<h2>Timings per cell (s; <a href='timings.csv'>timings.csv</a>)</h2>\n<table><tr><th>cell</th><th>total</th><th>normalise</th>"
          "<th>inner search</th><th>selection</th><th>augmentation</th><th>final fit</th><th>predict</th><th>other</th><th>OpenBLAS kernel</th></tr>\n" +
          timings + "</table>\n</body></html>\n";
  return html;
}

}  // namespace

void build_report(const FinishedRun& run, const std::string& run_dir) {
  const ExperimentConfig& c = run.config;
  const Dataset& data = run.data;
  std::vector<FoldRow> rows;
  std::string results = results_header(data.classes);
  double total_seconds = 0;
  std::string timings, timings_csv = cell_timing_csv_header();
  for (const auto& cell : experiment_cells(c)) {
    const std::string path = run_dir + "/cells/" + cell.key() + ".csv";
    for (auto& r : read_cell(path, data.classes.size())) rows.push_back(std::move(r));
    std::ifstream cell_text(path);
    std::string line;
    std::getline(cell_text, line);
    while (std::getline(cell_text, line)) results += line + "\n";
    const CellTiming t = read_cell_timing(run_dir + "/cells/" + cell.key() + ".seconds");
    total_seconds += t.total;
    timings_csv += cell_timing_csv_row(cell.key(), t);
    char buf[400];
    std::snprintf(buf, sizeof buf, "<tr><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td></tr>\n",
                  cell.key().c_str(), t.total, t.phases.normalise, t.phases.inner_search, t.phases.selection, t.phases.augmentation,
                  t.phases.fit, t.phases.predict, t.other(), html_escape(t.blas_kernel).c_str());
    timings += buf;
  }
  write_file_atomically(run_dir + "/results.csv", results);
  write_file_atomically(run_dir + "/timings.csv", timings_csv);
  const Aggregate a = aggregate(rows);
  const std::string table = make_table(c, a);
  write_file_atomically(run_dir + "/table.md", table);

  const std::string fig_dir = run_dir + "/figures";
  fs::create_directories(fig_dir);
  // Curves over the synthetic amounts only where there are several (a run without
  // augmentation would draw one point); every run gets the per-fold and per-class bars.
  std::vector<std::string> figures = c.amounts.size() > 1 ? curve_figures(c, a, fig_dir) : std::vector<std::string>{};
  for (auto& f : breakdown_figures(c, a, data.classes, fig_dir)) figures.push_back(f);
  for (auto& f : confusion_figures(c, a, data.classes, fig_dir)) figures.push_back(f);
  for (auto& f : projection_figures(c, data, run_dir, fig_dir)) figures.push_back(f);

  write_file_atomically(run_dir + "/report.html", report_html(run, run_dir, table, figures, timings, total_seconds));
}


bool run_experiment_and_report(const std::string& config_path, const std::string& run_dir, const ExperimentOptions& options) {
  const std::optional<FinishedRun> run = run_experiment(config_path, run_dir, options);
  if (!run) return false;
  build_report(*run, run_dir);
  if (!options.quiet) std::cerr << "experiment: report in " << run_dir << "/report.html\n";
  return true;
}

void merge_and_report(const std::vector<std::string>& shard_dirs, const std::string& run_dir) {
  build_report(merge_runs(shard_dirs, run_dir), run_dir);
}

}  // namespace seraug
