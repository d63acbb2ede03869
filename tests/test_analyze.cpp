// seraug analyze: VAD, segmentation, self-enrolment, stream = file, bounded memory,
// broken recordings, interrupts (docs/analyze.md).
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "seraug/analysis/analyzer.hpp"
#include "seraug/analysis/constructed.hpp"
#include "seraug/analysis/recording.hpp"
#include "seraug/analysis/segmenter.hpp"
#include "seraug/analysis/speaker_statistics.hpp"
#include "seraug/audio/audio.hpp"
#include "seraug/common/interrupt.hpp"
#include "seraug/report/timeline_figure.hpp"
#include "test_support.hpp"

namespace seraug {
namespace {

using testing::error_of;
using testing::harmonic_tone;
using testing::ScratchDir;

const std::string kIs09Model = std::string(SERAUG_SOURCE_DIR) + "/models/emodb-is09-svm";
const std::string kBestModel = std::string(SERAUG_SOURCE_DIR) + "/models/emodb-best";

std::vector<SegmentSpan> segment(const std::vector<VadFrame>& frames, const AnalyzeSettings& s = {}) {
  Segmenter seg(s);
  std::vector<SegmentSpan> out;
  for (const auto& f : frames) seg.push(f, out);
  seg.finish(out);
  return out;
}

std::vector<VadFrame> frames(std::initializer_list<std::pair<std::size_t, bool>> runs, bool voiced = true) {
  std::vector<VadFrame> out;
  for (const auto& [n, active] : runs) out.insert(out.end(), n, VadFrame{active, active && voiced});
  return out;
}

TEST(Segmenter, ClosesAStretchAfterTheHangoverAndDropsShortOrUnvoicedOnes) {
  const auto spans = segment(frames({{100, false}, {150, true}, {100, false}, {20, true}, {100, false}}));
  ASSERT_EQ(spans.size(), 1u);  // the 0.2 s blip is shorter than min_segment_s
  EXPECT_EQ(spans[0].start, 100u);
  EXPECT_EQ(spans[0].end, 250u);
  EXPECT_FALSE(spans[0].window);
  EXPECT_TRUE(segment(frames({{100, false}, {150, true}, {100, false}}, false)).empty());  // no voiced frame: noise
  // A pause shorter than the hangover does not split a stretch.
  const auto joined = segment(frames({{10, false}, {100, true}, {20, false}, {100, true}, {50, false}}));
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].end - joined[0].start, 220u);
}

TEST(Segmenter, CutsLongStretchesIntoOverlappingWindowsEndingWithTheStretch) {
  const auto spans = segment(frames({{50, false}, {1005, true}, {100, false}}));
  ASSERT_GE(spans.size(), 8u);
  for (std::size_t i = 0; i + 1 < spans.size(); ++i) {
    EXPECT_TRUE(spans[i].window);
    EXPECT_EQ(spans[i].end - spans[i].start, 200u);
    if (i + 2 < spans.size()) EXPECT_EQ(spans[i + 1].start - spans[i].start, 100u);
  }
  EXPECT_EQ(spans.front().start, 50u);
  EXPECT_EQ(spans.back().end, 1055u);
}

TEST(Segmenter, NeverNeedsMoreThanTheOpenStretch) {
  AnalyzeSettings s;
  Segmenter seg(s);
  std::vector<SegmentSpan> out;
  for (int i = 0; i < 5000; ++i) {
    seg.push({true, true}, out);
    EXPECT_LE(seg.frames() - seg.earliest_needed(), 420u) << "frame " << i;
  }
}

