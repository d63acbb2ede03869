#include "seraug/report/timeline_figure.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "seraug/common/atomic_file.hpp"
#include "seraug/common/error.hpp"
#include "seraug/report/figures.hpp"

namespace fs = std::filesystem;

namespace seraug {
namespace {

// Removes the scratch folder whatever happens.
struct ScratchFolder {
  fs::path path;
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_data(const std::vector<SegmentResult>& segments, const std::vector<std::string>& classes, double unit, const fs::path& file) {
  std::ofstream dat(file);
  for (const auto& s : segments) {
    const auto label = std::find(classes.begin(), classes.end(), s.label) - classes.begin();
    dat << s.channel << ' ' << (s.start_s + s.end_s) / 2 / unit << ' ' << (s.end_s - s.start_s) / 2 / unit << ' ' << label + 1;
    for (double p : s.probabilities) dat << ' ' << p;
    dat << '\n';
  }
  if (!dat) throw file_error(file.string(), "cannot write the figure's data");
}

// Each segment's probabilities held over its span (two points), with a break (a blank
// line) where speech pauses, so that no line is drawn across a silence.
void write_curves(const std::vector<SegmentResult>& segments, double unit, const fs::path& file) {
  std::ofstream dat(file);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = segments[i];
    for (double t : {s.start_s, s.end_s}) {
      dat << t / unit;
      for (double p : s.probabilities) dat << ' ' << p;
      dat << '\n';
    }
    if (i + 1 < segments.size() && (segments[i + 1].start_s > s.end_s || segments[i + 1].channel != s.channel)) dat << '\n';
  }
  if (!dat) throw file_error(file.string(), "cannot write the figure's data");
}

// Past ten minutes a segment is a dot: the curves become each class's probability
// averaged over 200 equal bins of the recording (weighted by the segments' durations;
// bins without speech are left out), so that an hour stays readable.
void write_binned_curves(const std::vector<SegmentResult>& segments, double last_s, double unit, const fs::path& file) {
  constexpr std::size_t kBins = 200;
  const std::size_t classes = segments.empty() ? 0 : segments.front().probabilities.size();
  std::vector<std::vector<double>> sum(kBins, std::vector<double>(classes, 0.0));
  std::vector<double> weight(kBins, 0.0);
  for (const auto& s : segments) {
    const auto b = std::min(kBins - 1, static_cast<std::size_t>((s.start_s + s.end_s) / 2 / last_s * kBins));
    const double w = std::max(1e-3, s.end_s - s.start_s);
    for (std::size_t c = 0; c < classes; ++c) sum[b][c] += w * s.probabilities[c];
    weight[b] += w;
  }
  std::ofstream dat(file);
  for (std::size_t b = 0; b < kBins; ++b) {
    if (weight[b] == 0) {
      dat << '\n';
      continue;
    }
    dat << (static_cast<double>(b) + 0.5) * last_s / kBins / unit;
    for (double v : sum[b]) dat << ' ' << v / weight[b];
    dat << '\n';
  }
  if (!dat) throw file_error(file.string(), "cannot write the figure's data");
}

std::string plot_commands(const std::vector<std::string>& classes) {
  std::string cmd = "plot ";
  for (std::size_t c = 0; c < classes.size(); ++c)
    cmd += "'curves.dat' using 1:" + std::to_string(c + 2) + " with lines lw 1.5 lc " + std::to_string(c + 1) + " title '" + classes[c] + "', ";
  // The segments: a band above the curves, each box in its label's colour.
  cmd += "'timeline.dat' using 2:(1.08):3:(0.04):4 with boxxyerror fs solid 0.8 noborder lc variable notitle\n";
  return cmd;
}

}  // namespace

void write_timeline_figure(const std::vector<SegmentResult>& segments, const std::vector<std::string>& classes, const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext != ".svg" && ext != ".png") throw file_error(path, "the timeline figure must be .svg or .png");
  refuse_overwriting_input(path);
  ScratchFolder scratch{fs::temp_directory_path() / ("seraug-timeline-" + unique_temporary_suffix())};
  fs::create_directories(scratch.path);
  double last = 0;
  for (const auto& s : segments) last = std::max(last, s.end_s);
  const bool minutes = last > 600;
  write_data(segments, classes, minutes ? 60 : 1, scratch.path / "timeline.dat");
  if (minutes) write_binned_curves(segments, last, 60, scratch.path / "curves.dat");
  else write_curves(segments, 1, scratch.path / "curves.dat");
  const fs::path target = fs::absolute(path);
  const fs::path temporary = target.string() + ".tmp." + unique_temporary_suffix() + ext;
  std::ofstream gp(scratch.path / "timeline.gp");
  gp << "set terminal " << (ext == ".svg" ? "svg" : "pngcairo") << " size 1600,500 font ',11'\n"
     << "set output '" << temporary.string() << "'\n"
     << "set xlabel 'time (" << (minutes ? "minutes" : "seconds") << ")'\nset ylabel 'probability'\n"
     << "set yrange [0:1.14]\nset ytics 0,0.2,1\nset grid ytics\nset key outside right top\n"
     << "set title '" << segments.size() << " segments; the band shows each segment and its label"
     << (minutes ? "; curves: mean probability per 1/200 of the recording" : "") << "'\n"
     << (segments.empty() ? "set xrange [0:1]\nplot 2 notitle\n" : plot_commands(classes));
  gp.close();
  try {
    run_gnuplot((scratch.path / "timeline.gp").string());
  } catch (...) {
    std::error_code ec;
    fs::remove(temporary, ec);
    throw;
  }
  fs::rename(temporary, target);
}

}  // namespace seraug
