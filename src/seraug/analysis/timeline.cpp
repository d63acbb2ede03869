#include "seraug/analysis/timeline.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "seraug/common/csv.hpp"
#include "seraug/common/error.hpp"

namespace seraug {
namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string joined_flags(const SegmentResult& s) {
  std::string out;
  for (const auto& f : s.flags) out += (out.empty() ? "" : "|") + f;
  return out;
}

nlohmann::ordered_json segment_object(const SegmentResult& s, const std::vector<std::string>& classes) {
  nlohmann::ordered_json p = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < classes.size(); ++c) p[classes[c]] = std::round(s.probabilities[c] * 1e6) / 1e6;
  return {{"file", s.source},
          {"channel", s.channel},
          {"start", std::round(s.start_s * 1000) / 1000},
          {"end", std::round(s.end_s * 1000) / 1000},
          {"label", s.label},
          {"probabilities", p},
          {"window", s.window},
          {"enrolled", s.enrolled},
          {"atypicality", std::round(s.atypicality * 1000) / 1000},
          {"flags", s.flags}};
}

}  // namespace

std::string segment_json_line(const SegmentResult& s, const std::vector<std::string>& classes) {
  return segment_object(s, classes).dump();
}

TimelineWriter::TimelineWriter(std::ostream& out, std::string format, const std::string& model_path,
                               const std::vector<std::string>& classes, const AnalyzeSettings& settings, bool flush_each)
    : out_(out), format_(std::move(format)), classes_(classes), flush_each_(flush_each) {
  if (format_ == "csv") {
    out_ << "file,start,end,label";
    for (const auto& c : classes_) out_ << ",p_" << c;
    out_ << ",channel,window,enrolled,atypicality,flags\n";
  } else if (format_ == "json") {
    nlohmann::ordered_json head = {{"model", model_path}, {"classes", classes_}};
    nlohmann::ordered_json s = nlohmann::ordered_json::object();
    // (A TOML scalar's text is JSON too: numbers, true/false, a plain quoted string.)
    for (const auto& f : analyze_fields())
      s[f.parameter.name] = nlohmann::ordered_json::parse(toml_value_text(*field_as_table(f, settings).get("v")));
    head["settings"] = s;
    const std::string text = head.dump(2);
    out_ << text.substr(0, text.size() - 2) << ",\n  \"segments\": [";
  } else if (format_ != "jsonl") {
    throw Error("`format` must be csv, json or jsonl, got '" + format_ + "'");
  }
}

void TimelineWriter::write(const SegmentResult& s) {
  if (format_ == "csv") {
    out_ << csv_field(s.source) << ',' << fixed(s.start_s, 3) << ',' << fixed(s.end_s, 3) << ',' << s.label;
    for (double p : s.probabilities) out_ << ',' << fixed(p, 6);
    out_ << ',' << s.channel << ',' << (s.window ? 1 : 0) << ',' << s.enrolled << ',' << fixed(s.atypicality, 3) << ','
         << joined_flags(s) << '\n';
  } else if (format_ == "jsonl") {
    out_ << segment_json_line(s, classes_) << '\n';
  } else {
    out_ << (first_segment_ ? "\n    " : ",\n    ") << segment_json_line(s, classes_);
  }
  first_segment_ = false;
  if (flush_each_) out_.flush();
}

void TimelineWriter::recording_done(const RecordingSummary& r) { recordings_.push_back(r); }

void TimelineWriter::finish() {
  if (format_ != "json") return;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : recordings_)
    list.push_back({{"file", r.source}, {"seconds", std::round(r.seconds * 1000) / 1000}, {"channels", r.channels}, {"segments", r.segments}});
  out_ << (first_segment_ ? "],\n" : "\n  ],\n") << "  \"recordings\": " << list.dump() << "\n}\n";
}

}  // namespace seraug