TEST(SpeakerStatistics, EqualsTheBatchZScoreShrunkTowardsThePrior) {
  const Dataset d = testing::synthetic(1, 10, 3, 2.0, 5, 6);
  SpeakerStatistics stats(d.features.cols);
  for (std::size_t r = 0; r < d.features.rows; ++r) stats.add(std::vector<double>(d.features.row(r), d.features.row(r) + d.features.cols));
  std::vector<std::size_t> all(d.features.rows);
  for (std::size_t r = 0; r < all.size(); ++r) all[r] = r;
  ZScore prior;
  prior.mean.assign(d.features.cols, 1.0);
  prior.scale.assign(d.features.cols, 2.0);
  const ZScore expected = shrink_towards(ZScore::fit(d.features, all), all.size(), prior, 10);
  const ZScore got = stats.zscore(prior, 10);
  for (std::size_t c = 0; c < d.features.cols; ++c) {
    EXPECT_NEAR(got.mean[c], expected.mean[c], 1e-12);
    EXPECT_NEAR(got.scale[c], expected.scale[c], 1e-12);
  }
}

// Harmonic tones (vowel-like, voiced) at known times over faint noise.
struct KnownRecording {
  std::vector<float> samples;
  std::vector<std::pair<double, double>> speech;  // seconds
};

KnownRecording tones_with_pauses(double rate, double noise_amplitude = 0.001) {
  KnownRecording k;
  k.samples = testing::white_noise(1.0, rate, noise_amplitude, 3);
  const double lengths[] = {1.5, 0.8, 2.5, 1.2};
  const double pitches[] = {140, 220, 180, 120};
  for (int i = 0; i < 4; ++i) {
    const double start = static_cast<double>(k.samples.size()) / rate;
    auto tone = harmonic_tone(pitches[i], lengths[i], rate, 0.2);
    const auto noise = testing::white_noise(lengths[i], rate, noise_amplitude, 10 + i);
    for (std::size_t j = 0; j < tone.size(); ++j) tone[j] += noise[j];
    k.samples.insert(k.samples.end(), tone.begin(), tone.end());
    k.speech.emplace_back(start, start + lengths[i]);
    const auto pause = testing::white_noise(0.6 + 0.4 * i, rate, noise_amplitude, 20 + i);
    k.samples.insert(k.samples.end(), pause.begin(), pause.end());
  }
  return k;
}

std::vector<SegmentResult> analyse(const TrainedModel& model, const std::vector<float>& x, double rate, const AnalyzeSettings& s,
                                   std::size_t block) {
  ChannelAnalyzer a(model, s, rate, "test");
  std::vector<SegmentResult> out;
  for (std::size_t at = 0; at < x.size(); at += block) {
    const std::size_t n = std::min(block, x.size() - at);
    for (auto& r : a.push(std::span<const float>(x.data() + at, n))) out.push_back(r);
  }
  for (auto& r : a.finish()) out.push_back(r);
  return out;
}

TEST(Analyze, KnownBoundariesGiveTheExpectedSegmentsWithEitherVad) {
  const TrainedModel model = load_trained_model(kIs09Model);
  for (const std::string vad : {"energy", "webrtc"}) {
    for (double rate : {16000.0, 22050.0}) {
      const KnownRecording k = tones_with_pauses(rate);
      AnalyzeSettings s;
      s.vad = vad;
      const auto segments = analyse(model, k.samples, rate, s, 4096);
      ASSERT_EQ(segments.size(), k.speech.size()) << vad << " at " << rate;
      for (std::size_t i = 0; i < segments.size(); ++i) {
        EXPECT_NEAR(segments[i].start_s, k.speech[i].first, 0.06) << vad << " segment " << i;
        EXPECT_NEAR(segments[i].end_s, k.speech[i].second, 0.12) << vad << " segment " << i;
        EXPECT_EQ(segments[i].probabilities.size(), model.classes.size());
        EXPECT_FALSE(segments[i].label.empty());
      }
    }
  }
}

