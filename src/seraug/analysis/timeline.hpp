// Writing an emotion timeline: one row/object per segment, as segments close.
//
//   csv    file,start,end,label,p_<class>...,channel,window,enrolled,atypicality,flags
//          (seconds with 3 decimals; flags joined by '|')
//   jsonl  one JSON object per line (live input: each line is flushed as it is written)
//   json   one document: {"model", "classes", "settings", "segments": [...], "recordings": [...]}
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/analysis/analyzer.hpp"

namespace seraug {

struct RecordingSummary {
  std::string source;
  double seconds = 0;         // audio analysed (per channel)
  int channels = 1;           // analysers run (1 when mixed)
  std::size_t segments = 0;
};

class TimelineWriter {
 public:
  // format: csv | json | jsonl. `flush_each`: flush after every segment (live output).
  TimelineWriter(std::ostream& out, std::string format, const std::string& model_path, const std::vector<std::string>& classes,
                 const AnalyzeSettings& settings, bool flush_each);
  void write(const SegmentResult& segment);
  void recording_done(const RecordingSummary& summary);
  void finish();  // closes the JSON document

 private:
  std::ostream& out_;
  std::string format_;
  std::vector<std::string> classes_;
  bool flush_each_;
  bool first_segment_ = true;
  std::vector<RecordingSummary> recordings_;
};

std::string segment_json_line(const SegmentResult& segment, const std::vector<std::string>& classes);

}  // namespace seraug
