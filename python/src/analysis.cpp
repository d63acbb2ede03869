// seraug analyze for Python: a recording or signal -> segments, and a stream object that
// takes blocks of samples and returns the segments they close.
#include <memory>

#include "binding.hpp"
#include "seraug/analysis/recording.hpp"
#include "seraug/common/error.hpp"

namespace seraug::python {
namespace {

using Model = std::shared_ptr<TrainedModel>;

py::dict segment_dict(const SegmentResult& s) {
  py::dict d;
  d["file"] = s.source;
  d["channel"] = s.channel;
  d["start"] = s.start_s;
  d["end"] = s.end_s;
  d["label"] = s.label;
  d["probabilities"] = s.probabilities;
  d["window"] = s.window;
  d["enrolled"] = s.enrolled;
  d["atypicality"] = s.atypicality;
  d["flags"] = s.flags;
  return d;
}

py::list segment_list(const std::vector<SegmentResult>& segments) {
  py::list out;
  for (const auto& s : segments) out.append(segment_dict(s));
  return out;
}

// The model's analyser over pushed blocks (mono float samples at one rate).
class Stream {
 public:
  Stream(Model model, double rate, const SettingTexts& settings, const std::string& name)
      : model_(std::move(model)),
        analyzer_(std::make_unique<ChannelAnalyzer>(*model_, with_analyze_settings({}, settings, ValueSyntax::Toml), rate, name)) {}
  py::list push(const py::array_t<float, py::array::c_style | py::array::forcecast>& block) {
    if (block.ndim() != 1) throw Error("a block must be a 1-D array of mono samples, got " + std::to_string(block.ndim()) + " dimensions");
    if (!analyzer_) throw Error("the stream was finished");
    for (py::ssize_t i = 0; i < block.size(); ++i)
      if (!std::isfinite(block.data()[i])) throw Error("sample " + std::to_string(i) + " of the block is not finite");
    return segment_list(analyzer_->push(std::span<const float>(block.data(), static_cast<std::size_t>(block.size()))));
  }
  py::list finish() {
    if (!analyzer_) throw Error("the stream was finished");
    auto rest = analyzer_->finish();
    analyzer_.reset();
    return segment_list(rest);
  }
  double seconds() const { return analyzer_ ? analyzer_->seconds_received() : 0; }

 private:
  Model model_;  // kept alive for the analyser
  std::unique_ptr<ChannelAnalyzer> analyzer_;
};

py::list analyze_file(const Model& model, const std::string& path, const SettingTexts& settings, int threads) {
  const AnalyzeSettings s = with_analyze_settings({}, settings, ValueSyntax::Toml);
  const auto segments = run_interruptible([&] {
    std::vector<SegmentResult> out;
    analyze_recording(*model, path, s, threads, std::nullopt, [&](const SegmentResult& r) { out.push_back(r); });
    return out;
  });
  return segment_list(segments);
}

}  // namespace

void bind_analysis(py::module_& m) {
  m.def("analyze_file", &analyze_file, py::arg("model"), py::arg("path"), py::arg("settings"), py::arg("threads"),
        "Segments of a recording (seraug analyze); settings as (name, TOML value) pairs.");
  py::class_<Stream>(m, "_AnalysisStream", "An analyser over pushed blocks; wrapped by seraug.AnalysisStream.")
      .def(py::init<Model, double, const SettingTexts&, const std::string&>(), py::arg("model"), py::arg("sampling_rate"),
           py::arg("settings"), py::arg("name"))
      .def("push", &Stream::push, py::arg("block"))
      .def("finish", &Stream::finish)
      .def_property_readonly("seconds", &Stream::seconds);
}

}  // namespace seraug::python