TEST(Analyze, TheTimelineDoesNotDependOnHowTheSamplesArrive) {
  const TrainedModel model = load_trained_model(kIs09Model);
  const KnownRecording k = tones_with_pauses(22050);
  const auto whole = analyse(model, k.samples, 22050, {}, k.samples.size());
  for (std::size_t block : {160u, 441u, 8192u}) {
    const auto pieces = analyse(model, k.samples, 22050, {}, block);
    ASSERT_EQ(pieces.size(), whole.size()) << block;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(pieces[i].start_s, whole[i].start_s);
      EXPECT_EQ(pieces[i].probabilities, whole[i].probabilities) << "block " << block << " segment " << i;
    }
  }
}

// Ten hours of digital silence and stationary noise (white and low-passed), streamed:
// no segment, and the analyser holds a bounded number of samples throughout.
TEST(Analyze, TenHoursOfSilenceAndNoiseGiveNoSegmentInBoundedMemory) {
  const TrainedModel model = load_trained_model(kIs09Model);
  const double rate = 8000;
  ChannelAnalyzer a(model, {}, rate, "ten hours");
  std::vector<float> block(static_cast<std::size_t>(rate * 60));
  std::uint32_t lcg = 12345;
  float low = 0;
  std::size_t most = 0, segments = 0;
  for (int minute = 0; minute < 600; ++minute) {
    const int kind = (minute / 10) % 3;  // 10 min silence, 10 min white, 10 min low-passed noise
    for (auto& v : block) {
      lcg = lcg * 1664525u + 1013904223u;
      const float u = static_cast<float>(lcg >> 8) / 16777216.0f - 0.5f;
      low = 0.95f * low + 0.05f * u;
      v = kind == 0 ? 0.0f : kind == 1 ? 0.02f * u : 0.2f * low;
    }
    segments += a.push(block).size();
    most = std::max(most, a.buffered_samples());
  }
  segments += a.finish().size();
  EXPECT_EQ(segments, 0u);
  EXPECT_NEAR(a.seconds_received(), 36000, 1e-6);
  EXPECT_LE(most, static_cast<std::size_t>(rate * 61));  // one block plus the padding
}

void write_wav(const std::string& path, const std::vector<float>& interleaved, int rate, int channels) {
  write_wav16(path, interleaved, rate, channels);
}

TEST(Analyze, StdinAndFileGiveTheSameTimeline) {
  const TrainedModel model = load_trained_model(kIs09Model);
  ScratchDir dir;
  const KnownRecording k = tones_with_pauses(16000);
  write_wav(dir.file("rec.wav"), k.samples, 16000, 1);
  std::vector<SegmentResult> from_file, from_pipe;
  AnalyzeSettings s;
  analyze_recording(model, dir.file("rec.wav"), s, 2, std::nullopt, [&](const SegmentResult& r) { from_file.push_back(r); });
  // The same samples as 16-bit PCM through a pipe, written in uneven pieces.
  const auto stream = AudioStream::open_file(dir.file("rec.wav"));
  const std::vector<float> decoded = read_all_samples(*stream);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::vector<unsigned char> bytes;
    for (float v : decoded) {
      const auto q = static_cast<std::int16_t>(std::lround(v * 32768.0f));
      bytes.push_back(static_cast<unsigned char>(q & 0xff));
      bytes.push_back(static_cast<unsigned char>((q >> 8) & 0xff));
    }
    for (std::size_t at = 0; at < bytes.size(); at += 777) {
      const std::size_t n = std::min<std::size_t>(777, bytes.size() - at);
      if (::write(fds[1], bytes.data() + at, n) != static_cast<ssize_t>(n)) break;
    }
    ::close(fds[1]);
  });
  analyze_raw_pcm(model, fds[0], dir.file("rec.wav"), s, std::nullopt, [&](const SegmentResult& r) { from_pipe.push_back(r); });
  writer.join();
  ::close(fds[0]);
  ASSERT_EQ(from_pipe.size(), from_file.size());
  ASSERT_EQ(from_file.size(), k.speech.size());
  for (std::size_t i = 0; i < from_file.size(); ++i) {
    EXPECT_EQ(from_pipe[i].start_s, from_file[i].start_s);
    EXPECT_EQ(from_pipe[i].probabilities, from_file[i].probabilities);
  }
}

