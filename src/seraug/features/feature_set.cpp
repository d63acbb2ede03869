#include "seraug/features/feature_set.hpp"

#include "seraug/common/error.hpp"
#include "seraug/features/functionals.hpp"
#include "seraug/features/gemaps.hpp"
#include "seraug/features/compare.hpp"
#include "seraug/features/is10.hpp"

namespace seraug {
namespace {

// INTERSPEECH 2009 Emotion Challenge (Schuller, Steidl, Batliner 2009): 16 LLDs
// (RMS energy, MFCC 1-12, ZCR, voicing probability, F0) and their deltas, smoothed by
// a 3-frame moving average, times 12 functionals = 384 features. Parameter values as in
// openSMILE's IS09_emotion configuration.
FeatureSet make_is09() {
  FeatureSet s;
  s.name = "is09";
  s.description = "INTERSPEECH 2009 Emotion Challenge set, 384 functionals (openSMILE IS09_emotion)";
  s.version = 1;
  s.llds = {
      {LldKind::RmsEnergy, "pcm_RMSenergy"},
      {LldKind::Mfcc, "pcm_fftMag_mfcc", MfccParams{26, 0.0, 8000.0, 1, 12, 22.0}},
      {LldKind::ZeroCrossingRate, "pcm_zcr"},
      {LldKind::VoicingProbability, "voiceProb", {}, PitchParams{500.0, 0.55}},
      {LldKind::PitchAcf, "F0", {}, PitchParams{500.0, 0.55}},
  };
  s.functionals = {"max", "min", "range", "maxPos", "minPos", "amean",
                   "linregc1", "linregc2", "linregerrQ", "stddev", "skewness", "kurtosis"};
  return s;
}

// The sets computed by their own whole-utterance pipelines; their contour and
// functional tables live in the pipeline's source file.
FeatureSet whole_utterance_set(std::string name, std::string description, int version, Pipeline pipeline) {
  FeatureSet s;
  s.name = std::move(name);
  s.description = std::move(description);
  s.version = version;
  s.pipeline = pipeline;
  s.frame_seconds = 0.060;  // the longest analysis frame: the shortest input it accepts
  s.preemphasis = 0.0;
  return s;
}

// extended Geneva Minimalistic Acoustic Parameter Set v02 (Eyben et al. 2016): 88
// functionals of 25 LLDs (gemaps.cpp). Version 2: openSMILE-faithful formants and pitch
// smoothing; version 3: the formants' resampling weighs DC as openSMILE's does.
FeatureSet make_egemaps() {
  return whole_utterance_set("egemaps", "extended Geneva Minimalistic Acoustic Parameter Set v02, 88 functionals (openSMILE eGeMAPSv02)",
                             3, Pipeline::Gemaps);
}

// INTERSPEECH 2010 Paralinguistic Challenge set: 1582 functionals of 38 LLDs (is10.cpp).
// Version 2: pitch-gated deltas with openSMILE's running normaliser; version 3: loudness
// of the frame's first sample, as openSMILE's cIntensity computes it for this set, and
// the LSFs' resampling weighs DC as openSMILE's does.
FeatureSet make_is10() {
  return whole_utterance_set("is10", "INTERSPEECH 2010 Paralinguistic Challenge set, 1582 functionals (openSMILE IS10_paraling)", 3,
                             Pipeline::Is10);
}

// INTERSPEECH 2016 ComParE set: 6373 functionals of 65 LLDs (compare.cpp).
FeatureSet make_compare() {
  return whole_utterance_set("compare", "INTERSPEECH 2016 ComParE set, 6373 functionals (openSMILE ComParE_2016)", 1,
                             Pipeline::Compare);
}

const std::vector<FeatureSet>& registry() {
  static const std::vector<FeatureSet> sets = {make_is09(), make_egemaps(), make_is10(), make_compare()};
  return sets;
}

}  // namespace

const FeatureSet& feature_set(std::string_view name) {
  for (const auto& s : registry())
    if (s.name == name) return s;
  std::string known;
  for (const auto& s : registry()) known += (known.empty() ? "" : ", ") + s.name;
  throw Error("unknown feature set '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> feature_set_names() {
  std::vector<std::string> names;
  for (const auto& s : registry()) names.push_back(s.name);
  return names;
}

std::vector<std::string> feature_names(const FeatureSet& set) {
  if (set.pipeline == Pipeline::Gemaps) return gemaps_names();
  if (set.pipeline == Pipeline::Is10) return is10_names();
  if (set.pipeline == Pipeline::Compare) return compare_names();
  for (const auto& f : set.functionals) functional(f);  // validate early
  // Element counts and indices come from the components themselves; a nominal
  // 16 kHz geometry suffices since they do not depend on the rate.
  const FrameGeometry nominal = frame_geometry(16000.0, set.frame_seconds, set.step_seconds);
  std::vector<std::string> contours;
  const std::string smoothed = set.smoothing_window > 1 ? "_sma" : "";
  for (const char* delta_suffix : {"", "_de"}) {
    const std::string delta = delta_suffix;
    if (!delta.empty() && set.delta_half_window == 0) break;
    for (const auto& spec : set.llds) {
      const auto component = make_lld(spec, nominal);
      for (int e = 0; e < component->size(); ++e) {
        const int index = component->array_index(e);
        std::string name = spec.name + smoothed + delta;
        if (index >= 0) name += "[" + std::to_string(index) + "]";
        contours.push_back(name);
      }
    }
  }
  std::vector<std::string> names;
  for (const auto& c : contours)
    for (const auto& f : set.functionals) names.push_back(c + "_" + f);
  return names;
}

}  // namespace seraug
