// An honest protocol for continuous audio (seraug continuous eval; docs/analyze.md).
//
// Leave-one-speaker-out. For each test speaker and seed: a model is trained by the
// recipe on the other speakers' clips (features from the table); the speaker's clips
// (the dataset's classes) are shuffled into one recording with pauses of 0.3–2 s and
// noise at each SNR; `analyze` runs on it with that model; each clip is scored by the
// segments overlapping its speech (overlap-weighted mean of their probabilities; a clip
// no segment overlaps counts as an error, "missed"). UAR and WA are over clips, pooled
// over speakers, per seed. Next to it, the same models' clip-level scores with
// enrolment: each clip alone, z-scored with all the test speaker's clips (the usual
// transductive LOSO number). Calibration: the expected calibration error of each row's
// clip confidences (the winning class's probability) and its reliability diagram. Two speakers on one channel: the clips of two held-out
// speakers (the model trained without both) interleaved in one recording, both scored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/data/copies.hpp"
#include "seraug/data/corpus.hpp"
#include "seraug/data/dataset.hpp"
#include "seraug/options/options.hpp"

namespace seraug {

struct ContinuousSettings {
  std::vector<double> snr_db = {30, 20, 10};
  std::string noise = "babble";  // white | pink | babble (babble: clips of the training speakers)
  std::vector<std::uint64_t> seeds = {1, 2, 3};
  bool two_speakers = true;  // also the two-speakers condition, at the first SNR
  AnalyzeSettings analyze;
  int threads = 0;
  // Perturbed copies of the clips (extract --perturb) added to each model's training
  // rows when their clip is a training clip of that model (multi-condition training).
  const CopyRows* training_copies = nullptr;
};

inline constexpr std::size_t kReliabilityBins = 10;
struct ReliabilityBin {  // clips whose confidence fell in [b, b+1) / 10
  std::size_t clips = 0;
  double confidence = 0, correct = 0;  // sums (divide by clips)
};

struct ConditionScores {
  std::string condition;                 // "clips (enrolled)", "continuous 30 dB", ...
  std::vector<double> uar, wa;           // per seed, percent
  std::vector<double> speaker_uar;       // per seed x test speaker, percent (for the paired test)
  std::vector<double> ece;               // per seed: expected calibration error of the clips' confidences
  std::vector<ReliabilityBin> reliability;  // pooled over seeds (the reliability diagram)
  double missed = 0;                     // share of clips no segment overlapped
  double p_vs_clips = 1, p_holm = 1;     // paired sign-flip test against the clip-level row
};

struct ContinuousReport {
  std::vector<ConditionScores> rows;     // the clip-level row first
  std::size_t speakers = 0, clips = 0;
  double seconds = 0;                    // audio analysed
};

// `audio`: the clips' files, matched to the dataset's rows by name. Throws seraug::Error
// naming a row without audio, or a speaker with fewer than 2 clips.
ContinuousReport evaluate_continuous(const Dataset& data, const std::vector<Utterance>& audio, const TrainSettings& recipe,
                                     const ContinuousSettings& settings);

std::string continuous_table(const ContinuousReport& report, const ContinuousSettings& settings, const std::string& recipe_name);
std::string continuous_json(const ContinuousReport& report, const ContinuousSettings& settings, const std::string& recipe_name);

}  // namespace seraug