TEST(Analyze, AnInterruptedStreamHasEmittedTheSegmentsThatClosed) {
  const TrainedModel model = load_trained_model(kIs09Model);
  const KnownRecording k = tones_with_pauses(16000);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::vector<SegmentResult> got;
  std::thread reader([&] {
    analyze_raw_pcm(model, fds[0], "-", {}, std::nullopt, [&](const SegmentResult& r) { got.push_back(r); });
  });
  // All but the last tone's audio, then silence on the line (the pipe stays open) and Ctrl-C.
  std::vector<unsigned char> bytes;
  const auto end = static_cast<std::size_t>(k.speech.back().first * 16000);
  for (std::size_t i = 0; i < end; ++i) {
    const auto q = static_cast<std::int16_t>(std::lround(k.samples[i] * 32767.0f));
    bytes.push_back(static_cast<unsigned char>(q & 0xff));
    bytes.push_back(static_cast<unsigned char>((q >> 8) & 0xff));
  }
  ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  request_interrupt();
  reader.join();
  clear_interrupt();
  ::close(fds[1]);
  ::close(fds[0]);
  EXPECT_EQ(got.size(), k.speech.size() - 1);
}

TEST(Analyze, ATruncatedRecordingIsAnErrorSayingWhatWasAnalysed) {
  const TrainedModel model = load_trained_model(kIs09Model);
  ScratchDir dir;
  const KnownRecording k = tones_with_pauses(16000);
  std::vector<float> longer;
  for (int i = 0; i < 3; ++i) longer.insert(longer.end(), k.samples.begin(), k.samples.end());
  write_wav(dir.file("rec.wav"), longer, 16000, 1);
  std::filesystem::resize_file(dir.file("rec.wav"), std::filesystem::file_size(dir.file("rec.wav")) * 2 / 3);
  std::size_t emitted = 0;
  const std::string message = error_of([&] {
    analyze_recording(model, dir.file("rec.wav"), {}, 1, std::nullopt, [&](const SegmentResult&) { ++emitted; });
  });
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find("after analysing"), std::string::npos) << message;
  EXPECT_NE(message.find("rec.wav"), std::string::npos) << message;
}

TEST(Analyze, SeparateChannelsAreAnalysedAsTheirOwnSpeakers) {
  const TrainedModel model = load_trained_model(kIs09Model);
  ScratchDir dir;
  const double rate = 16000;
  const KnownRecording k = tones_with_pauses(rate);
  // Channel 1: the recording; channel 2: silence then one tone in its own place.
  std::vector<float> stereo(k.samples.size() * 2, 0.0f);
  const auto tone = harmonic_tone(160, 1.0, rate, 0.2);
  const std::size_t at = static_cast<std::size_t>(2.6 * rate);
  for (std::size_t i = 0; i < k.samples.size(); ++i) {
    stereo[2 * i] = k.samples[i];
    stereo[2 * i + 1] = i >= at && i - at < tone.size() ? tone[i - at] : 0.0f;
  }
  write_wav(dir.file("call.wav"), stereo, static_cast<int>(rate), 2);
  AnalyzeSettings s;
  s.channels = "separate";
  std::vector<SegmentResult> got;
  const auto summary = analyze_recording(model, dir.file("call.wav"), s, 1, std::nullopt, [&](const SegmentResult& r) { got.push_back(r); });
  EXPECT_EQ(summary.channels, 2);
  std::size_t first = 0, second = 0;
  for (const auto& r : got) (r.channel == 1 ? first : second) += 1;
  EXPECT_EQ(first, k.speech.size());
  ASSERT_EQ(second, 1u);
  for (const auto& r : got)
    if (r.channel == 2) EXPECT_NEAR(r.start_s, 2.6, 0.06);
}

// Self-enrolment sees the recording's segments only: inserting long silences changes no
// probability (times shift), because nothing outside the segments enters the statistics.
TEST(Analyze, SelfEnrolmentUsesOnlyTheRecordingsOwnSpeech) {
  const TrainedModel model = load_trained_model(kBestModel);
  ASSERT_EQ(model.normalization, NormKind::Speaker);
  const double rate = 16000;
  const KnownRecording k = tones_with_pauses(rate, 0.0);
  std::vector<float> spread;
  const std::size_t cut = static_cast<std::size_t>((k.speech[1].second + 0.4) * rate);
  spread.insert(spread.end(), k.samples.begin(), k.samples.begin() + static_cast<std::ptrdiff_t>(cut));
  spread.insert(spread.end(), static_cast<std::size_t>(30 * rate), 0.0f);
  spread.insert(spread.end(), k.samples.begin() + static_cast<std::ptrdiff_t>(cut), k.samples.end());
  for (const std::string scope : {"online", "recording"}) {
    AnalyzeSettings s;
    s.enroll_scope = scope;
    const auto a = analyse(model, k.samples, rate, s, 8000);
    const auto b = analyse(model, spread, rate, s, 8000);
    ASSERT_EQ(a.size(), k.speech.size());
    ASSERT_EQ(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].enrolled, b[i].enrolled);
      for (std::size_t c = 0; c < a[i].probabilities.size(); ++c)
        EXPECT_NEAR(a[i].probabilities[c], b[i].probabilities[c], 1e-9) << scope << " segment " << i;
    }
    EXPECT_EQ(a.back().enrolled, a.size());
  }
}

// EMO-DB clips with silences between them: one segment per clip, over the clip's speech.
TEST(Analyze, EmodbClipsWithPausesGiveOneSegmentEach) {
  const std::string corpus = testing::emodb_dir();
  if (corpus.empty()) GTEST_SKIP() << "EMO-DB not found";
  const TrainedModel model = load_trained_model(kIs09Model);
  std::vector<SourceClip> clips;
  for (const char* name : {"03a01Fa", "08a02Ab", "10a04Wa", "13a05Tc", "16b10Lb", "11b03Nb"}) {
    const auto stream = AudioStream::open_file(corpus + "/wav/" + name + ".wav");
    clips.push_back({name, "", "", read_all_samples(*stream)});
  }
  const double rate = 22050;
  for (const std::optional<double> snr : {std::optional<double>{}, std::optional<double>{20.0}}) {
    ConstructionSettings how;
    how.snr_db = snr;
    how.noise = "pink";
    const ConstructedRecording rec = construct_recording(clips, rate, how);
    const auto segments = analyse(model, rec.samples, rate, {}, 22050);
    ASSERT_EQ(segments.size(), clips.size()) << (snr ? "20 dB" : "clean");
    for (std::size_t i = 0; i < clips.size(); ++i) {
      EXPECT_NEAR(segments[i].start_s, rec.clips[i].speech_start_s, 0.15) << clips[i].name;
      EXPECT_NEAR(segments[i].end_s, rec.clips[i].speech_end_s, 0.25) << clips[i].name;
    }
    AnalyzeSettings s;
    const FrameScores f = score_frames(rec.speech_frames, detected_speech_frames(s, rec.samples, rate));
    EXPECT_GT(f.f1(), 0.9) << (snr ? "20 dB" : "clean");
  }
}

// The constructor: speech frames where the clips' speech is, noise at the SNR asked for.
TEST(ConstructedRecording, PlacesClipsWithKnownSpeechAndExactSnr) {
  const double rate = 16000;
  std::vector<SourceClip> clips;
  for (int i = 0; i < 3; ++i) {
    std::vector<float> x(static_cast<std::size_t>(0.5 * rate), 0.0f);
    const auto tone = harmonic_tone(150 + 20 * i, 1.0, rate, 0.2);
    x.insert(x.end(), tone.begin(), tone.end());
    x.insert(x.end(), static_cast<std::size_t>(0.5 * rate), 0.0f);
    clips.push_back({"c" + std::to_string(i), "", "", x});
  }
  ConstructionSettings how;
  const ConstructedRecording clean = construct_recording(clips, rate, how);
  ASSERT_EQ(clean.clips.size(), 3u);
  for (const auto& c : clean.clips) {
    EXPECT_NEAR(c.speech_start_s - c.start_s, 0.5, 0.011);
    EXPECT_NEAR(c.speech_end_s - c.start_s, 1.5, 0.011);
    EXPECT_GE(c.start_s, how.lead_s);
  }
  std::size_t speech = 0;
  for (char f : clean.speech_frames) speech += f;
  EXPECT_NEAR(static_cast<double>(speech), 300, 6);
  how.snr_db = 10;
  const ConstructedRecording noisy = construct_recording(clips, rate, how);
  ASSERT_EQ(noisy.samples.size(), clean.samples.size());
  double s = 0, n = 0;
  for (std::size_t i = 0; i < clean.samples.size(); ++i) {
    const double d = noisy.samples[i] - clean.samples[i];
    n += d * d;
    const auto k = static_cast<std::size_t>(static_cast<double>(i) / rate / kVadFrameSeconds);
    if (k < clean.speech_frames.size() && clean.speech_frames[k]) s += static_cast<double>(clean.samples[i]) * clean.samples[i];
  }
  EXPECT_NEAR(10 * std::log10((s / static_cast<double>(speech * 160)) / (n / static_cast<double>(clean.samples.size()))), 10.0, 0.2);
}

// An hour's timeline is drawn with binned curves (minutes on the axis) as SVG and PNG;
// another extension is refused naming the path.
TEST(TimelineFigure, DrawsAnHourAndRefusesOtherExtensions) {
  ScratchDir dir;
  std::vector<SegmentResult> segments;
  for (int i = 0; i < 1200; ++i) {
    SegmentResult r;
    r.start_s = 3.0 * i, r.end_s = 3.0 * i + 2.0;
    r.probabilities = {0.1, 0.2, 0.7};
    r.label = "c";
    segments.push_back(r);
  }
  for (const std::string name : {"hour.svg", "hour.png"}) {
    write_timeline_figure(segments, {"a", "b", "c"}, dir.file(name));
    EXPECT_GT(std::filesystem::file_size(dir.file(name)), 1000u) << name;
  }
  std::ifstream svg(dir.file("hour.svg"));
  const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("minutes"), std::string::npos);
  EXPECT_NE(error_of([&] { write_timeline_figure(segments, {"a", "b", "c"}, dir.file("hour.pdf")); }).find("hour.pdf"), std::string::npos);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST(Analyze, SettingsAreCheckedByTheirDeclarations) {
  EXPECT_NE(error_of([] { with_analyze_settings({}, {{"pad_s", "0.5"}}, ValueSyntax::Word); }).find("must not exceed analyze.hangover_s"),
            std::string::npos);
  EXPECT_NE(error_of([] { with_analyze_settings({}, {{"vad", "silero"}}, ValueSyntax::Word); }).find("analyze.vad"), std::string::npos);
  EXPECT_NE(error_of([] { with_analyze_settings({}, {{"hop_s", "-1"}}, ValueSyntax::Word); }).find("analyze.hop_s"), std::string::npos);
  EXPECT_NE(error_of([] { with_analyze_settings({}, {{"loudness", "1"}}, ValueSyntax::Word); }).find("is not one of the [analyze] parameters"),
            std::string::npos);
  const AnalyzeSettings s = with_analyze_settings({}, {{"vad", "webrtc"}, {"hangover_s", "0.5"}}, ValueSyntax::Word);
  EXPECT_EQ(s.vad, "webrtc");
  EXPECT_EQ(s.hangover_s, 0.5);
}

}  // namespace
}  // namespace seraug
